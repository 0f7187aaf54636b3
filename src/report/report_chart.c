/*
 * report_chart.c - the booklet's charts as vector graphics: bars side by
 * side, stacked bars and lines, with an axis in round steps, a grid, the
 * values, category labels and a legend in the template's words.
 *
 * A chart is measured once (chart_measure) and drawn from that measure,
 * so the room kept for it on the page is the room it takes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "report_blocks.h"

static const uint32_t palette[] = { 0x1F4E79, 0xC55A11, 0x548235, 0xBF9000,
                                    0x7030A0, 0x2E75B6, 0x843C0C, 0x7F7F7F };

#define TITLE_SIZE 11.0 /* the chart's title */
#define LABEL_SIZE 8.0  /* labels, axis and legend */
#define VALUE_SIZE 7.0  /* the values on bars and points */
#define SWATCH 5.0      /* a legend entry's swatch and the gap after it, mm */
#define ENTRY_GAP 6.0   /* between two legend entries, mm */

/* A chart as measured before it is drawn, mm. */
struct chart_frame {
    double title_h;  /* the title's lines and the space under them */
    double top;      /* the value at the top of the axis */
    double step;     /* between two grid lines */
    double axis_w;   /* left of the plot: the axis' figures and its title */
    double slot;     /* width of a category */
    double label_h;  /* the category labels under the plot */
    double xt_h;     /* the x axis' title */
    double legend_h; /* the legend, 0 when there is none */
};

