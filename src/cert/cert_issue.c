/* cert_issue.c - who receives a certificate, in which order, with which
 * number (cert.h); their files are named in cert_files.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cadre/date.h"
#include "cadre/i18n.h"
#include "cadre/text.h"
#include "cert_internal.h"
#include "util/strmap.h"

char *cadre_cert_pattern_render(const cadre_cert_tmpl *t,
                                cadre_cert_pattern which,
                                const cadre_cert_batch *b, size_t i,
                                unsigned long seq)
{
    cadre_env env;
    cadre_value vars[CERT_VAR_COUNT];
    cert_env(b, i, &env, vars);
    vars[CERT_VAR_SEQ] = (cadre_value){ .type = CADRE_V_NUMBER,
                                        .u.n = (double)seq };
    return cadre_tmpl_text_render_new(
        which == CADRE_CERT_NUMBER ? t->number : t->register_no, &env);
}

/* Pairs to find a participant from the cadre index after sorting. */
struct pair {
    uint32_t cadre, participant;
};

static int pair_cmp(const void *a, const void *b)
{
    uint32_t x = ((const struct pair *)a)->cadre,
             y = ((const struct pair *)b)->cadre;
    return x < y ? -1 : x > y;
}

/* The public name of cert_name_files() (cert_files.c), for a register
 * that numbers the batch again: the old names go first. */
cadre_error cadre_cert_batch_name_files(cadre_cert_batch *b,
                                        cadre_diags *diags)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->certs[i].file_name);
        b->certs[i].file_name = NULL;
    }
    return cert_name_files(b, diags);
}

/* Give every certificate without a number one from the pattern: the
 * smallest seq not yet taken by the records or the batch. */
static cadre_error assign_numbers(cadre_cert_batch *b, const cadre_cert_tmpl *t,
                                  cadre_diags *diags)
{
    const cadre_records *recs = b->recs;
    strmap taken;
    strmap_init(&taken);
    cadre_error err = CADRE_OK;
    for (size_t i = 0; i < recs->n_participants && err == CADRE_OK; i++)
        if (recs->participants[i].certificate_no &&
            strmap_put(&taken, recs->participants[i].certificate_no, 0, NULL) < 0)
            err = CADRE_ENOMEM;
    unsigned long seq = t->number_start;
    for (size_t i = 0; i < b->n && err == CADRE_OK; i++) {
        cadre_cert *c = &b->certs[i];
        if (c->number)
            continue;
        for (;; seq++) {
            char *num = cadre_cert_pattern_render(t, CADRE_CERT_NUMBER, b, i,
                                                  seq);
            if (!num) {
                err = CADRE_ENOMEM;
                break;
            }
            if (!*num || strlen(num) > 200) {
                cadre_diags_error(diags, NULL, 0,
                                  "the number pattern gives '%.40s' for '%s': "
                                  "a number must be 1 to 200 bytes",
                                  num, recs->cadres[recs->participants[c->participant].cadre].id);
                free(num);
                err = CADRE_EINVALID;
                break;
            }
            int put = strmap_put(&taken, num, 0, NULL);
            if (put == 1) {
                c->number = num;
                c->assigned = true;
                seq++;
                break;
            }
            free(num);
            if (put < 0) {
                err = CADRE_ENOMEM;
                break;
            }
            if (seq - t->number_start > recs->n_participants + b->n + 1) {
                /* The pattern does not use {seq}: every number is equal. */
                cadre_diags_error(diags, NULL, 0,
                                  "the number pattern gives the same number "
                                  "to different certificates: use {seq} in it");
                err = CADRE_EINVALID;
                break;
            }
        }
    }
    strmap_release(&taken);
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    return err;
}

/* The graduates to issue: every completed participant, or the cadres
 * named.  Fills b->certs[].participant and b->n. */
static cadre_error select_graduates(cadre_cert_batch *b,
                                    const char *const *ids, size_t n_ids,
                                    cadre_diags *diags)
{
    const cadre_records *recs = b->recs;
    const cadre_course *course = b->course;
    size_t cap = n_ids ? n_ids : course->count;
    b->certs = calloc(cap ? cap : 1, sizeof *b->certs);
    if (!b->certs) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    cadre_error err = CADRE_OK;
    if (!n_ids) {
        for (uint32_t i = 0; i < course->count; i++)
            if (recs->participants[course->first + i].status ==
                CADRE_STATUS_COMPLETED)
                b->certs[b->n++].participant = course->first + i;
        if (b->n == 0) {
            cadre_diags_error(diags, NULL, 0,
                              "course '%s' has no participant who completed it",
                              course->id);
            err = CADRE_EINVALID;
        }
        return err;
    }
    for (size_t k = 0; k < n_ids; k++) {
        uint32_t cadre = cadre_records_find_cadre(recs, ids[k]);
        if (cadre == CADRE_NONE) {
            cadre_diags_error(diags, NULL, 0, "no cadre '%s' in the records",
                              ids[k]);
            err = err ? err : CADRE_ENOTFOUND;
            continue;
        }
        uint32_t found = CADRE_NONE;
        for (uint32_t i = 0; i < course->count; i++)
            if (recs->participants[course->first + i].cadre == cadre)
                found = course->first + i;
        if (found == CADRE_NONE || recs->participants[found].status !=
                                       CADRE_STATUS_COMPLETED) {
            cadre_diags_error(
                diags, NULL, 0, "cadre '%s' did not complete course '%s'%s",
                ids[k], course->id,
                found == CADRE_NONE ? cadre_gettext(" (not a participant)")
                                    : "");
            err = err ? err : CADRE_EINVALID;
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < b->n; j++)
            dup |= b->certs[j].participant == found;
        if (!dup)
            b->certs[b->n++].participant = found;
    }
    return err;
}

