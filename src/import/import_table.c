/*
 * import_table.c - a sheet read as an office lays its table out
 * (import.md, "Reading a table"): the title block, the heading row (the
 * first with three known headings), a row of child headings under merged
 * parents, a row of column numbers, then data rows, group rows that give
 * the unit, total rows, and the footer.  Each data row becomes an
 * imp_rec with every field parsed; every problem is an error at its cell.
 *
 * An XLSX sheet lists its merged ranges after its rows: the first pass
 * guesses a heading's span from the empty cells beside it, and when a
 * range turns out to change the headings or to cover a cell that a data
 * row reads, the sheet is read again with the ranges known.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "cadre/i18n.h"
#include "cadre/text.h"
#include "import_internal.h"
#include "util/grow.h"

enum { S_TITLE, S_SUBHEAD, S_NUMBERS, S_DATA, S_FOOTER };

/* What a column is read for. */
typedef struct colmap {
    int field;   /* F_*, or -1 */
    int split;   /* the split's code, or -1 */
} colmap;

/* A heading row, kept to rebuild the column map with known spans. */
typedef struct saved_cell {
    uint32_t col, span;
    char *text;  /* NULL for a number */
    double num;
    bool copy;
    int type;
} saved_cell;

typedef struct saved_row {
    uint32_t row;
    saved_cell *cells;
    size_t n;
} saved_row;

/* A group row's unit, and the group above it. */
typedef struct group {
    int style;      /* numbering: 0 none, 1 roman, 2 arabic, 3 letter */
    int32_t index;  /* in the batch's groups */
} group;

/* The last texts a field's values were matched from, and their codes:
 * a column says "Nam", "Đại học" thousands of times. */
#define VCACHE 4
typedef struct vcache {
    char text[VCACHE][40];
    int code[VCACHE];
} vcache;

typedef struct table {
    const imp_tmpl *t;
    imp_file *f;
    imp_batch *b;
    cadre_diags *diags;
    int state;
    saved_row head, sub;
    bool have_sub;
    colmap *cols;
    size_t n_cols;
    bool mapped[F_COUNT]; /* a column gives the field */
    uint32_t first_cells; /* group rows have text only in columns <= this */
    bool unit_col;
    group stack[16];
    int depth;
    bool prev_group;      /* the row before was a group row */
    uint8_t *data_rows;   /* bit per sheet row: a data row */
    size_t cap_rows;
    cadre_error status;
    size_t data_errors;
    vcache values[F_COUNT];
    imp_rec rec;          /* the data row being read */
    imp_buf rowtext;      /* its texts (offsets in text_off until done) */
    size_t text_off[F_COUNT];
    char loc[1100];
} table;

static const char *loc(table *tb, uint32_t row, uint32_t col, uint32_t line)
{
    imp_loc(tb->f, row, col, line, tb->loc, sizeof tb->loc);
    return tb->loc;
}

static void cell_error(table *tb, uint32_t row, const imp_cell *c,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void cell_error(table *tb, uint32_t row, const imp_cell *c,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cadre_diags_vadd(tb->diags, CADRE_SEV_ERROR,
                     loc(tb, row, c ? c->col : 0, c ? c->line : 0), 0, fmt,
                     ap);
    va_end(ap);
    tb->data_errors++;
}

static void at_error(table *tb, uint32_t row, uint32_t col,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void at_error(table *tb, uint32_t row, uint32_t col,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cadre_diags_vadd(tb->diags, CADRE_SEV_ERROR, loc(tb, row, col, 0), 0,
                     fmt, ap);
    va_end(ap);
    tb->data_errors++;
}

/* -------------------------------------------------------- batch memory */

void imp_batch_init(imp_batch *b)
{
    memset(b, 0, sizeof *b);
    arena_init(&b->mem);
}

void imp_batch_release(imp_batch *b)
{
    free(b->groups);
    arena_release(&b->mem);
    b->groups = NULL;
    b->n_groups = b->cap_groups = b->skipped = b->n_recs = 0;
    b->as_of = (cadre_date){0};
    b->place = b->title_unit = NULL;
    arena_init(&b->mem); /* the callbacks stay: a second pass uses them */
}

static const char *keep(table *tb, const char *s, size_t n)
{
    const char *p = arena_strndup(&tb->b->mem, s, n);
    if (!p)
        tb->status = CADRE_ENOMEM;
    return p;
}

/* ------------------------------------------------------------- folding */

/* Words of a text in heading form ("Tính đến ngày" -> "tinh den ngay"):
 * ASCII, lower case, one space between words. */
static size_t fold_words(const char *s, size_t len, char *buf, size_t size)
{
    size_t n = 0;
    size_t i = 0;
    while (i < len && n + 2 < size) {
        size_t j = i;
        while (j < len && s[j] != ' ' && s[j] != ',' && s[j] != ':' &&
               s[j] != '(' && s[j] != ')' && s[j] != '/' && s[j] != '-' &&
               s[j] != ';' && s[j] != '.')
            j++;
        char w[256];
        size_t k = imp_fold_heading(s + i, j - i, w, sizeof w);
        if (k) {
            if (n && n + 1 < size)
                buf[n++] = ' ';
            if (n + k + 1 > size)
                k = size - n - 1;
            memcpy(buf + n, w, k);
            n += k;
        }
        i = j + 1;
    }
    if (size)
        buf[n] = '\0';
    return n;
}

/* The words of `phrase` (heading form, no spaces) start the words of
 * the text: "nguoilapbieu" starts "nguoi lap bieu (ky ...)". */
static bool starts_with_words(const char *words, const char *phrase,
                              size_t *end)
{
    size_t i = 0, k = 0;
    size_t plen = strlen(phrase);
    while (k < plen && words[i]) {
        if (words[i] == ' ') {
            i++;
            continue;
        }
        if (words[i] != phrase[k])
            return false;
        i++, k++;
    }
    if (k < plen || (words[i] && words[i] != ' '))
        return false;
    if (end)
        *end = i;
    return true;
}

/* --------------------------------------------------------------- dates */

static bool valid_day(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    int max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}

/* An Excel serial in the workbook's date system. */
static bool serial_date(double v, bool d1904, cadre_date *out)
{
    if (!(v >= 1 && v < 2958466))
        return false;
    long days = (long)floor(v);
    if (d1904) {
        days += cadre_date_days((cadre_date){1904, 1, 1});
    } else {
        if (days == 60)
            return false; /* 29 February 1900, which never was */
        if (days < 60)
            days += 1;
        days += cadre_date_days((cadre_date){1899, 12, 30});
    }
    *out = cadre_date_from_days(days);
    return true;
}

enum { D_OK = 0, D_BAD, D_MONTH_FIRST, D_NO_SUCH_DAY, D_YEAR_ONLY };

static int digits(const char *s, size_t *i, int max, int *out)
{
    int n = 0, v = 0;
    while (s[*i] >= '0' && s[*i] <= '9' && n < max) {
        v = v * 10 + (s[*i] - '0');
        (*i)++, n++;
    }
    *out = v;
    return n;
}

/* A date written as text, day first: 14/05/1971, 14-05-1971, 14.5.1971,
 * 1971-05-14 (with a time of 00:00 after it, as exports write), or a
 * year alone. */
static int text_date(const char *s, cadre_date *out)
{
    size_t i = 0;
    int a, b, c;
    int na = digits(s, &i, 5, &a);
    if (na == 0)
        return D_BAD;
    if (s[i] == '\0') {
        if (na == 4 && a >= 1000) {
            *out = (cadre_date){(int16_t)a, 0, 0};
            return D_YEAR_ONLY;
        }
        return D_BAD;
    }
    char sep = s[i];
    if (sep != '/' && sep != '-' && sep != '.')
        return D_BAD;
    i++;
    int nb = digits(s, &i, 3, &b);
    if (nb == 0 || s[i] != sep)
        return D_BAD;
    i++;
    int nc = digits(s, &i, 5, &c);
    if (nc == 0)
        return D_BAD;
    /* a time after the day, as a CSV export writes a date cell */
    if (s[i] == ' ' || s[i] == 'T') {
        const char *t = s + i + 1;
        if (strncmp(t, "00:00", 5) != 0)
            return D_BAD;
        t += 5;
        if (strcmp(t, "") != 0 && strcmp(t, ":00") != 0 &&
            strcmp(t, ":00.000") != 0)
            return D_BAD;
    } else if (s[i]) {
        return D_BAD;
    }
    int y, m, d;
    if (na == 4 && sep == '-') {
        y = a, m = b, d = c; /* ISO, the only year-first form */
        if (nc > 2 || nb > 2)
            return D_BAD;
    } else {
        if (na > 2 || nb > 2 || nc != 4)
            return D_BAD;
        d = a, m = b, y = c;
        if (m > 12 && d <= 12)
            return D_MONTH_FIRST;
    }
    if (!valid_day(y, m, d))
        return D_NO_SUCH_DAY;
    *out = (cadre_date){(int16_t)y, (uint8_t)m, (uint8_t)d};
    return D_OK;
}

/* "ngày 31 tháng 12 năm 2018" or "31/12/2018" inside a longer text. */
static bool date_in_text(const char *s, cadre_date *out)
{
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || (p > s && p[-1] >= '0' && p[-1] <= '9'))
            continue;
        char buf[16];
        size_t n = 0;
        while (n + 1 < sizeof buf && ((p[n] >= '0' && p[n] <= '9') ||
                                      p[n] == '/' || p[n] == '.' ||
                                      p[n] == '-'))
            n++;
        memcpy(buf, p, n);
        buf[n] = '\0';
        while (n && (buf[n - 1] == '.' || buf[n - 1] == '-'))
            buf[--n] = '\0';
        cadre_date d;
        if (text_date(buf, &d) == D_OK) {
            *out = d;
            return true;
        }
    }
    char w[1024];
    fold_words(s, strlen(s), w, sizeof w);
    const char *p = strstr(w, "ngay ");
    int d, m, y;
    if (p && sscanf(p, "ngay %d thang %d nam %d", &d, &m, &y) == 3 &&
        valid_day(y, m, d)) {
        *out = (cadre_date){(int16_t)y, (uint8_t)m, (uint8_t)d};
        return true;
    }
    return false;
}