/* Where the plot of a chart is drawn. */
struct plot {
    double x, y, w, h;     /* its box, mm */
    double slot;           /* width of a category */
    double top;            /* the value at its top edge */
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

/* A value as the chart prints it ("1.188"); beyond 15 digits "?" (a
 * larger double does not fit a long long). */
static void number(double v, char *buf, size_t size)
{
    if (v > -1e15 && v < 1e15)
        cadre_format_int((long long)llround(v), buf, size);
    else
        snprintf(buf, size, "?");
}

static double text_width(layout *L, int face, double size, const char *s)
{
    return layout_width(L, face, size, s, strlen(s));
}

/* ------------------------------------------------------------------ */
/* The legend: a swatch and a name per series, on lines centred under  */
/* the chart, a name longer than a line wrapped.                       */

static bool has_legend(const booklet_chart *c)
{
    return c->n_series > 1 || (c->n_series == 1 && c->series[0]);
}

static const char *series_name(const booklet_chart *c, size_t s)
{
    return c->series[s] ? c->series[s] : "";
}

/* The width a series' name takes in the legend: all of it, or the line
 * beside its swatch. */
static double entry_width(layout *L, const booklet_chart *c, size_t s)
{
    double w = text_width(L, FACE_REGULAR, LABEL_SIZE, series_name(c, s));
    double most = L->right - L->left - SWATCH;
    return w > most ? most : w;
}

/* The legend line that starts with series `first`: the series up to the
 * one returned, *width wide and *height high. */
static size_t legend_line(layout *L, const booklet_chart *c, size_t first,
                          double *width, double *height)
{
    double lh = line_height(LABEL_SIZE), room = L->right - L->left;
    double x = 0;
    *height = lh;
    size_t s = first;
    for (; s < c->n_series; s++) {
        double w = entry_width(L, c, s);
        if (s > first && x + SWATCH + w > room)
            break;
        size_t nl = layout_count_lines(L, FACE_REGULAR, LABEL_SIZE,
                                       series_name(c, s), w + 0.1);
        if ((double)nl * lh > *height)
            *height = (double)nl * lh;
        x += SWATCH + w + ENTRY_GAP;
    }
    *width = x - ENTRY_GAP;
    return s;
}

static double legend_height(layout *L, const booklet_chart *c)
{
    double h = 1, width, line_h;
    for (size_t s = 0; s < c->n_series;) {
        s = legend_line(L, c, s, &width, &line_h);
        h += line_h + 1;
    }
    return h;
}

static void legend_draw(layout *L, const booklet_chart *c, double y)
{
    double width, line_h, lh = line_height(LABEL_SIZE);
    for (size_t s = 0; s < c->n_series;) {
        size_t end = legend_line(L, c, s, &width, &line_h);
        double x = L->left + (L->right - L->left - width) / 2;
        for (; s < end; s++) {
            double w = entry_width(L, c, s);
            layout_rect(L, x, y + 1, 3.5, 2.8, 0, CADRE_PDF_NONE,
                        palette[s % 8]);
            layout_draw_wrapped(L, FACE_REGULAR, LABEL_SIZE,
                                series_name(c, s), x + SWATCH, y + 3.6,
                                w + 0.1, lh, TEXT_LEFT, 0, 0x000000);
            x += SWATCH + w + ENTRY_GAP;
        }
        y += line_h + 1;
    }
}

/* ------------------------------------------------------------------ */
/* Measuring.                                                          */

/* The largest bar (or stack) of a chart: it decides the scale. */
static double chart_max(const booklet_chart *c)
{
    double max = 0;
    size_t ns = c->n_series;
    for (size_t i = 0; i < c->n_cats; i++) {
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
    return max;
}

static bool given(const char *s) { return s && *s; }

static void chart_measure(layout *L, const booklet_chart *c,
                          struct chart_frame *f)
{
    double W = L->right - L->left, lh = line_height(LABEL_SIZE);
    f->title_h = c->title ? line_height(TITLE_SIZE) *
                                (double)layout_count_lines(L, FACE_BOLD,
                                                           TITLE_SIZE,
                                                           c->title, W) + 2
                          : 0;
    double max = chart_max(c) * 1.08; /* room above the highest bar */
    f->step = nice_step(max);
    f->top = f->step * ceil(max / f->step);
    if (!(f->top > 0))
        f->top = f->step * 5;
    char buf[64];
    number(f->top, buf, sizeof buf);
    f->axis_w = text_width(L, FACE_REGULAR, LABEL_SIZE, buf) + 2 +
                (given(c->y_title) ? lh + 1 : 0);
    f->slot = (W - f->axis_w - 2) / (double)(c->n_cats ? c->n_cats : 1);
    size_t label_lines = 1;
    for (size_t i = 0; i < c->n_cats; i++) {
        size_t nl = layout_count_lines(L, FACE_REGULAR, LABEL_SIZE,
                                       c->cats[i], f->slot - 1);
        if (nl > label_lines)
            label_lines = nl;
    }
    f->label_h = (double)label_lines * lh + 2;
    f->xt_h = given(c->x_title)
                  ? lh * (double)layout_count_lines(L, FACE_ITALIC,
                                                    LABEL_SIZE, c->x_title,
                                                    W) + 1
                  : 0;
    f->legend_h = has_legend(c) ? legend_height(L, c) + 1 : 0;
}

/* The height of everything but the plot. */
static double frame_extra(const struct chart_frame *f)
{
    return f->title_h + f->label_h + f->xt_h + f->legend_h + 4;
}

double booklet_chart_need(layout *L, const booklet_chart *c)
{
    struct chart_frame f;
    chart_measure(L, c, &f);
    return c->height + frame_extra(&f);
}

/* ------------------------------------------------------------------ */
/* Drawing.                                                            */

/* A text on one line from (x, y), shrunk to `w` mm when it is wider. */
static void fitted(layout *L, int face, double size, const char *s, double x,
                   double y, double w, int align)
{
    double tw = text_width(L, face, size, s);
    if (tw > w)
        size *= w / tw;
    layout_text(L, face, size, x, y, align, s, strlen(s), 0x000000);
}

/* The axis with its figures, the grid and the y axis' title, above the
 * plot `p`. */
static void chart_axis(layout *L, const booklet_chart *c,
                       const struct chart_frame *f, const struct plot *p)
{
    char buf[64];
    for (double v = 0; v <= f->top + f->step / 2; v += f->step) {
        double y = p->y + p->h - p->h * v / f->top;
        layout_line(L, p->x, y, p->x + p->w, y, v == 0 ? 0.8 : 0.3,
                    v == 0 ? 0x000000 : 0xBBBBBB);
        number(v, buf, sizeof buf);
        layout_text(L, FACE_REGULAR, LABEL_SIZE, p->x - 1.5,
                    y + LABEL_SIZE * PT * 0.35, CADRE_PDF_RIGHT, buf,
                    strlen(buf), 0x000000);
    }
    layout_line(L, p->x, p->y, p->x, p->y + p->h, 0.8, 0x000000);
    if (given(c->y_title))
        fitted(L, FACE_ITALIC, LABEL_SIZE, c->y_title, L->left,
               p->y - line_height(LABEL_SIZE) + LABEL_SIZE * PT * 0.1 + 1,
               L->right - L->left, CADRE_PDF_LEFT);
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
            double x = p->x + p->slot * ((double)i + 0.5);
            double y = p->y + p->h - p->h * v / p->top;
            if (i)
                layout_line(L, prev_x, prev_y, x, y, 1.6, palette[s % 8]);
            layout_rect(L, x - 0.9, y - 0.9, 1.8, 1.8, 0, CADRE_PDF_NONE,
                        palette[s % 8]);
            number(v, buf, sizeof buf);
            layout_text(L, FACE_REGULAR, VALUE_SIZE, x, y - 1.8,
                        CADRE_PDF_CENTER, buf, strlen(buf), 0x333333);
            prev_x = x;
            prev_y = y;
        }
    }
}

