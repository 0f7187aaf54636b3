/*
 * report_chart.c - the booklet's charts as vector graphics: bars side by
 * side, stacked bars and lines, with an axis in round steps, a grid, the
 * values, category labels and a legend in the template's words.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "report_blocks.h"

static const uint32_t palette[] = { 0x1F4E79, 0xC55A11, 0x548235, 0xBF9000,
                                    0x7030A0, 0x2E75B6, 0x843C0C, 0x7F7F7F };

#define LABEL_SIZE 8.0 /* labels, axis and legend */

/* The plot of a chart: where it is and what its axis reaches. */
struct plot {
    double px, py, pw, ph; /* the plot's box, mm */
    double slot;           /* width of a category, mm */
    double top, step;      /* the axis' top value and its step */
};

/* A round step for an axis up to `max` in about five steps. */
static double nice_step(double max)
{
    if (max <= 0)
        return 1;
    double raw = max / 5, p = pow(10, floor(log10(raw)));
    double f = raw / p;
    double step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    step *= p;
    return step < 1 ? 1 : step;
}

/* A value as the chart prints it ("1.188"); beyond 15 digits "?". */
static void number(double v, char *buf, size_t size)
{
    if (v > -1e15 && v < 1e15)
        cadre_format_int((long long)llround(v), buf, size);
    else
        snprintf(buf, size, "?");
}

static bool has_legend(const booklet_chart *c)
{
    return c->n_series > 1 || (c->n_series == 1 && c->series[0]);
}

/* The legend: a swatch and a name per series, on lines centred under the
 * chart, a name longer than a line wrapped.  Drawn from `y` when `draw`;
 * returns its height. */
static double legend(layout *L, const booklet_chart *c, double y, bool draw)
{
    double fs = LABEL_SIZE, lh = line_height(fs), W = L->right - L->left;
    double x = L->left, line_h = lh, top = y;
    size_t first = 0; /* the series that begins the line */
    for (size_t s = 0; s <= c->n_series; s++) {
        const char *name = s < c->n_series && c->series[s] ? c->series[s] : "";
        double tw = layout_width(L, FACE_REGULAR, fs, name, strlen(name));
        if (tw > W - 5)
            tw = W - 5;
        bool ends = s == c->n_series || (x + 5 + tw > L->right && s > first);
        if (ends) { /* draw the line of series [first, s), centred */
            double used = x - L->left - 6, at = L->left + (W - used) / 2;
            for (size_t k = first; draw && k < s; k++) {
                const char *n = c->series[k] ? c->series[k] : "";
                double w = layout_width(L, FACE_REGULAR, fs, n, strlen(n));
                w = w > W - 5 ? W - 5 : w;
                layout_rect(L, at, y + 1, 3.5, 2.8, 0, CADRE_PDF_NONE,
                            palette[k % 8]);
                layout_draw_wrapped(L, FACE_REGULAR, fs, n, at + 5,
                                    y + 3.6, w + 0.1, lh, TEXT_LEFT, 0,
                                    0x000000);
                at += 5 + w + 6;
            }
            y += line_h + 1;
            x = L->left;
            line_h = lh;
            first = s;
            if (s == c->n_series)
                break;
        }
        size_t nl = layout_count_lines(L, FACE_REGULAR, fs, name, tw + 0.1);
        if ((double)nl * lh > line_h)
            line_h = (double)nl * lh;
        x += 5 + tw + 6;
    }
    return y - top + 1;
}

/* Everything of a chart but its plot: title, labels, legend. */
static double chart_extra(layout *L, const booklet_chart *c, double *label_h,
                          double *xt_h)
{
    double fs = LABEL_SIZE, W = L->right - L->left;
    size_t nc = c->n_cats;
    double title_h = c->title ? line_height(11) * (double)layout_count_lines(
                                    L, FACE_BOLD, 11, c->title, W) + 2
                              : 0;
    double slot = (W - 16) / (double)(nc ? nc : 1);
    size_t label_lines = 1;
    for (size_t i = 0; i < nc; i++) {
        size_t nl = layout_count_lines(L, FACE_REGULAR, fs, c->cats[i],
                                       slot - 1);
        if (nl > label_lines)
            label_lines = nl;
    }
    *label_h = (double)label_lines * line_height(fs) + 2;
    *xt_h = c->x_title && *c->x_title
                ? line_height(fs) * (double)layout_count_lines(
                      L, FACE_ITALIC, fs, c->x_title, W) + 1
                : 0;
    double legend_h = has_legend(c) ? legend(L, c, 0, false) + 1 : 0;
    return title_h + *label_h + legend_h + *xt_h + 4;
}

