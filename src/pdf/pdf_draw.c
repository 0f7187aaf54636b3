/* pdf_draw.c - vector graphics and QR codes (pdf.h), written straight
 * into the page's content (pdf_content.c).  Each shape is its own q .. Q,
 * so that what it sets (colours, widths, dashes) never leaks into the
 * next. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "pdf_internal.h"

/* Open a shape: q, its line width and colours. */
static void shape_begin(cadre_pdf *pdf, double width, uint32_t stroke,
                        uint32_t fill)
{
    pdf_end_text(pdf);
    pdf_put_str(pdf, "q ");
    if (stroke != CADRE_PDF_NONE) {
        pdf_put_num(pdf, width, 2);
        pdf_put_str(pdf, "w ");
        pdf_put_color(pdf, stroke, true);
    }
    if (fill != CADRE_PDF_NONE)
        pdf_put_color(pdf, fill, false);
}

/* Paint the path and close the shape. */
static void shape_end(cadre_pdf *pdf, uint32_t stroke, uint32_t fill)
{
    pdf_put_str(pdf, stroke != CADRE_PDF_NONE && fill != CADRE_PDF_NONE
                         ? "B Q\n"
                     : fill != CADRE_PDF_NONE ? "f Q\n"
                                              : "S Q\n");
}

/* One straight stroke; with a dot step, a dashed line with dashes of no
 * length and round caps, which paints a dot per dash. */
static cadre_error stroke_segment(cadre_pdf *pdf, double x1, double y1,
                                  double x2, double y2, double width_pt,
                                  uint32_t color, double dot_step_pt)
{
    if (pdf_ready(pdf) != CADRE_OK)
        return pdf->err;
    if (color == CADRE_PDF_NONE)
        return CADRE_OK;
    shape_begin(pdf, width_pt, color, CADRE_PDF_NONE);
    if (dot_step_pt > 0) {
        pdf_put_str(pdf, "1 J [0 ");
        pdf_put_num(pdf, dot_step_pt, 3);
        pdf_put_str(pdf, "] 0 d ");
    }
    pdf_put_point(pdf, x1, y1, "m ");
    pdf_put_point(pdf, x2, y2, "l ");
    shape_end(pdf, color, CADRE_PDF_NONE);
    return CADRE_OK;
}

cadre_error cadre_pdf_line(cadre_pdf *pdf, double x1, double y1, double x2,
                           double y2, double width, uint32_t color)
{
    return stroke_segment(pdf, x1, y1, x2, y2, width, color, 0);
}

cadre_error cadre_pdf_dots(cadre_pdf *pdf, double x1, double y1, double x2,
                           double y2, double diameter, double step,
                           uint32_t color)
{
    bool drawn = diameter > 0 && step > diameter; /* dots that do not touch */
    return stroke_segment(pdf, x1, y1, x2, y2, diameter * CADRE_PDF_PT_PER_MM,
                          drawn ? color : CADRE_PDF_NONE,
                          step * CADRE_PDF_PT_PER_MM);
}

cadre_error cadre_pdf_rect(cadre_pdf *pdf, double x, double y, double w,
                           double h, double width, uint32_t stroke,
                           uint32_t fill)
{
    if (pdf_ready(pdf) != CADRE_OK)
        return pdf->err;
    if (stroke == CADRE_PDF_NONE && fill == CADRE_PDF_NONE)
        return CADRE_OK;
    shape_begin(pdf, width, stroke, fill);
    pdf_put_num(pdf, pdf_x(pdf, x), 2);
    pdf_put_num(pdf, pdf_y(pdf, y + h), 2);
    pdf_put_num(pdf, w * CADRE_PDF_PT_PER_MM, 2);
    pdf_put_num(pdf, h * CADRE_PDF_PT_PER_MM, 2);
    pdf_put_str(pdf, "re ");
    shape_end(pdf, stroke, fill);
    return CADRE_OK;
}

cadre_error cadre_pdf_polygon(cadre_pdf *pdf, const double *xy, size_t n,
                              double width, uint32_t stroke, uint32_t fill)
{
    if (pdf_ready(pdf) != CADRE_OK)
        return pdf->err;
    if (n < 2 || (stroke == CADRE_PDF_NONE && fill == CADRE_PDF_NONE))
        return CADRE_OK;
    shape_begin(pdf, width, stroke, fill);
    for (size_t i = 0; i < n; i++)
        pdf_put_point(pdf, xy[2 * i], xy[2 * i + 1], i ? "l " : "m ");
    pdf_put_str(pdf, "h ");
    shape_end(pdf, stroke, fill);
    return CADRE_OK;
}

cadre_error cadre_pdf_circle(cadre_pdf *pdf, double cx, double cy, double r,
                             double width, uint32_t stroke, uint32_t fill)
{
    if (pdf_ready(pdf) != CADRE_OK)
        return pdf->err;
    if (stroke == CADRE_PDF_NONE && fill == CADRE_PDF_NONE)
        return CADRE_OK;
    /* four Bézier quarters; k puts their middles on the circle */
    const double k = 0.5522847498 * r;
    shape_begin(pdf, width, stroke, fill);
    pdf_put_point(pdf, cx + r, cy, "m ");
    double q[4][6] = {
        { cx + r, cy - k, cx + k, cy - r, cx, cy - r },
        { cx - k, cy - r, cx - r, cy - k, cx - r, cy },
        { cx - r, cy + k, cx - k, cy + r, cx, cy + r },
        { cx + k, cy + r, cx + r, cy + k, cx + r, cy },
    };
    for (int i = 0; i < 4; i++) {
        pdf_put_point(pdf, q[i][0], q[i][1], "");
        pdf_put_point(pdf, q[i][2], q[i][3], "");
        pdf_put_point(pdf, q[i][4], q[i][5], "c ");
    }
    pdf_put_str(pdf, "h ");
    shape_end(pdf, stroke, fill);
    return CADRE_OK;
}

