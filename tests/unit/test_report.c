/*
 * Unit tests of report.h: the booklet's one-pass tally against the plain
 * evaluator.  Random records and random booklet templates (sentences,
 * tables of units, of listed rows and of courses, charts, pages per unit,
 * with aggregates of every kind, nested, with filters) are written twice,
 * once with the tally and once with every figure walked on its own
 * (no_tally): the two PDFs must be the same bytes.  A difference prints
 * the seed and keeps the files in $TMPDIR for pdftotext.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cadre/records.h"
#include "cadre/report.h"
#include "check.h"

#define CASES 24

/* ------------------------------------------------------------------ */
/* Random numbers and text.                                            */

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return n ? (unsigned)((rng_state >> 33) % n) : 0;
}

static const char *pick(const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return list[rnd((unsigned)n)];
}

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        if (!t->s)
            abort();
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* `s` with the characters XML gives a meaning escaped. */
static void put_xml(text *t, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            put(t, "&lt;");
        else if (*s == '>')
            put(t, "&gt;");
        else if (*s == '&')
            put(t, "&amp;");
        else if (*s == '"')
            put(t, "&quot;");
        else
            put(t, "%c", *s);
    }
}

static void write_file(const char *path, const text *t)
{
    FILE *f = fopen(path, "w");
    if (!f || fwrite(t->s, 1, t->len, f) != t->len || fclose(f) != 0)
        abort();
}

/* ------------------------------------------------------------------ */
/* Random records.                                                     */

static const char *const edus[] = { "tien-si", "thac-si", "dai-hoc",
    "cao-dang", "trung-cap", "so-cap", "chua-dao-tao", NULL };
static const char *const pols[] = { "cu-nhan", "cao-cap", "trung-cap",
    "so-cap", "chua-dao-tao", NULL };
static const char *const qlnns[] = { "chuyen-vien-cao-cap",
    "chuyen-vien-chinh", "chuyen-vien", "can-su", "chua-dao-tao", NULL };
static const char *const cats[] = { "can-bo", "cong-chuc", "vien-chuc",
                                    NULL };
static const char *const types[] = { "so-cap-llct", "trung-cap-llct-hc",
    "cao-cap-llct", "cu-nhan-llct", "qlnn", "nghiep-vu", "khac", NULL };
static const char *const statuses[] = { "enrolled", "completed",
    "completed", "failed", "withdrawn", NULL };
static const char *const grades[] = { "xuat-sac", "gioi", "kha",
    "trung-binh-kha", "trung-binh", NULL };
static const char *const peoples[] = { "Kinh", "Tày", "Nùng", "Dao",
                                       NULL };

static void date(text *t, int y0, int span)
{
    put(t, "%04d-%02d-%02d", y0 + (int)rnd((unsigned)span), 1 + (int)rnd(12),
        1 + (int)rnd(28));
}

