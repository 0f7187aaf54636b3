/*
 * expr_text.c - text templates ("Chứng nhận {cadre.gender|ong-ba}:
 * {cadre.full-name|upper}"), their filters, and the default text form of
 * a value.
 *
 * A template is compiled once into literal pieces and placeholders, each
 * placeholder a compiled expression and a checked list of filters, so that
 * an unknown filter or a filter on the wrong type is reported with the
 * template's file and line before anything is written.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/expr.h"
#include "cadre/i18n.h"
#include "cadre/text.h"
#include "expr_internal.h"

enum {
    FL_UPPER, FL_LOWER, FL_ASCII, FL_DATE, FL_DMY, FL_ISO, FL_YEAR,
    FL_LABEL, FL_CODE, FL_NUMBER, FL_PAD, FL_ONG_BA, FL_MARK, FL_YES_NO,
    FL_DEFAULT
};

enum { ARG_NONE, ARG_INT, ARG_OPT_INT, ARG_TEXT };

/* What each filter takes and gives. */
static const struct filter_def {
    const char *name;
    uint8_t id;
    int8_t takes;   /* xtype it needs, or -1 for any value */
    uint8_t gives;  /* xtype it yields */
    uint8_t arg;    /* ARG_* */
    int8_t lo, hi;  /* range of an integer argument */
} filter_defs[] = {
    { "upper", FL_UPPER, -1, X_STRING, ARG_NONE, 0, 0 },
    { "lower", FL_LOWER, -1, X_STRING, ARG_NONE, 0, 0 },
    { "ascii", FL_ASCII, -1, X_STRING, ARG_NONE, 0, 0 },
    { "date", FL_DATE, X_DATE, X_STRING, ARG_NONE, 0, 0 },
    { "dmy", FL_DMY, X_DATE, X_STRING, ARG_NONE, 0, 0 },
    { "iso", FL_ISO, X_DATE, X_STRING, ARG_NONE, 0, 0 },
    { "year", FL_YEAR, X_DATE, X_NUMBER, ARG_NONE, 0, 0 },
    { "label", FL_LABEL, X_CODE, X_STRING, ARG_NONE, 0, 0 },
    { "code", FL_CODE, X_CODE, X_STRING, ARG_NONE, 0, 0 },
    { "number", FL_NUMBER, X_NUMBER, X_STRING, ARG_OPT_INT, 0, 6 },
    { "pad", FL_PAD, X_NUMBER, X_STRING, ARG_INT, 1, 20 },
    { "ong-ba", FL_ONG_BA, X_CODE, X_STRING, ARG_NONE, 0, 0 },
    { "mark", FL_MARK, X_BOOL, X_STRING, ARG_NONE, 0, 0 },
    { "yes-no", FL_YES_NO, X_BOOL, X_STRING, ARG_NONE, 0, 0 },
    { "default", FL_DEFAULT, -1, X_STRING, ARG_TEXT, 0, 0 },
};

#define N_FILTERS (sizeof filter_defs / sizeof filter_defs[0])

struct filter {
    uint8_t id;       /* FL_* */
    int n;            /* integer argument */
    const char *arg;  /* text argument (default:TEXT), NUL-terminated */
};

/* A literal piece (e == NULL) or a placeholder. */
struct seg {
    const char *text;        /* literal text, unescaped */
    size_t len;              /* its length */
    cadre_expr *e;           /* the placeholder's expression */
    struct filter *filters;  /* its filters, in order */
    uint32_t n_filters;      /* how many */
};

struct cadre_tmpl_text {
    struct seg *segs;  /* the pieces, in order */
    size_t n;          /* how many */
    char *pool;        /* literal text and filter arguments */
};

/* ------------------------------------------------------------------ */
/* Formatting values.                                                  */

static size_t put(char *buf, size_t size, const char *s)
{
    size_t len = strlen(s);
    if (size) {
        size_t k = len < size - 1 ? len : size - 1;
        memcpy(buf, s, k);
        buf[k] = '\0';
    }
    return len;
}

static size_t format_number(double v, bool year, int decimals, char *buf,
                            size_t size)
{
    /* Range first: converting a double beyond long long is undefined.
     * Beyond 15 digits cadre_format_decimal() prints "?", year or not. */
    bool small = v > -1e15 && v < 1e15;
    if (small && (year || decimals == 0 || v == (double)(long long)v)) {
        double r = v < 0 ? v - 0.5 : v + 0.5;
        long long i = (long long)r;
        if (year) {
            int n = snprintf(buf, size, "%lld", i);
            return n < 0 ? 0 : (size_t)n;
        }
        return cadre_format_int(i, buf, size);
    }
    return cadre_format_decimal(v, decimals, buf, size);
}

