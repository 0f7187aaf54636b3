/*
 * template.h - the file format every template shares: a small XML tree
 * read with the same safe loader as the records, with the file and line
 * of every element, <include file="..."/> resolved, and helpers that check
 * attributes and report errors in the records' form ("t.xml:12: error:").
 *
 * Each tool reads its own dialect (roster, certificate, booklet) from this
 * tree, compiling attribute values and element text with expr.h.
 *
 *     cadre_tmpl *t = cadre_tmpl_load("templates/cert/a4.xml", "certificate",
 *                                     &diags);
 *     for (const cadre_tnode *n = t->root->children; n; n = n->next)
 *         if (cadre_tnode_is(n, "text")) ...
 *     cadre_tmpl_free(t);
 *
 * Threads: loading is reentrant; a loaded template is read-only and may
 * be read by several threads at once.
 */
#ifndef CADRE_TEMPLATE_H
#define CADRE_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "cadre/error.h"

typedef struct cadre_tattr {
    const char *name;  /* attribute name */
    const char *value; /* its value, NFC */
} cadre_tattr;

/* One element of a template. */
typedef struct cadre_tnode {
    const char *name;           /* element name */
    const cadre_tattr *attrs;   /* its attributes, in file order */
    size_t n_attrs;
    const char *text;           /* its text content (children's text not
                                   included), trimmed of leading and trailing
                                   white space; "" when none */
    const char *file;           /* the file it was read from */
    unsigned long line;         /* line of its start tag */
    struct cadre_tnode *parent;   /* NULL for the root */
    struct cadre_tnode *children; /* first child element */
    struct cadre_tnode *next;     /* next sibling element */
} cadre_tnode;

typedef struct cadre_tmpl {
    cadre_tnode *root;   /* the root element */
    const char *path;    /* the file given to cadre_tmpl_load() */
    const char *dir;     /* its directory: relative paths start here */
    struct cadre_tmpl_internal *in; /* storage */
} cadre_tmpl;

/* Read the template at `path`, whose root element must be `root_name`.
 * <include file="x.xml"/> elements (relative to the including file) are
 * replaced by the children of the included file's root; an include cycle
 * is an error.  Returns NULL on any error, with messages in `diags`.
 * Caller owns the result; free with cadre_tmpl_free(). */
cadre_tmpl *cadre_tmpl_load(const char *path, const char *root_name,
                            cadre_diags *diags);

void cadre_tmpl_free(cadre_tmpl *t);

/* True when `n` is an element named `name`. */
bool cadre_tnode_is(const cadre_tnode *n, const char *name);

/* The value of attribute `name`, or NULL. */
const char *cadre_tnode_attr(const cadre_tnode *n, const char *name);

/* The value of attribute `name`; when absent, adds "missing attribute
 * 'name' on <elem>" to diags and returns NULL. */
const char *cadre_tnode_require(const cadre_tnode *n, const char *name,
                                cadre_diags *diags);

/* Add an error about every attribute of `n` not in `allowed` (a
 * NULL-terminated list).  Returns the number of errors added. */
int cadre_tnode_check_attrs(const cadre_tnode *n, const char *const *allowed,
                            cadre_diags *diags);

/* Parse attribute `name` as a number (a '.' decimal); `*out` keeps its
 * value when the attribute is absent.  Returns 0, or -1 after adding an
 * error when the value is not a number in [min, max]. */
int cadre_tnode_number(const cadre_tnode *n, const char *name, double min,
                       double max, double *out, cadre_diags *diags);

/* Parse attribute `name` as one of `choices` (NULL-terminated); `*out`
 * receives the index, and keeps its value when the attribute is absent.
 * Returns 0, or -1 after adding an error. */
int cadre_tnode_choice(const cadre_tnode *n, const char *name,
                       const char *const *choices, int *out,
                       cadre_diags *diags);

/* Parse attribute `name` as true/false; as cadre_tnode_choice(). */
int cadre_tnode_bool(const cadre_tnode *n, const char *name, bool *out,
                     cadre_diags *diags);

/* Add an error located at `n`. */
void cadre_tnode_error(const cadre_tnode *n, cadre_diags *diags,
                       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Resolve `rel` against the directory of the file `n` came from.  Caller
 * owns the result; free with free(). */
char *cadre_tnode_path(const cadre_tnode *n, const char *rel);

#endif
