/*
 * import_tmpl.c - the import dialect of the template language: which
 * headings mean which field, and which cell texts mean which code
 * (templates/import/, docs/import.md).  Read once with the shared
 * template reader (template.h); every heading and label is kept in its
 * folded form, ready to compare.
 */
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "cadre/i18n.h"
#include "cadre/template.h"
#include "import_internal.h"
#include "util/grow.h"

enum { R_CADRES = 1, R_PARTS = 2, R_BOTH = 3 };

static const struct {
    const char *name;
    int kind;
    int codes;       /* cadre_code_kind of the values (or of the splits) */
    int records;     /* the templates it may appear in */
} field_defs[F_COUNT] = {
    [F_ID] = {"id", K_ID, -1, R_BOTH},
    [F_FULL_NAME] = {"full-name", K_TEXT, -1, R_BOTH},
    [F_FAMILY_NAME] = {"family-name", K_TEXT, -1, R_BOTH},
    [F_GIVEN_NAME] = {"given-name", K_TEXT, -1, R_BOTH},
    [F_BIRTH_DATE] = {"birth-date", K_DATE, CADRE_CODE_GENDER, R_BOTH},
    [F_GENDER] = {"gender", K_CODE, CADRE_CODE_GENDER, R_BOTH},
    [F_ETHNICITY] = {"ethnicity", K_TEXT, -1, R_BOTH},
    [F_POSITION] = {"position", K_TEXT, -1, R_BOTH},
    [F_UNIT] = {"unit", K_TEXT, -1, R_BOTH},
    [F_CATEGORY] = {"category", K_CODE, CADRE_CODE_CATEGORY, R_CADRES},
    [F_EDUCATION] = {"education", K_CODE, CADRE_CODE_EDUCATION, R_CADRES},
    [F_POLITICAL] = {"political-theory", K_CODE, CADRE_CODE_POLITICAL_THEORY,
                     R_CADRES},
    [F_STATE] = {"state-management", K_CODE, CADRE_CODE_STATE_MANAGEMENT,
                 R_CADRES},
    [F_PARTY] = {"party-member", K_PARTY, -1, R_CADRES},
    [F_LEADER] = {"leader", K_MARK, -1, R_CADRES},
    [F_STATUS] = {"status", K_CODE, CADRE_CODE_STATUS, R_PARTS},
    [F_GRADE] = {"grade", K_CODE, CADRE_CODE_GRADE, R_PARTS},
    [F_SCORE] = {"score", K_SCORE, -1, R_PARTS},
    [F_CERT_NO] = {"certificate-no", K_TEXT, -1, R_PARTS},
    [F_ISSUED] = {"issued", K_DAY, -1, R_PARTS},
    [F_IGNORE] = {"ignore", K_NONE, -1, R_BOTH},
};

const char *imp_field_name(int field)
{
    return field >= 0 && field < F_COUNT ? field_defs[field].name : "?";
}

static int field_by_name(const char *name)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strcmp(field_defs[i].name, name) == 0 && i != F_IGNORE)
            return i;
    return -1;
}

typedef struct loader {
    imp_tmpl *t;
    cadre_diags *diags;
    int bad;
    size_t cap_h[F_COUNT], cap_sh[F_COUNT], cap_s[F_COUNT], cap_l[F_COUNT];
    size_t cap_totals, cap_footers;
    imp_buf labels[F_COUNT]; /* the labels as written, for messages */
} loader;

static char *keep(loader *ld, const char *s, size_t n)
{
    char *p = arena_strndup(&ld->t->mem, s, n);
    if (!p)
        ld->bad++;
    return p;
}

/* The heading form of a template text, kept; NULL (error added) when it
 * folds to nothing. */
static const char *heading_form(loader *ld, const cadre_tnode *n,
                                const char *text)
{
    char buf[512];
    size_t len = imp_fold_heading(text, strlen(text), buf, sizeof buf);
    if (len == 0) {
        cadre_tnode_error(n, ld->diags, "a heading must have a letter or a "
                          "digit");
        ld->bad++;
        return NULL;
    }
    return keep(ld, buf, len);
}

