/*
 * import_build.c - the records an import makes from the rows the table
 * read: units (matched to --units, or made from the names), cadres with
 * ids that stay the same from one import to the next, or participants
 * matched to the cadres of the records given.
 *
 * Ids: an id the file gives is kept when it is a records id; the others
 * are made from what the row says (the folded name, the birth date, the
 * unit), so the same file gives the same ids and a changed row changes
 * its own id only.  Two rows alike get -2, -3 in file order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "cadre/i18n.h"
#include "cadre/text.h"
#include "import_build.h"
#include "util/grow.h"

/* ------------------------------------------------------------- hashing */

static uint64_t fnv64(const char *s, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

void imp_hash_id(const char *prefix, const char *key, size_t len,
                 unsigned salt, char *buf, size_t size)
{
    static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    uint64_t h = fnv64(key, len, 14695981039346656037ull ^ salt);
    char d[9];
    for (int i = 0; i < 8; i++) {
        d[i] = b32[h & 31];
        h >>= 5;
    }
    d[8] = '\0';
    snprintf(buf, size, "%s%s", prefix, d);
}

static bool valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* The heading form of a name, kept in the builder's arena. */
static const char *folded(imp_builder *bd, const char *s)
{
    char buf[1024];
    size_t n = imp_fold_heading(s, strlen(s), buf, sizeof buf);
    const char *p = arena_strndup(&bd->mem, buf, n);
    if (!p)
        bd->status = CADRE_ENOMEM;
    return p;
}

static const char *keep(imp_builder *bd, const char *s)
{
    if (!s)
        return NULL;
    const char *p = arena_strndup(&bd->mem, s, strlen(s));
    if (!p)
        bd->status = CADRE_ENOMEM;
    return p;
}

static void rec_loc(const imp_rec *r, uint32_t col, char *buf, size_t size)
{
    imp_loc(r->file, r->row, col, 0, buf, size);
}

/* ---------------------------------------------------------------- setup */

cadre_error imp_builder_init(imp_builder *bd, const cadre_import_options *o,
                             cadre_diags *diags)
{
    memset(bd, 0, sizeof *bd);
    bd->o = o;
    bd->diags = bd->real_diags = diags;
    arena_init(&bd->mem);
    strmap_init(&bd->unit_keys);
    strmap_init(&bd->unit_ids);
    strmap_init(&bd->names);
    strmap_init(&bd->ids);
    strmap_init(&bd->by_name);
    bd->out.as_of = o->as_of;
    bd->out.issuer = o->issuer;
    bd->out.place = o->place;
    arena_init(&bd->out.mem);
    if (o->course) {
        bd->recs = cadre_records_new();
        if (!bd->recs)
            return CADRE_ENOMEM;
        cadre_error err = cadre_records_load_all(bd->recs, o->records,
                                                 o->n_records, diags);
        if (err != CADRE_OK)
            return err;
    } else if (o->units) {
        bd->recs = cadre_records_new();
        if (!bd->recs)
            return CADRE_ENOMEM;
        cadre_error err = cadre_records_load_all(bd->recs, &o->units, 1,
                                                 diags);
        if (err != CADRE_OK)
            return err;
        if (!bd->recs->n_units) {
            cadre_diags_error(diags, o->units, 0, "no units in the file "
                              "given to --units");
            return CADRE_EINVALID;
        }
    }
    if (bd->recs) {
        size_t n = bd->recs->n_units;
        bd->unit_out = malloc((n ? n : 1) * sizeof *bd->unit_out);
        bd->name_next = malloc((n ? n : 1) * sizeof *bd->name_next);
        if (!bd->unit_out || !bd->name_next)
            return CADRE_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            bd->unit_out[i] = CADRE_NONE;
            bd->name_next[i] = CADRE_NONE;
            const char *f = folded(bd, bd->recs->units[i].name);
            if (!f)
                return CADRE_ENOMEM;
            uint32_t first;
            if (strmap_put(&bd->names, f, (uint32_t)i, &first) == 0) {
                /* chain units of the same name */
                uint32_t k = first;
                while (bd->name_next[k] != CADRE_NONE)
                    k = bd->name_next[k];
                bd->name_next[k] = (uint32_t)i;
            }
        }
    }
    return bd->status;
}