static int gen_records(text *t, size_t *n_units)
{
    size_t nu = 2 + rnd(9), nc = rnd(160), nk = rnd(9);
    *n_units = nu;
    put(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<records version=\"1\""
        " as-of=\"");
    date(t, 2016, 4);
    put(t, "\" issuer=\"Ban Tổ chức Huyện ủy\" place=\"Đình Lập\" "
        "signer=\"Hoàng Văn Thắng\" signer-title=\"Trưởng Ban\">\n<units>\n");
    for (size_t u = 0; u < nu; u++) {
        put(t, "<unit id=\"U%zu\" name=\"Đơn vị số %zu\" level=\"%s\"", u, u,
            rnd(2) ? "xa" : "huyen");
        if (u && rnd(2))
            put(t, " parent=\"U%u\"", rnd((unsigned)u));
        put(t, "/>\n");
    }
    put(t, "</units>\n<cadres>\n");
    for (size_t c = 0; c < nc; c++) {
        put(t, "<cadre id=\"C%zu\" unit=\"U%u\" leader=\"%s\">"
            "<full-name>Người Thứ %zu</full-name><gender>%s</gender>"
            "<birth-date>", c, rnd((unsigned)nu), rnd(4) ? "false" : "true",
            c, rnd(2) ? "nam" : "nu");
        if (rnd(5))
            date(t, 1955, 45);
        else
            put(t, "%d", 1955 + (int)rnd(45));
        put(t, "</birth-date>");
        if (rnd(3))
            put(t, "<ethnicity>%s</ethnicity>", pick(peoples));
        put(t, "<category>%s</category><education>%s</education>"
            "<political-theory>%s</political-theory>", pick(cats),
            pick(edus), pick(pols));
        if (rnd(2))
            put(t, "<state-management>%s</state-management>", pick(qlnns));
        if (rnd(2))
            put(t, "<party-member/>");
        put(t, "</cadre>\n");
    }
    put(t, "</cadres>\n<courses>\n");
    for (size_t k = 0; k < nk; k++) {
        int y = 2014 + (int)rnd(7), m = 1 + (int)rnd(12);
        int ey = y + (int)rnd(2), em = ey > y ? 1 + (int)rnd(12)
                                               : m + (int)rnd((unsigned)(13 - m));
        put(t, "<course id=\"K%zu\" type=\"%s\"", k, pick(types));
        if (rnd(3))
            put(t, " mode=\"%s\"", rnd(2) ? "tap-trung" : "khong-tap-trung");
        put(t, " start=\"%04d-%02d-01\" end=\"%04d-%02d-28\"><title>Lớp %zu"
            "</title><organizer>Trung tâm</organizer>\n", y, m, ey, em, k);
        for (size_t c = 0; c < nc; c++) {
            if (rnd(4))
                continue;
            const char *st = pick(statuses);
            put(t, "<participant cadre=\"C%zu\" status=\"%s\"", c, st);
            if (!strcmp(st, "completed") && rnd(3))
                put(t, " grade=\"%s\"", pick(grades));
            if (rnd(2))
                put(t, " score=\"%u.%u\"", rnd(11) % 10, rnd(10));
            put(t, "/>\n");
        }
        put(t, "</course>\n");
    }
    put(t, "</courses>\n</records>\n");
    return 0;
}

/* ------------------------------------------------------------------ */
/* Random templates.                                                   */

/* A condition on a cadre (and its unit). */
static void cadre_cond(text *t, int depth)
{
    static const char *const cmp[] = { "=", "!=", ">=", "<", NULL };
    switch (rnd(depth > 0 ? 14 : 11)) {
    case 0: put(t, "gender = %s", rnd(2) ? "nam" : "nu"); break;
    case 1: put(t, "category in (%s, %s)", pick(cats), pick(cats)); break;
    case 2: put(t, "education %s %s", pick(cmp), pick(edus)); break;
    case 3: put(t, "political-theory %s %s", pick(cmp), pick(pols)); break;
    case 4: put(t, "state-management = %s", pick(qlnns)); break;
    case 5: put(t, rnd(2) ? "party-member" : "not party-member"); break;
    case 6: put(t, rnd(2) ? "leader" : "minority"); break;
    case 7: put(t, "unit.level = %s", rnd(2) ? "xa" : "huyen"); break;
    case 8: put(t, "age %s %u", rnd(2) ? "<=" : ">", 25 + rnd(40)); break;
    case 9:
        put(t, rnd(2) ? "birth-year < %u" : "has(ethnicity) and age > %u",
            1960 + rnd(40));
        break;
    case 10: put(t, "unit.id != \"U%u\"", rnd(4)); break;
    case 11:
        put(t, "(");
        cadre_cond(t, depth - 1);
        put(t, rnd(2) ? " or " : " and ");
        cadre_cond(t, depth - 1);
        put(t, ")");
        break;
    case 12:
        put(t, "not (");
        cadre_cond(t, depth - 1);
        put(t, ")");
        break;
    default:
        cadre_cond(t, depth - 1);
        put(t, " and ");
        cadre_cond(t, depth - 1);
        break;
    }
}