/* --------------------------------------------------- heading detection */

/* The field of a heading cell alone, or -1; *split gets a split's code. */
static int match_heading(const imp_tmpl *t, const char *text, int *split)
{
    char fold[512];
    *split = -1;
    if (!imp_fold_heading(text, strlen(text), fold, sizeof fold))
        return -1;
    int f = imp_tmpl_heading(t, fold);
    if (f >= 0)
        return f;
    return imp_tmpl_split(t, -1, fold, split);
}

static void free_saved(saved_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->cells[i].text);
    free(r->cells);
    memset(r, 0, sizeof *r);
}

static bool save_row(saved_row *dst, const imp_row *row)
{
    free_saved(dst);
    dst->row = row->row;
    dst->cells = calloc(row->n ? row->n : 1, sizeof *dst->cells);
    if (!dst->cells)
        return false;
    for (size_t i = 0; i < row->n; i++) {
        const imp_cell *c = &row->cells[i];
        saved_cell *s = &dst->cells[dst->n++];
        s->col = c->col;
        s->span = c->span;
        s->copy = c->copy;
        s->type = c->type;
        s->num = c->num;
        if (c->type == IMP_TEXT && !(s->text = strdup(c->text)))
            return false;
    }
    return true;
}

/* The heading cell a child in column `col` stands under: the parent's
 * index in `head`, or -1.  With a known span the parent covers exactly
 * its range; without, it covers the empty heading cells to its right. */
static int parent_of(const saved_row *head, uint32_t col)
{
    int best = -1;
    for (size_t i = 0; i < head->n; i++) {
        const saved_cell *c = &head->cells[i];
        if (c->copy || !c->text)
            continue;
        if (c->col <= col)
            best = (int)i;
    }
    if (best < 0)
        return -1;
    const saved_cell *p = &head->cells[best];
    if (p->span)
        return col < p->col + p->span ? best : -1;
    return best;
}

/* A heading cell at `col` that is not a copy. */
static bool head_has(const saved_row *head, uint32_t col)
{
    for (size_t i = 0; i < head->n; i++)
        if (head->cells[i].col == col && !head->cells[i].copy &&
            head->cells[i].text)
            return true;
    return false;
}

/* Match a child heading under its parent: the parent's words and the
 * child's together ("Trình độ" + "Chuyên môn"), a split of the parent's
 * field ("Nam" under "Ngày sinh"), or the child alone ("LLCT"). */
static int match_child(const imp_tmpl *t, const char *parent,
                       const char *child, int *split)
{
    char fold[1024], both[1024];
    *split = -1;
    size_t n = imp_fold_heading(child, strlen(child), fold, sizeof fold);
    if (!n)
        return -1;
    if (parent) {
        size_t k = imp_fold_heading(parent, strlen(parent), both,
                                    sizeof both);
        if (k + n + 1 < sizeof both) {
            memcpy(both + k, fold, n + 1);
            int f = imp_tmpl_heading(t, both);
            if (f >= 0)
                return f;
        }
        int ps;
        int pf = match_heading(t, parent, &ps);
        int f = imp_tmpl_split(t, pf >= 0 && ps < 0 ? pf : -1, fold, split);
        if (f >= 0)
            return f;
    }
    int f = imp_tmpl_heading(t, fold);
    if (f >= 0)
        return f;
    return imp_tmpl_split(t, -1, fold, split);
}

/* Is `sub` the row of child headings under `head`? */
static bool is_subheading(const imp_tmpl *t, const saved_row *head,
                          const saved_row *sub)
{
    for (size_t i = 0; i < sub->n; i++) {
        const saved_cell *c = &sub->cells[i];
        if (c->copy || !c->text)
            continue;
        int p = parent_of(head, c->col);
        if (p < 0)
            continue;
        const saved_cell *pc = &head->cells[p];
        bool spans = pc->span ? pc->span >= 2 && (c->col > pc->col ||
                                                  c->col + 1 < pc->col +
                                                                   pc->span)
                              : !head_has(head, c->col);
        int split;
        if (spans && match_child(t, pc->text, c->text, &split) >= 0)
            return true;
    }
    return false;
}