/* Sort the certificates in the Vietnamese order of names. */
static cadre_error sort_by_name(cadre_cert_batch *b, cadre_diags *diags)
{
    uint32_t *idx = malloc((b->n ? b->n : 1) * sizeof *idx);
    struct pair *pairs = malloc((b->n ? b->n : 1) * sizeof *pairs);
    cadre_error err = idx && pairs ? CADRE_OK : CADRE_ENOMEM;
    if (err == CADRE_OK) {
        for (size_t i = 0; i < b->n; i++) {
            pairs[i].participant = b->certs[i].participant;
            pairs[i].cadre = idx[i] =
                b->recs->participants[b->certs[i].participant].cadre;
        }
        qsort(pairs, b->n, sizeof *pairs, pair_cmp);
        err = cadre_records_sort_cadres(b->recs, idx, b->n);
    }
    for (size_t i = 0; err == CADRE_OK && i < b->n; i++) {
        struct pair key = { idx[i], 0 };
        struct pair *hit = bsearch(&key, pairs, b->n, sizeof *pairs, pair_cmp);
        b->certs[i].participant = hit->participant;
    }
    free(idx);
    free(pairs);
    if (err != CADRE_OK)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    return err;
}

cadre_error cadre_cert_batch_init(cadre_cert_batch *b,
                                  const cadre_records *recs,
                                  const cadre_cert_tmpl *t,
                                  const char *course_id,
                                  const char *const *cadre_ids, size_t n_ids,
                                  cadre_diags *diags)
{
    memset(b, 0, sizeof *b);
    b->recs = recs;
    /* a malformed SOURCE_DATE_EPOCH is refused before anything is made
     * (every PDF is dated by it), in the words the other tools use */
    time_t now;
    if (cadre_source_date_get(&now, diags) != CADRE_OK)
        return CADRE_EINVALID;
    uint32_t ci = cadre_records_find_course(recs, course_id);
    if (ci == CADRE_NONE) {
        cadre_diags_error(diags, NULL, 0, "no course '%s' in the records",
                          course_id);
        return CADRE_ENOTFOUND;
    }
    b->course = &recs->courses[ci];

    /* Number every graduate (so that a number never depends on who was
     * asked for), then keep those asked for. */
    cadre_error err = select_graduates(b, NULL, 0, diags);
    if (err == CADRE_OK)
        err = sort_by_name(b, diags);
    for (size_t i = 0; err == CADRE_OK && i < b->n; i++) {
        cadre_cert *c = &b->certs[i];
        const cadre_participant *p = &recs->participants[c->participant];
        c->issued = cadre_date_is_set(p->issued) ? p->issued : b->course->end;
        if (p->certificate_no && !(c->number = strdup(p->certificate_no))) {
            cadre_diags_error(diags, NULL, 0, "out of memory");
            err = CADRE_ENOMEM;
        }
    }
    if (err == CADRE_OK)
        err = assign_numbers(b, t, diags);
    if (err == CADRE_OK && n_ids) {
        cadre_cert_batch all = *b;
        b->certs = NULL;
        b->n = 0;
        err = select_graduates(b, cadre_ids, n_ids, diags);
        if (err == CADRE_OK)
            err = sort_by_name(b, diags);
        for (size_t i = 0; err == CADRE_OK && i < b->n; i++)
            for (size_t j = 0; j < all.n; j++)
                if (all.certs[j].participant == b->certs[i].participant) {
                    b->certs[i] = all.certs[j];
                    all.certs[j].number = NULL;
                }
        cadre_cert_batch_release(&all);
    }
    if (err == CADRE_OK)
        err = cert_name_files(b, diags);
    if (err != CADRE_OK)
        cadre_cert_batch_release(b);
    return err;
}

void cadre_cert_batch_release(cadre_cert_batch *b)
{
    for (size_t i = 0; b->certs && i < b->n; i++) {
        free(b->certs[i].number);
        free(b->certs[i].file_name);
        free(b->certs[i].seal);
        free(b->certs[i].register_no);
    }
    free(b->certs);
    b->certs = NULL;
    b->n = 0;
}