/* A condition on a participant (its course, its cadre). */
static void part_cond(text *t, int depth, bool years)
{
    switch (rnd(depth > 0 ? 13 : 10)) {
    case 0: put(t, "status = %s", pick(statuses)); break;
    case 1: put(t, "grade >= %s", pick(grades)); break;
    case 2: put(t, "score > %u", rnd(10)); break;
    case 3: put(t, "course.type = %s", pick(types)); break;
    case 4:
        put(t, "course.mode %s tap-trung", rnd(2) ? "=" : "!=");
        break;
    case 5:
        put(t, years && rnd(2) ? "ends-in(course, y)"
                               : "runs-in(course, year - %u)", rnd(3));
        break;
    case 6: put(t, "starts-in(course, year)"); break;
    case 7: put(t, "course.end - course.start > %u", 30 * rnd(12)); break;
    case 8: cadre_cond(t, 0); break;
    case 9: put(t, "status = completed and ends-in(course, year)"); break;
    case 10:
        put(t, "(");
        part_cond(t, depth - 1, years);
        put(t, " or ");
        part_cond(t, depth - 1, years);
        put(t, ")");
        break;
    case 11:
        put(t, "not ");
        part_cond(t, 0, years);
        break;
    default:
        part_cond(t, depth - 1, years);
        put(t, " and ");
        part_cond(t, depth - 1, years);
        break;
    }
}

static void course_cond(text *t)
{
    switch (rnd(4)) {
    case 0: put(t, "type = %s", pick(types)); break;
    case 1: put(t, "runs-in(course, year)"); break;
    case 2: put(t, "participants > %u", rnd(30)); break;
    default: put(t, "mode = tap-trung or completed > %u", rnd(10)); break;
    }
}

/* An expression holding aggregates, as a figure of a sentence or a cell. */
static void figure(text *t, int depth)
{
    switch (rnd(depth > 0 ? 15 : 12)) {
    case 0: put(t, "count(cadres)"); break;
    case 1: case 2:
        put(t, "count(cadres where ");
        cadre_cond(t, 2);
        put(t, ")");
        break;
    case 3: case 4:
        put(t, "count(participants where ");
        part_cond(t, 2, false);
        put(t, ")");
        break;
    case 5:
        put(t, "people(participants where ");
        part_cond(t, 1, false);
        put(t, ")");
        break;
    case 6:
        put(t, "%s(participants where ", rnd(2) ? "sum" : "avg");
        part_cond(t, 1, false);
        put(t, ", score)");
        break;
    case 7:
        put(t, "%s(cadres where ", rnd(2) ? "sum" : "avg");
        cadre_cond(t, 1);
        put(t, ", age)");
        break;
    case 8:
        put(t, "percent(count(cadres where ");
        cadre_cond(t, 1);
        put(t, "), count(cadres))");
        break;
    case 9:
        put(t, "count(courses where ");
        course_cond(t);
        put(t, ")");
        break;
    case 10:
        put(t, "%s(participants, score)", rnd(2) ? "min" : "max");
        break;
    case 11:
        put(t, "count(cadres where age > avg(cadres where ");
        cadre_cond(t, 0);
        put(t, ", age))");
        break;
    case 12:
        figure(t, depth - 1);
        put(t, rnd(2) ? " + " : " * 2 - ");
        figure(t, depth - 1);
        break;
    default:
        put(t, "count(units where level = xa) + ");
        figure(t, depth - 1);
        break;
    }
}

static void paragraph(text *t)
{
    put(t, "<p>Đoạn:");
    for (unsigned i = 0, n = 3 + rnd(8); i < n; i++) {
        text f = { 0 };
        figure(&f, 1);
        put(t, " {");
        put_xml(t, f.s);
        put(t, rnd(3) ? "}" : "|number:%u}", rnd(3));
        put(t, rnd(2) ? " người," : ";");
        free(f.s);
    }
    put(t, " hết.</p>\n");
}

/* A column counting `of` (a condition on its item), or a value. */
static void column(text *t, const char *of, bool value_ok)
{
    text c = { 0 };
    put(t, "<column title=\"Cột %u\"", rnd(100));
    if (value_ok && !rnd(5)) {
        figure(&c, 0);
        put(t, " value=\"");
    } else if (!rnd(6)) {
        put(&c, "%s", "has(cadre.ethnicity) or 1 = 1");
        put(t, " where=\"");
    } else {
        if (!strcmp(of, "cadres"))
            cadre_cond(&c, 1);
        else
            part_cond(&c, 1, false);
        put(t, " where=\"");
    }
    put_xml(t, c.s);
    put(t, "\"/>\n");
    free(c.s);
}