static size_t format_value(const cadre_value *v, bool year, char *buf,
                           size_t size)
{
    const char *s;
    switch (v->type) {
    case CADRE_V_BOOL:
        return put(buf, size, v->u.b ? "Có" : "Không");
    case CADRE_V_NUMBER:
        return format_number(v->u.n, year, 2, buf, size);
    case CADRE_V_STRING:
        return put(buf, size, v->u.s ? v->u.s : "");
    case CADRE_V_DATE:
        return cadre_date_format_short(v->u.d, buf, size);
    case CADRE_V_CODE:
        s = cadre_code_label(v->kind, v->u.code);
        return put(buf, size, s ? s : "");
    default:
        return put(buf, size, "");
    }
}

size_t cadre_value_format(const cadre_value *v, char *buf, size_t size)
{
    return format_value(v, false, buf, size);
}

/* ------------------------------------------------------------------ */
/* Compiling.                                                          */

/* Where a template's messages go, and what they quote. */
struct where {
    cadre_diags *diags;
    const char *file;
    unsigned long line;
    const char *quote; /* the placeholder, or the whole text */
    size_t qlen;       /* its length */
};

static void terr(const struct where *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void terr(const struct where *w, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, cadre_gettext(fmt), ap);
    va_end(ap);
    expr_report(w->diags, w->file, w->line, w->quote, w->qlen, msg);
}

static void out_of_memory(const struct where *w)
{
    cadre_diags_error(w->diags, w->file, w->line, "out of memory");
}

void cadre_tmpl_text_free(cadre_tmpl_text *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        cadre_expr_free(t->segs[i].e);
        free(t->segs[i].filters);
    }
    free(t->segs);
    free(t->pool);
    free(t);
}

static const char *trim(const char *s, const char *end, const char **out_end)
{
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
                       end[-1] == '\r'))
        end--;
    *out_end = end;
    return s;
}

/* Where the placeholder opened at s[0] == '{' closes: quotes may hold
 * braces.  NULL when it does not. */
static const char *closing_brace(const char *s, const char *end)
{
    char quote = 0;
    for (const char *p = s + 1; p < end; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '}') {
            return p;
        } else if (*p == '{') {
            return NULL;
        }
    }
    return NULL;
}

/* The next '|' outside quotes, or `end`. */
static const char *next_bar(const char *s, const char *end)
{
    char quote = 0;
    for (const char *p = s; p < end; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '|') {
            return p;
        }
    }
    return end;
}

static int parse_int(const char *s, size_t len, int *out)
{
    long v = 0;
    if (len == 0 || len > 4)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = (int)v;
    return 0;
}

