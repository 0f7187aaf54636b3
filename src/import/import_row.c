/*
 * import_row.c - the row every reader fills: cells placed by column (a
 * sheet's cells may come sparse and in any order), texts cleaned, and
 * merged ranges filled with their top-left value.
 */
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "util/grow.h"

/* A merged range being filled: its top-left cell's value. */
struct imp_fill {
    imp_merge m;
    imp_cell cell; /* text points to `text` */
    char *text;
};

/* Copies one row may receive: a range wider than a sheet's table is a
 * banner (a title merged across), never a value a column needs, and a
 * hostile file must not make every row enormous. */
#define MAX_FILL_WIDTH 256
#define MAX_COPIES 4096

void imp_rowbuf_init(imp_rowbuf *rb, const imp_merges *merges)
{
    memset(rb, 0, sizeof *rb);
    rb->merges = merges; /* may grow while the sheet is read (ODS) */
}

void imp_rowbuf_clear(imp_rowbuf *rb)
{
    rb->n = 0;
    rb->text.len = 0;
}

static void drop_fill(struct imp_fill *f) { free(f->text); }

void imp_rowbuf_release(imp_rowbuf *rb)
{
    for (size_t i = 0; i < rb->n_fills; i++)
        drop_fill(&rb->fills[i]);
    free(rb->fills);
    free(rb->cells);
    imp_buf_free(&rb->text);
    memset(rb, 0, sizeof *rb);
}

imp_cell *imp_rowbuf_add(imp_rowbuf *rb, uint32_t col, int type,
                         const char *text, size_t len)
{
    if (!GROW(rb->cells, rb->cap, rb->n + 1))
        return NULL;
    imp_cell *c = &rb->cells[rb->n];
    memset(c, 0, sizeof *c);
    c->col = col;
    c->type = (uint8_t)type;
    if (type == IMP_TEXT || type == IMP_ERROR) {
        size_t off = rb->text.len;
        int flags = imp_text_clean(text, len, &rb->text);
        if (flags < 0 || !imp_buf_addc(&rb->text, '\0'))
            return NULL;
        c->flags = (uint8_t)flags;
        c->len = (uint32_t)(rb->text.len - 1 - off);
        /* an offset until the row is sent: the buffer may move */
        c->text = (const char *)(uintptr_t)off;
        if (c->len == 0 && type == IMP_TEXT)
            c->type = IMP_EMPTY;
    }
    rb->n++;
    return c;
}

