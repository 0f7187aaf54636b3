/*
 * floor-cert - the bare libharu floor of cadre-cert (make bench, issue 6).
 *
 *   floor-cert FONTDIR TEXTS.tsv --combined OUT.pdf
 *   floor-cert FONTDIR TEXTS.tsv -o OUTDIR
 *
 * Draws the page of the shipped A4 GIẤY CHỨNG NHẬN (templates/cert/a4.xml)
 * once per line of TEXTS.tsv (bench/peer-cert.py --texts: file name, PDF
 * title, the 17 texts, the QR payload), with libharu's public API: the
 * ornate frame (rules, a chain of dots, corner pieces with diamonds), the
 * faint circle and star behind the text, rules and the small star, the
 * texts centred in the template's boxes (shrunk down to its min-size when
 * too wide) in the faces cadre-cert embeds (the Noto Serif subsets made in
 * FONTDIR at build time), and a QR code from libqrencode drawn as one
 * rectangle per run of dark modules.  --combined: one document; -o: one
 * document per person, fonts loaded again for each (libharu needs it).
 * No XML, no sorting, no text formatting: the texts come ready-made.
 *
 * cc -O2 -o floor-cert floor-cert.c -lhpdf -lqrencode -lm
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* M_PI */
#include <hpdf.h>
#include <math.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MM (72.0 / 25.4)
#define PAGE_W 297.0
#define PAGE_H 210.0
#define NTEXT 17

/* x, y, w, h (mm from the top left), centred, face (0 regular, 1 bold,
 * 2 italic), size, min-size, colour: the boxes of templates/cert/a4.xml in
 * the order of the texts (bench/peer-cert.py BOXES) */
