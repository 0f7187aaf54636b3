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
 * Handlers receive UTF-8 exactly as in the file (not yet NFC) and the
 * line of the element's start tag; attribute values as they lie in the
 * parser's buffer, not copied, valid until the callback returns.
 * Element and attribute names are interned: all through one parse, a
 * name is always the same pointer, so a handler may compare names it has
 * met by pointer.
 *
 * Two ways in.  cadre_xml_parse() calls a handler at the start of each
 * element, with its attributes, and at its end, with its direct text.  A
 * reader of millions of elements (the records loader) takes libxml2's
 * events itself, with no layer between: it gives its own SAX2 callbacks
 * to cadre_xml_read(), opens and closes elements with cadre_xml_enter()
 * and cadre_xml_leave(), which make every check cadre_xml_parse() makes,
 * and leaves text to cadre_xml_on_text().
 */
#ifndef CADRE_XMLSAFE_H
#define CADRE_XMLSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>

#include "cadre/error.h"

#define CADRE_XML_MAX_TEXT (64 * 1024)

typedef struct cadre_xml_attr {
    const char *name;  /* local name, NUL-terminated */
    const char *value; /* its value, entities replaced; NOT NUL-terminated */
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
     * be left out), NUL-terminated, the handler's to rewrite in place
     * within its length; `line` is that of its start tag.  Return nonzero
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

/* ------------------------------------------------------------------ */
/* Without a layer between: the reader's state, and libxml2's events.  */

/* An open element. */
typedef struct cadre_xml_elem {
    const char *name;   /* its name (owned by libxml2's dictionary) */
    unsigned long line; /* line of its start tag */
    char *text;         /* its direct text so far, NUL-terminated */
    size_t len, cap;    /* of text, and the bytes allocated */
} cadre_xml_elem;

/* One file being read.  Every SAX2 callback receives it as `ctx`. */
typedef struct cadre_xml_reader {
    void *user;             /* the caller's state (cadre_xml_sax) */
    xmlParserCtxtPtr ctxt;
    const char *path;       /* as given, for messages */
    cadre_diags *diags;
    int max_depth;
    int depth;              /* open elements */
    cadre_xml_elem *stack;  /* max_depth + 1 entries */
    cadre_xml_elem *top;    /* the element text goes to: the innermost
                               open one; NULL when none, or stopped */
    cadre_xml_attr *attrs;  /* the current start tag's ... */
    size_t n_attrs;         /* ... attributes */
    size_t attrs_cap;
    size_t run_eq;          /* '=' read since the last '<': a bound on
                               the attributes of a start tag not ended */
    cadre_error status;     /* first failure, or CADRE_OK */
    bool controls_possible; /* the input read so far holds a byte that
                               may give a control character (DEL, the
                               lead of U+0080-U+009F, a character
                               reference): values are looked at */
    bool stopped;           /* no more events are taken */
    bool at_eof;            /* the last chunk is being parsed */
} cadre_xml_reader;

/* libxml2's SAX2 callbacks of a reader of its own. */
typedef struct cadre_xml_sax {
    void *user;                   /* cadre_xml_reader.user */
    startElementNsSAX2Func start; /* calls cadre_xml_enter() first */
    endElementNsSAX2Func end;     /* calls cadre_xml_leave() first */
} cadre_xml_sax;

/* Parse `path` with `sax`'s callbacks (text goes to cadre_xml_on_text).
 * Returns as cadre_xml_parse(). */
cadre_error cadre_xml_read(const char *path, const cadre_xml_sax *sax,
                           int max_depth, cadre_diags *diags);

/* The SAX2 characters callback: text gathered for the open element. */
void cadre_xml_on_text(void *ctx, const xmlChar *ch, int len);

/* Stop the parse: no more events. */
void cadre_xml_stop(cadre_xml_reader *r);

/* Out of line, for cadre_xml_enter() and cadre_xml_leave(). */
bool cadre_xml_check_closely(cadre_xml_reader *r, const char *s, size_t len,
                             unsigned long line, const char *elem,
                             const char *attr);
bool cadre_xml_enter_refused(cadre_xml_reader *r, const xmlChar *localname,
                             int nb_attributes, const xmlChar **attributes,
                             unsigned long line);
const char *cadre_xml_qname(cadre_xml_reader *r, const xmlChar *localname,
                            const xmlChar *prefix, const xmlChar *uri,
                            unsigned long line);

