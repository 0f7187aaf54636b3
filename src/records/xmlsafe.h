/*
 * xmlsafe.h (internal) - read an XML file from a path the user named, as
 * untrusted input, through libxml2's SAX2 push parser.
 *
 * Refused with an error: a DOCTYPE (so no external entity, DTD or entity
 * expansion can happen), gzip, UTF-16/32 and any declared encoding other
 * than UTF-8, nesting deeper than `max_depth`, text or attribute values
 * longer than CADRE_XML_MAX_TEXT bytes, control characters other than tab
 * and newline.  No network, no XML_PARSE_HUGE.  The file is read through
 * our own descriptor, so libxml2 never opens anything itself.
 *
 * Callbacks receive NUL-terminated UTF-8 exactly as in the file (not yet
 * NFC) and the line of the element's start tag.  Element and attribute
 * names are interned: all through one parse, a name is always the same
 * pointer, so a handler may compare names it has met by pointer.
 */
#ifndef CADRE_XMLSAFE_H
#define CADRE_XMLSAFE_H

#include <stdbool.h>
#include <stddef.h>

#include "cadre/error.h"

#define CADRE_XML_MAX_TEXT (64 * 1024)

typedef struct cadre_xml_attr {
    const char *name;  /* local name */
    char *value;       /* NUL-terminated value, the handler's to rewrite
                          in place within its length */
    size_t len;        /* its length in bytes */
} cadre_xml_attr;

typedef struct cadre_xml_handler {
    void *ctx; /* passed to every callback */
    /* An element starts.  `depth` is 0 for the root.  Return nonzero to
     * stop the parse (as when a file has too many errors). */
    int (*start)(void *ctx, const char *name, const cadre_xml_attr *attrs,
                  size_t n_attrs, unsigned long line, int depth);
    /* An element ends.  `text` is its direct text content (the text of
     * children excluded; white space before the first other character may
     * be left out), the handler's to rewrite in place within its length;
     * `line` is that of its start tag.  Return nonzero
     * to stop the parse. */
    int (*end)(void *ctx, const char *name, char *text, size_t len,
                unsigned long line, int depth);
} cadre_xml_handler;

/* Parse `path`, calling `h` for each element.  Errors go to `diags` with
 * the file and line.  Returns CADRE_OK, CADRE_EIO (cannot open or read;
 * nothing was called), CADRE_EPARSE (not well-formed or refused) or
 * CADRE_ELIMIT (a limit was exceeded).  A stop asked by a callback
 * returns CADRE_OK. */
cadre_error cadre_xml_parse(const char *path, const cadre_xml_handler *h,
                            int max_depth, cadre_diags *diags);

#endif
