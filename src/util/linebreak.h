/*
 * linebreak.h (internal) - the one line breaker of cadrekit: text into
 * lines no wider than a width, at spaces, for PDF text boxes, booklet
 * paragraphs and headings, and spreadsheet cells.  The caller measures:
 * widths are in whatever unit its callback returns (mm, a font's 1/1000
 * em, a spreadsheet's character widths).
 *
 * First the text is cut into words (line_words()): at spaces, a newline
 * starting a new line (an empty paragraph is an empty word), and a word
 * wider than `cut` cut between characters into pieces that fit.  Then the
 * words are set in lines, either greedily, each line taking the words
 * that fit (line_fill(): paragraphs, text boxes, cells), or as a whole
 * (line_balance(): headings, titles), as few and as even lines as the
 * width allows, breaking where the caller says a break is good.  A line's
 * width is its words' widths and the spaces between them as written.
 *
 *     struct line_breaker lb = { .measure = width_of, .ctx = font,
 *                                .first = 80, .width = 80, .cut = 80 };
 *     struct line_word *w = NULL;
 *     size_t cap = 0, n = line_words(&lb, text, strlen(text), &w, &cap);
 *     struct line_span *lines = malloc((n + 1) * sizeof *lines);
 *     size_t nl = line_fill(&lb, w, n, lines, 0);
 *     for (size_t i = 0; i < nl; i++)
 *         draw(text + lines[i].start, lines[i].end - lines[i].start);
 */
#ifndef CADRE_LINEBREAK_H
#define CADRE_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

/* Width of `len` bytes of `s` (whole UTF-8 characters, no newline). */
typedef double line_measure_fn(void *ctx, const char *s, size_t len);

struct line_breaker {
    line_measure_fn *measure; /* the caller's measure */
    void *ctx;                /* passed to it */
    double first;             /* width of the first line (less an indent) */
    double width;             /* width of every other line */
    double cut;               /* a word wider than this (plus `slack`) is
                                 cut into pieces at most this wide; 0: no
                                 word is cut */
    double slack;             /* how much wider than `cut` a word may be
                                 and stay whole */
    double line_cost;         /* line_balance(): the cost of a line ... */
    double bad_break;         /* ... and of a break that is not good; the
                                 slack of each line but the last costs its
                                 square */
};

/* A word: bytes [start, start + len) of the text. */
struct line_word {
    size_t start, len;
    double width;     /* measured */
    double gap;       /* the spaces before it, as written, measured */
    bool breaks;      /* starts a line: after a newline, or a piece of a
                         cut word after its first */
    bool cont;        /* a piece of a cut word, after its first */
};

/* A line: bytes [start, end) of the text, words [w0, w1). */
struct line_span {
    size_t start, end;
    size_t w0, w1;
    double width;     /* its words and the spaces between them */
};

/* Cut `len` bytes of `text` into words, appended to *words (grown as
 * needed; *cap its size; the caller frees it).  Returns how many, or
 * (size_t)-1 when out of memory. */
size_t line_words(const struct line_breaker *lb, const char *text,
                  size_t len, struct line_word **words, size_t *cap);

/* Set the `n` words in lines greedily, into `lines` (room for n + 1
 * lines; NULL to count only), at most `max` lines (0: no limit).
 * Returns how many: at least 1 (no words: one empty line). */
size_t line_fill(const struct line_breaker *lb, const struct line_word *w,
                 size_t n, struct line_span *lines, size_t max);

/* Most words line_balance() takes (longer texts are filled). */
#define LINE_BALANCE_MAX 96

/* Set the `n` words (at most LINE_BALANCE_MAX) in lines chosen as a whole:
 * as few and as even as the width allows, a break before word j costing
 * a line and more when good[j] is false (it may split a word of two
 * syllables); a word that breaks starts a line.  Into `lines` (room for
 * n + 1); returns how many, or 0 when n is too large. */
size_t line_balance(const struct line_breaker *lb, const struct line_word *w,
                    size_t n, const bool *good, struct line_span *lines);

#endif