static const char *text_at(const saved_row *r, uint32_t col)
{
    for (size_t i = 0; r && i < r->n; i++)
        if (r->cells[i].col == col && r->cells[i].text && !r->cells[i].copy)
            return r->cells[i].text;
    return NULL;
}

/* Build the column map from the heading row (and the child row). */
static bool build_map(const imp_tmpl *t, const saved_row *head,
                      const saved_row *sub, colmap **out, size_t *n_out)
{
    uint32_t max = 0;
    for (size_t i = 0; i < head->n; i++)
        if (head->cells[i].col + 1 > max)
            max = head->cells[i].col + 1;
    for (size_t i = 0; sub && i < sub->n; i++)
        if (sub->cells[i].col + 1 > max)
            max = sub->cells[i].col + 1;
    colmap *m = malloc((max ? max : 1) * sizeof *m);
    if (!m)
        return false;
    for (uint32_t c = 0; c < max; c++)
        m[c] = (colmap){-1, -1};
    for (size_t i = 0; i < head->n; i++) {
        const saved_cell *c = &head->cells[i];
        if (c->copy || !c->text)
            continue;
        m[c->col].field = match_heading(t, c->text, &m[c->col].split);
    }
    for (size_t i = 0; sub && i < sub->n; i++) {
        const saved_cell *c = &sub->cells[i];
        if (c->copy || !c->text)
            continue;
        int p = parent_of(head, c->col);
        const char *parent = p >= 0 ? head->cells[p].text : NULL;
        m[c->col].field = match_child(t, parent, c->text, &m[c->col].split);
        /* the parent's own column is its first child's */
    }
    /* "Nam" | "Nữ" beside a birth-date column of their own: the gender
     * marked, not the birth date split by gender */
    bool plain_birth = false;
    for (uint32_t c = 0; c < max; c++)
        plain_birth |= m[c].field == F_BIRTH_DATE && m[c].split < 0;
    for (uint32_t c = 0; plain_birth && c < max; c++) {
        if (m[c].field != F_BIRTH_DATE || m[c].split < 0)
            continue;
        const char *h = text_at(sub, c);
        if (!h)
            h = text_at(head, c);
        char fold[512];
        int code;
        if (h && imp_fold_heading(h, strlen(h), fold, sizeof fold) &&
            imp_tmpl_split(t, F_GENDER, fold, &code) == F_GENDER)
            m[c] = (colmap){F_GENDER, code};
    }
    /* a parent's columns that no child names are not the parent's */
    if (sub) {
        for (size_t i = 0; i < head->n; i++) {
            const saved_cell *c = &head->cells[i];
            if (c->copy || !c->text)
                continue;
            bool has_child = false;
            for (size_t k = 0; k < sub->n; k++)
                if (!sub->cells[k].copy && sub->cells[k].text &&
                    parent_of(head, sub->cells[k].col) == (int)i)
                    has_child = true;
            bool child_here = false;
            for (size_t k = 0; k < sub->n; k++)
                if (!sub->cells[k].copy && sub->cells[k].text &&
                    sub->cells[k].col == c->col)
                    child_here = true;
            if (has_child && !child_here)
                m[c->col] = (colmap){-1, -1};
        }
    }
    *out = m;
    *n_out = max;
    return true;
}


/* The headings a field is looked for under, for a message. */
static void headings_of(const imp_fdef *f, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < f->n_headings && n + 4 < size; i++) {
        int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
                         f->shown[i]);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    if (n >= size)
        memcpy(buf + size - 4, "...", 4);
}

static bool has_field(const table *tb, int field)
{
    for (size_t c = 0; c < tb->n_cols; c++)
        if (tb->cols[c].field == field)
            return true;
    return false;
}

static bool has_split(const table *tb, int field)
{
    for (size_t c = 0; c < tb->n_cols; c++)
        if (tb->cols[c].field == field && tb->cols[c].split >= 0)
            return true;
    return false;
}

/* The column map is final: warn about what is ignored, check what is
 * required. */
static void check_map(table *tb)
{
    const imp_tmpl *t = tb->t;
    uint32_t hr = tb->head.row;
    bool seen[F_COUNT] = {false};
    for (size_t c = 0; c < tb->n_cols; c++) {
        colmap *m = &tb->cols[c];
        const char *h = text_at(tb->have_sub ? &tb->sub : NULL, (uint32_t)c);
        uint32_t row = h ? tb->sub.row : hr;
        if (!h)
            h = text_at(&tb->head, (uint32_t)c);
        if (!h)
            continue;
        if (m->field < 0) {
            cadre_diags_add(tb->diags, CADRE_SEV_WARNING,
                            loc(tb, row, (uint32_t)c, 0), 0,
                            "column '%s' ignored: no field of the template "
                            "has this heading", h);
            continue;
        }
        if (m->field == F_IGNORE)
            continue;
        bool multi = m->split >= 0;
        if (seen[m->field] && !multi) {
            cadre_diags_add(tb->diags, CADRE_SEV_WARNING,
                            loc(tb, row, (uint32_t)c, 0), 0,
                            "column '%s' ignored: another column before it "
                            "gives %s", h, imp_field_name(m->field));
            m->field = -1;
            continue;
        }
        seen[m->field] = true;
    }
    for (size_t c = 0; c < tb->n_cols; c++)
        if (tb->cols[c].field >= 0)
            tb->mapped[tb->cols[c].field] = true;
    tb->unit_col = tb->mapped[F_UNIT];
    /* group rows have their text in the first columns, up to the name */
    tb->first_cells = 1;
    for (size_t c = 0; c < tb->n_cols; c++) {
        int f = tb->cols[c].field;
        if ((f == F_FULL_NAME || f == F_FAMILY_NAME || f == F_GIVEN_NAME) &&
            (uint32_t)c > tb->first_cells)
            tb->first_cells = (uint32_t)c;
    }
    char list[1024], loc0[1100];
    imp_loc(tb->f, hr, 0, 0, loc0, sizeof loc0);
    bool name = has_field(tb, F_FULL_NAME) ||
                (has_field(tb, F_FAMILY_NAME) && has_field(tb, F_GIVEN_NAME));
    bool parts = t->records == 1;
    if (parts) {
        if (!has_field(tb, F_ID) && (!name || !has_field(tb, F_BIRTH_DATE))) {
            char l2[512];
            headings_of(&t->f[F_ID], list, sizeof list);
            headings_of(&t->f[F_FULL_NAME], l2, sizeof l2);
            cadre_diags_error(tb->diags, loc0, 0, "no column to find the "
                              "cadre by: an id (%s), or the name (%s) and "
                              "the birth date", list, l2);
            tb->data_errors++;
        }
        return;
    }
    for (int f = 0; f < F_COUNT; f++) {
        const imp_fdef *d = &t->f[f];
        if (!d->required || has_field(tb, f))
            continue;
        if (f == F_FULL_NAME && name)
            continue;
        if (f == F_GENDER && has_split(tb, F_BIRTH_DATE))
            continue;
        if (f == F_UNIT)
            continue; /* group rows or the title may give it: per row */
        headings_of(d, list, sizeof list);
        cadre_diags_error(tb->diags, loc0, 0, "no column for %s: none of "
                          "the headings %s%s", imp_field_name(f), list,
                          d->n_splits ? ", or split columns under them"
                                      : "");
        tb->data_errors++;
    }
}