void imp_builder_release(imp_builder *bd)
{
    strmap_release(&bd->unit_keys);
    strmap_release(&bd->unit_ids);
    strmap_release(&bd->names);
    strmap_release(&bd->ids);
    strmap_release(&bd->by_name);
    free(bd->unit_out);
    free(bd->name_next);
    free(bd->srcs);
    free(bd->cadre_next);
    free(bd->taken);
    free(bd->group_unit);
    free(bd->unit_key);
    free(bd->last_name);
    free(bd->out.units);
    free(bd->out.cadres);
    free(bd->out.parts);
    arena_release(&bd->out.mem);
    arena_release(&bd->mem);
    cadre_records_free(bd->recs);
    memset(bd, 0, sizeof *bd);
}

/* ---------------------------------------------------------------- units */

/* A records unit (--units) in the output, its parents before it. */
static uint32_t use_unit(imp_builder *bd, uint32_t u)
{
    if (bd->unit_out[u] != CADRE_NONE)
        return bd->unit_out[u];
    const cadre_unit *src = &bd->recs->units[u];
    uint32_t parent = CADRE_NONE;
    if (src->parent != CADRE_NONE) {
        parent = use_unit(bd, src->parent);
        if (parent == CADRE_NONE)
            return CADRE_NONE;
    }
    imp_out *o = &bd->out;
    if (!GROW(o->units, o->cap_units, o->n_units + 1)) {
        bd->status = CADRE_ENOMEM;
        return CADRE_NONE;
    }
    cadre_unit *d = &o->units[o->n_units];
    *d = *src;
    d->parent = parent;
    bd->unit_out[u] = (uint32_t)o->n_units;
    return (uint32_t)o->n_units++;
}

/* The level a unit's name implies: a commune, township or ward is xa. */
static int level_of(const char *name)
{
    char w[1024];
    uint32_t ends[64];
    size_t n_ends;
    /* words in value form (diacritics kept: "Bắc Xa" is no xã) */
    size_t n = imp_fold_value(name, strlen(name), w, sizeof w, ends, 64,
                              &n_ends);
    (void)n;
    size_t start = 0;
    for (size_t i = 0; i < n_ends; i++) {
        size_t len = ends[i] - start;
        const char *word = w + start;
        if ((len == strlen("xã") && memcmp(word, "xã", len) == 0) ||
            (len == strlen("phường") && memcmp(word, "phường", len) == 0))
            return CADRE_LEVEL_XA;
        if (len == strlen("thị") && memcmp(word, "thị", len) == 0 &&
            i + 1 < n_ends && ends[i + 1] - ends[i] == strlen("trấn") &&
            memcmp(w + ends[i], "trấn", strlen("trấn")) == 0)
            return CADRE_LEVEL_XA;
        start = ends[i];
    }
    return CADRE_LEVEL_HUYEN;
}

/* A unit id from a name: its words in capitals, ASCII ("XA-BAC-SON"). */
static void unit_id(imp_builder *bd, const char *name, const char *key,
                    char *buf, size_t size)
{
    char *ascii = cadre_text_fold_ascii(name);
    size_t n = 0;
    bool dash = false;
    for (const char *p = ascii ? ascii : ""; *p && n + 2 < size; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            if (dash && n)
                buf[n++] = '-';
            buf[n++] = c;
            dash = false;
        } else {
            dash = true;
        }
    }
    free(ascii);
    buf[n] = '\0';
    if (n == 0 || n > 40) {
        /* long names: their start and a hash of the whole */
        if (n > 40)
            n = 40;
        while (n && buf[n - 1] == '-')
            n--;
        char h[16];
        imp_hash_id("", key, strlen(key), 0, h, sizeof h);
        snprintf(buf + n, size - n, "%s%.4s", n ? "-" : "DV", h);
    }
    /* taken by another unit: -2, -3 ... */
    char base[64];
    snprintf(base, sizeof base, "%s", buf);
    uint32_t dummy;
    for (unsigned k = 2; strmap_get(&bd->unit_ids, buf, &dummy); k++)
        snprintf(buf, size, "%s-%u", base, k);
    (void)bd;
}

