/*
 * import_write.c - records written as records.md has them: units, cadres
 * and courses, every value escaped, codes by name, dates in ISO form;
 * to a temporary file renamed over the target only when complete
 * (files.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "cadre/files.h"
#include "import_internal.h"

/* The output, through a buffer of our own: a province's records are
 * millions of short strings, and stdio's per-call cost showed. */
typedef struct wr {
    FILE *fp;
    size_t n;            /* bytes in buf */
    bool failed;         /* a write failed (errno kept in err) */
    int err;
    char buf[1 << 16];
} wr;

static void wflush(wr *w)
{
    if (w->n && !w->failed && fwrite(w->buf, 1, w->n, w->fp) != w->n) {
        w->failed = true;
        w->err = errno ? errno : EIO;
    }
    w->n = 0;
}

static void wput(wr *w, const char *s, size_t n)
{
    if (w->n + n > sizeof w->buf) {
        wflush(w);
        if (n > sizeof w->buf) {
            if (!w->failed && fwrite(s, 1, n, w->fp) != n) {
                w->failed = true;
                w->err = errno ? errno : EIO;
            }
            return;
        }
    }
    memcpy(w->buf + w->n, s, n);
    w->n += n;
}

static void wputs(wr *w, const char *s) { wput(w, s, strlen(s)); }

static void wputc(wr *w, char c)
{
    if (w->n == sizeof w->buf)
        wflush(w);
    w->buf[w->n++] = c;
}

static void esc(wr *w, const char *s, bool attr)
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
        wput(w, run, (size_t)(s - run));
        wputs(w, rep);
        run = s + 1;
    }
    wput(w, run, (size_t)(s - run));
}

static void attr(wr *w, const char *name, const char *value)
{
    if (!value)
        return;
    wputc(w, ' ');
    wputs(w, name);
    wputs(w, "=\"");
    esc(w, value, true);
    wputc(w, '"');
}

static void date_attr(wr *w, const char *name, cadre_date d)
{
    char buf[16];
    if (!cadre_date_is_set(d))
        return;
    imp_date_iso(d, buf);
    attr(w, name, buf);
}

static void elem(wr *w, const char *name, const char *text)
{
    if (!text)
        return;
    wputs(w, "      <");
    wputs(w, name);
    wputc(w, '>');
    esc(w, text, false);
    wputs(w, "</");
    wputs(w, name);
    wputs(w, ">\n");
}

static void write_units(wr *w, const cadre_unit *u, size_t n)
{
    if (!n)
        return;
    wputs(w, "  <units>\n");
    for (size_t i = 0; i < n; i++) {
        wputs(w, "    <unit");
        attr(w, "id", u[i].id);
        attr(w, "name", u[i].name);
        attr(w, "level", cadre_code_name(CADRE_CODE_LEVEL, u[i].level));
        if (u[i].parent != CADRE_NONE)
            attr(w, "parent", u[u[i].parent].id);
        wputs(w, "/>\n");
    }
    wputs(w, "  </units>\n");
}

static void write_cadres(wr *w, const cadre_cadre *c, size_t n,
                         const cadre_unit *units)
{
    if (!n)
        return;
    wputs(w, "  <cadres>\n");
    char date[16];
    for (size_t i = 0; i < n; i++) {
        wputs(w, "    <cadre");
        attr(w, "id", c[i].id);
        attr(w, "unit", units[c[i].unit].id);
        if (c[i].leader)
            attr(w, "leader", "true");
        wputs(w, ">\n");
        elem(w, "full-name", c[i].full_name);
        elem(w, "gender", cadre_code_name(CADRE_CODE_GENDER, c[i].gender));
        imp_date_iso(c[i].birth, date);
        elem(w, "birth-date", date);
        elem(w, "ethnicity", c[i].ethnicity);
        elem(w, "position", c[i].position);
        elem(w, "category",
             cadre_code_name(CADRE_CODE_CATEGORY, c[i].category));
        elem(w, "education",
             cadre_code_name(CADRE_CODE_EDUCATION, c[i].education));
        elem(w, "political-theory",
             cadre_code_name(CADRE_CODE_POLITICAL_THEORY,
                             c[i].political_theory));
        elem(w, "state-management",
             cadre_code_name(CADRE_CODE_STATE_MANAGEMENT,
                             c[i].state_management));
        if (c[i].party_member) {
            wputs(w, "      <party-member");
            date_attr(w, "since", c[i].party_since);
            wputs(w, "/>\n");
        }
        wputs(w, "    </cadre>\n");
    }
    wputs(w, "  </cadres>\n");
}