static bool add_heading(loader *ld, const cadre_tnode *n, imp_fdef *f,
                        int field, const char *text)
{
    const char *form = heading_form(ld, n, text);
    if (!form)
        return false;
    if (!GROW(f->headings, ld->cap_h[field], f->n_headings + 1) ||
        !GROW(f->shown, ld->cap_sh[field], f->n_headings + 1)) {
        ld->bad++;
        return false;
    }
    f->headings[f->n_headings] = form;
    f->shown[f->n_headings] = keep(ld, text, strlen(text));
    f->n_headings++;
    return true;
}

/* The code a value's code attribute names in field `field`'s list. */
static int code_of(loader *ld, const cadre_tnode *n, int field,
                   const char *code, bool split)
{
    int kind = field_defs[field].kind;
    if (!split && (kind == K_MARK || kind == K_PARTY)) {
        if (strcmp(code, "true") == 0)
            return 1;
        if (strcmp(code, "false") == 0)
            return 0;
        cadre_tnode_error(n, ld->diags, "the code of a %s value is true or "
                          "false, not '%s'", field_defs[field].name, code);
        ld->bad++;
        return -1;
    }
    int codes = field_defs[field].codes;
    int v = codes >= 0 ? cadre_code_parse(codes, code) : -1;
    if (v < 0) {
        if (codes < 0)
            cadre_tnode_error(n, ld->diags, "field %s has no %s",
                              field_defs[field].name,
                              split ? cadre_gettext("split columns")
                                    : cadre_gettext("values"));
        else
            cadre_tnode_error(n, ld->diags, "unknown %s '%s' (one of: %s)",
                              cadre_code_kind_name(codes), code,
                              cadre_code_list(codes));
        ld->bad++;
    }
    return v;
}

/* <split heading="Nam" value="M"/>: a column of its own for one value
 * (a birth date under Nam or Nữ, a mark under each code). */
static void read_split(loader *ld, const cadre_tnode *k, imp_fdef *f,
                       int field, const char *name)
{
    static const char *const sa[] = {"heading", "value", NULL};
    ld->bad += cadre_tnode_check_attrs(k, sa, ld->diags);
    const char *h = cadre_tnode_require(k, "heading", ld->diags);
    const char *v = cadre_tnode_require(k, "value", ld->diags);
    if (!h || !v) {
        ld->bad++;
        return;
    }
    if (field != F_BIRTH_DATE && field_defs[field].kind != K_CODE) {
        cadre_tnode_error(k, ld->diags, "field %s has no split "
                          "columns", name);
        ld->bad++;
        return;
    }
    int code = code_of(ld, k, field, v, true);
    const char *form = heading_form(ld, k, h);
    if (code < 0 || !form)
        return;
    if (!GROW(f->splits, ld->cap_s[field], f->n_splits + 1)) {
        ld->bad++;
        return;
    }
    f->splits[f->n_splits++] = (imp_split){form, code};
}

/* <value code="CODE">label</value>: how a cell writes a code. */
static void read_value(loader *ld, const cadre_tnode *k, imp_fdef *f,
                       int field, const char *name)
{
    static const char *const va[] = {"code", NULL};
    ld->bad += cadre_tnode_check_attrs(k, va, ld->diags);
    int kind = field_defs[field].kind;
    if (kind != K_CODE && kind != K_MARK && kind != K_PARTY) {
        cadre_tnode_error(k, ld->diags,
                          "field %s has no values "
                          "(its cells are %s)",
                          name,
                          kind == K_SCORE ? cadre_gettext("numbers")
                                          : cadre_gettext("text"));
        ld->bad++;
        return;
    }
    const char *code = cadre_tnode_require(k, "code", ld->diags);
    int v = code ? code_of(ld, k, field, code, false) : -1;
    if (v < 0)
        return;
    char buf[512];
    size_t len = imp_fold_value(k->text, strlen(k->text), buf,
                                sizeof buf, NULL, 0, NULL);
    const char *form = len ? keep(ld, buf, len)
                           : keep(ld, k->text, strlen(k->text));
    if (!form)
        return;
    if (!k->text[0]) {
        cadre_tnode_error(k, ld->diags, "an empty value: say what an "
                          "empty cell means with empty=\"CODE\" on "
                          "the field");
        ld->bad++;
        return;
    }
    if (!GROW(f->labels, ld->cap_l[field], f->n_labels + 1)) {
        ld->bad++;
        return;
    }
    f->labels[f->n_labels++] =
        (imp_label){form, (uint32_t)(len ? len : strlen(form)),
                    len ? v : v | 0x10000};
    imp_buf *lb = &ld->labels[field];
    if ((lb->len && !imp_buf_add(lb, ", ", 2)) ||
        !imp_buf_add(lb, k->text, strlen(k->text)))
        ld->bad++;
}