/* A unit made from a name (no --units), under `parent` (or none). */
static uint32_t make_unit(imp_builder *bd, const char *name, uint32_t parent)
{
    char key[2048];
    const char *f = folded(bd, name);
    if (!f)
        return CADRE_NONE;
    if (parent != CADRE_NONE)
        snprintf(key, sizeof key, "%s/%s", bd->unit_key[parent], f);
    else
        snprintf(key, sizeof key, "%s", f);
    uint32_t idx;
    if (strmap_get(&bd->unit_keys, key, &idx))
        return idx;
    imp_out *o = &bd->out;
    if (!GROW(o->units, o->cap_units, o->n_units + 1) ||
        !GROW(bd->unit_key, bd->cap_unit_key, o->n_units + 1)) {
        bd->status = CADRE_ENOMEM;
        return CADRE_NONE;
    }
    char id[80];
    unit_id(bd, name, key, id, sizeof id);
    const char *k = keep(bd, key);
    const char *i = keep(bd, id);
    const char *nm = keep(bd, name);
    if (!k || !i || !nm)
        return CADRE_NONE;
    idx = (uint32_t)o->n_units;
    o->units[idx] = (cadre_unit){.id = i, .name = nm,
                                 .level = (uint8_t)level_of(name),
                                 .parent = parent};
    bd->unit_key[idx] = k;
    if (strmap_put(&bd->unit_keys, k, idx, NULL) < 0 ||
        strmap_put(&bd->unit_ids, i, idx, NULL) < 0) {
        bd->status = CADRE_ENOMEM;
        return CADRE_NONE;
    }
    o->n_units++;
    return idx;
}

/* The records units whose folded name is `f` (--units): the first, and
 * the count in *n. */
static uint32_t units_named(imp_builder *bd, const char *f, size_t *n)
{
    uint32_t first;
    *n = 0;
    if (!strmap_get(&bd->names, f, &first))
        return CADRE_NONE;
    for (uint32_t k = first; k != CADRE_NONE; k = bd->name_next[k])
        (*n)++;
    return first;
}

/* Match `name` to a unit of --units; `parent_name` (may be NULL) tells
 * apart units of one name under different parents.  CADRE_NONE after an
 * error. */
static uint32_t match_unit(imp_builder *bd, const char *name,
                           const char *parent_name, const imp_file *file,
                           uint32_t row, uint32_t col)
{
    const char *f = folded(bd, name);
    if (!f)
        return CADRE_NONE;
    size_t n;
    uint32_t first = units_named(bd, f, &n);
    uint32_t found = n == 1 ? first : CADRE_NONE;
    if (n > 1 && parent_name) {
        const char *pf = folded(bd, parent_name);
        size_t hits = 0;
        for (uint32_t k = first; pf && k != CADRE_NONE; k = bd->name_next[k]) {
            uint32_t p = bd->recs->units[k].parent;
            char buf[1024];
            if (p != CADRE_NONE &&
                imp_fold_heading(bd->recs->units[p].name,
                                 strlen(bd->recs->units[p].name), buf,
                                 sizeof buf) &&
                strcmp(buf, pf) == 0) {
                found = k;
                hits++;
            }
        }
        if (hits != 1)
            found = CADRE_NONE;
    }
    if (found != CADRE_NONE)
        return use_unit(bd, found);
    /* one message per name: a name in every row of a file would bury the
     * rest */
    uint32_t seen;
    char key[1100];
    snprintf(key, sizeof key, "!%s", f);
    if (strmap_get(&bd->unit_keys, key, &seen))
        return CADRE_NONE;
    const char *k = keep(bd, key);
    if (k)
        strmap_put(&bd->unit_keys, k, 0, NULL);
    char where[1100];
    imp_loc(file, row, col, 0, where, sizeof where);
    if (n == 0) {
        cadre_diags_error(bd->diags, where, 0, "unit '%s' is none of the "
                          "units of '%s' (every row naming it)", name,
                          bd->o->units);
    } else {
        char ids[512];
        size_t len = 0;
        ids[0] = '\0';
        for (uint32_t u = first; u != CADRE_NONE && len + 70 < sizeof ids;
             u = bd->name_next[u])
            len += (size_t)snprintf(ids + len, sizeof ids - len, "%s%s",
                                    len ? ", " : "", bd->recs->units[u].id);
        cadre_diags_error(bd->diags, where, 0, "unit '%s' matches several "
                          "units of '%s': %s", name, bd->o->units, ids);
    }
    bd->errors++;
    return CADRE_NONE;
}