/* --------------------------------------------------------- row kinds */

static bool only_numbers(const imp_row *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const imp_cell *c = &r->cells[i];
        if (c->copy)
            continue;
        if (c->type == IMP_NUMBER) {
            if (c->num != floor(c->num) || c->num < 0 || c->num > 1000)
                return false;
        } else if (c->type == IMP_TEXT) {
            const char *s = c->text;
            size_t k = 0;
            if (s[k] == '(')
                k++;
            size_t d = k;
            while (s[k] >= '0' && s[k] <= '9')
                k++;
            bool num = k > d;
            if (!num && ((s[k] >= 'A' && s[k] <= 'Z') ||
                         (s[k] >= 'a' && s[k] <= 'z')) &&
                (s[k + 1] == '\0' || s[k + 1] == ')'))
                k++, num = true; /* (A), (B) */
            if (s[d - (d > 0)] == '(' && s[k] == ')')
                k++;
            if (!num || s[k] != '\0')
                return false;
        } else {
            return false;
        }
        n++;
    }
    return n >= 3;
}

static const imp_cell *first_text(const imp_row *r, size_t *at)
{
    for (size_t i = at ? *at : 0; i < r->n; i++)
        if (!r->cells[i].copy && r->cells[i].type == IMP_TEXT) {
            if (at)
                *at = i + 1;
            return &r->cells[i];
        }
    return NULL;
}

/* A place-date line ("Đình Lập, ngày 31 tháng 12 năm 2018") or a
 * signer's title: the table has ended.  `c` is the row's first text,
 * `w` its words folded. */
static bool is_footer(table *tb, const imp_cell *c, const char *w)
{
    const char *d = strstr(w, "ngay");
    if (d && (d == w || d[-1] == ' ') && strstr(d, "thang") &&
        strstr(d, "nam")) {
        const char *comma = strchr(c->text, ',');
        char wb[1024];
        fold_words(comma ? comma + 1 : "", comma ? strlen(comma + 1) : 0, wb,
                   sizeof wb);
        if (comma && strncmp(wb, "ngay", 4) == 0 && !tb->b->place) {
            const char *s = c->text;
            size_t n = (size_t)(comma - s);
            while (n && s[n - 1] == ' ')
                n--;
            if (n)
                tb->b->place = keep(tb, s, n);
        }
        return true;
    }
    for (size_t i = 0; i < tb->t->n_footers; i++)
        if (starts_with_words(w, tb->t->footers[i], NULL))
            return true;
    return false;
}

/* Words `w` are a total's label: "Cộng", "Tổng cộng: 25", "Tổng số". */
static bool total_words(const table *tb, const char *w)
{
    for (size_t i = 0; i < tb->t->n_totals; i++) {
        size_t end;
        if (!starts_with_words(w, tb->t->totals[i], &end))
            continue;
        /* what follows may only be a count */
        const char *rest = w + end;
        while (*rest == ' ' || (*rest >= '0' && *rest <= '9'))
            rest++;
        if (!*rest || strncmp(rest, "nguoi", 5) == 0)
            return true;
    }
    return false;
}

/* A total row: its first text says so, or the text after a short one
 * ("A" | "Cộng"). */
static bool is_total(table *tb, const imp_row *r, const imp_cell *first,
                     const char *w)
{
    if (total_words(tb, w))
        return true;
    if (first->len > 4)
        return false;
    size_t at = (size_t)(first - r->cells) + 1;
    const imp_cell *c = first_text(r, &at);
    if (!c)
        return false;
    char w2[1024];
    fold_words(c->text, c->len, w2, sizeof w2);
    return total_words(tb, w2);
}

/* A numbering prefix: "I.", "II)", "1.", "1.2.", "A.", "a)", "I -",
 * "1 –"; its style
 * (1 roman, 2 arabic, 3 letter) and its length, or 0. */
static int numbering(const char *s, size_t *len, bool alone)
{
    size_t i = 0;
    int style = 0;
    while (s[i] == 'I' || s[i] == 'V' || s[i] == 'X' || s[i] == 'L')
        i++;
    if (i)
        style = 1;
    else {
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        if (i)
            style = 2;
        else if ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))
            i = 1, style = 3;
    }
    if (!style)
        return 0;
    while (style == 2 && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
    }
    size_t dash = i;
    while (style != 3 && s[dash] == ' ')
        dash++;
    if (s[i] == '.' || s[i] == ')') {
        i++;
    } else if (style != 3 && s[dash] == '-') {
        i = dash + 1;                     /* "I - KHỐI ĐẢNG", "1- UBND" */
    } else if (style != 3 && memcmp(s + dash, "\xE2\x80\x93", 3) == 0) {
        i = dash + 3;                     /* an en dash */
    } else if (!(alone && s[i] == '\0')) {
        return 0;
    }
    if (!alone && s[i] != ' ' && s[i] != '\0')
        return 0;
    while (s[i] == ' ')
        i++;
    *len = i;
    return style;
}

static bool is_date_col(const table *tb, uint32_t col)
{
    return col < tb->n_cols && tb->cols[col].field == F_BIRTH_DATE;
}

/* A group row: text only in the first cells, no birth date.  Returns
 * the unit's name (in the batch) and its numbering style. */
static const char *group_name(table *tb, const imp_row *r, int *style)
{
    char buf[2048];
    size_t n = 0;
    *style = 0;
    bool any = false;
    for (size_t i = 0; i < r->n; i++) {
        const imp_cell *c = &r->cells[i];
        if (c->copy)
            continue;
        if (c->col > tb->first_cells || is_date_col(tb, c->col))
            return NULL;
        if (c->type == IMP_NUMBER && !any && c->num == floor(c->num) &&
            c->num > 0 && c->num < 1000) {
            *style = 2; /* the number in the first column */
            continue;
        }
        if (c->type != IMP_TEXT)
            return NULL;
        const char *s = c->text;
        size_t len = c->len, k;
        if (!any) {
            int st = numbering(s, &k, true);
            if (st && k == len) { /* "I" alone in its cell */
                *style = st;
                continue;
            }
            if (st && k < len) {
                /* "A Páo" is a name, "A. Khối" a numbered group */
                st = numbering(s, &k, false);
                if (st) {
                    *style = st;
                    s += k, len -= k;
                }
            }
        }
        if (n && n + 1 < sizeof buf)
            buf[n++] = ' ';
        if (n + len >= sizeof buf)
            len = sizeof buf - n - 1;
        memcpy(buf + n, s, len);
        n += len;
        any = true;
    }
    while (n && (buf[n - 1] == ':' || buf[n - 1] == ' '))
        n--;
    if (!any || !n)
        return NULL;
    return keep(tb, buf, n);
}