/* A bar's value, over it (side by side) or inside it (stacked), shrunk
 * to 5 pt to fit its width and left out when it still does not. */
static void bar_value(layout *L, const booklet_chart *c, double v, double x,
                      double w, double base, double h)
{
    char buf[64];
    number(v, buf, sizeof buf);
    double vs = VALUE_SIZE, tw = text_width(L, FACE_REGULAR, vs, buf);
    while (tw > w - 0.6 && vs > 5) {
        vs -= 0.5;
        tw = text_width(L, FACE_REGULAR, vs, buf);
    }
    if (c->type == CHART_BARS && tw <= w - 0.6)
        layout_text(L, FACE_REGULAR, vs, x + w / 2, base - h - 0.8,
                    CADRE_PDF_CENTER, buf, strlen(buf), 0x000000);
    else if (c->type == CHART_STACKED && h > vs * PT + 0.5 && v > 0 &&
             tw <= w)
        layout_text(L, FACE_REGULAR, vs, x + w / 2,
                    base - h / 2 + vs * PT * 0.35, CADRE_PDF_CENTER, buf,
                    strlen(buf), 0xFFFFFF);
}

/* Bars side by side or stacked, each with its value where it fits (the
 * neighbours' values must not run into each other), a stack with its
 * sum over it. */
static void chart_bars(layout *L, const booklet_chart *c, const struct plot *p)
{
    size_t ns = c->n_series;
    bool stacked = c->type == CHART_STACKED;
    for (size_t i = 0; i < c->n_cats; i++) {
        double x0 = p->x + p->slot * (double)i + p->slot * 0.15;
        double bw = p->slot * 0.7, base = p->y + p->h, sum = 0;
        for (size_t s = 0; s < ns; s++) {
            double v = c->v[i * ns + s], h = p->h * v / p->top;
            double w = stacked ? bw : bw / (double)ns;
            double x = stacked ? x0 : x0 + w * (double)s;
            if (h > 0)
                layout_rect(L, x, base - h, w, h, 0, CADRE_PDF_NONE,
                            palette[s % 8]);
            bar_value(L, c, v, x, w, base, h);
            if (stacked)
                base -= h;
            sum += v;
        }
        if (stacked) {
            char buf[64];
            number(sum, buf, sizeof buf);
            layout_text(L, FACE_BOLD, VALUE_SIZE, x0 + bw / 2, base - 0.8,
                        CADRE_PDF_CENTER, buf, strlen(buf), 0x000000);
        }
    }
}

/* The category labels under the plot, each wrapped in its slot. */
static void chart_labels(layout *L, const booklet_chart *c,
                         const struct plot *p, double y)
{
    for (size_t i = 0; i < c->n_cats; i++)
        layout_draw_wrapped(L, FACE_REGULAR, LABEL_SIZE, c->cats[i],
                            p->x + p->slot * (double)i + 0.5,
                            y + LABEL_SIZE * PT, p->slot - 1,
                            line_height(LABEL_SIZE), TEXT_CENTER, 0,
                            0x000000);
}

void booklet_chart_draw(layout *L, const booklet_chart *c)
{
    double W = L->right - L->left, lh = line_height(LABEL_SIZE);
    struct chart_frame f;
    chart_measure(L, c, &f);
    layout_ensure(L, c->height + frame_extra(&f));
    if (c->title)
        layout_draw_wrapped(L, FACE_BOLD, TITLE_SIZE, c->title, L->left,
                            L->y + TITLE_SIZE * PT, W,
                            line_height(TITLE_SIZE), TEXT_CENTER, 0,
                            0x000000);
    L->y += f.title_h;
    struct plot p = { .x = L->left + f.axis_w, .y = L->y + lh,
                      .h = c->height - lh, .slot = f.slot, .top = f.top };
    p.w = L->right - p.x - 2;
    chart_axis(L, c, &f, &p);
    if (c->type == CHART_LINE)
        chart_lines(L, c, &p);
    else
        chart_bars(L, c, &p);
    L->y = p.y + p.h + 1;
    chart_labels(L, c, &p, L->y);
    L->y += f.label_h;
    if (f.xt_h) {
        layout_draw_wrapped(L, FACE_ITALIC, LABEL_SIZE, c->x_title, L->left,
                            L->y + LABEL_SIZE * PT, W, lh, TEXT_CENTER, 0,
                            0x000000);
        L->y += f.xt_h;
    }
    if (f.legend_h) {
        legend_draw(L, c, L->y + 1);
        L->y += f.legend_h;
    }
    L->y += 4;
}
