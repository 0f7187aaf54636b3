/*
 * template.c - the XML tree every template dialect reads: parsed with the
 * records' safe reader, text in NFC, includes spliced in, and the checks
 * of attributes every dialect needs.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/arena.h"
#include "cadre/template.h"
#include "records/xmlsafe.h"

#define MAX_XML_DEPTH 32     /* elements nested in one file */
#define MAX_INCLUDE_DEPTH 16 /* files including files */
#define MAX_ELEMENTS 100000  /* elements in all files of a template */

struct cadre_tmpl_internal {
    arena mem;      /* nodes, attributes, strings, file names */
    size_t n_elems; /* elements read so far, all files */
};

/* State while one file is read. */
typedef struct loader {
    cadre_tmpl *t;       /* the template read */
    const char *file;    /* its path, kept in t's arena */
    cadre_diags *diags;  /* where errors go */
    cadre_tnode *stack[MAX_XML_DEPTH + 1]; /* open elements */
    cadre_tnode *last[MAX_XML_DEPTH + 1];  /* their last child so far */
    int depth;           /* open elements */
    cadre_tnode *root;   /* the file's root element */
    cadre_error status;  /* first failure */
} loader;

/* The files being read, outermost first: to find include cycles. */
typedef struct chain {
    const char *real[MAX_INCLUDE_DEPTH + 2]; /* canonical paths */
    const char *shown[MAX_INCLUDE_DEPTH + 2];/* paths as opened */
    int n;                                   /* files in the chain */
} chain;

/* `p`, a copy just made in the template's arena; when it is NULL, out
 * of memory is reported (once). */
static char *kept(loader *ld, char *p)
{
    if (!p && ld->status == CADRE_OK) {
        ld->status = CADRE_ENOMEM;
        cadre_diags_error(ld->diags, ld->file, 0, "out of memory");
    }
    return p;
}

/* A copy of `len` bytes of `s`: names, which are ASCII. */
static char *keep(loader *ld, const char *s, size_t len)
{
    return kept(ld, arena_strndup(&ld->t->in->mem, s, len));
}

/* A copy in NFC: attribute values and text. */
static char *keep_nfc(loader *ld, const char *s, size_t len)
{
    return kept(ld, arena_strndup_nfc(&ld->t->in->mem, s, len));
}

static int on_start(void *ctx, const char *name, const cadre_xml_attr *attrs,
                    size_t n_attrs, unsigned long line, int depth)
{
    loader *ld = ctx;
    struct cadre_tmpl_internal *in = ld->t->in;
    if (ld->status != CADRE_OK)
        return 1;
    if (depth != ld->depth || depth > MAX_XML_DEPTH)
        return 0; /* the parent was refused by the reader: it will fail */
    if (++in->n_elems > MAX_ELEMENTS) {
        ld->status = CADRE_ELIMIT;
        cadre_diags_error(ld->diags, ld->file, line,
                          "template too large (more than %d elements, "
                          "includes counted)", MAX_ELEMENTS);
        return 1;
    }
    cadre_tnode *n = arena_alloc(&in->mem, sizeof *n);
    cadre_tattr *at = n_attrs ? arena_alloc(&in->mem, n_attrs * sizeof *at)
                              : NULL;
    if (!n || (n_attrs && !at)) {
        ld->status = CADRE_ENOMEM;
        cadre_diags_error(ld->diags, ld->file, line, "out of memory");
        return 1;
    }
    memset(n, 0, sizeof *n);
    n->name = keep(ld, name, strlen(name));
    for (size_t i = 0; i < n_attrs; i++) {
        at[i].name = keep(ld, attrs[i].name, strlen(attrs[i].name));
        at[i].value = keep_nfc(ld, attrs[i].value, attrs[i].len);
    }
    if (ld->status != CADRE_OK)
        return 1;
    n->attrs = at;
    n->n_attrs = n_attrs;
    n->text = "";
    n->file = ld->file;
    n->line = line;
    if (depth == 0) {
        ld->root = n;
    } else {
        cadre_tnode *parent = ld->stack[depth - 1];
        n->parent = parent;
        if (ld->last[depth - 1])
            ld->last[depth - 1]->next = n;
        else
            parent->children = n;
        ld->last[depth - 1] = n;
    }
    ld->stack[depth] = n;
    ld->last[depth] = NULL;
    ld->depth = depth + 1;
    return 0;
}