static void units_table(text *t)
{
    put(t, "<table title=\"Bảng đơn vị\" rows=\"units\" of=\"cadres\" "
        "agg=\"count\" subtotal=\"Cộng\" total=\"Tổng\">\n"
        "<column title=\"Tổng số\"/>\n<group title=\"Nhóm\">\n");
    for (unsigned i = 0, n = 1 + rnd(5); i < n; i++)
        column(t, "cadres", true);
    put(t, "</group>\n");
    if (rnd(2))
        put(t, "<column title=\"Lượt\" of=\"participants\" "
            "where=\"runs-in(course, year)\"/>\n");
    put(t, "</table>\n");
}

static void list_table(text *t)
{
    bool parts = rnd(2);
    const char *of = parts ? "participants" : "cadres";
    put(t, "<table title=\"Bảng dòng\" rows=\"list\" of=\"%s\" agg=\"%s\" "
        "total=\"Cộng\">\n<column title=\"Số\"/>\n", of,
        parts && rnd(2) ? "people" : "count");
    for (unsigned i = 0, n = 1 + rnd(4); i < n; i++)
        column(t, of, true);
    for (unsigned i = 0, n = 1 + rnd(5); i < n; i++) {
        text c = { 0 };
        if (parts)
            part_cond(&c, 1, false);
        else
            cadre_cond(&c, 1);
        put(t, "<row title=\"Dòng %u\" where=\"", i);
        put_xml(t, c.s);
        put(t, "\"%s/>\n", rnd(6) ? "" : " total=\"true\"");
        free(c.s);
    }
    put(t, "</table>\n");
}

static void courses_table(text *t)
{
    text c = { 0 };
    course_cond(&c);
    put(t, "<table title=\"Các lớp\" rows=\"courses\" where=\"");
    put_xml(t, c.s);
    put(t, "\" total=\"Cộng\">\n<column title=\"Học viên\" "
        "value=\"course.participants\"/>\n");
    for (unsigned i = 0, n = 1 + rnd(3); i < n; i++)
        column(t, "participants", false);
    put(t, "</table>\n");
    free(c.s);
}

static void chart(text *t)
{
    bool years = rnd(2);
    if (years) {
        text w = { 0 };
        part_cond(&w, 1, true);
        put(t, "<chart title=\"Năm\" type=\"%s\" of=\"participants\" "
            "agg=\"%s\" years=\"true\" years-last=\"%u\" where=\"",
            rnd(2) ? "bars" : "line", rnd(2) ? "count" : "people",
            2 + rnd(6));
        put_xml(t, w.s);
        put(t, "\">\n");
        free(w.s);
        for (unsigned i = 0, n = 1 + rnd(3); i < n; i++) {
            put(t, "<series title=\"S%u\" where=\"course.type = %s\"/>\n", i,
                pick(types));
        }
    } else {
        put(t, "<chart title=\"Loại\" type=\"%s\" of=\"cadres\">\n",
            rnd(2) ? "bars" : "stacked");
        for (unsigned i = 0, n = 1 + rnd(4); i < n; i++) {
            text c = { 0 };
            cadre_cond(&c, 1);
            put(t, "<category title=\"C%u\" where=\"", i);
            put_xml(t, c.s);
            put(t, "\"/>\n");
            free(c.s);
        }
        for (unsigned i = 0, n = rnd(3); i < n; i++)
            put(t, "<series title=\"S%u\" where=\"gender = %s\"/>\n", i,
                i % 2 ? "nam" : "nu");
    }
    put(t, "</chart>\n");
}

static void gen_template(text *t)
{
    put(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<booklet>\n"
        "<title>Thử {year}</title>\n<contents/>\n");
    for (unsigned s = 0, n = 1 + rnd(3); s < n; s++) {
        put(t, "<section title=\"Mục %u\">\n", s);
        for (unsigned b = 0, nb = 1 + rnd(4); b < nb; b++) {
            switch (rnd(5)) {
            case 0: paragraph(t); break;
            case 1: units_table(t); break;
            case 2: list_table(t); break;
            case 3: courses_table(t); break;
            default: chart(t); break;
            }
        }
        put(t, "</section>\n");
    }
    put(t, "<per-unit title=\"Từng đơn vị\">\n");
    paragraph(t);
    if (rnd(2))
        list_table(t);
    if (rnd(2))
        chart(t);
    put(t, "</per-unit>\n</booklet>\n");
}

/* ------------------------------------------------------------------ */
/* The comparison.                                                     */

