/*
 * import_zip.c - the parts of an XLSX or ODS archive, read as untrusted
 * input: libzip inflates them, refusing zip bombs on the sizes the
 * archive declares and on what actually comes out; libxml2 streams them
 * (its text reader for the small parts, its SAX2 push parser for a
 * sheet: half the text reader's cost) with no network, no entities and
 * no DTD (a DOCTYPE is refused before the parser sees it, and again if it
 * gets through in a form the scan does not know).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "cadre/i18n.h"
#include "import_internal.h"

struct imp_part {
    imp_zip *zp;
    zip_file_t *zf;
    const char *name;        /* the part, for messages */
    xmlTextReaderPtr reader; /* or NULL: read by imp_part_sax() */
    uint64_t declared;       /* inflated size the archive says */
    uint64_t compressed;     /* its compressed size */
    uint64_t got;            /* inflated so far */
    bool in_prolog;          /* before the root element: DOCTYPE scan */
    char tail[16];           /* the prolog's last bytes of the chunk before */
    size_t n_tail;
    char *refused;           /* why reading stopped, or NULL */
    char xml_error[256];     /* the parser's first complaint */
    int xml_line;
    bool reported;
};

bool imp_zip_open(imp_zip *zp, const char *path, cadre_diags *diags)
{
    memset(zp, 0, sizeof *zp);
    zp->path = path;
    int err = 0;
    zp->z = zip_open(path, ZIP_RDONLY, &err);
    if (!zp->z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        cadre_diags_error(diags, path, 0, "cannot read the archive: %s",
                          zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return false;
    }
    return true;
}

void imp_zip_close(imp_zip *zp)
{
    if (zp->z)
        zip_discard(zp->z);
    zp->z = NULL;
}

bool imp_zip_has(imp_zip *zp, const char *name)
{
    zip_stat_t st;
    zip_stat_init(&st);
    return zip_stat(zp->z, name, ZIP_FL_NOCASE, &st) == 0;
}

static char *refuse(imp_part *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *refuse(imp_part *p, const char *fmt, ...)
{
    if (p->refused)
        return p->refused;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, cadre_gettext(fmt), ap);
    va_end(ap);
    p->refused = strdup(buf);
    return p->refused;
}

/* The limits of import.md on `n` bytes inflated from `compressed`. */
static const char *bomb(uint64_t n, uint64_t compressed)
{
    if (n > IMP_MAX_PART)
        return CADRE_N_("inflates past 512 MiB");
    if (n > IMP_RATIO_FLOOR && n / IMP_MAX_RATIO > compressed)
        return CADRE_N_("inflates past 200 times its compressed size");
    return NULL;
}

/* A DOCTYPE before the root element.  `s` is a chunk of the prolog;
 * the scan stops at the first start tag. */
static bool prolog_has_doctype(imp_part *p, const char *s, size_t n)
{
    char buf[16 + 4096];
    size_t off = 0;
    while (off < n) {
        size_t take = n - off < 4096 ? n - off : 4096;
        memcpy(buf, p->tail, p->n_tail);
        memcpy(buf + p->n_tail, s + off, take);
        size_t len = p->n_tail + take;
        for (size_t i = 0; i + 1 < len; i++) {
            if (buf[i] != '<')
                continue;
            char c = buf[i + 1];
            if (c == '!' && i + 2 < len && buf[i + 2] != '-' &&
                buf[i + 2] != '[')
                return true; /* <!DOCTYPE, <!ENTITY ... */
            if (c != '!' && c != '?') {
                p->in_prolog = false;
                return false;
            }
        }
        size_t keep = len < 8 ? len : 8;
        memcpy(p->tail, buf + len - keep, keep);
        p->n_tail = keep;
        off += take;
    }
    return false;
}

static int part_read(void *ctx, char *buf, int len)
{
    imp_part *p = ctx;
    if (p->refused)
        return -1;
    zip_int64_t n = zip_fread(p->zf, buf, (zip_uint64_t)len);
    if (n < 0) {
        refuse(p, "cannot inflate %s: %s", p->name,
               zip_error_strerror(zip_file_get_error(p->zf)));
        return -1;
    }
    p->got += (uint64_t)n;
    p->zp->inflated += (uint64_t)n;
    const char *why = bomb(p->got, p->compressed);
    if (!why && p->got > p->declared)
        why = CADRE_N_("inflates past the size the archive declares");
    if (!why && p->zp->inflated > IMP_MAX_PART)
        why = CADRE_N_("and the parts before it inflate past 512 MiB");
    if (why) {
        refuse(p, "refused: part %s %s (a zip bomb?)", p->name,
               cadre_gettext(why));
        return -1;
    }
    if (p->in_prolog && n > 0 && prolog_has_doctype(p, buf, (size_t)n)) {
        refuse(p, "refused: part %s has a DTD (<!DOCTYPE>): entities and "
               "DTDs are not read", p->name);
        return -1;
    }
    return (int)n;
}

static int part_close(void *ctx)
{
    (void)ctx; /* the part is closed by imp_part_close() */
    return 0;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    imp_part *p = ctx;
    if (p->xml_error[0] || !e || !e->message)
        return;
    snprintf(p->xml_error, sizeof p->xml_error, "%s", e->message);
    size_t n = strlen(p->xml_error);
    while (n && (p->xml_error[n - 1] == '\n' || p->xml_error[n - 1] == ' '))
        p->xml_error[--n] = '\0';
    p->xml_line = e->line;
}

/* Stat part `name` and refuse what its declared sizes betray. */
static bool part_stat(imp_zip *zp, const char *name, zip_stat_t *st,
                      bool *missing, cadre_diags *diags)
{
    zip_stat_init(st);
    if (zip_stat(zp->z, name, ZIP_FL_NOCASE, st) != 0) {
        if (missing)
            *missing = true;
        else
            cadre_diags_error(diags, zp->path, 0, "the archive has no %s",
                              name);
        return false;
    }
    if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) &&
        st->encryption_method != ZIP_EM_NONE) {
        cadre_diags_error(diags, zp->path, 0, "refused: the workbook is "
                          "encrypted (password-protected): save it without "
                          "a password first");
        return false;
    }
    const char *why = bomb(st->size, st->comp_size);
    if (why) {
        cadre_diags_error(diags, zp->path, 0,
                          "refused: part %s %s (a zip "
                          "bomb?)",
                          name, cadre_gettext(why));
        return false;
    }
    return true;
}