/* The unit of a group row (and of the groups above it). */
static uint32_t group_unit(imp_builder *bd, const imp_batch *b, int32_t g,
                           const imp_rec *r)
{
    if (g < 0)
        return CADRE_NONE;
    /* the groups of this file, resolved once each (CADRE_NONE - 1: not
     * yet) */
    while (bd->n_group_unit <= (size_t)g) {
        if (!GROW(bd->group_unit, bd->cap_group_unit, bd->n_group_unit + 1)) {
            bd->status = CADRE_ENOMEM;
            return CADRE_NONE;
        }
        bd->group_unit[bd->n_group_unit++] = CADRE_NONE - 1;
    }
    if (bd->group_unit[g] != CADRE_NONE - 1)
        return bd->group_unit[g];
    const imp_group *gr = &b->groups[g];
    uint32_t u;
    if (bd->recs) {
        const char *parent = gr->parent >= 0 ? b->groups[gr->parent].name
                                             : NULL;
        u = match_unit(bd, gr->name, parent, r->file, gr->row, 0);
    } else {
        uint32_t parent = group_unit(bd, b, gr->parent, r);
        u = make_unit(bd, gr->name, parent);
    }
    bd->group_unit[g] = u;
    return u;
}

/* The unit a name in a unit column (or the title) means.  The rows of a
 * unit follow each other: the last name's answer is kept. */
static uint32_t named_unit(imp_builder *bd, const char *name,
                           const imp_rec *r, uint32_t col)
{
    if (bd->last_name && strcmp(bd->last_name, name) == 0)
        return bd->last_unit;
    uint32_t u = bd->recs ? match_unit(bd, name, NULL, r->file, r->row, col)
                          : make_unit(bd, name, CADRE_NONE);
    free(bd->last_name);
    bd->last_name = strdup(name);
    bd->last_unit = u;
    return u;
}

static uint32_t unit_of(imp_builder *bd, const imp_batch *b,
                        const imp_rec *r)
{
    if (r->has[F_UNIT])
        return named_unit(bd, r->text[F_UNIT], r, r->col[F_UNIT]);
    if (r->group >= 0)
        return group_unit(bd, b, r->group, r);
    if (b->title_unit)
        return named_unit(bd, b->title_unit, r, 0);
    return CADRE_NONE;
}

/* -------------------------------------------------------------- cadres */

/* What a made id is made of: the folded name, the birth date and the
 * unit ("nguyenvanan|1971-05-14|XA-BAC-SON"). */
static const char *cadre_key(const cadre_cadre *c, const char *unit,
                             char *key, size_t size)
{
    size_t n = imp_fold_heading(c->full_name, strlen(c->full_name), key,
                                size - 80);
    key[n++] = '|';
    n += imp_date_iso(c->birth, key + n);
    key[n++] = '|';
    size_t u = strlen(unit);
    if (u > size - n - 1)
        u = size - n - 1;
    memcpy(key + n, unit, u);
    key[n + u] = '\0';
    return key;
}

static const char *unit_key_of(const imp_builder *bd, uint32_t unit)
{
    return bd->unit_key ? bd->unit_key[unit] : bd->out.units[unit].id;
}

void imp_builder_begin_file(imp_builder *bd, uint32_t file)
{
    bd->file = file;
    bd->mark_cadres = bd->out.n_cadres;
    bd->mark_units = bd->out.n_units;
    bd->mark_parts = bd->out.n_parts;
    bd->mark_errors = bd->errors;
    bd->bad_ids = 0;
    bd->n_group_unit = 0;
    free(bd->last_name);
    bd->last_name = NULL;
}

void imp_builder_restart(void *ctx)
{
    imp_builder *bd = ctx;
    imp_out *o = &bd->out;
    for (size_t k = bd->mark_parts; k < o->n_parts; k++)
        bd->taken[o->parts[k].cadre] = 0;
    o->n_parts = bd->mark_parts;
    o->n_cadres = bd->mark_cadres;
    /* the units this file made, and the names they are found by */
    for (size_t u = 0; bd->unit_out && bd->recs && u < bd->recs->n_units; u++)
        if (bd->unit_out[u] != CADRE_NONE && bd->unit_out[u] >= bd->mark_units)
            bd->unit_out[u] = CADRE_NONE;
    o->n_units = bd->mark_units;
    strmap_release(&bd->unit_keys);
    strmap_release(&bd->unit_ids);
    for (size_t u = 0; bd->unit_key && u < o->n_units; u++)
        if (strmap_put(&bd->unit_keys, bd->unit_key[u], (uint32_t)u, NULL) < 0 ||
            strmap_put(&bd->unit_ids, o->units[u].id, (uint32_t)u, NULL) < 0)
            bd->status = CADRE_ENOMEM;
    bd->errors = bd->mark_errors;
    imp_builder_begin_file(bd, bd->file);
}

