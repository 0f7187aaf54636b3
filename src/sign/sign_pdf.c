/* sign_pdf.c - signing a finished PDF by an incremental update (sign.h):
 * read the trailer, the xref table, the catalog and the page; append new
 * versions of those two, the signature objects and an xref section; sign
 * every byte but the signature's own. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cadre/i18n.h"
#include "sign_internal.h"
#include "util/grow.h"

/* PDF's own limit on object numbers (ISO 32000-1, annex C). */
#define MAX_OBJECTS 8388607
/* Deepest nesting of arrays and dictionaries read, and of the page
 * tree: libharu's are two or three deep. */
#define MAX_DEPTH 32
/* Cross-reference sections followed through /Prev. */
#define MAX_SECTIONS 64

/* The file as it was written, mapped read-only. */
struct src {
    const char *b;
    size_t n;
    size_t *offset; /* object number -> byte offset, 0: not in use */
    size_t n_objects;
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\0';
}

static bool is_delim(char c)
{
    return is_space(c) || strchr("()<>[]{}/%", c) != NULL;
}

/* Past white space and comments from p. */
static size_t ws(const struct src *f, size_t p)
{
    while (p < f->n) {
        if (f->b[p] == '%')
            while (p < f->n && f->b[p] != '\n' && f->b[p] != '\r')
                p++;
        else if (is_space(f->b[p]))
            p++;
        else
            break;
    }
    return p;
}

/* The unsigned integer at p (after white space): its end, or 0. */
static size_t read_uint(const struct src *f, size_t p, size_t *v)
{
    p = ws(f, p);
    size_t start = p, x = 0;
    while (p < f->n && f->b[p] >= '0' && f->b[p] <= '9' && p - start < 12)
        x = x * 10 + (size_t)(f->b[p++] - '0');
    if (p == start || (p < f->n && !is_delim(f->b[p])))
        return 0;
    *v = x;
    return p;
}

/* Whether the keyword `kw` stands at p (after white space); its end or 0. */
static size_t keyword(const struct src *f, size_t p, const char *kw)
{
    p = ws(f, p);
    size_t len = strlen(kw);
    if (p + len > f->n || memcmp(f->b + p, kw, len) ||
        (p + len < f->n && !is_delim(f->b[p + len])))
        return 0;
    return p + len;
}

/* "N G R" at p: its end, with the object number; 0 when not one. */
static size_t read_ref(const struct src *f, size_t p, size_t *num)
{
    size_t gen;
    size_t q = read_uint(f, p, num);
    q = q ? read_uint(f, q, &gen) : 0;
    return q ? keyword(f, q, "R") : 0;
}

/* Past one object at p (after white space), or 0 on a syntax error. */
static size_t skip_obj(const struct src *f, size_t p, int depth)
{
    p = ws(f, p);
    if (p >= f->n || depth > MAX_DEPTH)
        return 0;
    char c = f->b[p];
    if (c == '(') {
        int nest = 1;
        for (p++; p < f->n && nest; p++)
            if (f->b[p] == '\\')
                p++;
            else if (f->b[p] == '(')
                nest++;
            else if (f->b[p] == ')')
                nest--;
        return nest ? 0 : p;
    }
    bool dict = c == '<' && p + 1 < f->n && f->b[p + 1] == '<';
    if (c == '<' && !dict) {
        const char *e = memchr(f->b + p, '>', f->n - p);
        return e ? (size_t)(e - f->b) + 1 : 0;
    }
    if (dict || c == '[') {
        for (p += dict ? 2 : 1;;) {
            p = ws(f, p);
            if (p >= f->n)
                return 0;
            if (!dict && f->b[p] == ']')
                return p + 1;
            if (dict && f->b[p] == '>')
                return p + 1 < f->n && f->b[p + 1] == '>' ? p + 2 : 0;
            if (!(p = skip_obj(f, p, depth + 1)))
                return 0;
        }
    }
    size_t num, end = read_ref(f, p, &num);
    if (end)
        return end;
    size_t q = c == '/' ? p + 1 : p;
    while (q < f->n && !is_delim(f->b[q]))
        q++;
    return q > p && !strchr(")>]}", c) ? q : 0;
}