/* A part opened for reading through part_read(); NULL when missing or
 * refused (error added). */
static imp_part *part_new(imp_zip *zp, const char *name, bool *missing,
                          cadre_diags *diags)
{
    if (missing)
        *missing = false;
    zip_stat_t st;
    if (!part_stat(zp, name, &st, missing, diags))
        return NULL;
    imp_part *p = calloc(1, sizeof *p);
    if (!p) {
        cadre_diags_error(diags, zp->path, 0, "out of memory");
        return NULL;
    }
    p->zp = zp;
    p->name = name;
    p->declared = st.size;
    p->compressed = st.comp_size;
    p->in_prolog = true;
    p->zf = zip_fopen_index(zp->z, st.index, 0);
    if (!p->zf) {
        cadre_diags_error(diags, zp->path, 0, "cannot read %s: %s", name,
                          zip_error_strerror(zip_get_error(zp->z)));
        free(p);
        return NULL;
    }
    return p;
}

static void part_free(imp_part *p)
{
    xmlFreeTextReader(p->reader);
    zip_fclose(p->zf);
    free(p->refused);
    free(p);
}

imp_part *imp_part_open(imp_zip *zp, const char *name, bool *missing,
                        cadre_diags *diags)
{
    imp_part *p = part_new(zp, name, missing, diags);
    if (!p)
        return NULL;
    p->reader = xmlReaderForIO(part_read, part_close, p, name, NULL,
                               XML_PARSE_NONET | XML_PARSE_COMPACT |
                               XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!p->reader) {
        cadre_diags_error(diags, zp->path, 0, "out of memory");
        part_free(p);
        return NULL;
    }
    xmlTextReaderSetStructuredErrorHandler(p->reader, on_xml_error, p);
    return p;
}

xmlTextReaderPtr imp_part_reader(imp_part *p) { return p->reader; }

void imp_part_failed(imp_part *p, cadre_diags *diags)
{
    if (p->reported)
        return;
    p->reported = true;
    if (p->refused)
        cadre_diags_error(diags, p->zp->path, 0, "%s", p->refused);
    else if (p->xml_error[0])
        cadre_diags_error(diags, p->zp->path, 0, "part %s, line %d: "
                          "malformed XML: %s", p->name, p->xml_line,
                          p->xml_error);
    else
        cadre_diags_error(diags, p->zp->path, 0, "part %s: malformed XML",
                          p->name);
}

