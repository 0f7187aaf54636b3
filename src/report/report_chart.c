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

static void number(double v, char *buf, size_t size)
{
    cadre_format_int((long long)llround(v), buf, size);
}

/* Everything of a chart but its plot: title, labels, legend. */
static double chart_extra(layout *L, const booklet_chart *c, double *label_h,
                          double *legend_h, double *xt_h, double *title_h)
{
    double fs = 8, W = L->right - L->left;
    size_t nc = c->n_cats;
    bool legend = c->n_series > 1 || (c->n_series == 1 && c->series[0]);
    *title_h = c->title ? line_height(11) * (double)layout_count_lines(L, FACE_BOLD, 11,
                              c->title, W) + 2 : 0;
    double slot = (W - 16) / (double)(nc ? nc : 1);
    size_t label_lines = 1;
    for (size_t i = 0; i < nc; i++) {
        size_t nl = layout_count_lines(L, FACE_REGULAR, fs, c->cats[i], slot - 1);
        if (nl > label_lines)
            label_lines = nl;
    }
    *label_h = (double)label_lines * line_height(fs) + 2;
    *legend_h = legend ? line_height(fs) * 2 + 2 : 0;
    *xt_h = c->x_title && *c->x_title ? line_height(fs) + 1 : 0;
    return *title_h + *label_h + *legend_h + *xt_h + 4;
}

double booklet_chart_need(layout *L, const booklet_chart *c)
{
    double a, b, d, e;
    return c->height + chart_extra(L, c, &a, &b, &d, &e);
}