static int on_end(void *ctx, const char *name, char *text, size_t len,
                  unsigned long line, int depth)
{
    loader *ld = ctx;
    (void)name, (void)line;
    if (ld->status != CADRE_OK)
        return 1;
    if (depth != ld->depth - 1)
        return 0; /* its start was refused by the reader */
    cadre_tnode *n = ld->stack[depth];
    const char *end = text + len;
    while (text < end && (*text == ' ' || *text == '\t' || *text == '\n' ||
                          *text == '\r'))
        text++;
    while (end > text && (end[-1] == ' ' || end[-1] == '\t' ||
                          end[-1] == '\n' || end[-1] == '\r'))
        end--;
    if (end > text) {
        n->text = keep_nfc(ld, text, (size_t)(end - text));
        if (!n->text)
            return 1;
    }
    ld->depth = depth;
    return 0;
}

/* Read one file's tree; its includes are not yet resolved. */
static cadre_tnode *read_file(cadre_tmpl *t, const char *path,
                              cadre_diags *diags, cadre_error *status)
{
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.t = t;
    ld.diags = diags;
    ld.file = arena_strndup(&t->in->mem, path, strlen(path));
    if (!ld.file) {
        cadre_diags_error(diags, path, 0, "out of memory");
        *status = CADRE_ENOMEM;
        return NULL;
    }
    cadre_xml_handler h = { &ld, on_start, on_end };
    cadre_error err = cadre_xml_parse(path, &h, MAX_XML_DEPTH, diags);
    if (err == CADRE_OK)
        err = ld.status;
    if (err == CADRE_OK && !ld.root)
        err = CADRE_EPARSE;
    *status = err;
    return err == CADRE_OK ? ld.root : NULL;
}

static cadre_error expand(cadre_tmpl *t, cadre_tnode *parent, chain *ch,
                          cadre_diags *diags);

/* Read the file an <include> names, with its own includes resolved, and
 * return its root (whose children replace the include). */
static cadre_tnode *include_file(cadre_tmpl *t, cadre_tnode *inc, chain *ch,
                                 cadre_diags *diags, cadre_error *status)
{
    static const char *const allowed[] = { "file", NULL };
    *status = CADRE_EINVALID;
    if (cadre_tnode_check_attrs(inc, allowed, diags) != 0)
        return NULL;
    const char *rel = cadre_tnode_require(inc, "file", diags);
    if (!rel)
        return NULL;
    if (!rel[0]) {
        cadre_tnode_error(inc, diags,
                          "empty attribute 'file' on <include>");
        return NULL;
    }
    if (inc->children || inc->text[0]) {
        cadre_tnode_error(inc, diags, "<include> must be empty");
        return NULL;
    }
    char *path = cadre_tnode_path(inc, rel);
    if (!path) {
        cadre_tnode_error(inc, diags, "out of memory");
        *status = CADRE_ENOMEM;
        return NULL;
    }
    char *real = realpath(path, NULL);
    if (!real) {
        cadre_tnode_error(inc, diags, "cannot include '%s': %s", rel,
                          strerror(errno));
        free(path);
        *status = CADRE_EIO;
        return NULL;
    }
    /* The user named the template, and so its folder, nothing else: an
     * include may not reach a file outside the top template's folder
     * ("../../etc/x", "/etc/passwd"). */
    const char *top = ch->real[0], *slash = strrchr(top, '/');
    size_t dir_len = slash ? (size_t)(slash - top) : 0;
    if (strncmp(real, top, dir_len) != 0 || real[dir_len] != '/') {
        cadre_tnode_error(inc, diags, "cannot include '%s': outside the "
                          "template's folder", rel);
        free(real);
        free(path);
        return NULL;
    }
    cadre_tnode *root = NULL;
    for (int i = 0; i < ch->n; i++) {
        if (strcmp(ch->real[i], real) != 0)
            continue;
        if (i == ch->n - 1) {
            cadre_tnode_error(inc, diags,
                              "include cycle: '%s' includes itself",
                              ch->shown[i]);
        } else {
            char msg[1024];
            size_t used = 0;
            for (int k = i; k < ch->n && used < sizeof msg; k++) {
                int w = snprintf(msg + used, sizeof msg - used, "'%s' -> ",
                                 ch->shown[k]);
                if (w > 0)
                    used += (size_t)w;
            }
            cadre_tnode_error(inc, diags, "include cycle: %s'%s'", msg,
                              ch->shown[i]);
        }
        goto done;
    }
    if (ch->n > MAX_INCLUDE_DEPTH) {
        cadre_tnode_error(inc, diags,
                          "includes nested too deeply (more than %d)",
                          MAX_INCLUDE_DEPTH);
        *status = CADRE_ELIMIT;
        goto done;
    }
    root = read_file(t, path, diags, status);
    if (!root)
        goto done;
    ch->real[ch->n] = real;
    ch->shown[ch->n] = root->file;
    ch->n++;
    *status = expand(t, root, ch, diags);
    ch->n--;
    if (*status != CADRE_OK)
        root = NULL;
done:
    free(real);
    free(path);
    return root;
}

