/* register_xlsx.c - the register as a workbook (cadre_register_export):
 * the sổ gốc in its official columns and the appendix (phụ lục) of
 * reissues and revocations, laid out and printed as the rosters are
 * (the roster's XLSX layer, roster/roster_xlsx.h, and its page set-up,
 * roster/roster_print.h: A4 landscape, headings on every page, the
 * signatures kept with the last rows). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cadre/codes.h"
#include "cadre/files.h"
#include "cadre/text.h"
#include "register_internal.h"
#include "roster/roster_print.h"
#include "roster/roster_xlsx.h"

/* A column of a sheet: heading, width (characters), how its cells look. */
struct column {
    const char *heading;
    double width;
    int align;  /* LXW_ALIGN_* */
    bool wrap;
};

/* The sổ gốc's official columns. */
enum {
    C_STT, C_NAME, C_BIRTH, C_GENDER, C_ETHNICITY, C_PROGRAMME, C_TIME,
    C_GRADE, C_NUMBER, C_REGISTER_NO, C_DECISION, C_ISSUED, C_STATUS, C_COUNT
};
/* Widths (characters) that print one page across, A4 landscape, at a
 * scale that keeps type at 8 points (roster_print.h): the wrapped
 * columns take what the others leave. */
static const struct column book_cols[C_COUNT] = {
    { "STT", 5, LXW_ALIGN_CENTER, false },
    { "Họ và tên", 22, LXW_ALIGN_LEFT, true },
    { "Ngày sinh", 11, LXW_ALIGN_CENTER, false },
    { "Giới tính", 7, LXW_ALIGN_CENTER, false },
    { "Dân tộc", 8, LXW_ALIGN_CENTER, false },
    { "Chương trình", 24, LXW_ALIGN_LEFT, true },
    { "Thời gian", 13, LXW_ALIGN_CENTER, true },
    { "Xếp loại", 10, LXW_ALIGN_CENTER, true },
    { "Số hiệu", 13, LXW_ALIGN_CENTER, false },
    { "Số vào sổ", 9, LXW_ALIGN_CENTER, false },
    { "Số và ngày quyết định", 18, LXW_ALIGN_LEFT, true },
    { "Ngày cấp", 11, LXW_ALIGN_CENTER, false },
    { "Tình trạng", 16, LXW_ALIGN_LEFT, true },
};

enum {
    A_STT, A_DATE, A_KIND, A_NAME, A_BIRTH, A_OLD, A_OLD_REG, A_NEW,
    A_NEW_REG, A_REASON, A_DECISION, A_COUNT
};
static const struct column appendix_cols[A_COUNT] = {
    { "STT", 5, LXW_ALIGN_CENTER, false },
    { "Ngày", 11, LXW_ALIGN_CENTER, false },
    { "Nội dung", 9, LXW_ALIGN_CENTER, false },
    { "Họ và tên", 24, LXW_ALIGN_LEFT, true },
    { "Ngày sinh", 11, LXW_ALIGN_CENTER, false },
    { "Số hiệu cũ", 13, LXW_ALIGN_CENTER, false },
    { "Số vào sổ cũ", 10, LXW_ALIGN_CENTER, false },
    { "Số hiệu mới", 13, LXW_ALIGN_CENTER, false },
    { "Số vào sổ mới", 10, LXW_ALIGN_CENTER, false },
    { "Lý do", 26, LXW_ALIGN_LEFT, true },
    { "Số và ngày quyết định", 22, LXW_ALIGN_LEFT, true },
};

/* A sheet being written. */
struct sheet {
    xlsx_book *bk;
    lxw_worksheet *ws;
    const struct column *cols;
    uint16_t n_cols;
    column_formats *cf;   /* per column */
    uint32_t row;         /* the next row */
    sheet_print print;    /* its page set-up */
    print_rows heights;   /* the rows' heights, for its page breaks */
};

/* The row of the column headings, repeated on every page. */
#define HEADING_ROW 6