cadre_error imp_part_close(imp_part *p, cadre_diags *diags)
{
    if (!p)
        return CADRE_OK;
    cadre_error err = p->reported || p->refused ? CADRE_EIO : CADRE_OK;
    if (p->refused)
        imp_part_failed(p, diags);
    part_free(p);
    return err;
}

/* --------------------------------------------------------------- SAX2 */

static void sax_error(void *ctx, xmlErrorPtr e)
{
    imp_sax *sx = ctx;
    on_xml_error(sx->part, e);
}

static void sax_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
                        const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    imp_sax *sx = ctx;
    refuse(sx->part, "refused: part %s has a DTD (<!DOCTYPE>): entities "
           "and DTDs are not read", sx->part->name);
    xmlStopParser(sx->ctxt);
}

cadre_error imp_part_sax(imp_zip *zp, const char *name, bool *missing,
                         const xmlSAXHandler *handler, imp_sax *sx,
                         cadre_diags *diags)
{
    imp_part *p = part_new(zp, name, missing, diags);
    if (!p)
        return missing && *missing ? CADRE_OK : CADRE_EIO;
    xmlSAXHandler h = *handler;
    h.initialized = XML_SAX2_MAGIC;
    h.internalSubset = sax_doctype;
    h.externalSubset = NULL;
    h.getEntity = NULL;
    h.entityDecl = NULL;
    h.resolveEntity = NULL;
    h.error = h.fatalError = NULL;
    h.warning = NULL;
    h.serror = sax_error;
    sx->part = p;
    sx->stopped = false;
    cadre_error err = CADRE_OK;
    char buf[65536];
    int n = part_read(p, buf, 4);
    sx->ctxt = n < 0 ? NULL : xmlCreatePushParserCtxt(&h, sx, buf, n, name);
    if (!sx->ctxt) {
        if (n >= 0)
            refuse(p, "out of memory");
        err = CADRE_EIO;
        goto out;
    }
    xmlCtxtUseOptions(sx->ctxt, XML_PARSE_NONET | XML_PARSE_COMPACT |
                                    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    do {
        n = part_read(p, buf, sizeof buf);
        if (n < 0)
            break;
        xmlParseChunk(sx->ctxt, buf, n, n == 0);
    } while (n > 0 && !sx->stopped && sx->ctxt->wellFormed &&
             !p->refused);
    if (!sx->stopped && (n < 0 || !sx->ctxt->wellFormed || p->refused))
        err = CADRE_EIO;
out:
    if (err != CADRE_OK)
        imp_part_failed(p, diags);
    if (sx->ctxt)
        xmlFreeParserCtxt(sx->ctxt);
    sx->ctxt = NULL;
    sx->part = NULL;
    part_free(p);
    return err;
}

void imp_sax_stop(imp_sax *sx)
{
    sx->stopped = true;
    xmlStopParser(sx->ctxt);
}

char *imp_part_slurp(imp_zip *zp, const char *name, size_t max, size_t *len,
                     bool *missing, cadre_diags *diags)
{
    if (missing)
        *missing = false;
    zip_stat_t st;
    if (!part_stat(zp, name, &st, missing, diags))
        return NULL;
    if (st.size > max) {
        cadre_diags_error(diags, zp->path, 0, "refused: part %s is larger "
                          "than %zu bytes", name, max);
        return NULL;
    }
    zip_file_t *zf = zip_fopen_index(zp->z, st.index, 0);
    char *buf = zf ? malloc((size_t)st.size + 1) : NULL;
    zip_int64_t n = buf ? zip_fread(zf, buf, st.size) : -1;
    /* a part that inflates to more than it declares is a lie: refuse */
    char extra;
    if (n == (zip_int64_t)st.size && zip_fread(zf, &extra, 1) != 0)
        n = -2;
    if (zf)
        zip_fclose(zf);
    if (n != (zip_int64_t)st.size) {
        cadre_diags_error(diags, zp->path, 0, n == -2 ? "refused: part %s "
                          "inflates past the size the archive declares"
                          : "cannot read %s", name);
        free(buf);
        return NULL;
    }
    zp->inflated += st.size;
    buf[n] = '\0';
    if (len)
        *len = (size_t)n;
    return buf;
}