/* "upper, lower, ..." for messages, into `buf`. */
static const char *filter_names(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_FILTERS && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                         filter_defs[i].name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

/* Read the filter between `fs` and `fe` ("number:1") into `f`: its name
 * looked up, its argument checked, a text argument copied to *pool.
 * Returns its definition, or NULL after reporting. */
static const struct filter_def *read_filter(const struct where *w,
                                            const char *fs, const char *fe,
                                            struct filter *f, char **pool)
{
    const char *colon = memchr(fs, ':', (size_t)(fe - fs));
    const char *ne = colon ? colon : fe;
    const struct filter_def *d = NULL;
    for (size_t i = 0; i < N_FILTERS; i++)
        if (strlen(filter_defs[i].name) == (size_t)(ne - fs) &&
            memcmp(filter_defs[i].name, fs, (size_t)(ne - fs)) == 0)
            d = &filter_defs[i];
    if (!d) {
        char names[256];
        terr(w, "unknown filter '%.*s' (filters: %s)", (int)(ne - fs), fs,
             filter_names(names, sizeof names));
        return NULL;
    }
    f->id = d->id;
    if (colon && d->arg == ARG_NONE) {
        terr(w, "filter '%s' takes no argument", d->name);
        return NULL;
    }
    if (!colon && (d->arg == ARG_INT || d->arg == ARG_TEXT)) {
        terr(w, "filter '%s' needs %s", d->name,
             d->arg == ARG_TEXT ? "a text: default:TEXT" : "a number: pad:3");
        return NULL;
    }
    f->n = -1;
    if (colon && (d->arg == ARG_INT || d->arg == ARG_OPT_INT)) {
        const char *as = colon + 1;
        if (parse_int(as, (size_t)(fe - as), &f->n) != 0 || f->n < d->lo ||
            f->n > d->hi) {
            terr(w, "filter '%s' takes a whole number from %d to %d, "
                 "not '%.*s'", d->name, d->lo, d->hi, (int)(fe - as), as);
            return NULL;
        }
    }
    if (colon && d->arg == ARG_TEXT) {
        const char *ae, *as = trim(colon + 1, fe, &ae);
        size_t alen = (size_t)(ae - as);
        memcpy(*pool, as, alen);
        (*pool)[alen] = '\0';
        f->arg = *pool;
        *pool += alen + 1;
    }
    return d;
}

/* A record where text is printed: a cadre, unit or course prints as its
 * name or title (*type becomes X_STRING), a participant cannot be
 * printed.  Returns 0, or -1 after reporting. */
static int print_record(const struct where *w, cadre_expr *e, int *type)
{
    if (*type == X_PARTICIPANT) {
        terr(w, "a participant cannot be printed: name one of its fields, "
             "such as participant.status");
        return -1;
    }
    if (*type >= X_CADRE) {
        if (expr_root_show(e) != 0) {
            out_of_memory(w);
            return -1;
        }
        *type = X_STRING;
    }
    return 0;
}

/* Check that filter `d` takes the value so far, of *type and *kind, and
 * make them what it gives.  The first ong-ba may take a cadre (its
 * gender).  Returns 0, or -1 after reporting. */
static int filter_types(const struct where *w, cadre_expr *e,
                        const struct filter_def *d, int *type, int *kind)
{
    char tb[64], tb2[64];
    if (d->id == FL_ONG_BA && *type == X_CADRE) {
        if (expr_root_gender(e) != 0) {
            out_of_memory(w);
            return -1;
        }
        *type = X_CODE;
        *kind = CADRE_CODE_GENDER;
    }
    if (print_record(w, e, type) != 0)
        return -1;
    bool ok = d->takes < 0 || *type == X_ANY || *type == d->takes;
    if (ok && d->id == FL_ONG_BA && *type == X_CODE &&
        *kind != CADRE_CODE_GENDER)
        ok = false;
    if (!ok) {
        const char *need = expr_xtype_phrase(d->takes, 0, tb, sizeof tb);
        if (d->id == FL_ONG_BA)
            need = "a gender or a cadre";
        else if (d->id == FL_LABEL || d->id == FL_CODE)
            need = "a code";
        terr(w, "filter '%s' needs %s, not %s", d->name, need,
             expr_xtype_phrase(*type, *kind, tb2, sizeof tb2));
        return -1;
    }
    if (d->id == FL_DEFAULT) {
        /* keeps the value when there is one: its type is unknown */
        *type = *type == X_STRING ? X_STRING : X_ANY;
    } else {
        *type = d->gives;
    }
    return 0;
}

/* Compile the placeholder between `s` and `end` (braces excluded) into
 * `seg`.  Returns 0 or -1 after reporting. */
static int compile_placeholder(struct seg *seg, const char *s, const char *end,
                               char **pool, const cadre_scope *scope,
                               const char *file, unsigned long line,
                               cadre_diags *diags)
{
    size_t qlen = (size_t)(end - s) + 2;
    char *quote = malloc(qlen + 1);
    struct where w = { diags, file, line, quote, qlen };
    if (!quote) {
        out_of_memory(&w);
        return -1;
    }
    quote[0] = '{';
    memcpy(quote + 1, s, qlen - 2);
    quote[qlen - 1] = '}';
    quote[qlen] = '\0';

    const char *bar = next_bar(s, end), *xe;
    const char *xs = trim(s, bar, &xe);
    if (xs == xe) {
        terr(&w, "empty placeholder");
        goto fail;
    }
    seg->e = expr_compile_any(xs, (size_t)(xe - xs), scope, file, line,
                              quote, diags);
    if (!seg->e)
        goto fail;

    /* count and check the filters */
    uint32_t nf = 0;
    for (const char *p = bar; p < end; p = next_bar(p + 1, end))
        nf++;
    if (nf) {
        seg->filters = calloc(nf, sizeof *seg->filters);
        if (!seg->filters) {
            out_of_memory(&w);
            goto fail;
        }
    }
    int type = expr_xtype(seg->e);
    int kind = type == X_CODE ? (int)expr_code_kind(seg->e) : 0;
    for (const char *p = bar; p < end;) {
        const char *q = next_bar(p + 1, end), *fe;
        const char *fs = trim(p + 1, q, &fe);
        const struct filter_def *d =
            read_filter(&w, fs, fe, &seg->filters[seg->n_filters++], pool);
        if (!d || filter_types(&w, seg->e, d, &type, &kind) != 0)
            goto fail;
        p = q;
    }
    if (print_record(&w, seg->e, &type) != 0)
        goto fail;
    free(quote);
    return 0;
fail:
    free(quote);
    return -1;
}

cadre_tmpl_text *cadre_tmpl_text_compile(const char *src,
                                         const cadre_scope *scope,
                                         const char *file, unsigned long line,
                                         cadre_diags *diags)
{
    cadre_tmpl_text *t = calloc(1, sizeof *t);
    size_t len = src ? strlen(src) : 0;
    if (!src)
        src = "";
    size_t cap = 0;
    for (size_t i = 0; i < len; i++)
        if (src[i] == '{')
            cap++;
    cap = 2 * cap + 2; /* pieces: at most a literal around each brace */
    if (t) {
        t->segs = calloc(cap, sizeof *t->segs);
        t->pool = malloc(len + cap + 1);
    }
    if (!t || !t->segs || !t->pool) {
        cadre_diags_error(diags, file, line, "out of memory");
        goto fail;
    }
    if (cadre_text_check(src, len, NULL, NULL) != CADRE_TEXT_OK) {
        cadre_diags_error(diags, file, line, "invalid text in a template");
        goto fail;
    }
    struct where w = { diags, file, line, src, len };
    char *pool = t->pool;
    const char *end = src + len;
    const char *p = src;
    struct seg *lit = NULL; /* the literal piece being filled */
    while (p < end) {
        if (*p == '{' && !(p + 1 < end && p[1] == '{')) {
            const char *close = closing_brace(p, end);
            if (!close) {
                terr(&w, "unterminated placeholder (write '{{' for a "
                     "literal brace)");
                goto fail;
            }
            struct seg *seg = &t->segs[t->n++];
            lit = NULL;
            if (compile_placeholder(seg, p + 1, close, &pool, scope, file,
                                    line, diags) != 0)
                goto fail;
            p = close + 1;
            continue;
        }
        if (*p == '}' && !(p + 1 < end && p[1] == '}')) {
            terr(&w, "unmatched '}' (write '}}' for a literal brace)");
            goto fail;
        }
        if (!lit) {
            lit = &t->segs[t->n++];
            lit->text = pool;
        }
        *pool++ = *p;
        lit->len++;
        p += (*p == '{' || *p == '}') ? 2 : 1;
    }
    return t;
fail:
    cadre_tmpl_text_free(t);
    return NULL;
}

bool cadre_tmpl_text_is_constant(const cadre_tmpl_text *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->segs[i].e)
            return false;
    return true;
}