double booklet_chart_need(layout *L, const booklet_chart *c)
{
    double a, b;
    return c->height + chart_extra(L, c, &a, &b);
}

/* A text on one line from (x, y), shrunk to `w` mm when it is wider. */
static void fitted(layout *L, int face, double size, const char *s, double x,
                   double y, double w, int align)
{
    double tw = layout_width(L, face, size, s, strlen(s));
    if (tw > w)
        size *= w / tw;
    layout_text(L, face, size, x, y, align, s, strlen(s), 0x000000);
}

/* The axis, its grid and its title; sets where the plot is. */
static void chart_axis(layout *L, const booklet_chart *c, struct plot *p)
{
    double fs = LABEL_SIZE, max = 0;
    size_t ns = c->n_series, nc = c->n_cats;
    /* the largest bar (or stack) decides the scale */
    for (size_t i = 0; i < nc; i++) {
        double stack = 0;
        for (size_t s = 0; s < ns; s++) {
            double v = c->v[i * ns + s];
            if (c->type == CHART_STACKED)
                stack += v;
            else if (v > max)
                max = v;
        }
        if (stack > max)
            max = stack;
    }
    p->step = nice_step(max * 1.08);
    p->top = p->step * ceil(max * 1.08 / p->step);
    if (!(p->top > 0))
        p->top = p->step * 5;
    char buf[64];
    number(p->top, buf, sizeof buf);
    double yl_w = layout_width(L, FACE_REGULAR, fs, buf, strlen(buf)) + 2;
    double yt_w = c->y_title && *c->y_title ? line_height(fs) + 1 : 0;
    p->px = L->left + yl_w + yt_w;
    p->pw = L->right - p->px - 2;
    p->py = L->y + line_height(fs);
    p->ph = c->height - line_height(fs);
    p->slot = p->pw / (double)(nc ? nc : 1);
    for (double v = 0; v <= p->top + p->step / 2; v += p->step) {
        double y = p->py + p->ph - p->ph * v / p->top;
        layout_line(L, p->px, y, p->px + p->pw, y, v == 0 ? 0.8 : 0.3,
                    v == 0 ? 0x000000 : 0xBBBBBB);
        number(v, buf, sizeof buf);
        layout_text(L, FACE_REGULAR, fs, p->px - 1.5, y + fs * PT * 0.35,
                    CADRE_PDF_RIGHT, buf, strlen(buf), 0x000000);
    }
    layout_line(L, p->px, p->py, p->px, p->py + p->ph, 0.8, 0x000000);
    if (yt_w)
        fitted(L, FACE_ITALIC, fs, c->y_title, L->left,
               L->y + fs * PT * 0.1 + 1, L->right - L->left, CADRE_PDF_LEFT);
}

/* A line per series, each point with its value. */
static void chart_lines(layout *L, const booklet_chart *c,
                        const struct plot *p)
{
    size_t ns = c->n_series, nc = c->n_cats;
    char buf[64];
    for (size_t s = 0; s < ns; s++) {
        double prev_x = 0, prev_y = 0;
        for (size_t i = 0; i < nc; i++) {
            double v = c->v[i * ns + s];
            double x = p->px + p->slot * ((double)i + 0.5);
            double y = p->py + p->ph - p->ph * v / p->top;
            if (i)
                layout_line(L, prev_x, prev_y, x, y, 1.6, palette[s % 8]);
            layout_rect(L, x - 0.9, y - 0.9, 1.8, 1.8, 0, CADRE_PDF_NONE,
                        palette[s % 8]);
            number(v, buf, sizeof buf);
            layout_text(L, FACE_REGULAR, LABEL_SIZE - 1, x, y - 1.8,
                        CADRE_PDF_CENTER, buf, strlen(buf), 0x333333);
            prev_x = x;
            prev_y = y;
        }
    }
}