void booklet_chart_draw(layout *L, const booklet_chart *c)
{
    double title_size = 11, fs = 8;
    double W = L->right - L->left;
    double H = c->height;
    size_t ns = c->n_series, nc = c->n_cats;
    bool legend = ns > 1 || (ns == 1 && c->series[0]);
    double label_h, legend_h, xt_h, title_h;
    double extra = chart_extra(L, c, &label_h, &legend_h, &xt_h, &title_h);
    double slot;
    layout_ensure(L, H + extra);
    if (c->title) {
        size_t nl = layout_draw_wrapped(L, FACE_BOLD, title_size, c->title, L->left,
                                    L->y + title_size * PT, W,
                                    line_height(title_size), TEXT_CENTER, 0, 0x000000);
        L->y += (double)nl * line_height(title_size) + 2;
    }
    /* the largest bar (or stack) decides the scale */
    double max = 0;
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
    double step = nice_step(max * 1.08);
    double top_v = step * ceil(max * 1.08 / step);
    if (top_v <= 0)
        top_v = step * 5;
    /* y labels: as wide as the widest number */
    char buf[64];
    number(top_v, buf, sizeof buf);
    double yl_w = layout_width(L, FACE_REGULAR, fs, buf, strlen(buf)) + 2;
    double yt_w = c->y_title && *c->y_title ? line_height(fs) + 1 : 0;
    double px = L->left + yl_w + yt_w, pw = L->right - px - 2;
    double py = L->y + line_height(fs), ph = H - line_height(fs);
    slot = pw / (double)(nc ? nc : 1);
    /* grid and axis */
    for (double v = 0; v <= top_v + step / 2; v += step) {
        double y = py + ph - ph * v / top_v;
        layout_line(L, px, y, px + pw, y, v == 0 ? 0.8 : 0.3,
                   v == 0 ? 0x000000 : 0xBBBBBB);
        number(v, buf, sizeof buf);
        layout_text(L, FACE_REGULAR, fs, px - 1.5, y + fs * PT * 0.35, CADRE_PDF_RIGHT,
                   buf, strlen(buf), 0x000000);
    }
    layout_line(L, px, py, px, py + ph, 0.8, 0x000000);
    if (yt_w)
        layout_text(L, FACE_ITALIC, fs, L->left, L->y + fs * PT * 0.1 + 1,
                   CADRE_PDF_LEFT, c->y_title, strlen(c->y_title), 0x000000);
    /* bars, stacks or a line per series */
    double prev_x = 0, prev_y = 0;
    for (size_t s = 0; s < ns && c->type == CHART_LINE; s++) {
        for (size_t i = 0; i < nc; i++) {
            double v = c->v[i * ns + s];
            double x = px + slot * ((double)i + 0.5);
            double y = py + ph - ph * v / top_v;
            if (i)
                layout_line(L, prev_x, prev_y, x, y, 1.6, palette[s % 8]);
            layout_rect(L, x - 0.9, y - 0.9, 1.8, 1.8, 0, CADRE_PDF_NONE,
                       palette[s % 8]);
            number(v, buf, sizeof buf);
            layout_text(L, FACE_REGULAR, fs - 1, x, y - 1.8, CADRE_PDF_CENTER, buf,
                       strlen(buf), 0x333333);
            prev_x = x;
            prev_y = y;
        }
    }
    for (size_t i = 0; i < nc && c->type != CHART_LINE; i++) {
        double x0 = px + slot * (double)i + slot * 0.15;
        double bw = slot * 0.7;
        double base = py + ph;
        for (size_t s = 0; s < ns; s++) {
            double v = c->v[i * ns + s];
            double h = ph * v / top_v;
            double bx = x0, w = bw;
            if (c->type == CHART_BARS) {
                w = bw / (double)ns;
                bx = x0 + w * (double)s;
            }
            if (h > 0)
                layout_rect(L, bx, base - h, w, h, 0, CADRE_PDF_NONE,
                           palette[s % 8]);
            number(v, buf, sizeof buf);
            /* a value over its bar, in a size that stays within the bar
             * (neighbours' values must not run into each other) */
            double vs = fs - 1, tw = layout_width(L, FACE_REGULAR, vs, buf, strlen(buf));
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
                           base - h / 2 + vs * PT * 0.35,
                           CADRE_PDF_CENTER, buf, strlen(buf), 0xFFFFFF);
            if (c->type == CHART_STACKED)
                base -= h;
        }
        if (c->type == CHART_STACKED) {
            double sum = 0;
            for (size_t s = 0; s < ns; s++)
                sum += c->v[i * ns + s];
            number(sum, buf, sizeof buf);
            layout_text(L, FACE_BOLD, fs - 1, x0 + bw / 2, base - 0.8,
                       CADRE_PDF_CENTER, buf, strlen(buf), 0x000000);
        }
    }
    /* category labels */
    L->y = py + ph + 1;
    for (size_t i = 0; i < nc; i++)
        layout_draw_wrapped(L, FACE_REGULAR, fs, c->cats[i], px + slot * (double)i + 0.5,
                        L->y + fs * PT, slot - 1, line_height(fs), TEXT_CENTER, 0,
                        0x000000);
    L->y += label_h;
    if (xt_h) {
        layout_text(L, FACE_ITALIC, fs, px + pw / 2, L->y + fs * PT, CADRE_PDF_CENTER,
                   c->x_title, strlen(c->x_title), 0x000000);
        L->y += xt_h;
    }
    if (legend) {
        /* swatch and name per series, centred as one line */
        double total = 0;
        for (size_t s = 0; s < ns; s++) {
            const char *name = c->series[s] ? c->series[s] : "";
            total += 5 + layout_width(L, FACE_REGULAR, fs, name, strlen(name)) + 6;
        }
        double x = L->left + (W - total) / 2;
        if (x < L->left)
            x = L->left;
        double y = L->y + 1;
        for (size_t s = 0; s < ns; s++) {
            const char *name = c->series[s] ? c->series[s] : "";
            double tw = layout_width(L, FACE_REGULAR, fs, name, strlen(name));
            if (x + 5 + tw > L->right) {
                x = L->left;
                y += line_height(fs) + 1;
            }
            layout_rect(L, x, y, 3.5, 3.5 * 0.8, 0, CADRE_PDF_NONE,
                       palette[s % 8]);
            layout_text(L, FACE_REGULAR, fs, x + 5, y + 2.6, CADRE_PDF_LEFT, name,
                       strlen(name), 0x000000);
            x += 5 + tw + 6;
        }
        L->y = y + line_height(fs) + 2;
    }
    L->y += 4;
}

