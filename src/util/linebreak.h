/*
 * linebreak.h (internal) - the one line breaker of cadrekit: text into
 * lines no wider than a width, greedily, at spaces.  A newline always
 * starts a new line; a word wider than a whole line is cut between
 * characters (or left whole, over-wide, when the caller asks).  The
 * caller measures: widths are whatever unit its callback returns (mm, a
 * font's 1/1000 em, a spreadsheet's character widths), and the width of a
 * line is the sum of its words' and gaps' widths.
 *
 *     struct line_breaker lb = { .measure = width_of, .ctx = font,
 *                                .first = 80, .width = 80, .cut_words = true };
 *     struct text_line *lines = NULL;
 *     size_t cap = 0, n = break_lines(&lb, text, strlen(text), &lines, &cap);
 *     for (size_t i = 0; i < n; i++)
 *         draw(text + lines[i].start, lines[i].len);
 *     free(lines);
 */
#ifndef CADRE_LINEBREAK_H
#define CADRE_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

/* Width of `len` bytes of `s` (valid UTF-8, no newline). */
typedef double line_measure_fn(void *ctx, const char *s, size_t len);

struct line_breaker {
    line_measure_fn *measure; /* the caller's measure */
    void *ctx;                /* passed to it */
    double first;             /* width of the first line (an indent) */
    double width;             /* width of every other line */
    bool cut_words;           /* cut a word wider than a line between
                                 characters; false: it stands alone */
    size_t max_lines;         /* stop counting there (0: no limit) */
};

/* One line: bytes [start, start + len) of the text, spaces at both ends
 * left out, and its width. */
struct text_line {
    size_t start, len;
    double width;
};

/* Break `len` bytes of `text` into lines.  Returns how many (at least 1:
 * an empty text is one empty line; an empty paragraph between two
 * newlines is an empty line), or 0 when out of memory.  When `lines` is
 * not NULL the lines are stored in *lines (grown as needed, *cap its
 * size; the caller frees it); NULL only counts. */
size_t break_lines(const struct line_breaker *lb, const char *text,
                   size_t len, struct text_line **lines, size_t *cap);

#endif