/* Row `row` is `points` tall. */
static void row_height(struct sheet *s, uint32_t row, double points)
{
    xlsx_row_height(s->bk, s->ws, row, points);
    print_rows_note(&s->heights, row, points);
}

/* The sheet's head: the issuing body and the national title, the title,
 * the day it is as of, the column headings (repeated on every page). */
static void sheet_head(struct sheet *s, const char *body, const char *title,
                       cadre_date today)
{
    xlsx_book *bk = s->bk;
    uint16_t last = s->n_cols - 1, mid = s->n_cols / 2 - 1;
    for (uint16_t c = 0; c < s->n_cols; c++)
        xlsx_check(bk, worksheet_set_column(s->ws, c, c, s->cols[c].width, NULL),
                   "column width");
    char *up = body ? cadre_text_upper(body) : NULL;
    row_height(s, 0, 34);
    xlsx_merged(bk, s->ws, 0, 0, mid, up ? up : "", bk->style[STYLE_ISSUER]);
    xlsx_merged(bk, s->ws, 0, mid + 1, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                bk->style[STYLE_NATIONAL]);
    free(up);
    xlsx_merged(bk, s->ws, 1, mid + 1, last, "Độc lập - Tự do - Hạnh phúc",
                bk->style[STYLE_MOTTO]);
    row_height(s, 3, 22);
    xlsx_merged(bk, s->ws, 3, 0, last, title, bk->style[STYLE_TITLE]);
    char day[CADRE_DATE_TEXT_MAX], line[CADRE_DATE_TEXT_MAX + 32];
    cadre_date_format_long(today, day, sizeof day);
    snprintf(line, sizeof line, "Tính đến %s", day);
    xlsx_merged(bk, s->ws, 4, 0, last, line, bk->style[STYLE_SUBTITLE]);
    s->row = HEADING_ROW;
    row_height(s, s->row, 32);
    for (uint16_t c = 0; c < s->n_cols; c++)
        xlsx_text(bk, s->ws, s->row, c, s->cols[c].heading,
                  bk->style[STYLE_HEADING]);
    print_setup(bk, s->ws, &s->print, HEADING_ROW, HEADING_ROW);
    worksheet_freeze_panes(s->ws, s->row + 1, 0);
    s->row++;
}

/* The signatures under the last row, kept on one page with the rows
 * above them. */
static void sheet_foot(struct sheet *s)
{
    xlsx_book *bk = s->bk;
    uint16_t last = s->n_cols - 1, mid = s->n_cols / 2 - 1;
    uint32_t keep_from = s->row;
    s->row += 1;
    print_rows_note(&s->heights, s->row, PRINT_ROW_HEIGHT);
    xlsx_merged(bk, s->ws, s->row, 0, mid, "NGƯỜI LẬP SỔ", bk->style[STYLE_SIGNER]);
    xlsx_merged(bk, s->ws, s->row, mid + 1, last, "THỦ TRƯỞNG ĐƠN VỊ",
                bk->style[STYLE_SIGNER]);
    s->row++;
    print_rows_break(&s->heights, bk, s->ws, &s->print, HEADING_ROW,
                     HEADING_ROW, keep_from);
}

/* Make the row tall enough for the wrapped texts `t` (by column, NULL
 * where none) before its cells are written: neither Excel nor
 * LibreOffice fits a row to its text on opening. */
static void fit_row(struct sheet *s, const char *const *t)
{
    double lines = 1;
    for (uint16_t c = 0; c < s->n_cols; c++) {
        if (!t[c] || !s->cols[c].wrap)
            continue;
        /* as the rosters measure: a little wider than the average letter */
        double l = (int)(xlsx_text_width(t[c]) * 1.25 / s->cols[c].width + 0.99);
        if (l > lines)
            lines = l;
    }
    if (lines > 1)
        row_height(s, s->row, lines * s->bk->font_size * 1.3 + 2);
}