static int by_col(const void *a, const void *b)
{
    const imp_cell *x = a, *y = b;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* Keep one cell per column, the last one given, and no empty ones. */
static void sort_cells(imp_rowbuf *rb)
{
    bool sorted = true;
    for (size_t i = 1; i < rb->n && sorted; i++)
        sorted = rb->cells[i - 1].col < rb->cells[i].col;
    if (!sorted)
        qsort(rb->cells, rb->n, sizeof *rb->cells, by_col);
    size_t w = 0;
    for (size_t i = 0; i < rb->n; i++) {
        if (rb->cells[i].type == IMP_EMPTY)
            continue;
        if (w && rb->cells[w - 1].col == rb->cells[i].col)
            w--;
        rb->cells[w++] = rb->cells[i];
    }
    rb->n = w;
}

static imp_cell *find_col(imp_rowbuf *rb, uint32_t col)
{
    size_t lo = 0, hi = rb->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (rb->cells[mid].col < col)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < rb->n && rb->cells[lo].col == col ? &rb->cells[lo] : NULL;
}

/* Start the ranges whose first row is `row`; texts are copied out. */
static int start_fills(imp_rowbuf *rb, uint32_t row)
{
    const imp_merges *ms = rb->merges;
    if (!ms->n && !rb->n_fills)
        return 0;
    while (rb->next_merge < ms->n && ms->v[rb->next_merge].r1 < row)
        rb->next_merge++; /* its top-left row was empty */
    for (; rb->next_merge < ms->n && ms->v[rb->next_merge].r1 == row;
         rb->next_merge++) {
        const imp_merge *m = &ms->v[rb->next_merge];
        imp_cell *tl = find_col(rb, m->c1);
        if (!tl)
            continue;
        tl->span = m->c2 - m->c1 + 1;
        if (m->r1 == m->r2 && m->c1 == m->c2)
            continue;
        if (!GROW(rb->fills, rb->cap_fills, rb->n_fills + 1))
            return -1;
        struct imp_fill *f = &rb->fills[rb->n_fills];
        f->m = *m;
        f->cell = *tl;
        f->text = NULL;
        if (tl->type == IMP_TEXT || tl->type == IMP_ERROR) {
            const char *src = rb->text.p + (uintptr_t)tl->text;
            if (!(f->text = malloc(tl->len + 1)))
                return -1;
            memcpy(f->text, src, tl->len + 1);
        }
        rb->n_fills++;
    }
    return 0;
}

/* Add the copies every active range gives this row. */
static int apply_fills(imp_rowbuf *rb, uint32_t row)
{
    if (!rb->n_fills)
        return 0;
    size_t copies = 0, w = 0;
    size_t n_real = rb->n;
    for (size_t i = 0; i < rb->n_fills; i++) {
        struct imp_fill *f = &rb->fills[i];
        if (f->m.r2 < row) {
            drop_fill(f);
            continue;
        }
        rb->fills[w++] = *f;
        uint32_t last = f->m.c2;
        if (last - f->m.c1 >= MAX_FILL_WIDTH)
            last = f->m.c1 + MAX_FILL_WIDTH - 1;
        for (uint32_t c = f->m.c1; c <= last && copies < MAX_COPIES; c++) {
            if (row == f->m.r1 && c == f->m.c1)
                continue;
            if (!GROW(rb->cells, rb->cap, rb->n + 1))
                return -1;
            imp_cell *cell = &rb->cells[rb->n++];
            *cell = f->cell;
            cell->col = c;
            cell->copy = true;
            cell->span = 0;
            /* marks a copy's text: it lives in the fill, not the row */
            cell->text = f->text;
            cell->line = UINT32_MAX;
            copies++;
        }
    }
    rb->n_fills = w;
    if (rb->n == n_real)
        return 0;
    /* the copies replace what the file left under a merged cell */
    qsort(rb->cells, rb->n, sizeof *rb->cells, by_col);
    size_t k = 0;
    for (size_t i = 0; i < rb->n; i++) {
        if (k && rb->cells[k - 1].col == rb->cells[i].col) {
            if (rb->cells[i].copy)
                rb->cells[k - 1] = rb->cells[i];
            continue;
        }
        rb->cells[k++] = rb->cells[i];
    }
    rb->n = k;
    return 0;
}

int imp_rowbuf_send(imp_rowbuf *rb, uint32_t row, imp_sink *sink)
{
    sort_cells(rb);
    if (rb->merges) {
        if (start_fills(rb, row - 1) != 0)
            return -1;
        /* the ranges are known: a cell in none spans its own column */
        for (size_t i = 0; i < rb->n; i++)
            if (!rb->cells[i].span)
                rb->cells[i].span = 1;
        if (apply_fills(rb, row - 1) != 0)
            return -1;
    }
    if (rb->n == 0) {
        imp_rowbuf_clear(rb);
        return 0;
    }
    for (size_t i = 0; i < rb->n; i++) {
        imp_cell *c = &rb->cells[i];
        if (c->type != IMP_TEXT && c->type != IMP_ERROR)
            c->text = NULL;
        else if (c->line == UINT32_MAX)
            c->line = 0; /* a copy: text already a pointer */
        else
            c->text = rb->text.p + (uintptr_t)c->text;
    }
    imp_row r = {row, rb->cells, rb->n};
    int stop = sink->row(sink->ctx, &r);
    imp_rowbuf_clear(rb);
    return stop;
}

void imp_merges_free(imp_merges *m)
{
    free(m->v);
    memset(m, 0, sizeof *m);
}

bool imp_merges_add(imp_merges *m, uint32_t r1, uint32_t c1, uint32_t r2,
                    uint32_t c2)
{
    if (r2 < r1 || c2 < c1)
        return true; /* meaningless: ignored */
    if (!GROW(m->v, m->cap, m->n + 1))
        return false;
    m->v[m->n++] = (imp_merge){r1, c1, r2, c2};
    return true;
}

static int by_start(const void *a, const void *b)
{
    const imp_merge *x = a, *y = b;
    if (x->r1 != y->r1)
        return x->r1 < y->r1 ? -1 : 1;
    return x->c1 < y->c1 ? -1 : x->c1 > y->c1;
}

void imp_merges_sort(imp_merges *m)
{
    if (m->n > 1)
        qsort(m->v, m->n, sizeof *m->v, by_start);
}