/* In the dictionary at p ("<<"), the value of `key` ("/Root"): its start
 * (and *end), or 0 when absent or the dictionary is malformed. */
static size_t dict_get(const struct src *f, size_t p, const char *key,
                       size_t *end)
{
    size_t len = strlen(key);
    if (p + 1 >= f->n || f->b[p] != '<' || f->b[p + 1] != '<')
        return 0;
    for (p += 2;;) {
        p = ws(f, p);
        if (p >= f->n || f->b[p] != '/')
            return 0;
        size_t k = p, v = skip_obj(f, p, 1);
        size_t e = v ? skip_obj(f, v, 1) : 0;
        if (!e)
            return 0;
        if (v - k == len && !memcmp(f->b + k, key, len)) {
            if (end)
                *end = e;
            return ws(f, v);
        }
        p = e;
    }
}

/* The object number the value of `key` refers to, or 0. */
static size_t dict_ref(const struct src *f, size_t dict, const char *key)
{
    size_t num = 0, v = dict_get(f, dict, key, NULL);
    return v && read_ref(f, v, &num) ? num : 0;
}

/* Whether the dictionary at `dict` has /Type `type` ("/Page"). */
static bool dict_is(const struct src *f, size_t dict, const char *type)
{
    size_t end, v = dict_get(f, dict, "/Type", &end);
    size_t len = strlen(type);
    return v && ws(f, v + len) >= end && v + len <= f->n &&
           !memcmp(f->b + v, type, len);
}

/* The dictionary of object `num`: the offset of its "<<", or 0. */
static size_t object_dict(const struct src *f, size_t num)
{
    size_t n, gen, p = num < f->n_objects ? f->offset[num] : 0;
    if (!p)
        return 0;
    p = read_uint(f, p, &n);
    p = p && n == num ? read_uint(f, p, &gen) : 0;
    p = p ? keyword(f, p, "obj") : 0;
    p = p ? ws(f, p) : 0;
    return p && p + 1 < f->n && f->b[p] == '<' && f->b[p + 1] == '<' ? p : 0;
}

/* Read the xref table at `at` into f->offset (entries of newer sections,
 * read first, win); returns the trailer dictionary's offset, or 0. */
static size_t read_xref(struct src *f, size_t at)
{
    size_t p = keyword(f, at, "xref");
    if (!p)
        return 0;
    for (;;) {
        size_t q = keyword(f, p, "trailer");
        if (q)
            return ws(f, q);
        size_t first, count;
        if (!(p = read_uint(f, p, &first)) || !(p = read_uint(f, p, &count)) ||
            first > MAX_OBJECTS || count > MAX_OBJECTS - first)
            return 0;
        for (size_t i = 0; i < count; i++) {
            size_t off, gen;
            if (!(p = read_uint(f, p, &off)) || !(p = read_uint(f, p, &gen)))
                return 0;
            p = ws(f, p);
            if (p >= f->n || (f->b[p] != 'n' && f->b[p] != 'f'))
                return 0;
            size_t num = first + i;
            if (f->b[p++] == 'n' && num < f->n_objects && !f->offset[num] &&
                off < f->n)
                f->offset[num] = off;
        }
    }
}

/* A growing text: the update being written. */
struct out {
    char *b;
    size_t n, cap;
    bool failed; /* out of memory: everything after is dropped */
};

static void put(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
    for (int pass = 0; pass < 2 && !o->failed; pass++) {
        va_list ap;
        va_start(ap, fmt);
        int len = vsnprintf(o->b ? o->b + o->n : NULL, o->cap - o->n, fmt, ap);
        va_end(ap);
        if (len < 0)
            o->failed = true;
        else if (o->n + (size_t)len < o->cap) {
            o->n += (size_t)len;
            return;
        } else if (!GROW(o->b, o->cap, o->n + (size_t)len + 1))
            o->failed = true;
    }
}

static void put_bytes(struct out *o, const char *s, size_t len)
{
    if (!o->failed && !GROW(o->b, o->cap, o->n + len + 1))
        o->failed = true;
    if (o->failed)
        return;
    memcpy(o->b + o->n, s, len);
    o->n += len;
}

/* Copy the entries of the dictionary at `dict` but those named in `skip`
 * (NULL-terminated), each as "key value". */