void imp_builder_end_file(imp_builder *bd, const imp_batch *b,
                          const imp_file *f)
{
    if (!cadre_date_is_set(bd->out.as_of) && cadre_date_is_set(b->as_of))
        bd->out.as_of = b->as_of;
    if (!bd->out.place && b->place)
        bd->out.place = keep(bd, b->place);
    if (bd->bad_ids)
        cadre_diags_add(
            bd->diags, CADRE_SEV_WARNING, f->path, 0,
            bd->bad_ids == 1
                ? CADRE_N_("%zu id is not a records id (1 to 64 of A-Z "
                           "a-z 0-9 . _ -), the first %s: an id is made "
                           "for it")
                : CADRE_N_("%zu ids are not records ids (1 to 64 of A-Z "
                           "a-z 0-9 . _ -), the first %s: ids are made "
                           "for them"),
            bd->bad_ids, bd->first_bad);
    bd->bad_ids = 0;
}

void imp_builder_on_cadre(void *ctx, const imp_batch *b, const imp_rec *r,
                          cadre_diags *diags)
{
    imp_builder *bd = ctx;
    bd->diags = diags;
    imp_out *o = &bd->out;
    uint32_t unit = bd->status == CADRE_OK ? unit_of(bd, b, r) : CADRE_NONE;
    bd->diags = bd->real_diags;
    if (unit == CADRE_NONE)
        return;
    if (!GROW(o->cadres, o->cap_cadres, o->n_cadres + 1) ||
        !GROW(bd->srcs, bd->cap_srcs, o->n_cadres + 1)) {
        bd->status = CADRE_ENOMEM;
        return;
    }
    cadre_cadre *c = &o->cadres[o->n_cadres];
    memset(c, 0, sizeof *c);
    c->full_name = keep(bd, r->text[F_FULL_NAME]);
    c->ethnicity = r->has[F_ETHNICITY] ? keep(bd, r->text[F_ETHNICITY])
                                       : NULL;
    c->position = r->has[F_POSITION] ? keep(bd, r->text[F_POSITION]) : NULL;
    c->unit = unit;
    c->birth = r->date[F_BIRTH_DATE];
    c->gender = (uint8_t)r->code[F_GENDER];
    c->category = (uint8_t)r->code[F_CATEGORY];
    c->education = (uint8_t)r->code[F_EDUCATION];
    c->political_theory = (uint8_t)r->code[F_POLITICAL];
    c->state_management = r->has[F_STATE] ? (uint8_t)r->code[F_STATE]
                                          : CADRE_QLNN_CHUA_DAO_TAO;
    c->leader = r->has[F_LEADER] && r->code[F_LEADER];
    c->party_member = r->has[F_PARTY] && r->code[F_PARTY];
    if (c->party_member)
        c->party_since = r->date[F_PARTY];
    c->src = (cadre_source){bd->file, r->row};
    const char *given = r->has[F_ID] ? r->text[F_ID] : NULL;
    if (given && !valid_id(given)) {
        if (!bd->bad_ids++) {
            char w[1100];
            rec_loc(r, r->col[F_ID], w, sizeof w);
            snprintf(bd->first_bad, sizeof bd->first_bad, "'%s' at %s",
                     given, w);
        }
        given = NULL;
    }
    c->id = given ? keep(bd, given) : NULL;
    bd->srcs[o->n_cadres] = (imp_src){r->file, r->row, r->col[F_ID]};
    o->n_cadres++;
}

/* Give every cadre its id: those the files give first (a duplicate is an
 * error), then the made ones. */