/* The bytes of the file at `path` (binary: NUL bytes and all). */
static text slurp(const char *path)
{
    text t = { 0 };
    FILE *f = fopen(path, "rb");
    size_t n = 1;
    while (f && n > 0) {
        if (t.len + 65536 > t.cap) {
            t.cap = (t.len + 65536) * 2;
            if (!(t.s = realloc(t.s, t.cap)))
                abort();
        }
        n = fread(t.s + t.len, 1, t.cap - t.len, f);
        t.len += n;
    }
    if (f)
        fclose(f);
    return t;
}

/* One random booklet, with and without the tally.  Returns true when the
 * two PDFs are the same bytes. */
static bool one_case(const char *dir, unsigned seed)
{
    rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
    char recs_path[600], tmpl_path[600], a[600], b[600];
    snprintf(recs_path, sizeof recs_path, "%s/records-%u.xml", dir, seed);
    snprintf(tmpl_path, sizeof tmpl_path, "%s/booklet-%u.xml", dir, seed);
    snprintf(a, sizeof a, "%s/tally-%u.pdf", dir, seed);
    snprintf(b, sizeof b, "%s/walk-%u.pdf", dir, seed);
    text rec = { 0 }, tmpl = { 0 };
    size_t n_units;
    gen_records(&rec, &n_units);
    gen_template(&tmpl);
    write_file(recs_path, &rec);
    write_file(tmpl_path, &tmpl);
    free(rec.s);
    free(tmpl.s);

    cadre_diags d;
    cadre_diags_init(&d, 20);
    cadre_records *r = cadre_records_new();
    const char *files[] = { recs_path };
    cadre_report *rep = cadre_report_load(tmpl_path, &d);
    bool ok = rep && cadre_records_load_all(r, files, 1, &d) == CADRE_OK;
    char unit_ids[2][16];
    const char *units[2] = { unit_ids[0], unit_ids[1] };
    cadre_report_options opt = { .year = 2015 + (int)rnd(6),
                                 .per_unit = rnd(3) != 0, .units = units };
    if (rnd(3) == 0) {
        opt.n_units = 1 + rnd(2);
        for (size_t i = 0; i < opt.n_units; i++)
            snprintf(unit_ids[i], sizeof unit_ids[i], "U%u",
                     rnd((unsigned)n_units));
    }
    if (rnd(3) == 0)
        opt.as_of = (cadre_date){ 2015 + (int)rnd(5), 1 + (int)rnd(12), 15 };
    if (ok) {
        ok = cadre_report_write(rep, r, &opt, a, &d) == CADRE_OK;
        opt.no_tally = true;
        ok = ok && cadre_report_write(rep, r, &opt, b, &d) == CADRE_OK;
    }
    if (!ok)
        cadre_diags_print(&d, "test_report", stderr);
    text ta = slurp(a), tb = slurp(b);
    bool same = ok && ta.len > 0 && ta.len == tb.len &&
                memcmp(ta.s, tb.s, ta.len) == 0;
    if (!same)
        fprintf(stderr, "seed %u: the tally and the evaluator differ "
                "(%s, %s, %s, %s)\n", seed, recs_path, tmpl_path, a, b);
    else if (!getenv("CADRE_TEST_KEEP")) {
        remove(recs_path);
        remove(tmpl_path);
        remove(a);
        remove(b);
    }
    free(ta.s);
    free(tb.s);
    cadre_report_free(rep);
    cadre_records_free(r);
    cadre_diags_release(&d);
    return same;
}

TEST(tally_matches_evaluator)
{
    /* the two PDFs compared are made seconds apart: one creation date */
    setenv("SOURCE_DATE_EPOCH", "1546214400", 1);
    const char *tmp = getenv("TMPDIR");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/test-report-XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        CHECK(!"cannot make a temporary folder");
        return;
    }
    const char *seeds = getenv("CADRE_TEST_SEEDS"); /* "FIRST:COUNT" */
    unsigned first = 1, count = CASES;
    if (seeds)
        sscanf(seeds, "%u:%u", &first, &count);
    unsigned bad = 0;
    for (unsigned s = first; s < first + count; s++)
        bad += !one_case(dir, s);
    CHECK_INT(bad, 0);
    if (!bad)
        rmdir(dir);
}

int main(void)
{
    RUN(tally_matches_evaluator);
    return check_done();
}