static void copy_entries(struct out *o, const struct src *f, size_t dict,
                         const char *const *skip)
{
    for (size_t p = dict + 2;;) {
        p = ws(f, p);
        if (p >= f->n || f->b[p] != '/')
            return;
        size_t v = skip_obj(f, p, 1), e = v ? skip_obj(f, v, 1) : 0;
        if (!e)
            return;
        bool keep = true;
        for (const char *const *k = skip; *k; k++)
            keep &= !(v - p == strlen(*k) && !memcmp(f->b + p, *k, v - p));
        if (keep) {
            put_bytes(o, f->b + p, e - p);
            put(o, "\n");
        }
        p = e;
    }
}

/* Find page `index` under the pages node `num`: its object number, or 0.
 * `*budget` bounds the nodes visited: a tree whose kids repeat a node
 * (/Kids [2 0 R 2 0 R] in object 2) would otherwise take 2^depth steps. */
static size_t find_page(const struct src *f, size_t num, size_t *index,
                        int depth, size_t *budget)
{
    size_t dict = object_dict(f, num);
    if (!dict || depth > MAX_DEPTH || *budget == 0)
        return 0;
    --*budget;
    if (dict_is(f, dict, "/Page"))
        return (*index)-- == 0 ? num : 0;
    size_t end, p = dict_get(f, dict, "/Kids", &end);
    if (!p || f->b[p] != '[')
        return 0;
    for (p++; (p = ws(f, p)) < end && f->b[p] != ']';) {
        size_t kid, found;
        if (!(p = read_ref(f, p, &kid)))
            return 0;
        if ((found = find_page(f, kid, index, depth + 1, budget)))
            return found;
    }
    return 0;
}

/* "D:20190628101500+07'00'": the time of signing, in Vietnam's time. */
static void pdf_date(int64_t t, char *buf, size_t size)
{
    struct tm tm;
    sign_vietnam_time(t, &tm);
    if (!strftime(buf, size, "D:%Y%m%d%H%M%S+07'00'", &tm) && size)
        buf[0] = '\0';
}

/* What the update needs from the original file. */
struct plan {
    size_t root, page;           /* object numbers of the catalog, the page */
    size_t root_dict, page_dict; /* offsets of their dictionaries */
    size_t trailer, xref;        /* offsets of the trailer, the xref table */
    size_t size;                 /* the trailer's /Size: the first new number */
    bool has_id;                 /* the trailer has an /ID */
};

/* Read the original: trailer, xref, catalog and page.  Fills `why` and
 * returns CADRE_EINVALID or CADRE_ENOMEM on failure. */