static const struct box {
    double x, y, w, h;
    int center, face;
    double size, min;
    unsigned color;
} BOXES[NTEXT] = {
    {22, 22, 116, 6, 1, 0, 12, 12, 0x1A1A1A},       {22, 28, 116, 6, 1, 1, 12, 9, 0x1A1A1A},
    {150, 21.5, 128, 6.5, 1, 1, 12.5, 10, 0x1A1A1A}, {150, 28, 128, 7, 1, 1, 13.5, 13.5, 0x1A1A1A},
    {40, 42, 217, 16, 1, 1, 32, 32, 0xA11A1A},      {40, 65.5, 217, 7.5, 1, 2, 15, 15, 0x1A1A1A},
    {30, 73, 237, 13, 1, 1, 24, 14, 0x8B1A1A},      {30, 88, 237, 7, 1, 0, 14, 10, 0x1A1A1A},
    {40, 97, 217, 7, 1, 0, 14, 14, 0x1A1A1A},       {30, 104, 237, 14, 1, 1, 16, 13, 0x1A1A1A},
    {30, 119, 237, 7, 1, 0, 14, 10, 0x1A1A1A},      {40, 127, 217, 7, 1, 0, 14, 14, 0x1A1A1A},
    {152, 139, 124, 7, 1, 2, 14, 10, 0x1A1A1A},     {152, 146, 124, 13, 1, 1, 14, 10, 0x1A1A1A},
    {152, 180, 124, 8, 1, 1, 15, 10, 0x1A1A1A},     {56, 164, 80, 7, 0, 0, 13, 9, 0x1A1A1A},
    {56, 171, 80, 6, 0, 2, 11, 8, 0x1A1A1A},
};
static const char *const FACES[3] = {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic"};

static void on_error(HPDF_STATUS st, HPDF_STATUS detail, void *data)
{
    (void)data;
    fprintf(stderr, "floor-cert: libharu error %04X (%u)\n", (unsigned)st, (unsigned)detail);
    exit(1);
}

static double Y(double y) { return (PAGE_H - y) * MM; }

static void rgb_fill(HPDF_Page p, unsigned c)
{
    HPDF_Page_SetRGBFill(p, ((c >> 16) & 255) / 255.0f, ((c >> 8) & 255) / 255.0f, (c & 255) / 255.0f);
}

static void rgb_stroke(HPDF_Page p, unsigned c)
{
    HPDF_Page_SetRGBStroke(p, ((c >> 16) & 255) / 255.0f, ((c >> 8) & 255) / 255.0f, (c & 255) / 255.0f);
}

static void star(HPDF_Page p, double cx, double cy, double r, unsigned fill)
{
    rgb_fill(p, fill);
    for (int k = 0; k < 10; k++) {
        double a = -M_PI / 2 + k * M_PI / 5, rr = k % 2 ? r * 0.382 : r;
        double x = (cx + rr * cos(a)) * MM, y = Y(cy + rr * sin(a));
        if (k == 0)
            HPDF_Page_MoveTo(p, (HPDF_REAL)x, (HPDF_REAL)y);
        else
            HPDF_Page_LineTo(p, (HPDF_REAL)x, (HPDF_REAL)y);
    }
    HPDF_Page_ClosePath(p);
    HPDF_Page_Fill(p);
}

static void line(HPDF_Page p, double x1, double y1, double x2, double y2, double w, unsigned c)
{
    rgb_stroke(p, c);
    HPDF_Page_SetLineWidth(p, (HPDF_REAL)w);
    HPDF_Page_MoveTo(p, (HPDF_REAL)(x1 * MM), (HPDF_REAL)Y(y1));
    HPDF_Page_LineTo(p, (HPDF_REAL)(x2 * MM), (HPDF_REAL)Y(y2));
    HPDF_Page_Stroke(p);
}

static void frame(HPDF_Page p)
{
    const double x = 8, y = 8, w = 281, h = 194;
    const double inset[4] = {0, 1.8, 8.4, 9.4}, width[4] = {2, 0.5, 0.5, 1.2};
    rgb_stroke(p, 0x8B1A1A);
    for (int i = 0; i < 4; i++) {
        HPDF_Page_SetLineWidth(p, (HPDF_REAL)width[i]);
        HPDF_Page_Rectangle(p, (HPDF_REAL)((x + inset[i]) * MM), (HPDF_REAL)Y(y + h - inset[i]),
                            (HPDF_REAL)((w - 2 * inset[i]) * MM), (HPDF_REAL)((h - 2 * inset[i]) * MM));
        HPDF_Page_Stroke(p);
    }
    /* the chain of dots: one circle each, one fill for all */
    double bx = x + 5.2, by = y + 5.2, bw = w - 10.4, bh = h - 10.4;
    int nx = (int)floor(bw / 3.2), ny = (int)floor(bh / 3.2);
    rgb_fill(p, 0xB8860B);
    for (int i = 0; i <= nx; i++)
        for (int j = 0; j < 2; j++)
            HPDF_Page_Circle(p, (HPDF_REAL)((bx + i * bw / nx) * MM), (HPDF_REAL)Y(by + j * bh), (HPDF_REAL)(0.55 * MM));
    for (int i = 1; i < ny; i++)
        for (int j = 0; j < 2; j++)
            HPDF_Page_Circle(p, (HPDF_REAL)((bx + j * bw) * MM), (HPDF_REAL)Y(by + i * bh / ny), (HPDF_REAL)(0.55 * MM));
    HPDF_Page_Fill(p);
    /* corner pieces: a white square with a diamond */
    HPDF_Page_SetLineWidth(p, 0.8f);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double cx = bx + i * bw, cy = by + j * bh;
            HPDF_Page_SetRGBFill(p, 1, 1, 1);
            HPDF_Page_Rectangle(p, (HPDF_REAL)((cx - 3.2) * MM), (HPDF_REAL)Y(cy + 3.2), (HPDF_REAL)(6.4 * MM),
                                (HPDF_REAL)(6.4 * MM));
            HPDF_Page_FillStroke(p);
            rgb_fill(p, 0xB8860B);
            HPDF_Page_MoveTo(p, (HPDF_REAL)(cx * MM), (HPDF_REAL)Y(cy - 2.4));
            HPDF_Page_LineTo(p, (HPDF_REAL)((cx + 2.4) * MM), (HPDF_REAL)Y(cy));
            HPDF_Page_LineTo(p, (HPDF_REAL)(cx * MM), (HPDF_REAL)Y(cy + 2.4));
            HPDF_Page_LineTo(p, (HPDF_REAL)((cx - 2.4) * MM), (HPDF_REAL)Y(cy));
            HPDF_Page_ClosePath(p);
            HPDF_Page_Fill(p);
        }
}

static void qr(HPDF_Page p, const char *text)
{
    const double qx = 24, qy = 142, qs = 30;
    QRcode *code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!code) {
        fputs("floor-cert: cannot encode a QR code\n", stderr);
        exit(1);
    }
    int n = code->width;
    double m = qs * MM / (n + 6), x0 = qx * MM + 3 * m, y0 = Y(qy) - 3 * m;
    HPDF_Page_SetRGBFill(p, 1, 1, 1);
    HPDF_Page_Rectangle(p, (HPDF_REAL)(qx * MM), (HPDF_REAL)Y(qy + qs), (HPDF_REAL)(qs * MM), (HPDF_REAL)(qs * MM));
    HPDF_Page_Fill(p);
    rgb_fill(p, 0x1A1A1A);
    for (int r = 0; r < n; r++) {
        const unsigned char *row = code->data + (size_t)r * (size_t)n;
        for (int c = 0; c < n;) {
            if (!(row[c] & 1)) {
                c++;
                continue;
            }
            int start = c;
            while (c < n && (row[c] & 1))
                c++;
            HPDF_Page_Rectangle(p, (HPDF_REAL)(x0 + start * m), (HPDF_REAL)(y0 - (r + 1) * m),
                                (HPDF_REAL)((c - start) * m), (HPDF_REAL)m);
        }
    }
    HPDF_Page_Fill(p);
    QRcode_free(code);
}