/* A group row under the ones before it (import.md, "Group rows"). */
static void push_group(table *tb, const char *name, int style, uint32_t row)
{
    imp_batch *b = tb->b;
    if (!GROW(b->groups, b->cap_groups, b->n_groups + 1)) {
        tb->status = CADRE_ENOMEM;
        return;
    }
    if (tb->prev_group && tb->depth > 0) {
        /* directly under another group row: its child */
    } else {
        int k = tb->depth - 1;
        while (k >= 0 && (style == 0 || tb->stack[k].style != style))
            k--;
        if (k >= 0)
            tb->depth = k;           /* a sibling of that level */
        else if (tb->depth > 0)
            tb->depth--;             /* a sibling of the last */
    }
    if (tb->depth >= (int)(sizeof tb->stack / sizeof tb->stack[0]))
        tb->depth--;
    int32_t parent = tb->depth > 0 ? tb->stack[tb->depth - 1].index : -1;
    b->groups[b->n_groups] = (imp_group){name, parent, row};
    tb->stack[tb->depth++] = (group){style, (int32_t)b->n_groups};
    b->n_groups++;
}

/* ---------------------------------------------------------- the fields */

static const char *cell_text(table *tb, const imp_cell *c, char *buf,
                             size_t size)
{
    switch (c->type) {
    case IMP_TEXT:
        return c->text;
    case IMP_NUMBER:
        if (c->num == floor(c->num) && fabs(c->num) < 1e15)
            snprintf(buf, size, "%.0f", c->num);
        else
            snprintf(buf, size, "%.15g", c->num);
        return buf;
    case IMP_BOOL:
        return c->num ? "TRUE" : "FALSE";
    case IMP_DATE:
        cadre_date_format_short(c->date, buf, size);
        return buf;
    default:
        (void)tb;
        return "";
    }
}

/* A cell whose value cannot be used at all: an error, true returned. */
static bool unusable(table *tb, uint32_t row, const imp_cell *c)
{
    if (c->type == IMP_NOCACHE) {
        cell_error(tb, row, c, "a formula without a cached value: open and "
                   "save the file in Excel or LibreOffice");
        return true;
    }
    if (c->type == IMP_ERROR) {
        cell_error(tb, row, c, "the cell holds the error %s", c->text);
        return true;
    }
    if (c->type == IMP_TEXT && (c->flags & IMP_T_MOJIBAKE)) {
        cell_error(tb, row, c, "'%s' is UTF-8 text read as Latin-1 "
                   "(mojibake): correct the file, it is not imported",
                   c->text);
        return true;
    }
    return false;
}

/* Read a date cell: day and month, or a year alone when `year_ok`. */
static bool read_date(table *tb, uint32_t row, const imp_cell *c,
                      bool year_ok, const char *what, cadre_date *out)
{
    if (c->type == IMP_DATE) {
        *out = c->date;
        return true;
    }
    if (c->type == IMP_NUMBER) {
        if (c->date_fmt || !year_ok) {
            if (serial_date(c->num, tb->f->date1904, out))
                return true;
            cell_error(tb, row, c, "%s: %g is not a date", what, c->num);
            return false;
        }
        if (c->num == floor(c->num) && c->num >= 1900 && c->num <= 2100) {
            *out = (cadre_date){(int16_t)c->num, 0, 0};
            return true;
        }
        cell_error(tb, row, c, "%s: the number %g is not a date (format "
                   "the cell as a date, or write it 14/05/1971)", what,
                   c->num);
        return false;
    }
    if (c->type != IMP_TEXT) {
        cell_error(tb, row, c, "%s: not a date", what);
        return false;
    }
    int r = text_date(c->text, out);
    switch (r) {
    case D_OK:
        return true;
    case D_YEAR_ONLY:
        if (year_ok && out->year >= 1900 && out->year <= 2100)
            return true;
        cell_error(tb, row, c, "%s: '%s' is a year, a whole date is needed",
                   what, c->text);
        return false;
    case D_MONTH_FIRST:
        cell_error(tb, row, c, "%s: '%s' is not a date day first "
                   "(dd/mm/yyyy): the month cannot be over 12", what,
                   c->text);
        return false;
    case D_NO_SUCH_DAY:
        cell_error(tb, row, c, "%s: '%s' is a day that does not exist", what,
                   c->text);
        return false;
    default:
        cell_error(tb, row, c, "%s: '%s' is not a date (write 14/05/1971%s)",
                   what, c->text, year_ok ? ", or 1971 alone" : "");
        return false;
    }
}

static void value_error(table *tb, uint32_t row, const imp_cell *c,
                        int field, const char *text)
{
    const imp_fdef *d = &tb->t->f[field];
    cell_error(tb, row, c, "unknown %s '%s' (allowed: %s%s%s)",
               imp_field_name(field), text, d->label_list,
               d->prefix ? ", each may be followed by a major" : "",
               d->kind == K_PARTY ? ", or the date of joining" : "");
}

/* A mark in a split column: anything but an empty cell, 0 or FALSE. */
static bool is_mark(const imp_cell *c)
{
    if (c->type == IMP_NUMBER || c->type == IMP_BOOL)
        return c->num != 0;
    return c->type == IMP_TEXT || c->type == IMP_DATE;
}

/* imp_tmpl_value() through the field's cache. */
static int match_value(table *tb, int field, const char *text)
{
    vcache *vc = &tb->values[field];
    size_t n = strlen(text);
    if (n >= sizeof vc->text[0])
        return imp_tmpl_value(&tb->t->f[field], text, n);
    for (int i = 0; i < VCACHE; i++)
        if (vc->text[i][0] && strcmp(vc->text[i], text) == 0)
            return vc->code[i];
    int v = imp_tmpl_value(&tb->t->f[field], text, n);
    memmove(&vc->text[1], &vc->text[0], sizeof vc->text[0] * (VCACHE - 1));
    memmove(&vc->code[1], &vc->code[0], sizeof vc->code[0] * (VCACHE - 1));
    memcpy(vc->text[0], text, n + 1);
    vc->code[0] = v;
    return v;
}

/* A text of the row being read, kept until it is handed on. */
static bool rec_text(table *tb, int f, const char *s, size_t n)
{
    tb->text_off[f] = tb->rowtext.len;
    if (!imp_buf_add(&tb->rowtext, s, n) || !imp_buf_addc(&tb->rowtext, '\0')) {
        tb->status = CADRE_ENOMEM;
        return false;
    }
    tb->rec.has[f] = true;
    return true;
}

/* What a row's cells give that is read only once every cell is seen: the
 * name written in two columns, and the split columns marked. */
typedef struct row_marks {
    const imp_cell *family, *given; /* the name's two columns, when so */
    const imp_cell *bsplit;  /* the birth date in the Nam or Nữ column */
    int bsplit_code;         /* the gender that column says */
    /* split columns of code fields (category, gender): the marked one */
    const imp_cell *mark[F_COUNT];
    int mark_code[F_COUNT];  /* the code its column says */
} row_marks;