static cadre_error read_plan(struct src *f, size_t page_index, struct plan *pl,
                             const char **why)
{
    size_t tail = f->n > 1024 ? f->n - 1024 : 0, sx = 0;
    for (size_t p = tail; p + 9 <= f->n; p++)
        if (!memcmp(f->b + p, "startxref", 9))
            sx = p + 9;
    if (!sx || !read_uint(f, sx, &pl->xref) || pl->xref >= f->n) {
        *why = CADRE_N_("not a PDF file (no startxref at its end)");
        return CADRE_EINVALID;
    }
    if (!keyword(f, pl->xref, "xref")) {
        *why = CADRE_N_("a cross-reference stream (only a PDF with an xref "
                        "table, as libharu writes, can be signed)");
        return CADRE_EINVALID;
    }
    /* The newest trailer says how many objects there are (read before
     * the table exists, the section only locates it): size the table,
     * then read every section, newest first. */
    size_t tr = read_xref(f, pl->xref);
    size_t v = tr ? dict_get(f, tr, "/Size", NULL) : 0;
    if (!v || !read_uint(f, v, &pl->size) || pl->size < 1 ||
        pl->size > MAX_OBJECTS) {
        *why = CADRE_N_("a damaged trailer (no /Size)");
        return CADRE_EINVALID;
    }
    pl->trailer = tr;
    f->n_objects = pl->size;
    if (!(f->offset = calloc(pl->size, sizeof *f->offset))) {
        *why = CADRE_N_("out of memory");
        return CADRE_ENOMEM;
    }
    size_t at = pl->xref;
    for (int sections = 0; at && sections < MAX_SECTIONS; sections++) {
        if (!(tr = read_xref(f, at))) {
            *why = CADRE_N_("a damaged cross-reference table");
            return CADRE_EINVALID;
        }
        size_t prev = 0;
        v = dict_get(f, tr, "/Prev", NULL);
        at = v && read_uint(f, v, &prev) && prev < f->n ? prev : 0;
    }
    const struct src *c = f; /* read only from here */
    if (dict_get(c, pl->trailer, "/Encrypt", NULL)) {
        *why = CADRE_N_("an encrypted PDF");
        return CADRE_EINVALID;
    }
    pl->has_id = dict_get(c, pl->trailer, "/ID", NULL) != 0;
    pl->root = dict_ref(c, pl->trailer, "/Root");
    pl->root_dict = object_dict(c, pl->root);
    if (!pl->root_dict || !dict_is(c, pl->root_dict, "/Catalog")) {
        *why = CADRE_N_("no document catalog");
        return CADRE_EINVALID;
    }
    /* The three dictionaries copied into the update must read whole: an
     * entry past a syntax error would be lost from the copy. */
    if (!skip_obj(c, pl->trailer, 0) || !skip_obj(c, pl->root_dict, 0)) {
        *why = CADRE_N_("a damaged catalog or trailer");
        return CADRE_EINVALID;
    }
    if (dict_get(c, pl->root_dict, "/AcroForm", NULL)) {
        *why = CADRE_N_("a PDF with a form already (libharu writes none)");
        return CADRE_EINVALID;
    }
    size_t index = page_index, budget = f->n_objects;
    pl->page = find_page(c, dict_ref(c, pl->root_dict, "/Pages"), &index, 0,
                         &budget);
    pl->page_dict = pl->page ? object_dict(c, pl->page) : 0;
    if (!pl->page_dict) {
        *why = CADRE_N_("the document has no such page");
        return CADRE_EINVALID;
    }
    if (!skip_obj(c, pl->page_dict, 0)) {
        *why = CADRE_N_("a damaged page");
        return CADRE_EINVALID;
    }
    v = dict_get(c, pl->page_dict, "/Annots", NULL);
    if (v && f->b[v] != '[') {
        *why = CADRE_N_("the page's annotations are an indirect object");
        return CADRE_EINVALID;
    }
    return CADRE_OK;
}

/* Offsets in the update of what is filled in after it is written. */
struct marks {
    size_t byte_range; /* the first of the three numbers to fill */
    size_t contents;   /* the '<' of /Contents */
    size_t contents_end; /* after its '>' */
};

/* Width of each number of /ByteRange, filled in once the offsets are
 * known. */
#define RANGE_WIDTH 10

/* Write the update after the original's `n` bytes into `o`: the
 * signature dictionary, the field and its widget, their appearance, the
 * catalog and the page, the xref section and the trailer. */
static void write_update(struct out *o, const struct src *f,
                         const struct plan *pl, const cadre_sign_field *fd,
                         const unsigned char id[16], size_t cms_max,
                         struct marks *m)
{
    size_t sig = pl->size, widget = sig + 1, ap = sig + 2;
    size_t at[5]; /* offsets of: sig, widget, ap, catalog, page */
    char date[32];
    pdf_date(fd->time, date, sizeof date);
    if (f->n && f->b[f->n - 1] != '\n' && f->b[f->n - 1] != '\r')
        put(o, "\n");

    at[0] = f->n + o->n;
    put(o, "%zu 0 obj\n<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n"
           "/SubFilter /ETSI.CAdES.detached\n/M (%s)\n/ByteRange [0 ",
        sig, date);
    m->byte_range = o->n;
    put(o, "%*s %*s %*s]\n/Contents ", RANGE_WIDTH, "", RANGE_WIDTH, "",
        RANGE_WIDTH, "");
    m->contents = o->n;
    put(o, "<");
    for (size_t i = 0; i < cms_max && !o->failed; i++)
        put_bytes(o, "00", 2);
    put(o, ">");
    m->contents_end = o->n;
    put(o, "\n>>\nendobj\n");

