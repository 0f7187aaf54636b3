/* linebreak.c - greedy line breaking at spaces (linebreak.h). */
#include "util/linebreak.h"

#include "util/grow.h"

/* The byte after the UTF-8 character at `at` (never past `end`). */
static size_t next_char(const char *s, size_t at, size_t end)
{
    at++;
    while (at < end && ((unsigned char)s[at] & 0xC0) == 0x80)
        at++;
    return at;
}

/* The breaker's state: where the line being filled starts and ends. */
struct filling {
    const struct line_breaker *lb;
    const char *s;
    struct text_line **lines;
    size_t *cap;
    size_t n;        /* lines finished */
    bool failed;     /* out of memory */
    size_t start;    /* the line's first byte */
    size_t end;      /* after its last word */
    double w;        /* its width so far */
    bool empty;      /* no word yet */
};

static double avail(const struct filling *f)
{
    return f->n == 0 ? f->lb->first : f->lb->width;
}

static bool full(const struct filling *f)
{
    return f->failed || (f->lb->max_lines && f->n >= f->lb->max_lines);
}

/* Finish the line being filled, and start the next at `at`. */
static void emit(struct filling *f, size_t at)
{
    if (full(f))
        return;
    if (f->lines) {
        if (!GROW(*f->lines, *f->cap, f->n + 1)) {
            f->failed = true;
            return;
        }
        (*f->lines)[f->n] = (struct text_line){
            f->start, f->empty ? 0 : f->end - f->start, f->empty ? 0 : f->w };
    }
    f->n++;
    f->start = f->end = at;
    f->w = 0;
    f->empty = true;
}

/* Place the word [a, b), cutting it when it is wider than a whole line. */
static void place_word(struct filling *f, size_t a, size_t b, size_t gap_a)
{
    const struct line_breaker *lb = f->lb;
    double ww = lb->measure(lb->ctx, f->s + a, b - a);
    if (!f->empty) {
        double gap = lb->measure(lb->ctx, f->s + gap_a, a - gap_a);
        if (f->w + gap + ww <= avail(f)) {
            f->w += gap + ww;
            f->end = b;
            return;
        }
        emit(f, a);
    }
    /* the word starts the line */
    while (ww > avail(f) && lb->cut_words && !full(f)) {
        /* the longest head that fits, one character at least */
        size_t cut = next_char(f->s, a, b);
        for (size_t nx; cut < b; cut = nx) {
            nx = next_char(f->s, cut, b);
            if (lb->measure(lb->ctx, f->s + a, nx - a) > avail(f))
                break;
        }
        if (cut >= b)
            break;
        f->start = a;
        f->end = cut;
        f->w = lb->measure(lb->ctx, f->s + a, cut - a);
        f->empty = false;
        emit(f, cut);
        a = cut;
        ww = lb->measure(lb->ctx, f->s + a, b - a);
    }
    f->start = a;
    f->end = b;
    f->w = ww;
    f->empty = false;
}

size_t break_lines(const struct line_breaker *lb, const char *text,
                   size_t len, struct text_line **lines, size_t *cap)
{
    struct filling f = { .lb = lb, .s = text, .lines = lines, .cap = cap,
                         .empty = true };
    size_t i = 0;
    while (i < len && !full(&f)) {
        size_t gap = i;
        while (i < len && text[i] == ' ')
            i++;
        if (i < len && text[i] == '\n') {
            if (f.empty)
                f.start = f.end = i;
            emit(&f, i + 1);
            i++;
            continue;
        }
        if (i == len)
            break;
        size_t w = i;
        while (i < len && text[i] != ' ' && text[i] != '\n')
            i++;
        place_word(&f, w, i, gap);
    }
    if (!full(&f))
        emit(&f, len);
    if (f.failed)
        return 0;
    return f.n;
}