/* Replace every <include> below `parent` by the children of the included
 * file's root. */
static cadre_error expand(cadre_tmpl *t, cadre_tnode *parent, chain *ch,
                          cadre_diags *diags)
{
    cadre_tnode **link = &parent->children;
    while (*link) {
        cadre_tnode *n = *link;
        if (!cadre_tnode_is(n, "include")) {
            cadre_error err = expand(t, n, ch, diags);
            if (err != CADRE_OK)
                return err;
            link = &n->next;
            continue;
        }
        cadre_error err;
        cadre_tnode *root = include_file(t, n, ch, diags, &err);
        if (!root)
            return err;
        cadre_tnode *first = root->children, *last = NULL;
        for (cadre_tnode *k = first; k; k = k->next) {
            k->parent = parent;
            last = k;
        }
        if (last) {
            last->next = n->next;
            *link = first;
            link = &last->next;
        } else {
            *link = n->next;
        }
    }
    return CADRE_OK;
}

void cadre_tmpl_free(cadre_tmpl *t)
{
    if (!t)
        return;
    if (t->in) {
        arena_release(&t->in->mem);
        free(t->in);
    }
    free(t);
}

cadre_tmpl *cadre_tmpl_load(const char *path, const char *root_name,
                            cadre_diags *diags)
{
    cadre_tmpl *t = calloc(1, sizeof *t);
    cadre_error err;
    char *real = NULL;
    if (!t || !(t->in = calloc(1, sizeof *t->in))) {
        cadre_diags_error(diags, path, 0, "out of memory");
        goto fail;
    }
    arena_init(&t->in->mem);
    cadre_tnode *root = read_file(t, path, diags, &err);
    if (!root)
        goto fail;
    t->root = root;
    t->path = root->file;
    const char *slash = strrchr(path, '/');
    if (slash)
        t->dir = arena_strndup(&t->in->mem, path,
                               slash == path ? 1 : (size_t)(slash - path));
    else
        t->dir = arena_strndup(&t->in->mem, ".", 1);
    if (!t->dir) {
        cadre_diags_error(diags, path, 0, "out of memory");
        goto fail;
    }
    if (root_name && strcmp(root->name, root_name) != 0) {
        cadre_tnode_error(root, diags,
                          "the root element is <%s>, expected <%s>",
                          root->name, root_name);
        goto fail;
    }
    real = realpath(path, NULL);
    if (!real) {
        cadre_diags_error(diags, NULL, 0, "cannot read '%s': %s", path,
                          strerror(errno));
        goto fail;
    }
    chain ch;
    ch.real[0] = real;
    ch.shown[0] = root->file;
    ch.n = 1;
    if (expand(t, root, &ch, diags) != CADRE_OK)
        goto fail;
    free(real);
    return t;
fail:
    free(real);
    cadre_tmpl_free(t);
    return NULL;
}

bool cadre_tnode_is(const cadre_tnode *n, const char *name)
{
    return n && strcmp(n->name, name) == 0;
}

const char *cadre_tnode_attr(const cadre_tnode *n, const char *name)
{
    for (size_t i = 0; i < n->n_attrs; i++)
        if (strcmp(n->attrs[i].name, name) == 0)
            return n->attrs[i].value;
    return NULL;
}