    /* Two decimals, rounded outwards: the widget covers what it must. */
    double r[4] = { floor(fd->rect[0] * 100) / 100, floor(fd->rect[1] * 100) / 100,
                    ceil(fd->rect[2] * 100) / 100, ceil(fd->rect[3] * 100) / 100 };
    at[1] = f->n + o->n;
    put(o, "%zu 0 obj\n<<\n/Type /Annot\n/Subtype /Widget\n/FT /Sig\n"
           "/T (Signature1)\n/V %zu 0 R\n/F 132\n/P %zu 0 R\n"
           "/Rect [%.2f %.2f %.2f %.2f]\n/AP << /N %zu 0 R >>\n>>\nendobj\n",
        widget, sig, pl->page, r[0], r[1], r[2], r[3], ap);
    /* The look of a visible signature is drawn on the page itself (with
     * the document's fonts), so the widget's appearance is empty. */
    at[2] = f->n + o->n;
    put(o, "%zu 0 obj\n<<\n/Type /XObject\n/Subtype /Form\n"
           "/BBox [0 0 %.2f %.2f]\n/Resources << >>\n/Length 0\n>>\nstream\n"
           "\nendstream\nendobj\n",
        ap, r[2] - r[0], r[3] - r[1]);

    /* The catalog again, with the form, and the version and extension
     * that ETSI.CAdES.detached belongs to (PDF 1.7, ESIC level 2). */
    static const char *const catalog_skip[] = { "/AcroForm", "/Version",
                                                "/Extensions", NULL };
    at[3] = f->n + o->n;
    put(o, "%zu 0 obj\n<<\n", pl->root);
    copy_entries(o, f, pl->root_dict, catalog_skip);
    put(o, "/AcroForm << /Fields [%zu 0 R] /SigFlags 3 >>\n/Version /1.7\n"
           "/Extensions << /ESIC << /BaseVersion /1.7 /ExtensionLevel 2 >> >>\n"
           ">>\nendobj\n",
        widget);

    /* The page again, with the widget among its annotations. */
    static const char *const page_skip[] = { "/Annots", NULL };
    at[4] = f->n + o->n;
    put(o, "%zu 0 obj\n<<\n", pl->page);
    copy_entries(o, f, pl->page_dict, page_skip);
    put(o, "/Annots [");
    size_t end, v = dict_get(f, pl->page_dict, "/Annots", &end);
    if (v)
        put_bytes(o, f->b + v + 1, end - v - 2); /* between [ and ] */
    put(o, " %zu 0 R]\n>>\nendobj\n", widget);

    /* The xref section: object 0, then runs of consecutive numbers. */
    size_t xref = f->n + o->n;
    size_t nums[5] = { sig, widget, ap, pl->root, pl->page };
    size_t offs[5] = { at[0], at[1], at[2], at[3], at[4] };
    for (int i = 1; i < 5; i++) /* insertion sort by number */
        for (int j = i; j > 0 && nums[j - 1] > nums[j]; j--) {
            size_t t = nums[j]; nums[j] = nums[j - 1]; nums[j - 1] = t;
            t = offs[j]; offs[j] = offs[j - 1]; offs[j - 1] = t;
        }
    put(o, "xref\n0 1\n0000000000 65535 f\r\n");
    for (int i = 0; i < 5;) {
        int j = i + 1;
        while (j < 5 && nums[j] == nums[j - 1] + 1)
            j++;
        put(o, "%zu %d\n", nums[i], j - i);
        for (; i < j; i++)
            put(o, "%010zu 00000 n\r\n", offs[i]);
    }