static void read_field(loader *ld, const cadre_tnode *n)
{
    static const char *const allowed[] = {"name", "required", "empty",
                                          "major", NULL};
    imp_tmpl *t = ld->t;
    ld->bad += cadre_tnode_check_attrs(n, allowed, ld->diags);
    const char *name = cadre_tnode_require(n, "name", ld->diags);
    if (!name) {
        ld->bad++;
        return;
    }
    int field = field_by_name(name);
    int want = t->records ? R_PARTS : R_CADRES;
    if (field < 0 || !(field_defs[field].records & want)) {
        cadre_tnode_error(n, ld->diags, field < 0 ? "unknown field '%s'"
                          : "field '%s' is not read by this kind of import",
                          name);
        ld->bad++;
        return;
    }
    imp_fdef *f = &t->f[field];
    f->used = true;
    if (cadre_tnode_bool(n, "required", &f->required, ld->diags) != 0 ||
        cadre_tnode_bool(n, "major", &f->prefix, ld->diags) != 0)
        ld->bad++;
    const char *empty = cadre_tnode_attr(n, "empty");
    if (empty) {
        int code = code_of(ld, n, field, empty, false);
        if (code >= 0)
            f->empty = code;
    }
    for (const cadre_tnode *k = n->children; k; k = k->next) {
        if (cadre_tnode_is(k, "heading")) {
            ld->bad += cadre_tnode_check_attrs(k, (const char *const[]){NULL},
                                               ld->diags);
            add_heading(ld, k, f, field, k->text);
        } else if (cadre_tnode_is(k, "split")) {
            read_split(ld, k, f, field, name);
        } else if (cadre_tnode_is(k, "value")) {
            read_value(ld, k, f, field, name);
        } else {
            cadre_tnode_error(k, ld->diags, "unknown element <%s> in <field> "
                              "(one of: heading, split, value)", k->name);
            ld->bad++;
        }
    }
}

static void read_list(loader *ld, const cadre_tnode *n, const char ***list,
                      size_t *count, size_t *cap)
{
    ld->bad += cadre_tnode_check_attrs(n, (const char *const[]){NULL},
                                       ld->diags);
    const char *form = heading_form(ld, n, n->text);
    if (!form)
        return;
    if (!GROW(*list, *cap, *count + 1)) {
        ld->bad++;
        return;
    }
    (*list)[(*count)++] = form;
}