/* A cell of a split column (`split` its code): kept in `mk` when marked;
 * a second mark is an error. */
static void mark_split(table *tb, uint32_t row, const imp_cell *c, int f,
                       int split, row_marks *mk)
{
    if (!is_mark(c))
        return;
    if (f == F_BIRTH_DATE) {
        if (mk->bsplit) {
            cell_error(tb, row, c, "birth dates in both the Nam "
                       "and the Nữ columns");
            return;
        }
        mk->bsplit = c;
        mk->bsplit_code = split;
    } else {
        if (mk->mark[f]) {
            cell_error(tb, row, c, "%s marked in two columns",
                       imp_field_name(f));
            return;
        }
        mk->mark[f] = c;
        mk->mark_code[f] = split;
    }
}

/* Field `f` gets code `v`; a negative `v` is a `text` none of its labels
 * matched: an error. */
static void set_code(table *tb, uint32_t row, const imp_cell *c, int f,
                     int v, const char *text)
{
    if (v < 0) {
        value_error(tb, row, c, f, text);
        return;
    }
    tb->rec.code[f] = v;
    tb->rec.has[f] = true;
}

/* A K_MARK or K_PARTY cell: true or false, a label, or (K_PARTY) the day
 * the person joined the Party. */
static void read_mark(table *tb, uint32_t row, const imp_cell *c, int f,
                      const char *text)
{
    int v = -1;
    cadre_date day;
    if (c->type == IMP_BOOL)
        v = c->num != 0;
    else if (c->type == IMP_NUMBER && !c->date_fmt &&
             (c->num == 0 || c->num == 1))
        v = (int)c->num;
    else if (c->type == IMP_TEXT)
        v = match_value(tb, f, text);
    /* a date: the day the person joined the Party */
    bool dated = tb->t->f[f].kind == K_PARTY && v < 0 &&
                 (c->type != IMP_TEXT || text_date(c->text, &day) != D_BAD);
    if (dated) {
        if (!read_date(tb, row, c, false, "party-member", &tb->rec.date[f]))
            return;
        v = 1;
    }
    set_code(tb, row, c, f, v, text);
}

/* A K_SCORE cell: 0 to 10, with a comma or a dot, kept in hundredths. */
static void read_score(table *tb, uint32_t row, const imp_cell *c, int f,
                       const char *text)
{
    double v;
    char tmp[64];
    if (c->type == IMP_NUMBER) {
        v = c->num;
    } else {
        snprintf(tmp, sizeof tmp, "%s", text);
        char *comma = strchr(tmp, ',');
        if (comma)
            *comma = '.';
        if (!imp_number(tmp, &v))
            v = -1;
    }
    if (!(v >= 0 && v <= 10)) {
        cell_error(tb, row, c, "score '%s' is not a number from "
                   "0 to 10", text);
        return;
    }
    tb->rec.score = (int)floor(v * 100 + 0.5 + 1e-9);
    tb->rec.has[f] = true;
}

/* Cell `c` read as field `f` (of kind other than K_NONE) into the
 * record; the name's halves are kept in `mk` for later. */
static void read_field(table *tb, uint32_t row, const imp_cell *c, int f,
                       row_marks *mk)
{
    imp_rec *rec = &tb->rec;
    const imp_fdef *d = &tb->t->f[f];
    char nbuf[64];
    /* numbers as text only for the fields that read text */
    const char *text = d->kind == K_DATE || d->kind == K_DAY ? ""
                       : cell_text(tb, c, nbuf, sizeof nbuf);
    switch (d->kind) {
    case K_TEXT:
    case K_ID:
        if (f == F_FAMILY_NAME)
            mk->family = c;
        else if (f == F_GIVEN_NAME)
            mk->given = c;
        else
            rec_text(tb, f, text, strlen(text));
        break;
    case K_DATE:
    case K_DAY:
        if (read_date(tb, row, c, d->kind == K_DATE, imp_field_name(f),
                      &rec->date[f]))
            rec->has[f] = true;
        break;
    case K_CODE:
        set_code(tb, row, c, f, match_value(tb, f, text), text);
        break;
    case K_MARK:
    case K_PARTY:
        read_mark(tb, row, c, f, text);
        break;
    case K_SCORE:
        read_score(tb, row, c, f, text);
        break;
    default:
        break;
    }
}

/* The full name from the family and given name columns, when no column
 * gave it whole.  False when out of memory. */
static bool join_name(table *tb, const row_marks *mk)
{
    imp_rec *rec = &tb->rec;
    if (rec->has[F_FULL_NAME] || (!mk->family && !mk->given))
        return true;
    char fb[64], gb[64];
    const char *fs = mk->family ? cell_text(tb, mk->family, fb, sizeof fb)
                                : "";
    const char *gs = mk->given ? cell_text(tb, mk->given, gb, sizeof gb) : "";
    size_t n = strlen(fs) + strlen(gs) + 2;
    char *joined = malloc(n);
    if (!joined) {
        tb->status = CADRE_ENOMEM;
        return false;
    }
    snprintf(joined, n, "%s%s%s", fs, *fs && *gs ? " " : "", gs);
    rec_text(tb, F_FULL_NAME, joined, strlen(joined));
    rec->col[F_FULL_NAME] = mk->family ? mk->family->col : mk->given->col;
    free(joined);
    return true;
}

/* What the marked split columns say: the birth date and the gender of
 * its column, and the codes marked; a column that says otherwise is an
 * error. */
static void apply_marks(table *tb, uint32_t row, const row_marks *mk)
{
    imp_rec *rec = &tb->rec;
    if (mk->bsplit) {
        if (read_date(tb, row, mk->bsplit, true, "birth-date",
                      &rec->date[F_BIRTH_DATE]))
            rec->has[F_BIRTH_DATE] = true;
        rec->col[F_BIRTH_DATE] = mk->bsplit->col;
        if (rec->has[F_GENDER] && rec->code[F_GENDER] != mk->bsplit_code)
            cell_error(tb, row, mk->bsplit, "the birth date stands in the %s "
                       "column, the gender column says %s",
                       cadre_code_label(CADRE_CODE_GENDER, mk->bsplit_code),
                       cadre_code_label(CADRE_CODE_GENDER,
                                        rec->code[F_GENDER]));
        rec->code[F_GENDER] = mk->bsplit_code;
        rec->has[F_GENDER] = true;
    }
    for (int f = 0; f < F_COUNT; f++) {
        if (!mk->mark[f])
            continue;
        if (rec->has[f] && rec->code[f] != mk->mark_code[f])
            cell_error(tb, row, mk->mark[f], "the %s is marked here and "
                       "written otherwise in its column", imp_field_name(f));
        rec->code[f] = mk->mark_code[f];
        rec->has[f] = true;
        rec->col[f] = mk->mark[f]->col;
    }
    /* empty cells of fields that say what empty means */
    for (int f = 0; f < F_COUNT; f++) {
        const imp_fdef *d = &tb->t->f[f];
        if (!rec->has[f] && d->empty >= 0 && tb->mapped[f]) {
            rec->code[f] = d->empty;
            rec->has[f] = true;
        }
    }
}