/* True when the `len` bytes at s may hold a control character other than
 * tab and newline (a byte below 0x20, DEL, or 0xC2, the lead of
 * U+0080-U+009F): eight bytes at a time, the last word overlapping the
 * one before so that no byte is read twice alone.  It may say true of
 * clean text; then cadre_xml_check_closely() looks. */
static inline bool cadre_xml_word_may_hold_control(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t below = (x - 0x20 * ones) & ~x; /* a byte < 0x20 */
    /* printable ASCII (most words of the records) at once: no byte below
     * 0x20 nor at or above 0x7F */
    if (!((below | ((x + ones) | x)) & high))
        return false;
    uint64_t del = x ^ (0x7F * ones), c2 = x ^ (0xC2 * ones);
    return (((del - ones) & ~del) | ((c2 - ones) & ~c2) | below) & high;
}

static inline bool cadre_xml_may_hold_control(const char *s, size_t len)
{
    uint64_t x;
    if (len >= 8) {
        size_t i = 0;
        for (; i + 8 < len; i += 8) {
            memcpy(&x, s + i, 8);
            if (cadre_xml_word_may_hold_control(x))
                return true;
        }
        memcpy(&x, s + len - 8, 8);
    } else if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + len - 4, 4);
        x = a | (uint64_t)b << 32;
    } else if (len) {
        const unsigned char *u = (const unsigned char *)s;
        x = 0x4141414141000000u | u[0] | (uint64_t)u[len / 2] << 8 |
            (uint64_t)u[len - 1] << 16; /* padded with 'A' */
    } else {
        return false;
    }
    return cadre_xml_word_may_hold_control(x);
}

/* Refuse control characters other than tab and newline (XML itself
 * admits U+007F-U+009F, and &#13; gives a CR): false after reporting one
 * in `elem` (or its attribute `attr`).  Until the input holds a byte
 * that may give one, no value can hold one, and none is looked at. */
static inline bool cadre_xml_check_text(cadre_xml_reader *r, const char *s,
                                        size_t len, unsigned long line,
                                        const char *elem, const char *attr)
{
    return !r->controls_possible || !cadre_xml_may_hold_control(s, len) ||
           cadre_xml_check_closely(r, s, len, line, elem, attr);
}

/* In a start callback, before anything else: the element opened, its
 * attributes in r->attrs (r->n_attrs of them) checked for length and
 * control characters; NULL when the reader is stopped or refuses the
 * element (nesting, length: reported, and stopped). */
static inline cadre_xml_elem *
cadre_xml_enter(cadre_xml_reader *r, const xmlChar *localname,
                const xmlChar *prefix, const xmlChar *uri, int nb_attributes,
                const xmlChar **attributes)
{
    if (r->stopped)
        return NULL;
    unsigned long line = r->ctxt->input ? (unsigned long)r->ctxt->input->line
                                        : 0;
    size_t n = (size_t)nb_attributes;
    if (r->depth >= r->max_depth || n > r->attrs_cap)
        if (cadre_xml_enter_refused(r, localname, nb_attributes, attributes,
                                    line))
            return NULL;
    for (size_t i = 0; i < n; i++) {
        const xmlChar **at = attributes + i * 5;
        size_t len = (size_t)(at[4] - at[3]);
        if (len > CADRE_XML_MAX_TEXT) {
            cadre_xml_enter_refused(r, localname, nb_attributes, attributes,
                                    line);
            return NULL;
        }
        r->attrs[i] = (cadre_xml_attr){(const char *)at[0],
                                       (const char *)at[3], len};
    }
    for (size_t i = 0; i < n; i++)
        cadre_xml_check_text(r, r->attrs[i].value, r->attrs[i].len, line,
                             (const char *)localname, r->attrs[i].name);
    cadre_xml_elem *e = &r->stack[r->depth];
    e->name = (const char *)localname;
    if ((prefix || uri) &&
        !(e->name = cadre_xml_qname(r, localname, prefix, uri, line)))
        return NULL;
    e->line = line;
    e->len = 0;
    e->text[0] = '\0';
    r->n_attrs = n;
    r->depth++;
    if (!r->stopped)
        r->top = e;
    return e;
}

/* In an end callback, before anything else: the element closed, its text
 * checked for control characters; NULL when the reader is stopped. */
static inline cadre_xml_elem *cadre_xml_leave(cadre_xml_reader *r)
{
    if (r->stopped || r->depth == 0)
        return NULL;
    cadre_xml_elem *e = &r->stack[--r->depth];
    r->top = r->depth ? e - 1 : NULL;
    cadre_xml_check_text(r, e->text, e->len, e->line, e->name, NULL);
    if (r->stopped)
        r->top = NULL;
    return e;
}

#endif
