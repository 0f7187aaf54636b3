/* linebreak.c - words and lines (linebreak.h). */
#include "util/linebreak.h"

#include "util/grow.h"

static bool inside_char(const char *s, size_t i)
{
    return ((unsigned char)s[i] & 0xC0) == 0x80;
}

/* The next character boundary after `at` (or `len`). */
static size_t next_boundary(const char *s, size_t at, size_t len)
{
    at++;
    while (at < len && inside_char(s, at))
        at++;
    return at;
}

/* Bytes of the longest prefix of `len` bytes at `s`, whole characters,
 * at most `maxw` wide: all of them when they fit, one character at least.
 * Prefixes of 1, 2, 4 ... characters' worth are tried, then halves: the
 * cost is a few measures of the prefix's length, whatever the length of
 * the word (a hostile 64 KB name must not cost its square). */
static size_t longest_fitting(const struct line_breaker *lb, const char *s,
                              size_t len, double maxw)
{
    size_t lo = 0, hi = len + 1; /* lo fits (or is empty), hi does not */
    for (size_t step = 1;; step *= 2) {
        size_t at = lo + step;
        if (at >= len) {
            if (lb->measure(lb->ctx, s, len) <= maxw)
                return len;
            hi = len;
            break;
        }
        while (at < len && inside_char(s, at))
            at++;
        if (lb->measure(lb->ctx, s, at) > maxw) {
            hi = at;
            break;
        }
        lo = at;
    }
    while (lo < hi) { /* halves between two boundaries */
        size_t mid = lo + (hi - lo) / 2;
        while (mid > lo && inside_char(s, mid))
            mid--;
        if (mid == lo) {
            mid = next_boundary(s, lo, len);
            if (mid >= hi)
                break;
        }
        if (lb->measure(lb->ctx, s, mid) <= maxw)
            lo = mid;
        else
            hi = mid;
    }
    return lo ? lo : next_boundary(s, 0, len); /* one character anyway */
}

/* The words being cut from a text. */
struct cutting {
    const struct line_breaker *lb;
    const char *s;
    struct line_word **w;
    size_t *cap;
    size_t n;
    bool failed;
};

static void push(struct cutting *c, struct line_word word)
{
    if (c->failed || !GROW(*c->w, *c->cap, c->n + 1)) {
        c->failed = true;
        return;
    }
    (*c->w)[c->n++] = word;
}

/* Add the word [a, b) after a gap of `gap`: whole when it is at most
 * cut + slack wide, else in pieces at most `cut` wide. */
static void add_word(struct cutting *c, size_t a, size_t b, double gap,
                     bool breaks)
{
    const struct line_breaker *lb = c->lb;
    for (bool cont = false; a < b; cont = true) {
        size_t k = b - a;
        if (lb->cut > 0) {
            k = longest_fitting(lb, c->s + a, b - a, lb->cut + lb->slack);
            if (k < b - a)
                k = longest_fitting(lb, c->s + a, k, lb->cut);
        }
        double width = lb->measure(lb->ctx, c->s + a, k);
        push(c, (struct line_word){ a, k, width, cont ? 0 : gap,
                                    breaks || cont, cont });
        a += k;
    }
}

size_t line_words(const struct line_breaker *lb, const char *text,
                  size_t len, struct line_word **words, size_t *cap)
{
    struct cutting c = { lb, text, words, cap, 0, false };
    bool breaks = false;   /* the next word starts a line */
    bool paragraph = false; /* a word since the last newline */
    bool newline = false;   /* a newline seen */
    for (size_t i = 0; i < len;) {
        size_t gap_at = i;
        while (i < len && text[i] == ' ')
            i++;
        if (i < len && text[i] == '\n') {
            if (!paragraph) /* an empty paragraph: an empty line */
                push(&c, (struct line_word){ i, 0, 0, 0, c.n > 0, false });
            breaks = newline = true;
            paragraph = false;
            i++;
            continue;
        }
        if (i == len)
            break;
        size_t start = i;
        while (i < len && text[i] != ' ' && text[i] != '\n')
            i++;
        double gap = start > gap_at
                         ? lb->measure(lb->ctx, text + gap_at, start - gap_at)
                         : 0;
        add_word(&c, start, i, gap, breaks);
        breaks = false;
        paragraph = true;
    }
    if (newline && !paragraph) /* the text ends with a newline */
        push(&c, (struct line_word){ len, 0, 0, 0, true, false });
    return c.failed ? (size_t)-1 : c.n;
}

static struct line_span span(const struct line_word *w, size_t i, size_t j,
                             double width)
{
    return (struct line_span){ w[i].start, w[j - 1].start + w[j - 1].len, i,
                               j, width };
}

size_t line_fill(const struct line_breaker *lb, const struct line_word *w,
                 size_t n, struct line_span *lines, size_t max)
{
    if (n == 0) {
        if (lines)
            lines[0] = (struct line_span){ 0, 0, 0, 0, 0 };
        return 1;
    }
    size_t nl = 0;
    for (size_t i = 0; i < n && (max == 0 || nl < max);) {
        size_t j = i + 1;
        double lw = w[i].width;
        double mw = nl == 0 ? lb->first : lb->width;
        while (j < n && !w[j].breaks && lw + w[j].gap + w[j].width <= mw) {
            lw += w[j].gap + w[j].width;
            j++;
        }
        if (lines)
            lines[nl] = span(w, i, j, lw);
        nl++;
        i = j;
    }
    return nl;
}

size_t line_balance(const struct line_breaker *lb, const struct line_word *w,
                    size_t n, const bool *good, struct line_span *lines)
{
    if (n > LINE_BALANCE_MAX)
        return 0;
    if (n == 0)
        return line_fill(lb, w, n, lines, 0);
    /* best[i]: the cost of words i.. laid out from the start of a line,
     * the first line when i == 0; next[i]: where its first line ends */
    double best[LINE_BALANCE_MAX + 1];
    size_t next[LINE_BALANCE_MAX + 1];
    best[n] = 0;
    for (size_t i = n; i-- > 0;) {
        double mw = i == 0 ? lb->first : lb->width, lw = 0;
        best[i] = 1e300;
        next[i] = i + 1;
        for (size_t j = i + 1; j <= n; j++) {
            if (j > i + 1 && w[j - 1].breaks)
                break; /* a word that breaks starts its own line */
            lw += (j > i + 1 ? w[j - 1].gap : 0) + w[j - 1].width;
            if (lw > mw && j > i + 1)
                break;
            double slack = mw - lw;
            double c = lb->line_cost + best[j];
            if (j < n)
                c += slack * slack +
                     (good[j] || w[j].breaks ? 0 : lb->bad_break);
            if (c < best[i]) {
                best[i] = c;
                next[i] = j;
            }
        }
    }
    size_t nl = 0;
    for (size_t i = 0; i < n; i = next[i]) {
        size_t j = next[i];
        double lw = w[i].width;
        for (size_t k = i + 1; k < j; k++)
            lw += w[k].gap + w[k].width;
        lines[nl++] = span(w, i, j, lw);
    }
    return nl;
}