const char *cadre_tnode_require(const cadre_tnode *n, const char *name,
                                cadre_diags *diags)
{
    const char *v = cadre_tnode_attr(n, name);
    if (!v)
        cadre_tnode_error(n, diags, "missing attribute '%s' on <%s>", name,
                          n->name);
    return v;
}

/* "a, b, c" from a NULL-terminated list. */
static void join(const char *const *list, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; list[i] && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                         list[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

int cadre_tnode_check_attrs(const cadre_tnode *n, const char *const *allowed,
                            cadre_diags *diags)
{
    int errors = 0;
    char list[512];
    for (size_t i = 0; i < n->n_attrs; i++) {
        bool ok = false;
        for (size_t k = 0; allowed && allowed[k] && !ok; k++)
            ok = strcmp(allowed[k], n->attrs[i].name) == 0;
        if (ok)
            continue;
        errors++;
        if (!allowed || !allowed[0]) {
            cadre_tnode_error(n, diags, "unknown attribute '%s' on <%s> (it "
                              "takes none)", n->attrs[i].name, n->name);
        } else {
            join(allowed, list, sizeof list);
            cadre_tnode_error(n, diags, "unknown attribute '%s' on <%s> "
                              "(expected one of: %s)", n->attrs[i].name,
                              n->name, list);
        }
    }
    return errors;
}

/* A decimal with '.', whatever the locale: 0, or -1 when `s` is not one. */
static int parse_number(const char *s, double *out)
{
    const char *p = s;
    bool neg = false, digits = false, frac = false;
    double mant = 0, scale = 1;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    for (; *p; p++) {
        if (*p == '.' && !frac) {
            frac = true;
        } else if (*p >= '0' && *p <= '9') {
            digits = true;
            mant = mant * 10 + (*p - '0');
            if (frac)
                scale *= 10;
        } else {
            break;
        }
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (!digits || *p)
        return -1;
    *out = (neg ? -mant : mant) / scale;
    return 0;
}

int cadre_tnode_number(const cadre_tnode *n, const char *name, double min,
                       double max, double *out, cadre_diags *diags)
{
    const char *v = cadre_tnode_attr(n, name);
    double d;
    if (!v)
        return 0;
    if (parse_number(v, &d) != 0 || d < min || d > max) {
        cadre_tnode_error(n, diags, "invalid value '%s' for attribute '%s' "
                          "of <%s> (expected a number from %g to %g)", v,
                          name, n->name, min, max);
        return -1;
    }
    *out = d;
    return 0;
}

int cadre_tnode_choice(const cadre_tnode *n, const char *name,
                       const char *const *choices, int *out,
                       cadre_diags *diags)
{
    const char *v = cadre_tnode_attr(n, name);
    char list[512];
    if (!v)
        return 0;
    for (int i = 0; choices[i]; i++) {
        if (strcmp(choices[i], v) == 0) {
            *out = i;
            return 0;
        }
    }
    join(choices, list, sizeof list);
    cadre_tnode_error(n, diags, "invalid value '%s' for attribute '%s' of "
                      "<%s> (expected one of: %s)", v, name, n->name, list);
    return -1;
}

int cadre_tnode_bool(const cadre_tnode *n, const char *name, bool *out,
                     cadre_diags *diags)
{
    static const char *const choices[] = { "true", "false", NULL };
    int i = *out ? 0 : 1;
    if (cadre_tnode_choice(n, name, choices, &i, diags) != 0)
        return -1;
    *out = i == 0;
    return 0;
}

void cadre_tnode_error(const cadre_tnode *n, cadre_diags *diags,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cadre_diags_vadd(diags, CADRE_SEV_ERROR, n->file, n->line, fmt, ap);
    va_end(ap);
}

char *cadre_tnode_path(const cadre_tnode *n, const char *rel)
{
    const char *slash = n->file ? strrchr(n->file, '/') : NULL;
    size_t dir = rel[0] == '/' || !slash ? 0 : (size_t)(slash - n->file) + 1;
    size_t len = strlen(rel);
    char *p = malloc(dir + len + 1);
    if (!p)
        return NULL;
    if (dir)
        memcpy(p, n->file, dir);
    memcpy(p + dir, rel, len + 1);
    return p;
}
