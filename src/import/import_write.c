/*
 * import_write.c - records written as records.md has them: units, cadres
 * and courses, every value escaped, codes by name, dates in ISO form;
 * to a temporary file renamed over the target only when complete
 * (files.h).
 */
#define _GNU_SOURCE /* the unlocked stdio calls: one thread writes */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "cadre/files.h"
#include "import_internal.h"

#define fputs fputs_unlocked
#define fputc fputc_unlocked
#define fwrite fwrite_unlocked

static void esc(FILE *fp, const char *s, bool attr)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = attr ? "&quot;" : NULL; break;
        default: break;
        }
        if (!rep)
            continue;
        fwrite(run, 1, (size_t)(s - run), fp);
        fputs(rep, fp);
        run = s + 1;
    }
    fwrite(run, 1, (size_t)(s - run), fp);
}

/* fputs, not fprintf: a province's records are millions of these */
static void attr(FILE *fp, const char *name, const char *value)
{
    if (!value)
        return;
    fputc(' ', fp);
    fputs(name, fp);
    fputs("=\"", fp);
    esc(fp, value, true);
    fputc('"', fp);
}

static void date_attr(FILE *fp, const char *name, cadre_date d)
{
    char buf[16];
    if (!cadre_date_is_set(d))
        return;
    imp_date_iso(d, buf);
    attr(fp, name, buf);
}

static void elem(FILE *fp, const char *name, const char *text)
{
    if (!text)
        return;
    fputs("      <", fp);
    fputs(name, fp);
    fputc('>', fp);
    esc(fp, text, false);
    fputs("</", fp);
    fputs(name, fp);
    fputs(">\n", fp);
}

static void write_units(FILE *fp, const cadre_unit *u, size_t n)
{
    if (!n)
        return;
    fputs("  <units>\n", fp);
    for (size_t i = 0; i < n; i++) {
        fputs("    <unit", fp);
        attr(fp, "id", u[i].id);
        attr(fp, "name", u[i].name);
        attr(fp, "level", cadre_code_name(CADRE_CODE_LEVEL, u[i].level));
        if (u[i].parent != CADRE_NONE)
            attr(fp, "parent", u[u[i].parent].id);
        fputs("/>\n", fp);
    }
    fputs("  </units>\n", fp);
}

static void write_cadres(FILE *fp, const cadre_cadre *c, size_t n,
                         const cadre_unit *units)
{
    if (!n)
        return;
    fputs("  <cadres>\n", fp);
    char date[16];
    for (size_t i = 0; i < n; i++) {
        fputs("    <cadre", fp);
        attr(fp, "id", c[i].id);
        attr(fp, "unit", units[c[i].unit].id);
        if (c[i].leader)
            attr(fp, "leader", "true");
        fputs(">\n", fp);
        elem(fp, "full-name", c[i].full_name);
        elem(fp, "gender", cadre_code_name(CADRE_CODE_GENDER, c[i].gender));
        imp_date_iso(c[i].birth, date);
        elem(fp, "birth-date", date);
        elem(fp, "ethnicity", c[i].ethnicity);
        elem(fp, "position", c[i].position);
        elem(fp, "category",
             cadre_code_name(CADRE_CODE_CATEGORY, c[i].category));
        elem(fp, "education",
             cadre_code_name(CADRE_CODE_EDUCATION, c[i].education));
        elem(fp, "political-theory",
             cadre_code_name(CADRE_CODE_POLITICAL_THEORY,
                             c[i].political_theory));
        elem(fp, "state-management",
             cadre_code_name(CADRE_CODE_STATE_MANAGEMENT,
                             c[i].state_management));
        if (c[i].party_member) {
            fputs("      <party-member", fp);
            date_attr(fp, "since", c[i].party_since);
            fputs("/>\n", fp);
        }
        fputs("    </cadre>\n", fp);
    }
    fputs("  </cadres>\n", fp);
}