/* The column a missing field `f` is reported at: its own (for the full
 * name its halves, for the gender the Nam and Nữ columns), else `first`. */
static uint32_t missing_col(const table *tb, int f, uint32_t first)
{
    for (size_t c = 0; c < tb->n_cols; c++)
        if (tb->cols[c].field == f ||
            (f == F_FULL_NAME && (tb->cols[c].field == F_FAMILY_NAME ||
                                  tb->cols[c].field == F_GIVEN_NAME)) ||
            (f == F_GENDER && tb->cols[c].field == F_BIRTH_DATE &&
             tb->cols[c].split >= 0))
            return (uint32_t)c;
    return first;
}

/* What a record must have, said at the row when missing; only for a row
 * without errors yet (`errors` were counted before it). */
static void check_needs(table *tb, const imp_row *r, size_t errors)
{
    const imp_rec *rec = &tb->rec;
    uint32_t first = r->n ? r->cells[0].col : 0;
    if (tb->t->records == 0) {
        static const int need[] = {F_FULL_NAME, F_BIRTH_DATE, F_GENDER,
                                   F_CATEGORY, F_EDUCATION, F_POLITICAL};
        for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
            int f = need[i];
            if (rec->has[f] || tb->data_errors > errors)
                continue;
            if (f != F_FULL_NAME && f != F_GENDER && !tb->mapped[f])
                continue; /* reported once, for the heading row */
            at_error(tb, r->row, missing_col(tb, f, first),
                     "no %s for this person%s", imp_field_name(f),
                     f == F_GENDER && has_split(tb, F_BIRTH_DATE)
                         ? " (no birth date in the Nam or Nữ column)" : "");
        }
    } else if (!rec->has[F_FULL_NAME] && !rec->has[F_ID] &&
               tb->data_errors == errors) {
        at_error(tb, r->row, first, "no name and no id: which cadre is "
                 "this?");
    }
    if (!rec->has[F_UNIT] && rec->group < 0 && !tb->b->title_unit &&
        tb->t->records == 0 && tb->data_errors == errors) {
        at_error(tb, r->row, first, "no unit: the table has no unit column "
                 "(Đơn vị ...) and no group row above this row names one");
    }
}

/* Read one data row into a record and hand it on, unless it has an
 * error: it would only add errors. */
static void read_record(table *tb, const imp_row *r)
{
    imp_batch *b = tb->b;
    imp_rec *rec = &tb->rec;
    memset(rec, 0, sizeof *rec);
    tb->rowtext.len = 0;
    rec->file = tb->f;
    rec->row = r->row;
    rec->group = tb->depth > 0 ? tb->stack[tb->depth - 1].index : -1;
    size_t errors = tb->data_errors;
    row_marks mk = {.bsplit_code = -1};
    for (size_t i = 0; i < r->n; i++) {
        const imp_cell *c = &r->cells[i];
        if (c->col >= tb->n_cols)
            continue;
        const colmap *m = &tb->cols[c->col];
        int f = m->field;
        if (f < 0 || f == F_IGNORE || tb->t->f[f].kind == K_NONE)
            continue;
        if (unusable(tb, r->row, c))
            continue;
        rec->col[f] = c->col;
        if (m->split >= 0)
            mark_split(tb, r->row, c, f, m->split, &mk);
        else
            read_field(tb, r->row, c, f, &mk);
    }
    if (!join_name(tb, &mk))
        return;
    apply_marks(tb, r->row, &mk);
    check_needs(tb, r, errors);
    if (tb->status != CADRE_OK || tb->data_errors != errors)
        return;
    for (int f = 0; f < F_COUNT; f++)
        if (rec->has[f] && (tb->t->f[f].kind == K_TEXT ||
                            tb->t->f[f].kind == K_ID))
            rec->text[f] = tb->rowtext.p + tb->text_off[f];
    b->n_recs++;
    b->on_rec(b->ctx, b, rec, tb->diags);
}

/* ---------------------------------------------------------------- rows */

static void mark_data(table *tb, uint32_t row)
{
    size_t byte = row / 8, old = tb->cap_rows;
    if (!GROW(tb->data_rows, tb->cap_rows, byte + 1)) {
        tb->status = CADRE_ENOMEM;
        return;
    }
    /* the rows not seen yet are no data rows */
    memset(tb->data_rows + old, 0, tb->cap_rows - old);
    tb->data_rows[byte] |= (uint8_t)(1u << (row % 8));
}

static bool is_data_row(const table *tb, uint32_t row)
{
    size_t byte = row / 8;
    return byte < tb->cap_rows && (tb->data_rows[byte] >> (row % 8)) & 1;
}

static bool has_real(const imp_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (!r->cells[i].copy)
            return true;
    return false;
}

/* A title line that says something: "Tính đến ngày 31/12/2018" (as-of),
 * "Đơn vị: UBND xã Bắc Sơn" (the unit of every row). */
static void title_line(table *tb, const imp_row *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const imp_cell *c = &r->cells[i];
        if (c->copy || c->type != IMP_TEXT)
            continue;
        char w[1024];
        fold_words(c->text, c->len, w, sizeof w);
        const char *p = strstr(w, "tinh den");
        cadre_date d;
        if (p && !cadre_date_is_set(tb->b->as_of) &&
            date_in_text(c->text, &d))
            tb->b->as_of = d;
        const char *colon = strchr(c->text, ':');
        if (colon && colon[1]) {
            char head[512];
            size_t n = imp_fold_heading(c->text, (size_t)(colon - c->text),
                                        head, sizeof head);
            if (n && imp_tmpl_heading(tb->t, head) == F_UNIT &&
                !tb->b->title_unit) {
                const char *v = colon + 1;
                while (*v == ' ')
                    v++;
                if (*v)
                    tb->b->title_unit = keep(tb, v, strlen(v));
            }
        }
    }
}

static void data_row(table *tb, const imp_row *r);

static int on_row(void *ctx, const imp_row *r)
{
    table *tb = ctx;
    if (tb->status != CADRE_OK)
        return 1;
    switch (tb->state) {
    case S_TITLE: {
        int matches = 0;
        for (size_t i = 0; i < r->n; i++) {
            const imp_cell *c = &r->cells[i];
            int split;
            if (!c->copy && c->type == IMP_TEXT &&
                match_heading(tb->t, c->text, &split) >= 0)
                matches++;
        }
        if (matches < 3) {
            title_line(tb, r);
            return 0;
        }
        if (!save_row(&tb->head, r)) {
            tb->status = CADRE_ENOMEM;
            return 1;
        }
        tb->state = S_SUBHEAD;
        return 0;
    }
    case S_SUBHEAD: {
        saved_row s = {0};
        if (!save_row(&s, r)) {
            free_saved(&s);
            tb->status = CADRE_ENOMEM;
            return 1;
        }
        bool sub = is_subheading(tb->t, &tb->head, &s);
        tb->sub = s; /* kept: the second pass may see it otherwise */
        tb->have_sub = sub;
        if (!build_map(tb->t, &tb->head, sub ? &tb->sub : NULL, &tb->cols,
                       &tb->n_cols)) {
            tb->status = CADRE_ENOMEM;
            return 1;
        }
        check_map(tb);
        tb->state = S_NUMBERS;
        if (sub)
            return 0;
    }
    /* the row is a column-number row or data */
    /* fall through */
    case S_NUMBERS:
        tb->state = S_DATA;
        if (only_numbers(r))
            return 0;
        /* fall through */
    default:
        data_row(tb, r);
        return tb->status != CADRE_OK;
    }
}