static void cell_text(struct sheet *s, uint16_t c, const char *v)
{
    if (v && *v)
        xlsx_text(s->bk, s->ws, s->row, c, v, s->cf[c].f[CELL_TEXT][0]);
    else
        xlsx_blank(s->bk, s->ws, s->row, c, s->cf[c].f[CELL_TEXT][0]);
}

/* A date as a date cell (dd/mm/yyyy), a year alone as a number. */
static void cell_date(struct sheet *s, uint16_t c, cadre_date d)
{
    if (!cadre_date_is_set(d))
        xlsx_blank(s->bk, s->ws, s->row, c, s->cf[c].f[CELL_TEXT][0]);
    else if (cadre_date_is_year_only(d))
        xlsx_number(s->bk, s->ws, s->row, c, d.year, s->cf[c].f[CELL_YEAR][0]);
    else
        xlsx_number(s->bk, s->ws, s->row, c, xlsx_excel_day(cadre_date_days(d)),
                  s->cf[c].f[CELL_DATE][0]);
}

static void cell_number(struct sheet *s, uint16_t c, double v)
{
    xlsx_number(s->bk, s->ws, s->row, c, v, s->cf[c].f[CELL_NUMBER][0]);
}

static const char *code_label(cadre_code_kind kind, const char *code)
{
    const char *l = code ? cadre_code_label(kind, cadre_code_parse(kind, code))
                         : NULL;
    return l ? l : code;
}

/* "05/03/2018 – 28/06/2019" */
static void course_span(cadre_date a, cadre_date b, char *buf, size_t size)
{
    char x[CADRE_DATE_TEXT_MAX], y[CADRE_DATE_TEXT_MAX];
    cadre_date_format_short(a, x, sizeof x);
    cadre_date_format_short(b, y, sizeof y);
    snprintf(buf, size, "%s – %s", x, y);
}

static cadre_error book_rows(cadre_register *reg, struct sheet *s,
                             cadre_diags *diags)
{
    sqlite3_stmt *st = reg_prepare(
        reg,
        "SELECT e.full_name, e.birth, e.gender, e.ethnicity, e.course_title, "
        "e.course_start, e.course_end, e.grade, e.number, e.register_no, "
        "e.decision, e.issued, e.status, "
        "(SELECT n.number FROM appendix a JOIN entry n ON n.id = a.new_entry "
        " WHERE a.entry = e.id AND a.kind = 'reissue' ORDER BY a.id DESC "
        " LIMIT 1), "
        "(SELECT o.number FROM entry o WHERE o.id = e.replaces), "
        "(SELECT a.date FROM appendix a WHERE a.entry = e.id AND "
        " a.kind = 'revoke' ORDER BY a.id DESC LIMIT 1) "
        "FROM entry e WHERE e.status <> 'pending' ORDER BY e.id", diags);
    if (!st)
        return CADRE_EIO;
    int rc;
    for (long stt = 1; (rc = sqlite3_step(st)) == SQLITE_ROW; stt++) {
        char when[2 * CADRE_DATE_TEXT_MAX + 8], state[600], day[CADRE_DATE_TEXT_MAX];
        course_span(reg_column_date(st, 5), reg_column_date(st, 6), when, sizeof when);
        const char *status = reg_column_text(st, 12);
        const char *by = reg_column_text(st, 13), *was = reg_column_text(st, 14);
        cadre_date_format_short(reg_column_date(st, 15), day, sizeof day);
        if (!strcmp(status, "revoked"))
            snprintf(state, sizeof state, "Đã thu hồi ngày %s", day);
        else if (!strcmp(status, "replaced"))
            snprintf(state, sizeof state, "Đã cấp lại, số %s", by ? by : "");
        else if (was)
            snprintf(state, sizeof state, "Cấp lại thay số %s", was);
        else
            snprintf(state, sizeof state, "Đã cấp");
        const char *wrapped[C_COUNT] = {
            [C_NAME] = reg_column_text(st, 0), [C_PROGRAMME] = reg_column_text(st, 4),
            [C_TIME] = when, [C_DECISION] = reg_column_text(st, 10),
            [C_STATUS] = state,
        };
        fit_row(s, wrapped);
        cell_number(s, C_STT, (double)stt);
        cell_text(s, C_NAME, reg_column_text(st, 0));
        cell_date(s, C_BIRTH, reg_column_date(st, 1));
        cell_text(s, C_GENDER,
                  code_label(CADRE_CODE_GENDER, reg_column_text(st, 2)));
        cell_text(s, C_ETHNICITY, reg_column_text(st, 3));
        cell_text(s, C_PROGRAMME, reg_column_text(st, 4));
        cell_text(s, C_TIME, when);
        cell_text(s, C_GRADE, code_label(CADRE_CODE_GRADE, reg_column_text(st, 7)));
        cell_text(s, C_NUMBER, reg_column_text(st, 8));
        cell_text(s, C_REGISTER_NO, reg_column_text(st, 9));
        cell_text(s, C_DECISION, reg_column_text(st, 10));
        cell_date(s, C_ISSUED, reg_column_date(st, 11));
        cell_text(s, C_STATUS, state);
        s->row++;
    }
    cadre_error err = rc == SQLITE_DONE ? CADRE_OK : reg_fail(reg, diags, "read");
    sqlite3_finalize(st);
    return err;
}