static void assign_ids(imp_builder *bd)
{
    imp_out *o = &bd->out;
    for (size_t i = 0; i < o->n_cadres; i++) {
        const char *id = o->cadres[i].id;
        if (!id)
            continue;
        uint32_t old;
        int r = strmap_put(&bd->ids, id, (uint32_t)i, &old);
        if (r < 0) {
            bd->status = CADRE_ENOMEM;
            return;
        }
        if (r == 0) {
            char a[1100], b[1100];
            imp_loc(bd->srcs[i].file, bd->srcs[i].row, bd->srcs[i].col, 0, a,
                    sizeof a);
            imp_loc(bd->srcs[old].file, bd->srcs[old].row, bd->srcs[old].col,
                    0, b, sizeof b);
            cadre_diags_error(bd->diags, a, 0, "id '%s' is given twice (also "
                              "at %s)", id, b);
            bd->errors++;
        }
    }
    strmap made;
    strmap_init(&made);
    for (size_t i = 0; i < o->n_cadres && bd->status == CADRE_OK; i++) {
        if (o->cadres[i].id)
            continue;
        char kbuf[2048];
        const char *key = cadre_key(&o->cadres[i],
                                    unit_key_of(bd, o->cadres[i].unit), kbuf,
                                    sizeof kbuf);
        char id[80], base[48];
        imp_hash_id("CB", key, strlen(key), 0, base, sizeof base);
        snprintf(id, sizeof id, "%s", base);
        uint32_t old;
        for (unsigned k = 2; strmap_get(&bd->ids, id, &old); k++)
            snprintf(id, sizeof id, "%s-%u", base, k);
        uint32_t twin;
        if (strmap_get(&made, key, &twin)) {
            char a[1100], b[1100];
            imp_loc(bd->srcs[i].file, bd->srcs[i].row, 0, 0, a, sizeof a);
            imp_loc(bd->srcs[twin].file, bd->srcs[twin].row, 0, 0, b,
                    sizeof b);
            cadre_diags_add(bd->diags, CADRE_SEV_WARNING, a, 0,
                            "the same name, birth date and unit as at %s: "
                            "imported twice, as %s and %s", b,
                            o->cadres[twin].id, id);
        } else {
            const char *k = keep(bd, key);
            if (!k || strmap_put(&made, k, (uint32_t)i, NULL) < 0)
                bd->status = CADRE_ENOMEM;
        }
        o->cadres[i].id = keep(bd, id);
        if (o->cadres[i].id &&
            strmap_put(&bd->ids, o->cadres[i].id, (uint32_t)i, NULL) < 0)
            bd->status = CADRE_ENOMEM;
    }
    strmap_release(&made);
}

/* -------------------------------------------------------- participants */

static const char *name_key(imp_builder *bd, const char *name, cadre_date d,
                            char *buf, size_t size)
{
    (void)bd;
    char nf[1024], date[CADRE_DATE_TEXT_MAX];
    imp_fold_heading(name, strlen(name), nf, sizeof nf);
    cadre_date_format_iso(d, date, sizeof date);
    snprintf(buf, size, "%s|%s", nf, date);
    return buf;
}

cadre_error imp_builder_course(imp_builder *bd)
{
    const cadre_records *recs = bd->recs;
    bd->out.recs = recs;
    bd->out.course = cadre_records_find_course(recs, bd->o->course);
    if (bd->out.course == CADRE_NONE) {
        cadre_diags_error(bd->diags, NULL, 0, "unknown course '%s': no "
                          "course of that id in the records given",
                          bd->o->course);
        return CADRE_ENOTFOUND;
    }
    bd->cadre_next = malloc((recs->n_cadres ? recs->n_cadres : 1) *
                            sizeof *bd->cadre_next);
    bd->taken = calloc(recs->n_cadres ? recs->n_cadres : 1, sizeof *bd->taken);
    if (!bd->cadre_next || !bd->taken)
        return CADRE_ENOMEM;
    for (size_t i = 0; i < recs->n_cadres; i++) {
        const cadre_cadre *c = &recs->cadres[i];
        char key[1200];
        bd->cadre_next[i] = CADRE_NONE;
        const char *k = keep(bd, name_key(bd, c->full_name, c->birth, key,
                                          sizeof key));
        uint32_t first;
        if (!k)
            return CADRE_ENOMEM;
        int r = strmap_put(&bd->by_name, k, (uint32_t)i, &first);
        if (r < 0)
            return CADRE_ENOMEM;
        if (r == 0) {
            uint32_t j = first;
            while (bd->cadre_next[j] != CADRE_NONE)
                j = bd->cadre_next[j];
            bd->cadre_next[j] = (uint32_t)i;
        }
    }
    return CADRE_OK;
}

static void list_ids(const cadre_records *recs, const uint32_t *c, size_t n,
                     char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len + 80 < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s (%s)",
                                i ? ", " : "", recs->cadres[c[i]].id,
                                recs->units[recs->cadres[c[i]].unit].name);
}