imp_tmpl *imp_tmpl_load(const char *path, cadre_diags *diags)
{
    cadre_tmpl *tree = cadre_tmpl_load(path, "import", diags);
    if (!tree)
        return NULL;
    imp_tmpl *t = calloc(1, sizeof *t);
    loader ld;
    memset(&ld, 0, sizeof ld);
    if (!t) {
        cadre_tmpl_free(tree);
        return NULL;
    }
    arena_init(&t->mem);
    ld.t = t;
    ld.diags = diags;
    for (int i = 0; i < F_COUNT; i++)
        t->f[i].empty = -1;
    const cadre_tnode *root = tree->root;
    static const char *const allowed[] = {"records", NULL};
    static const char *const kinds[] = {"cadres", "participants", NULL};
    ld.bad += cadre_tnode_check_attrs(root, allowed, diags);
    int records = 0;
    if (cadre_tnode_choice(root, "records", kinds, &records, diags) != 0)
        ld.bad++;
    t->records = records;
    t->path = keep(&ld, path, strlen(path));
    for (const cadre_tnode *n = root->children; n; n = n->next) {
        if (cadre_tnode_is(n, "field")) {
            read_field(&ld, n);
        } else if (cadre_tnode_is(n, "ignore")) {
            ld.bad += cadre_tnode_check_attrs(n, (const char *const[]){NULL},
                                              diags);
            t->f[F_IGNORE].used = true;
            for (const cadre_tnode *k = n->children; k; k = k->next) {
                if (!cadre_tnode_is(k, "heading")) {
                    cadre_tnode_error(k, diags, "unknown element <%s> in "
                                      "<ignore> (only heading)", k->name);
                    ld.bad++;
                    continue;
                }
                add_heading(&ld, k, &t->f[F_IGNORE], F_IGNORE, k->text);
            }
        } else if (cadre_tnode_is(n, "total")) {
            read_list(&ld, n, &t->totals, &t->n_totals, &ld.cap_totals);
        } else if (cadre_tnode_is(n, "footer")) {
            read_list(&ld, n, &t->footers, &t->n_footers, &ld.cap_footers);
        } else {
            cadre_tnode_error(n, diags, "unknown element <%s> (one of: field, "
                              "ignore, total, footer)", n->name);
            ld.bad++;
        }
    }
    for (int i = 0; i < F_COUNT; i++) {
        imp_fdef *f = &t->f[i];
        f->kind = field_defs[i].kind;
        f->codes = field_defs[i].codes;
        f->label_list = ld.labels[i].p ? keep(&ld, ld.labels[i].p,
                                              ld.labels[i].len) : "";
        imp_buf_free(&ld.labels[i]);
        if (f->required && !f->n_headings && !f->n_splits) {
            cadre_diags_error(diags, path, 0, "required field %s has no "
                              "heading", field_defs[i].name);
            ld.bad++;
        }
    }
    cadre_tmpl_free(tree);
    if (ld.bad) {
        imp_tmpl_free(t);
        return NULL;
    }
    return t;
}

void imp_tmpl_free(imp_tmpl *t)
{
    if (!t)
        return;
    for (int i = 0; i < F_COUNT; i++) {
        free(t->f[i].headings);
        free(t->f[i].shown);
        free(t->f[i].splits);
        free(t->f[i].labels);
    }
    free(t->totals);
    free(t->footers);
    arena_release(&t->mem);
    free(t);
}

int imp_tmpl_heading(const imp_tmpl *t, const char *fold)
{
    for (int i = 0; i < F_COUNT; i++)
        for (size_t k = 0; k < t->f[i].n_headings; k++)
            if (strcmp(t->f[i].headings[k], fold) == 0)
                return i;
    return -1;
}

int imp_tmpl_split(const imp_tmpl *t, int parent, const char *fold,
                   int *code)
{
    for (int i = 0; i < F_COUNT; i++) {
        if (parent >= 0 && i != parent)
            continue;
        for (size_t k = 0; k < t->f[i].n_splits; k++)
            if (strcmp(t->f[i].splits[k].fold, fold) == 0) {
                *code = t->f[i].splits[k].code;
                return i;
            }
    }
    return -1;
}

int imp_tmpl_value(const imp_fdef *f, const char *s, size_t len)
{
    char buf[1024];
    uint32_t ends[64];
    size_t n_ends = 0;
    size_t n = imp_fold_value(s, len, buf, sizeof buf, ends, 64, &n_ends);
    if (n == 0) {
        /* a symbol alone ("-", "✓"): only as the template writes it */
        for (size_t i = 0; i < f->n_labels; i++)
            if ((f->labels[i].code & 0x10000) && f->labels[i].len == len &&
                memcmp(f->labels[i].fold, s, len) == 0)
                return f->labels[i].code & 0xFFFF;
        return -1;
    }
    int best = -1;
    uint32_t best_len = 0;
    for (size_t i = 0; i < f->n_labels; i++) {
        const imp_label *l = &f->labels[i];
        if (l->code & 0x10000)
            continue;
        if (l->len == n && memcmp(l->fold, buf, n) == 0)
            return l->code;
        if (!f->prefix || l->len >= n || l->len <= best_len ||
            memcmp(l->fold, buf, l->len) != 0)
            continue;
        /* a level followed by a major: the label must end a word */
        for (size_t e = 0; e < n_ends; e++)
            if (ends[e] == l->len) {
                best = l->code;
                best_len = l->len;
                break;
            }
    }
    return best;
}