/* Bars side by side or stacked, each with its value where it fits (the
 * neighbours' values must not run into each other). */
static void chart_bars(layout *L, const booklet_chart *c, const struct plot *p)
{
    size_t ns = c->n_series, nc = c->n_cats;
    char buf[64];
    for (size_t i = 0; i < nc; i++) {
        double x0 = p->px + p->slot * (double)i + p->slot * 0.15;
        double bw = p->slot * 0.7, base = p->py + p->ph, sum = 0;
        for (size_t s = 0; s < ns; s++) {
            double v = c->v[i * ns + s], h = p->ph * v / p->top;
            double bx = x0, w = bw;
            if (c->type == CHART_BARS) {
                w = bw / (double)ns;
                bx = x0 + w * (double)s;
            }
            if (h > 0)
                layout_rect(L, bx, base - h, w, h, 0, CADRE_PDF_NONE,
                            palette[s % 8]);
            number(v, buf, sizeof buf);
            double vs = LABEL_SIZE - 1;
            double tw = layout_width(L, FACE_REGULAR, vs, buf, strlen(buf));
            while (tw > w - 0.6 && vs > 5) {
                vs -= 0.5;
                tw = layout_width(L, FACE_REGULAR, vs, buf, strlen(buf));
            }
            if (c->type == CHART_BARS && tw <= w - 0.6)
                layout_text(L, FACE_REGULAR, vs, bx + w / 2, base - h - 0.8,
                            CADRE_PDF_CENTER, buf, strlen(buf), 0x000000);
            else if (c->type == CHART_STACKED && h > vs * PT + 0.5 && v > 0 &&
                     tw <= w)
                layout_text(L, FACE_REGULAR, vs, bx + w / 2,
                            base - h / 2 + vs * PT * 0.35, CADRE_PDF_CENTER,
                            buf, strlen(buf), 0xFFFFFF);
            if (c->type == CHART_STACKED)
                base -= h;
            sum += v;
        }
        if (c->type == CHART_STACKED) {
            number(sum, buf, sizeof buf);
            layout_text(L, FACE_BOLD, LABEL_SIZE - 1, x0 + bw / 2, base - 0.8,
                        CADRE_PDF_CENTER, buf, strlen(buf), 0x000000);
        }
    }
}

void booklet_chart_draw(layout *L, const booklet_chart *c)
{
    double fs = LABEL_SIZE, W = L->right - L->left;
    double label_h, xt_h;
    layout_ensure(L, c->height + chart_extra(L, c, &label_h, &xt_h));
    if (c->title) {
        size_t nl = layout_draw_wrapped(L, FACE_BOLD, 11, c->title, L->left,
                                        L->y + 11 * PT, W, line_height(11),
                                        TEXT_CENTER, 0, 0x000000);
        L->y += (double)nl * line_height(11) + 2;
    }
    struct plot p;
    chart_axis(L, c, &p);
    if (c->type == CHART_LINE)
        chart_lines(L, c, &p);
    else
        chart_bars(L, c, &p);
    L->y = p.py + p.ph + 1;
    for (size_t i = 0; i < c->n_cats; i++)
        layout_draw_wrapped(L, FACE_REGULAR, fs, c->cats[i],
                            p.px + p.slot * (double)i + 0.5, L->y + fs * PT,
                            p.slot - 1, line_height(fs), TEXT_CENTER, 0,
                            0x000000);
    L->y += label_h;
    if (xt_h) {
        layout_draw_wrapped(L, FACE_ITALIC, fs, c->x_title, L->left,
                            L->y + fs * PT, W, line_height(fs), TEXT_CENTER,
                            0, 0x000000);
        L->y += xt_h;
    }
    if (has_legend(c))
        L->y += legend(L, c, L->y + 1, true) + 1;
    L->y += 4;
}