const cadre_expr *cadre_tmpl_text_single(const cadre_tmpl_text *t)
{
    if (t->n == 1 && t->segs[0].e && t->segs[0].n_filters == 0)
        return t->segs[0].e;
    return NULL;
}

unsigned cadre_tmpl_text_uses(const cadre_tmpl_text *t)
{
    unsigned uses = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct seg *seg = &t->segs[i];
        bool fallback = false;
        for (uint32_t k = 0; k < seg->n_filters; k++)
            fallback |= seg->filters[k].id == FL_DEFAULT;
        if (seg->e && !fallback)
            uses |= cadre_expr_uses(seg->e);
    }
    return uses;
}

size_t cadre_tmpl_text_exprs(const cadre_tmpl_text *t,
                             const cadre_expr **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!t->segs[i].e)
            continue;
        if (n < max)
            out[n] = t->segs[i].e;
        n++;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* Rendering.                                                          */

/* Where rendered text goes: as much as fits, and the full length. */
struct sink {
    char *buf;   /* the caller's buffer */
    size_t size; /* its bytes */
    size_t len;  /* the full length rendered so far */
};

static void emit(struct sink *k, const char *s, size_t n)
{
    if (k->size && k->len < k->size - 1) {
        size_t room = k->size - 1 - k->len;
        memcpy(k->buf + k->len, s, n < room ? n : room);
    }
    k->len += n;
}

/* A placeholder's value as it goes through its filters. */
struct state {
    cadre_value v;  /* the current value */
    bool year;      /* a number to print as a year */
    char *heap;     /* text owned by the state (from upper, lower ...) */
    char small[256];/* text of a formatted value */
};

static void set_text(struct state *st, const char *s)
{
    st->v.type = CADRE_V_STRING;
    st->v.u.s = s;
    st->year = false;
}

static void set_owned(struct state *st, char *s)
{
    free(st->heap);
    st->heap = s;
    set_text(st, s ? s : "");
}

/* The current value as text. */
static const char *text_of(struct state *st)
{
    if (st->v.type == CADRE_V_STRING)
        return st->v.u.s;
    format_value(&st->v, st->year, st->small, sizeof st->small);
    return st->small;
}

