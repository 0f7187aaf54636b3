/*
 * floor-roster - the bare libxlsxwriter half of cadre-roster's floor
 * (make bench, issue 6).
 *
 *   floor-roster CELLS.tsv OUT.xlsx
 *
 * Writes, with libxlsxwriter in constant_memory mode, the same cells as
 * cadre-roster's cadre sheet (templates/roster/cadres.xml): the title
 * block, the column headings, one row per cadre, unit after unit (numbers
 * as numbers, a birth date as a date with dd/mm/yyyy or a year-only one as
 * the text the person reads, texts inline, empty fields as blank cells with
 * their column's format), a "Cộng" row per unit with its COUNTIFS by unit id
 * and its value, the "Tổng cộng" row, the place-date line, the signers and
 * the empty rows left to sign in.  The
 * cells come ready-made from CELLS.tsv (bench/peer-roster.py --cells):
 * no XML, no sorting, no formatting of values - only the writing, which is
 * what is added to the load floor (xmllint --stream --noout) to make the
 * roster floor.
 *
 * cc -O2 -o floor-roster floor-roster.c $(pkg-config --libs xlsxwriter)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define NCOLS 15
static const char *const HEADINGS[NCOLS] = {
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Mã đơn vị", "Đơn vị",
    "Đối tượng", "Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước", "Đảng viên",
    "Lãnh đạo, quản lý", "Tuổi"};
static const double WIDTHS[NCOLS] = {8.3, 16.3, 12.3, 5.9, 9, 22.7, 12.7, 20.7,
                                     10.4, 15.7, 15.7, 16.3, 7.1, 7.1, 6.3};

static void check(lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "floor-roster: %s: %s\n", what, lxw_strerror(e));
        exit(1);
    }
}

static lxw_format *fmt(lxw_workbook *wb, int bold, int center, int border, const char *num)
{
    lxw_format *f = workbook_add_format(wb);
    if (bold)
        format_set_bold(f);
    if (center)
        format_set_align(f, LXW_ALIGN_CENTER);
    if (border)
        format_set_border(f, LXW_BORDER_THIN);
    if (num)
        format_set_num_format(f, num);
    return f;
}

/* split line at tabs into at most n fields; returns the count */
static int split(char *s, char **f, int n)
{
    int k = 0;
    f[k++] = s;
    for (char *p = s; *p && k < n; p++)
        if (*p == '\t') {
            *p = 0;
            f[k++] = p + 1;
        }
    return k;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: floor-roster CELLS.tsv OUT.xlsx\n", stderr);
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 2;
    }
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(argv[2], &opt);
    if (!wb)
        return 1;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Danh sách CBCCVC");
    /* one format object per distinct format: libxlsxwriter 1.1.4 hashes a
     * duplicate of an earlier format again on every cell it is used for
     * (16 % of this loop's time when numbers and centred texts had one
     * each) */
    lxw_format *bold_c = fmt(wb, 1, 1, 0, NULL), *head = fmt(wb, 1, 1, 1, NULL),
               *num = fmt(wb, 0, 0, 1, NULL), *text = fmt(wb, 0, 0, 1, NULL),
               *ctext = fmt(wb, 0, 1, 1, NULL), *date = fmt(wb, 0, 1, 1, "dd/mm/yyyy"),
               *total = fmt(wb, 1, 1, 1, NULL), *total_n = fmt(wb, 1, 0, 1, NULL),
               *total_l = fmt(wb, 1, 0, 1, NULL);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_align(num, LXW_ALIGN_RIGHT);
    format_set_align(total_n, LXW_ALIGN_RIGHT);
    lxw_format *cols[NCOLS] = {num, text, date, ctext, ctext, text, ctext, text,
                               ctext, ctext, ctext, ctext, ctext, ctext, num};
    for (int c = 0; c < NCOLS; c++)
        worksheet_set_column(ws, c, c, WIDTHS[c], NULL);
    worksheet_freeze_panes(ws, 7, 2);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_repeat_rows(ws, 6, 6);
    worksheet_set_footer(ws, "&CTrang &P");

    char *line = NULL, *f[40];
    size_t cap = 0;
    ssize_t len;
    lxw_row_t r = 0;
    int headings = 0;
    while ((len = getline(&line, &cap, in)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = 0;
        int n = split(line, f, 40);
        if (f[0][0] == 'A') { /* title block, footer: row, then (col, text) pairs */
            lxw_row_t tr = (lxw_row_t)atoi(f[1]);
            if (tr < 7)
                worksheet_set_row(ws, tr, tr == 3 ? 19 : 17, NULL);
            for (int i = 2; i + 1 < n; i += 2)
                if (*f[i + 1])
                    check(worksheet_write_string(ws, tr, (lxw_col_t)atoi(f[i]), f[i + 1], bold_c), "title");
                else
                    worksheet_write_blank(ws, tr, (lxw_col_t)atoi(f[i]), bold_c);
            continue;
        }
        if (f[0][0] == 'R' && n == 3) { /* an empty row left to sign in */
            worksheet_set_row(ws, (lxw_row_t)atoi(f[1]), atof(f[2]), NULL);
            continue;
        }
        if (!headings) {
            worksheet_set_row(ws, 6, 50.5, NULL);
            for (int c = 0; c < NCOLS; c++)
                check(worksheet_write_string(ws, 6, (lxw_col_t)c, HEADINGS[c], head), "heading");
            headings = 1;
            r = 7;
        }
        if (f[0][0] == 'C' && n == NCOLS + 1) {
            check(worksheet_write_number(ws, r, 0, atof(f[1]), num), "cell");
            for (int c = 1; c < NCOLS; c++) {
                const char *v = f[c + 1];
                if (!*v)
                    worksheet_write_blank(ws, r, (lxw_col_t)c, cols[c]);
                else if (c == 2 && *v == 'D')
                    check(worksheet_write_number(ws, r, 2, atof(v + 1), date), "cell");
                else if (c == 2)
                    check(worksheet_write_string(ws, r, 2, v + 1, date), "cell");
                else if (c == NCOLS - 1)
                    check(worksheet_write_number(ws, r, (lxw_col_t)c, atof(v), num), "cell");
                else
                    check(worksheet_write_string(ws, r, (lxw_col_t)c, v, cols[c]), "cell");
            }
        } else if (f[0][0] == 'U' && n == 5) {
            check(worksheet_write_formula_num(ws, r, 0, f[4], total_n, atof(f[1])), "total");
            check(worksheet_write_string(ws, r, 1, "Cộng", total_l), "total");
            for (int c = 2; c < 6; c++)
                worksheet_write_blank(ws, r, (lxw_col_t)c, total);
            check(worksheet_write_string(ws, r, 6, f[2], ctext), "total");
            check(worksheet_write_string(ws, r, 7, f[3], text), "total");
            for (int c = 8; c < NCOLS; c++)
                worksheet_write_blank(ws, r, (lxw_col_t)c, total);
        } else if (f[0][0] == 'G' && n == 3) {
            check(worksheet_write_formula_num(ws, r, 0, f[2], total_n, atof(f[1])), "total");
            check(worksheet_write_string(ws, r, 1, "Tổng cộng", total_l), "total");
            for (int c = 2; c < NCOLS; c++)
                worksheet_write_blank(ws, r, (lxw_col_t)c, total);
        } else {
            fprintf(stderr, "floor-roster: %s: bad line after row %u\n", argv[1], (unsigned)r);
            return 1;
        }
        r++;
    }
    free(line);
    fclose(in);
    check(workbook_close(wb), argv[2]);
    return 0;
}