static void data_row(table *tb, const imp_row *r)
{
    imp_batch *b = tb->b;
    if (!has_real(r))
        return; /* only merged copies: nothing the file wrote */
    if (tb->state == S_FOOTER) {
        b->skipped++;
        return;
    }
    /* the row's first text, folded once for the footer and total tests */
    const imp_cell *first = first_text(r, NULL);
    char w[1024] = "";
    if (first)
        fold_words(first->text, first->len, w, sizeof w);
    if (first && is_footer(tb, first, w)) {
        tb->state = S_FOOTER;
        b->skipped++;
        tb->prev_group = false;
        return;
    }
    if (first && is_total(tb, r, first, w)) {
        b->skipped++;
        tb->prev_group = false;
        return;
    }
    int style;
    const char *name = group_name(tb, r, &style);
    if (tb->status != CADRE_OK)
        return;
    if (name) {
        if (tb->unit_col) {
            b->skipped++; /* the unit column says it: only a heading */
        } else {
            push_group(tb, name, style, r->row);
            tb->prev_group = true;
        }
        return;
    }
    tb->prev_group = false;
    bool person = false;
    for (size_t i = 0; i < r->n && !person; i++) {
        const imp_cell *c = &r->cells[i];
        if (c->copy || c->col >= tb->n_cols)
            continue;
        int f = tb->cols[c->col].field;
        person = f == F_FULL_NAME || f == F_FAMILY_NAME ||
                 f == F_GIVEN_NAME || f == F_BIRTH_DATE ||
                 (f == F_ID && tb->t->records == 1);
    }
    if (!person) {
        b->skipped++;
        return;
    }
    mark_data(tb, r->row - 1);
    read_record(tb, r);
}

/* ------------------------------------------------- the merged ranges */

/* Would the ranges found after the first pass change what it read? */
static bool merges_matter(table *tb)
{
    imp_file *f = tb->f;
    /* the headings: their spans known */
    for (size_t i = 0; i < tb->head.n; i++) {
        saved_cell *c = &tb->head.cells[i];
        c->span = 1;
        for (size_t k = 0; k < f->merges.n; k++) {
            const imp_merge *m = &f->merges.v[k];
            if (m->r1 == tb->head.row - 1 && m->c1 == c->col)
                c->span = m->c2 - m->c1 + 1;
        }
    }
    /* the row after the heading, with the spans known */
    bool sub = tb->sub.cells && is_subheading(tb->t, &tb->head, &tb->sub);
    if (sub != tb->have_sub)
        return true;
    colmap *cols;
    size_t n;
    if (!build_map(tb->t, &tb->head, sub ? &tb->sub : NULL, &cols, &n))
        return true;
    bool same = n == tb->n_cols;
    for (size_t c = 0; same && c < n; c++)
        same = cols[c].field == tb->cols[c].field &&
               cols[c].split == tb->cols[c].split;
    free(cols);
    if (!same)
        return true;
    /* the data: a copy into a column a data row reads */
    for (size_t k = 0; k < f->merges.n; k++) {
        const imp_merge *m = &f->merges.v[k];
        bool mapped = false;
        for (uint32_t c = m->c1; c <= m->c2 && c < tb->n_cols && !mapped; c++)
            mapped = tb->cols[c].field >= 0 && tb->cols[c].field != F_IGNORE;
        if (!mapped)
            continue;
        for (uint32_t r = m->r1; r <= m->r2; r++) {
            if (r == m->r1 && m->c1 == m->c2)
                continue;
            if (is_data_row(tb, r))
                return true;
            if (r - m->r1 > 2000000)
                break;
        }
    }
    return false;
}

/* -------------------------------------------------------------- entry */

static void table_release(table *tb)
{
    free_saved(&tb->head);
    free_saved(&tb->sub);
    free(tb->cols);
    free(tb->data_rows);
    imp_buf_free(&tb->rowtext);
    memset(tb, 0, sizeof *tb);
}

static void copy_diags(cadre_diags *to, const cadre_diags *from)
{
    size_t kept = 0;
    for (size_t i = 0; i < from->count; i++) {
        const cadre_diag *d = &from->items[i];
        kept += d->severity == CADRE_SEV_ERROR;
        cadre_diags_add(to, d->severity, d->file, d->line, "%s", d->message);
    }
    to->dropped += from->dropped;
    to->errors += from->errors - kept;
}

static cadre_error one_pass(const imp_tmpl *t, imp_file *f, const char *sheet,
                            imp_batch *b, cadre_diags *diags, table *tb)
{
    memset(tb, 0, sizeof *tb);
    tb->t = t;
    tb->f = f;
    tb->b = b;
    tb->diags = diags;
    imp_sink sink = {tb, on_row};
    cadre_error err = imp_read(f, sheet, &sink, diags);
    if (err == CADRE_OK)
        err = tb->status;
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, f->path, 0, "out of memory");
    return err;
}

cadre_error imp_table_read(const imp_tmpl *t, imp_file *f, const char *sheet,
                           imp_batch *b, cadre_diags *diags)
{
    table tb;
    cadre_diags first;
    cadre_diags_init(&first, diags ? diags->max : 0);
    bool may_repeat = f->format == IMP_FMT_XLSX && !f->merges_known;
    cadre_error err = one_pass(t, f, sheet, b, may_repeat ? &first : diags,
                               &tb);
    if (may_repeat && err == CADRE_OK && f->merges.n &&
        tb.state >= S_NUMBERS && merges_matter(&tb)) {
        table_release(&tb);
        cadre_diags_release(&first);
        imp_batch_release(b);
        b->on_restart(b->ctx);
        f->merges_known = true;
        err = one_pass(t, f, sheet, b, diags, &tb);
    } else if (may_repeat) {
        copy_diags(diags, &first);
    }
    cadre_diags_release(&first);
    if (err == CADRE_OK && tb.state == S_TITLE) {
        cadre_diags_error(diags, f->path, 0,
                          "%s%s%sno heading row: no row "
                          "has three cells with known headings (Họ và tên, "
                          "Ngày sinh, Giới tính, Đơn vị ...)",
                          f->sheet ? cadre_gettext("sheet ") : "",
                          f->sheet_ref ? f->sheet_ref : "",
                          f->sheet ? ": " : "");
        err = CADRE_EINVALID;
    }
    if (err == CADRE_OK && tb.data_errors)
        err = CADRE_EINVALID;
    table_release(&tb);
    return err;
}