static void write_participant(wr *w, const cadre_participant *p,
                              const cadre_records *recs)
{
    wputs(w, "      <participant");
    attr(w, "cadre", recs->cadres[p->cadre].id);
    attr(w, "status", cadre_code_name(CADRE_CODE_STATUS, p->status));
    if (p->grade != CADRE_GRADE_NONE)
        attr(w, "grade", cadre_code_name(CADRE_CODE_GRADE, p->grade));
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
        attr(w, "score", buf);
    }
    attr(w, "certificate-no", p->certificate_no);
    date_attr(w, "issued", p->issued);
    wputs(w, "/>\n");
}

static void write_courses(wr *w, const imp_out *o)
{
    const cadre_records *recs = o->recs;
    if (!recs->n_courses)
        return;
    wputs(w, "  <courses>\n");
    for (size_t i = 0; i < recs->n_courses; i++) {
        const cadre_course *c = &recs->courses[i];
        wputs(w, "    <course");
        attr(w, "id", c->id);
        attr(w, "type", cadre_code_name(CADRE_CODE_COURSE_TYPE, c->type));
        if (c->mode != CADRE_MODE_NONE)
            attr(w, "mode", cadre_code_name(CADRE_CODE_MODE, c->mode));
        date_attr(w, "start", c->start);
        date_attr(w, "end", c->end);
        wputs(w, ">\n");
        elem(w, "title", c->title);
        if (c->organizer) {
            wputs(w, "      <organizer");
            attr(w, "governing-body", c->governing_body);
            wputc(w, '>');
            esc(w, c->organizer, false);
            wputs(w, "</organizer>\n");
        }
        elem(w, "location", c->location);
        if (c->signer) {
            wputs(w, "      <signer");
            attr(w, "title", c->signer_title);
            wputc(w, '>');
            esc(w, c->signer, false);
            wputs(w, "</signer>\n");
        }
        for (uint32_t k = 0; k < c->count; k++)
            write_participant(w, &recs->participants[c->first + k], recs);
        if (i == o->course)
            for (size_t k = 0; k < o->n_parts; k++)
                write_participant(w, &o->parts[k], recs);
        wputs(w, "    </course>\n");
    }
    wputs(w, "  </courses>\n");
}

cadre_error imp_write(const imp_out *o, const char *path, cadre_diags *diags)
{
    cadre_outfile of;
    cadre_error err = cadre_outfile_begin(&of, path, diags);
    if (err != CADRE_OK)
        return err;
    wr *w = calloc(1, sizeof *w);
    if (w)
        w->fp = fopen(of.tmp, "w");
    if (!w || !w->fp) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          strerror(w ? errno : ENOMEM));
        free(w);
        cadre_outfile_abort(&of);
        return CADRE_EIO;
    }
    const cadre_records *recs = o->recs;
    wputs(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    wputs(w, "<!-- written by cadre-import -->\n");
    wputs(w, "<records version=\"1\"");
    date_attr(w, "as-of", recs ? recs->as_of : o->as_of);
    attr(w, "issuer", recs ? recs->issuer : o->issuer);
    attr(w, "place", recs ? recs->place : o->place);
    if (recs) {
        attr(w, "signer", recs->signer);
        attr(w, "signer-title", recs->signer_title);
    }
    wputs(w, ">\n");
    if (recs) {
        write_units(w, recs->units, recs->n_units);
        write_cadres(w, recs->cadres, recs->n_cadres, recs->units);
        write_courses(w, o);
    } else {
        write_units(w, o->units, o->n_units);
        write_cadres(w, o->cadres, o->n_cadres, o->units);
    }
    wputs(w, "</records>\n");
    wflush(w);
    int e = w->failed ? w->err : ferror(w->fp) ? EIO : 0;
    if (fclose(w->fp) != 0 && !e)
        e = errno ? errno : EIO;
    free(w);
    if (e) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          strerror(e));
        cadre_outfile_abort(&of);
        return CADRE_EIO;
    }
    return cadre_outfile_commit(&of, diags);
}