    /* The trailer keeps every entry of the previous one but these. */
    static const char *const trailer_skip[] = { "/Size", "/Prev",
                                                "/XRefStm", NULL };
    put(o, "trailer\n<<\n");
    copy_entries(o, f, pl->trailer, trailer_skip);
    put(o, "/Size %zu\n/Prev %zu\n", ap + 1, pl->xref);
    if (!pl->has_id) {
        /* PDF 2.0 asks for an /ID in every file: the digest of the
         * original revision, the same for both, as for a first one. */
        char hex[33];
        for (int i = 0; i < 16; i++)
            snprintf(hex + 2 * i, 3, "%02X", id[i]);
        put(o, "/ID [<%s> <%s>]\n", hex, hex);
    }
    put(o, ">>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

/* Write all of `len` bytes at the end of the file. */
static bool append(int fd, const char *b, size_t len)
{
    while (len) {
        ssize_t w = write(fd, b, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        b += w;
        len -= (size_t)w;
    }
    return true;
}

cadre_error cadre_signer_sign_pdf(const cadre_signer *s, const char *path,
                                  const char *name,
                                  const cadre_sign_field *field,
                                  cadre_diags *diags)
{
    if (!name)
        name = path;
    cadre_error err = CADRE_OK;
    const char *why = NULL; /* the reason of a failure */
    char buf[200];          /* the reason, when it is formatted */
    struct src f = { 0 };
    struct out o = { 0 };
    struct plan pl = { 0 };
    struct marks m = { 0 };
    unsigned char *der = NULL;
    size_t der_len = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new(), *id_md = EVP_MD_CTX_new();
    int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    struct stat st;
    void *map = MAP_FAILED;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0 ||
        (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) ==
            MAP_FAILED) {
        why = fd >= 0 && st.st_size <= 0 ? CADRE_N_("an empty file")
                                         : strerror(errno);
        err = CADRE_EIO;
        goto fail;
    }
    f.b = map;
    f.n = (size_t)st.st_size;
    if ((err = read_plan(&f, field->page, &pl, &why)) != CADRE_OK)
        goto fail;

    /* Digest the original once: for /ID, and as the start of what the
     * signature covers. */
    unsigned char id[EVP_MAX_MD_SIZE], digest[EVP_MAX_MD_SIZE];
    if (!md || !id_md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL) ||
        !EVP_DigestUpdate(md, f.b, f.n) || !EVP_MD_CTX_copy_ex(id_md, md) ||
        !EVP_DigestFinal_ex(id_md, id, NULL)) {
        why = CADRE_N_("OpenSSL cannot digest the file");
        err = CADRE_EPDF;
        goto fail;
    }
    write_update(&o, &f, &pl, field, id, s->cms_max, &m);
    if (o.failed) {
        why = CADRE_N_("out of memory");
        err = CADRE_ENOMEM;
        goto fail;
    }
    size_t range[3] = { f.n + m.contents, f.n + m.contents_end,
                        o.n - m.contents_end };
    for (int i = 0; i < 3; i++) {
        char num[RANGE_WIDTH + 2];
        int len = snprintf(num, sizeof num, "%zu", range[i]);
        memcpy(o.b + m.byte_range + (size_t)i * (RANGE_WIDTH + 1), num,
               (size_t)len);
    }
    if (!EVP_DigestUpdate(md, o.b, m.contents) ||
        !EVP_DigestUpdate(md, o.b + m.contents_end, o.n - m.contents_end) ||
        !EVP_DigestFinal_ex(md, digest, NULL)) {
        why = CADRE_N_("OpenSSL cannot digest the file");
        err = CADRE_EPDF;
        goto fail;
    }
    if ((err = sign_cms(s, digest, &der, &der_len, buf, sizeof buf)) != CADRE_OK) {
        why = buf;
        goto fail;
    }
    if (der_len > s->cms_max) {
        why = CADRE_N_("the signature is larger than the room reserved for it");
        err = CADRE_EPDF;
        goto fail;
    }
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < der_len; i++) {
        o.b[m.contents + 1 + 2 * i] = hex[der[i] >> 4];
        o.b[m.contents + 2 + 2 * i] = hex[der[i] & 15];
    }
    if (!append(fd, o.b, o.n)) {
        why = strerror(errno ? errno : EIO);
        err = CADRE_EIO;
    }
fail:
    if (err != CADRE_OK)
        cadre_diags_error(diags, NULL, 0, "cannot sign '%s': %s", name,
                          cadre_gettext(why));
    if (map != MAP_FAILED)
        munmap(map, f.n);
    if (fd >= 0 && close(fd) != 0 && err == CADRE_OK) {
        cadre_diags_error(diags, NULL, 0, "cannot sign '%s': %s", name,
                          strerror(errno));
        err = CADRE_EIO;
    }
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    EVP_MD_CTX_free(id_md);
    free(f.offset);
    free(o.b);
    return err;
}