static void page(HPDF_Doc pdf, HPDF_Font *font, char **f)
{
    HPDF_Page p = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
    frame(p);
    rgb_stroke(p, 0xF1E6CC);
    HPDF_Page_SetLineWidth(p, 1.2f);
    HPDF_Page_Circle(p, (HPDF_REAL)(148.5 * MM), (HPDF_REAL)Y(112), (HPDF_REAL)(52 * MM));
    HPDF_Page_Stroke(p);
    star(p, 148.5, 114, 46, 0xFAF4E6);
    line(p, 65, 36.5, 95, 36.5, 0.6, 0x1A1A1A);
    line(p, 185, 36.5, 243, 36.5, 0.6, 0x1A1A1A);
    line(p, 110, 61, 143, 61, 0.8, 0xB8860B);
    line(p, 154, 61, 187, 61, 0.8, 0xB8860B);
    star(p, 148.5, 61, 2.6, 0xB8860B);
    HPDF_Page_BeginText(p);
    for (int i = 0; i < NTEXT; i++) {
        const struct box *b = &BOXES[i];
        const char *t = f[2 + i];
        if (!*t)
            continue;
        double size = b->size;
        HPDF_Page_SetFontAndSize(p, font[b->face], (HPDF_REAL)size);
        double tw = HPDF_Page_TextWidth(p, t);
        while (tw > b->w * MM && size > b->min) {
            size = size - 0.5 < b->min ? b->min : size - 0.5;
            HPDF_Page_SetFontAndSize(p, font[b->face], (HPDF_REAL)size);
            tw = HPDF_Page_TextWidth(p, t);
        }
        rgb_fill(p, b->color);
        double x = b->center ? (b->x + b->w / 2) * MM - tw / 2 : b->x * MM;
        HPDF_Page_TextOut(p, (HPDF_REAL)x, (HPDF_REAL)(Y(b->y + b->h / 2) - 0.35 * size), t);
    }
    HPDF_Page_EndText(p);
    qr(p, f[2 + NTEXT]);
}

static HPDF_Doc doc(const char *fontdir, HPDF_Font *font)
{
    HPDF_Doc pdf = HPDF_New(on_error, NULL);
    if (!pdf)
        exit(1);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    char path[4096];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s.ttf", fontdir, FACES[i]);
        const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
        font[i] = HPDF_GetFont(pdf, name, "UTF-8");
    }
    return pdf;
}

static int split(char *s, char **f, int n)
{
    int k = 0;
    f[k++] = s;
    for (char *q = s; *q && k < n; q++)
        if (*q == '\t') {
            *q = 0;
            f[k++] = q + 1;
        }
    return k;
}

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[3], "--combined") && strcmp(argv[3], "-o"))) {
        fputs("usage: floor-cert FONTDIR TEXTS.tsv (--combined OUT.pdf | -o OUTDIR)\n", stderr);
        return 2;
    }
    const char *fontdir = argv[1], *out = argv[4];
    int combined = !strcmp(argv[3], "--combined");
    FILE *in = fopen(argv[2], "r");
    if (!in) {
        perror(argv[2]);
        return 2;
    }
    if (!combined)
        mkdir(out, 0777);
    HPDF_Font font[3];
    HPDF_Doc pdf = combined ? doc(fontdir, font) : NULL;
    char *buf = NULL, *f[2 + NTEXT + 1], path[4096];
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&buf, &cap, in)) > 0) {
        if (buf[len - 1] == '\n')
            buf[--len] = 0;
        if (split(buf, f, 2 + NTEXT + 1) != 2 + NTEXT + 1) {
            fprintf(stderr, "floor-cert: %s: a line without its %d fields\n", argv[2], 2 + NTEXT + 1);
            return 1;
        }
        if (combined) {
            page(pdf, font, f);
            continue;
        }
        pdf = doc(fontdir, font);
        HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, f[1]);
        page(pdf, font, f);
        snprintf(path, sizeof path, "%s/%s.pdf", out, f[0]);
        HPDF_SaveToFile(pdf, path);
        HPDF_Free(pdf);
    }
    free(buf);
    fclose(in);
    if (combined) {
        HPDF_SaveToFile(pdf, out);
        HPDF_Free(pdf);
    }
    return 0;
}