/* Modules of white around the symbol: scanners want a quiet zone. */
#define QR_QUIET 3

/* libqrencode tries all eight masks and keeps the one its penalty rules
 * score best: nine tenths of the time of a code, a third of a combined
 * file's.  Every mask is valid, and the symbol says which one it uses, so
 * scanners read any of them; with mask 1 (every other row inverted) our
 * codes came out with the fewest runs to draw.  libqrencode 4.1.1
 * exports the function behind QRcode_encodeInput() that takes the mask
 * (qrencode.c; its header leaves it out, as it does for tests).  The
 * weak reference keeps the link working with a libqrencode that hides
 * it, which then chooses the mask itself. */
#define QR_MASK 1
extern QRcode *QRcode_encodeMask(QRinput *input, int mask)
    __attribute__((weak));

/* A tail of QR alphanumeric characters at least this long goes in its
 * own segment: 5.5 bits a character instead of 8 pays for the segment's
 * header (a seal's Base45 text, verify.h). */
#define QR_AN_TAIL_MIN 24

/* The length of the longest tail of `text` made of the alphanumeric
 * mode's 45 characters. */
static size_t alnum_tail(const char *text, size_t len)
{
    static const char an[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    size_t n = 0;
    while (n < len && memchr(an, text[len - n - 1], sizeof an - 1))
        n++;
    return n;
}

/* The QR symbol of `text`: its bytes as they are, with an ECI header
 * saying UTF-8 when it is not ASCII, or scanners guess Shift JIS ("Trần"
 * came back as "Tr廕吵"); a long tail of alphanumeric characters in
 * alphanumeric mode.  NULL with errno set on failure. */
static QRcode *encode_qr(const char *text)
{
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p >= 0x80)
            ascii = false;
    size_t len = strlen(text), tail = alnum_tail(text, len);
    if (tail < QR_AN_TAIL_MIN)
        tail = 0;
    QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);
    if (!in)
        return NULL;
    QRcode *qr = NULL;
    if ((ascii || QRinput_appendECIheader(in, 26) == 0) &&
        (len == tail ||
         QRinput_append(in, QR_MODE_8, (int)(len - tail),
                        (const unsigned char *)text) == 0) &&
        (!tail || QRinput_append(in, QR_MODE_AN, (int)tail,
                                 (const unsigned char *)text + len - tail) == 0))
        qr = QRcode_encodeMask ? QRcode_encodeMask(in, QR_MASK)
                               : QRcode_encodeInput(in);
    QRinput_free(in);
    return qr;
}

/* Draw the modules of `qr`: a white square for the quiet zone, then the
 * symbol as a one-bit image mask of one sample per module, painted in
 * `color` and never interpolated (sharp at any scale).  Inline in the
 * content stream, it costs 5 bytes a row of a 33-module code, against
 * 12 bytes a rectangle for each run of dark modules. */
static void draw_qr(cadre_pdf *pdf, const QRcode *qr, double x, double y,
                    double size, uint32_t color)
{
    pdf_end_text(pdf);
    int n = qr->width;
    double m = size / (n + 2 * QR_QUIET) * CADRE_PDF_PT_PER_MM;
    double side = size * CADRE_PDF_PT_PER_MM;
    pdf_put_str(pdf, "q 1 1 1 rg ");
    pdf_put_num(pdf, pdf_x(pdf, x), 2);
    pdf_put_num(pdf, pdf_y(pdf, y + size), 2);
    pdf_put_num(pdf, side, 2);
    pdf_put_num(pdf, side, 2);
    pdf_put_str(pdf, "re f ");
    pdf_put_color(pdf, color, false);
    pdf_put_num(pdf, n * m, 3);
    pdf_put_str(pdf, "0 0 ");
    pdf_put_num(pdf, n * m, 3);
    pdf_put_num(pdf, pdf_x(pdf, x) + QR_QUIET * m, 3);
    pdf_put_num(pdf, pdf_y(pdf, y + size) + QR_QUIET * m, 3);
    pdf_put_str(pdf, "cm\nBI /W ");
    pdf_put_num(pdf, n, 0);
    pdf_put_str(pdf, "/H ");
    pdf_put_num(pdf, n, 0);
    /* a mask paints where its sample is 0, unless decoded [1 0]: dark
     * modules are 1 */
    pdf_put_str(pdf, "/IM true /BPC 1 /D [1 0] ID ");
    size_t row_bytes = ((size_t)n + 7) / 8;
    unsigned char row[(177 + 7) / 8]; /* version 40 */
    for (int r = 0; r < n; r++) {
        memset(row, 0, sizeof row);
        const unsigned char *mod = qr->data + (size_t)r * (size_t)n;
        for (int c = 0; c < n && (size_t)c / 8 < sizeof row; c++)
            if (mod[c] & 1)
                row[c / 8] |= (unsigned char)(0x80 >> (c % 8));
        pdf_put(pdf, (const char *)row, row_bytes);
    }
    pdf_put_str(pdf, "\nEI Q\n");
}

cadre_error cadre_pdf_qr(cadre_pdf *pdf, const char *text, double x,
                         double y, double size, uint32_t color)
{
    if (pdf_ready(pdf) != CADRE_OK)
        return pdf->err;
    QRcode *qr = encode_qr(text);
    if (!qr)
        return pdf_fail(pdf, errno == ERANGE ? CADRE_ELIMIT : CADRE_ENOMEM,
                        "cannot make a QR code of %zu bytes: %s",
                        strlen(text), strerror(errno));
    draw_qr(pdf, qr, x, y, size, color);
    QRcode_free(qr);
    return CADRE_OK;
}