/* The cadre a row is about, or CADRE_NONE after an error. */
static uint32_t find_cadre(imp_builder *bd, const imp_batch *b,
                           const imp_rec *r)
{
    const cadre_records *recs = bd->recs;
    char where[1100];
    if (r->has[F_ID] && valid_id(r->text[F_ID])) {
        uint32_t c = cadre_records_find_cadre(recs, r->text[F_ID]);
        if (c != CADRE_NONE)
            return c;
        rec_loc(r, r->col[F_ID], where, sizeof where);
        cadre_diags_error(bd->diags, where, 0, "no cadre has the id '%s' in "
                          "the records given", r->text[F_ID]);
        bd->errors++;
        return CADRE_NONE;
    }
    rec_loc(r, r->col[F_FULL_NAME], where, sizeof where);
    if (!r->has[F_FULL_NAME] || !r->has[F_BIRTH_DATE]) {
        cadre_diags_error(
            bd->diags, where, 0,
            r->has[F_FULL_NAME]
                ? CADRE_N_("no id, and no birth date to find the cadre by")
                : CADRE_N_("no id, and no name to find the cadre by"));
        bd->errors++;
        return CADRE_NONE;
    }
    char key[1200];
    name_key(bd, r->text[F_FULL_NAME], r->date[F_BIRTH_DATE], key,
             sizeof key);
    uint32_t first, cand[64];
    size_t n = 0;
    if (strmap_get(&bd->by_name, key, &first))
        for (uint32_t k = first; k != CADRE_NONE && n < 64;
             k = bd->cadre_next[k])
            cand[n++] = k;
    /* several of that name and birth date: the unit tells them apart */
    const char *unit = r->has[F_UNIT] ? r->text[F_UNIT]
                       : r->group >= 0 ? b->groups[r->group].name
                                       : b->title_unit;
    if (n > 1 && unit) {
        char uf[1024], cf[1024];
        imp_fold_heading(unit, strlen(unit), uf, sizeof uf);
        size_t w = 0;
        for (size_t i = 0; i < n; i++) {
            const char *un = recs->units[recs->cadres[cand[i]].unit].name;
            imp_fold_heading(un, strlen(un), cf, sizeof cf);
            if (strcmp(cf, uf) == 0)
                cand[w++] = cand[i];
        }
        if (w)
            n = w;
        else {
            char ids[1024];
            list_ids(recs, cand, n, ids, sizeof ids);
            cadre_diags_error(bd->diags, where, 0, "'%s' matches several "
                              "cadres, none of them in unit '%s': %s",
                              r->text[F_FULL_NAME], unit, ids);
            bd->errors++;
            return CADRE_NONE;
        }
    }
    if (n == 1)
        return cand[0];
    if (n == 0) {
        char date[CADRE_DATE_TEXT_MAX];
        cadre_date_format_short(r->date[F_BIRTH_DATE], date, sizeof date);
        cadre_diags_error(bd->diags, where, 0, "no cadre named '%s' born %s "
                          "in the records given", r->text[F_FULL_NAME], date);
    } else {
        char ids[1024];
        list_ids(recs, cand, n, ids, sizeof ids);
        cadre_diags_error(bd->diags, where, 0, "'%s' matches several "
                          "cadres: %s (give the id or the unit)",
                          r->text[F_FULL_NAME], ids);
    }
    bd->errors++;
    return CADRE_NONE;
}

static bool same_participant(const cadre_participant *a,
                             const cadre_participant *b)
{
    bool cert = (!a->certificate_no && !b->certificate_no) ||
                (a->certificate_no && b->certificate_no &&
                 strcmp(a->certificate_no, b->certificate_no) == 0);
    return a->status == b->status && a->grade == b->grade &&
           a->has_score == b->has_score &&
           (!a->has_score || a->score_hundredths == b->score_hundredths) &&
           cert && cadre_date_compare(a->issued, b->issued) == 0 &&
           cadre_date_is_set(a->issued) == cadre_date_is_set(b->issued);
}

/* A certificate number already used, in the records or this sheet. */
static bool cert_taken(const imp_builder *bd, const char *no, uint32_t skip)
{
    const cadre_records *recs = bd->recs;
    for (size_t i = 0; i < recs->n_participants; i++)
        if (i != skip && recs->participants[i].certificate_no &&
            strcmp(recs->participants[i].certificate_no, no) == 0)
            return true;
    for (size_t i = 0; i < bd->out.n_parts; i++)
        if (bd->out.parts[i].certificate_no &&
            strcmp(bd->out.parts[i].certificate_no, no) == 0)
            return true;
    return false;
}