static void write_participant(FILE *fp, const cadre_participant *p,
                              const cadre_records *recs)
{
    fputs("      <participant", fp);
    attr(fp, "cadre", recs->cadres[p->cadre].id);
    attr(fp, "status", cadre_code_name(CADRE_CODE_STATUS, p->status));
    if (p->grade != CADRE_GRADE_NONE)
        attr(fp, "grade", cadre_code_name(CADRE_CODE_GRADE, p->grade));
    if (p->has_score) {
        /* at most two decimals, as the records hold them */
        char buf[32];
        long h = p->score_hundredths;
        if (h % 100 == 0)
            snprintf(buf, sizeof buf, "%ld", h / 100);
        else if (h % 10 == 0)
            snprintf(buf, sizeof buf, "%ld.%ld", h / 100, (h % 100) / 10);
        else
            snprintf(buf, sizeof buf, "%ld.%02ld", h / 100, h % 100);
        attr(fp, "score", buf);
    }
    attr(fp, "certificate-no", p->certificate_no);
    date_attr(fp, "issued", p->issued);
    fputs("/>\n", fp);
}

static void write_courses(FILE *fp, const imp_out *o)
{
    const cadre_records *recs = o->recs;
    if (!recs->n_courses)
        return;
    fputs("  <courses>\n", fp);
    for (size_t i = 0; i < recs->n_courses; i++) {
        const cadre_course *c = &recs->courses[i];
        fputs("    <course", fp);
        attr(fp, "id", c->id);
        attr(fp, "type", cadre_code_name(CADRE_CODE_COURSE_TYPE, c->type));
        if (c->mode != CADRE_MODE_NONE)
            attr(fp, "mode", cadre_code_name(CADRE_CODE_MODE, c->mode));
        date_attr(fp, "start", c->start);
        date_attr(fp, "end", c->end);
        fputs(">\n", fp);
        elem(fp, "title", c->title);
        if (c->organizer) {
            fputs("      <organizer", fp);
            attr(fp, "governing-body", c->governing_body);
            fputc('>', fp);
            esc(fp, c->organizer, false);
            fputs("</organizer>\n", fp);
        }
        elem(fp, "location", c->location);
        if (c->signer) {
            fputs("      <signer", fp);
            attr(fp, "title", c->signer_title);
            fputc('>', fp);
            esc(fp, c->signer, false);
            fputs("</signer>\n", fp);
        }
        for (uint32_t k = 0; k < c->count; k++)
            write_participant(fp, &recs->participants[c->first + k], recs);
        if (i == o->course)
            for (size_t k = 0; k < o->n_parts; k++)
                write_participant(fp, &o->parts[k], recs);
        fputs("    </course>\n", fp);
    }
    fputs("  </courses>\n", fp);
}

cadre_error imp_write(const imp_out *o, const char *path, cadre_diags *diags)
{
    cadre_outfile of;
    cadre_error err = cadre_outfile_begin(&of, path, diags);
    if (err != CADRE_OK)
        return err;
    FILE *fp = fopen(of.tmp, "w");
    if (!fp) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          strerror(errno));
        cadre_outfile_abort(&of);
        return CADRE_EIO;
    }
    static char buf[1 << 16];
    setvbuf(fp, buf, _IOFBF, sizeof buf);
    const cadre_records *recs = o->recs;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
    fputs("<!-- written by cadre-import -->\n", fp);
    fputs("<records version=\"1\"", fp);
    date_attr(fp, "as-of", recs ? recs->as_of : o->as_of);
    attr(fp, "issuer", recs ? recs->issuer : o->issuer);
    attr(fp, "place", recs ? recs->place : o->place);
    if (recs) {
        attr(fp, "signer", recs->signer);
        attr(fp, "signer-title", recs->signer_title);
    }
    fputs(">\n", fp);
    if (recs) {
        write_units(fp, recs->units, recs->n_units);
        write_cadres(fp, recs->cadres, recs->n_cadres, recs->units);
        write_courses(fp, o);
    } else {
        write_units(fp, o->units, o->n_units);
        write_cadres(fp, o->cadres, o->n_cadres, o->units);
    }
    fputs("</records>\n", fp);
    int e = ferror(fp) ? (errno ? errno : EIO) : 0;
    if (fclose(fp) != 0 && !e)
        e = errno;
    if (e) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          strerror(e));
        cadre_outfile_abort(&of);
        return CADRE_EIO;
    }
    return cadre_outfile_commit(&of, diags);
}