static cadre_error appendix_rows(cadre_register *reg, struct sheet *s,
                                 cadre_diags *diags)
{
    sqlite3_stmt *st = reg_prepare(
        reg,
        "SELECT a.date, a.kind, coalesce(n.full_name, o.full_name), o.birth, "
        "o.number, o.register_no, n.number, n.register_no, a.reason, "
        "a.decision FROM appendix a JOIN entry o ON o.id = a.entry "
        "LEFT JOIN entry n ON n.id = a.new_entry ORDER BY a.id", diags);
    if (!st)
        return CADRE_EIO;
    int rc;
    for (long stt = 1; (rc = sqlite3_step(st)) == SQLITE_ROW; stt++) {
        const char *wrapped[A_COUNT] = {
            [A_NAME] = reg_column_text(st, 2), [A_REASON] = reg_column_text(st, 8),
            [A_DECISION] = reg_column_text(st, 9),
        };
        fit_row(s, wrapped);
        cell_number(s, A_STT, (double)stt);
        cell_date(s, A_DATE, reg_column_date(st, 0));
        cell_text(s, A_KIND, strcmp(reg_column_text(st, 1), "revoke")
                                 ? "Cấp lại" : "Thu hồi");
        cell_text(s, A_NAME, reg_column_text(st, 2));
        cell_date(s, A_BIRTH, reg_column_date(st, 3));
        for (int k = 0; k < 6; k++)
            cell_text(s, (uint16_t)(A_OLD + k), reg_column_text(st, 4 + k));
        s->row++;
    }
    cadre_error err = rc == SQLITE_DONE ? CADRE_OK : reg_fail(reg, diags, "read");
    sqlite3_finalize(st);
    return err;
}

/* The issuing body, or NULL (a register that issued nothing yet).
 * Caller frees. */
static char *body_of(cadre_register *reg)
{
    sqlite3_stmt *st = reg_prepare(reg, "SELECT value FROM meta WHERE key = 'body'",
                                   NULL);
    char *body = NULL;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        body = strdup(reg_column_text(st, 0));
    sqlite3_finalize(st);
    return body;
}

/* A sheet of the export: its name and title, its columns, the one that
 * names the person, how many rows it has and how they are written. */
struct sheet_kind {
    const char *name, *title;
    const struct column *cols;
    uint16_t n_cols;
    int name_col;
    const char *count_sql;
    cadre_error (*rows)(cadre_register *reg, struct sheet *s,
                        cadre_diags *diags);
};