static void apply(struct state *st, const struct filter *f)
{
    cadre_value *v = &st->v;
    char *s;
    switch (f->id) {
    case FL_UPPER:
    case FL_LOWER:
    case FL_ASCII: {
        const char *in = text_of(st);
        s = f->id == FL_UPPER ? cadre_text_upper(in)
            : f->id == FL_LOWER ? cadre_text_lower(in)
                                : cadre_text_fold_ascii(in);
        set_owned(st, s);
        return;
    }
    case FL_DATE:
    case FL_DMY:
    case FL_ISO:
        if (v->type != CADRE_V_DATE)
            break;
        if (f->id == FL_DATE)
            cadre_date_format_long(v->u.d, st->small, sizeof st->small);
        else if (f->id == FL_DMY)
            cadre_date_format_short(v->u.d, st->small, sizeof st->small);
        else
            cadre_date_format_iso(v->u.d, st->small, sizeof st->small);
        set_text(st, st->small);
        return;
    case FL_YEAR:
        if (v->type != CADRE_V_DATE)
            break;
        v->type = CADRE_V_NUMBER;
        v->u.n = v->u.d.year;
        st->year = true;
        return;
    case FL_LABEL:
    case FL_CODE: {
        if (v->type != CADRE_V_CODE)
            break;
        const char *w = f->id == FL_LABEL ? cadre_code_label(v->kind,
                                                             v->u.code)
                                          : cadre_code_name(v->kind,
                                                            v->u.code);
        set_text(st, w ? w : "");
        return;
    }
    case FL_NUMBER:
        if (v->type != CADRE_V_NUMBER)
            break;
        format_number(v->u.n, false, f->n < 0 ? 2 : f->n, st->small,
                      sizeof st->small);
        set_text(st, st->small);
        return;
    case FL_PAD: {
        if (v->type != CADRE_V_NUMBER)
            break;
        double r = v->u.n < 0 ? v->u.n - 0.5 : v->u.n + 0.5;
        if (r > -1e15 && r < 1e15)
            snprintf(st->small, sizeof st->small, "%0*lld", f->n,
                     (long long)r);
        else /* beyond 15 digits, as the number filter: no conversion */
            snprintf(st->small, sizeof st->small, "?");
        set_text(st, st->small);
        return;
    }
    case FL_ONG_BA:
        if (v->type != CADRE_V_CODE || v->kind != CADRE_CODE_GENDER)
            break;
        set_text(st, v->u.code == CADRE_GENDER_NU ? "Bà" : "Ông");
        return;
    case FL_MARK:
    case FL_YES_NO:
        if (v->type != CADRE_V_BOOL)
            break;
        if (f->id == FL_MARK)
            set_text(st, v->u.b ? "x" : "");
        else
            set_text(st, v->u.b ? "Có" : "Không");
        return;
    case FL_DEFAULT:
        if (v->type == CADRE_V_NULL ||
            (v->type == CADRE_V_STRING && v->u.s[0] == '\0'))
            set_text(st, f->arg);
        return;
    }
    /* a value of the wrong type (from a variable): nothing */
    v->type = CADRE_V_NULL;
    st->year = false;
}

static void render_seg(const struct seg *seg, const cadre_env *env,
                       struct sink *k)
{
    struct state st;
    st.heap = NULL;
    cadre_expr_eval(seg->e, env, &st.v);
    st.year = expr_root_is_year(seg->e);
    for (uint32_t i = 0; i < seg->n_filters; i++)
        apply(&st, &seg->filters[i]);
    const char *s = text_of(&st);
    emit(k, s, strlen(s));
    free(st.heap);
}

size_t cadre_tmpl_text_render(const cadre_tmpl_text *t, const cadre_env *env,
                              char *buf, size_t size)
{
    struct sink k = { buf, size, 0 };
    for (size_t i = 0; i < t->n; i++) {
        const struct seg *seg = &t->segs[i];
        if (seg->e)
            render_seg(seg, env, &k);
        else
            emit(&k, seg->text, seg->len);
    }
    if (size)
        buf[k.len < size ? k.len : size - 1] = '\0';
    return k.len;
}

char *cadre_tmpl_text_render_new(const cadre_tmpl_text *t,
                                 const cadre_env *env)
{
    char local[512];
    size_t len = cadre_tmpl_text_render(t, env, local, sizeof local);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    if (len < sizeof local)
        memcpy(out, local, len + 1);
    else
        cadre_tmpl_text_render(t, env, out, len + 1);
    return out;
}