/* One row of a class list: its cadre found, its values checked. */
static void add_participant(imp_builder *bd, const imp_batch *b,
                            const imp_rec *r)
{
    const cadre_records *recs = bd->recs;
    const cadre_course *course = &recs->courses[bd->out.course];
    imp_out *o = &bd->out;
    uint32_t c = find_cadre(bd, b, r);
    if (c == CADRE_NONE)
        return;
    char where[1100];
    rec_loc(r, r->has[F_ID] ? r->col[F_ID] : r->col[F_FULL_NAME], where,
            sizeof where);
    cadre_participant p;
    memset(&p, 0, sizeof p);
    p.cadre = c;
    p.course = bd->out.course;
    p.grade = r->has[F_GRADE] ? (uint8_t)r->code[F_GRADE]
                              : CADRE_GRADE_NONE;
    if (r->has[F_STATUS])
        p.status = (uint8_t)r->code[F_STATUS];
    else
        p.status = r->has[F_GRADE] || r->has[F_CERT_NO]
                       ? CADRE_STATUS_COMPLETED : CADRE_STATUS_ENROLLED;
    if (p.grade != CADRE_GRADE_NONE && p.status != CADRE_STATUS_COMPLETED) {
        char g[1100];
        rec_loc(r, r->col[F_GRADE], g, sizeof g);
        cadre_diags_error(bd->diags, g, 0, "a grade (%s) for a "
                          "participant who is %s, not completed",
                          cadre_code_label(CADRE_CODE_GRADE, p.grade),
                          cadre_code_name(CADRE_CODE_STATUS, p.status));
        bd->errors++;
        return;
    }
    p.has_score = r->has[F_SCORE];
    p.score_hundredths = (uint16_t)r->score;
    p.certificate_no = r->has[F_CERT_NO] ? keep(bd, r->text[F_CERT_NO])
                                         : NULL;
    p.issued = r->has[F_ISSUED] ? r->date[F_ISSUED] : (cadre_date){0};
    p.src = (cadre_source){0, r->row};
    if (bd->taken[c]) {
        cadre_diags_error(bd->diags, where, 0, "cadre %s (%s) is on the "
                          "list twice (also row %u)", recs->cadres[c].id,
                          recs->cadres[c].full_name, bd->taken[c]);
        bd->errors++;
        return;
    }
    bd->taken[c] = r->row;
    /* already a participant of the course: the same, or an error */
    bool there = false;
    for (uint32_t k = 0; k < course->count; k++) {
        const cadre_participant *q = &recs->participants[course->first + k];
        if (q->cadre != c)
            continue;
        there = true;
        if (!same_participant(q, &p)) {
            cadre_diags_error(bd->diags, where, 0, "cadre %s (%s) is "
                              "already a participant of %s, with other "
                              "values (status %s)", recs->cadres[c].id,
                              recs->cadres[c].full_name, course->id,
                              cadre_code_name(CADRE_CODE_STATUS,
                                              q->status));
            bd->errors++;
        }
    }
    if (there)
        return;
    if (p.certificate_no && cert_taken(bd, p.certificate_no, UINT32_MAX)) {
        char g[1100];
        rec_loc(r, r->col[F_CERT_NO], g, sizeof g);
        cadre_diags_error(bd->diags, g, 0, "certificate number '%s' is "
                          "already used", p.certificate_no);
        bd->errors++;
        return;
    }
    if (!GROW(o->parts, o->cap_parts, o->n_parts + 1)) {
        bd->status = CADRE_ENOMEM;
        return;
    }
    o->parts[o->n_parts++] = p;
}

void imp_builder_on_participant(void *ctx, const imp_batch *b,
                                const imp_rec *r, cadre_diags *diags)
{
    imp_builder *bd = ctx;
    if (bd->status == CADRE_OK) {
        bd->diags = diags;
        add_participant(bd, b, r);
    }
    bd->diags = bd->real_diags;
}

cadre_error imp_builder_finish(imp_builder *bd)
{
    if (bd->status == CADRE_OK && !bd->out.recs)
        assign_ids(bd);
    if (bd->status != CADRE_OK)
        return bd->status;
    return bd->errors ? CADRE_EINVALID : CADRE_OK;
}