static const struct sheet_kind book_sheet = {
    "Sổ gốc", "SỔ GỐC CẤP CHỨNG CHỈ", book_cols, C_COUNT, C_NAME,
    "SELECT count(*) FROM entry WHERE status <> 'pending'", book_rows,
};
static const struct sheet_kind appendix_sheet = {
    "Phụ lục", "PHỤ LỤC SỔ GỐC: CẤP LẠI VÀ THU HỒI", appendix_cols, A_COUNT,
    A_NAME, "SELECT count(*) FROM appendix", appendix_rows,
};

#define MAX_COLS ((int)C_COUNT > (int)A_COUNT ? (int)C_COUNT : (int)A_COUNT)

/* Plan how sheet `k` prints, from its widths and its number of rows. */
static cadre_error plan_print(cadre_register *reg, const struct sheet_kind *k,
                              double font_size, sheet_print *pr,
                              cadre_diags *diags)
{
    double width[MAX_COLS];
    int group[MAX_COLS];
    for (uint16_t c = 0; c < k->n_cols; c++) {
        width[c] = k->cols[c].width;
        group[c] = -1;
    }
    sqlite3_stmt *st = reg_prepare(reg, k->count_sql, diags);
    if (!st)
        return CADRE_EIO;
    double rows = sqlite3_step(st) == SQLITE_ROW
                      ? (double)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    /* the head and the foot, and two lines a row, as rows wrap */
    double height = (rows * 2 + HEADING_ROW + 4) * PRINT_ROW_HEIGHT;
    if (print_plan(pr, width, group, k->n_cols, font_size, k->name_col,
                   height) != 0) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    return CADRE_OK;
}

static cadre_error write_sheet(xlsx_book *bk, cadre_register *reg,
                               const struct sheet_kind *k, const char *body,
                               cadre_date today, cadre_diags *diags)
{
    column_formats cf[MAX_COLS];
    struct sheet s = { .bk = bk, .cols = k->cols, .n_cols = k->n_cols,
                       .cf = cf };
    cadre_error err = plan_print(reg, k, bk->font_size, &s.print, diags);
    if (!err && !(s.ws = xlsx_sheet_add(bk, k->name)))
        err = bk->err;
    for (uint16_t c = 0; !err && c < k->n_cols; c++)
        xlsx_colfmt_init(bk, &cf[c], k->cols[c].align, k->cols[c].wrap, NULL);
    if (!err) {
        sheet_head(&s, body, k->title, today);
        err = k->rows(reg, &s, diags);
    }
    if (!err)
        sheet_foot(&s);
    print_rows_release(&s.heights);
    print_release(&s.print);
    return err ? err : bk->err;
}

cadre_error cadre_register_export(cadre_register *reg, const char *path,
                                  cadre_diags *diags)
{
    cadre_outfile out;
    cadre_error err = cadre_outfile_begin(&out, path, diags);
    if (err)
        return err;
    cadre_date today = reg_today();
    xlsx_book bk;
    err = xlsx_book_open(&bk, out.tmp, path, 0, diags);
    char *body = body_of(reg);
    /* a reproducible file: created on the day it is as of */
    lxw_doc_properties props = { .title = "Sổ gốc cấp chứng chỉ",
                                 .author = body, .company = body,
                                 .created = (time_t)cadre_date_days(today) * 86400 };
    if (!err) {
        xlsx_book_props(&bk, &props);
        err = write_sheet(&bk, reg, &book_sheet, body, today, diags);
    }
    if (!err)
        err = write_sheet(&bk, reg, &appendix_sheet, body, today, diags);
    if (!err) {
        err = xlsx_book_close(&bk);
    } else if (bk.wb) {
        xlsx_book_discard(&bk);
    }
    free(body);
    if (err) {
        cadre_outfile_abort(&out);
        return err;
    }
    return cadre_outfile_commit(&out, diags);
}
