/*
 * expr_check.c - the checker: the syntax tree into checked nodes
 * (expr_internal.h).  Names are resolved against the records bound,
 * code words take the list of what they are compared with, types are
 * checked, so that evaluation never meets an error.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/i18n.h"
#include "cadre/text.h"
#include "expr_compile.h"
#include "util/grow.h"

/* ------------------------------------------------------------------ */
/* Tables: records' fields, navigations, globals, functions.           */

struct field {
    uint8_t obj;   /* X_CADRE .. X_PARTICIPANT */
    uint8_t id;    /* F_* */
    uint8_t type;  /* result xtype */
    uint8_t kind;  /* code kind when type is X_CODE */
    uint8_t flags; /* NF_* */
    const char *name; /* as written after the dot */
};

static const struct field fields[] = {
    { X_CADRE, F_CADRE_ID, X_STRING, 0, 0, "id" },
    { X_CADRE, F_CADRE_FULL_NAME, X_STRING, 0, 0, "full-name" },
    { X_CADRE, F_CADRE_GIVEN_NAME, X_STRING, 0, 0, "given-name" },
    { X_CADRE, F_CADRE_GENDER, X_CODE, CADRE_CODE_GENDER, 0, "gender" },
    { X_CADRE, F_CADRE_BIRTH_DATE, X_DATE, 0, 0, "birth-date" },
    { X_CADRE, F_CADRE_BIRTH_YEAR, X_NUMBER, 0, NF_YEAR, "birth-year" },
    { X_CADRE, F_CADRE_AGE, X_NUMBER, 0, 0, "age" },
    { X_CADRE, F_CADRE_ETHNICITY, X_STRING, 0, 0, "ethnicity" },
    { X_CADRE, F_CADRE_MINORITY, X_BOOL, 0, 0, "minority" },
    { X_CADRE, F_CADRE_POSITION, X_STRING, 0, 0, "position" },
    { X_CADRE, F_CADRE_CATEGORY, X_CODE, CADRE_CODE_CATEGORY, 0, "category" },
    { X_CADRE, F_CADRE_EDUCATION, X_CODE, CADRE_CODE_EDUCATION, 0,
      "education" },
    { X_CADRE, F_CADRE_POLITICAL_THEORY, X_CODE, CADRE_CODE_POLITICAL_THEORY,
      0, "political-theory" },
    { X_CADRE, F_CADRE_STATE_MANAGEMENT, X_CODE, CADRE_CODE_STATE_MANAGEMENT,
      0, "state-management" },
    { X_CADRE, F_CADRE_PARTY_MEMBER, X_BOOL, 0, 0, "party-member" },
    { X_CADRE, F_CADRE_PARTY_SINCE, X_DATE, 0, 0, "party-since" },
    { X_CADRE, F_CADRE_LEADER, X_BOOL, 0, 0, "leader" },
    { X_UNIT, F_UNIT_ID, X_STRING, 0, 0, "id" },
    { X_UNIT, F_UNIT_NAME, X_STRING, 0, 0, "name" },
    { X_UNIT, F_UNIT_LEVEL, X_CODE, CADRE_CODE_LEVEL, 0, "level" },
    { X_COURSE, F_COURSE_ID, X_STRING, 0, 0, "id" },
    { X_COURSE, F_COURSE_TYPE, X_CODE, CADRE_CODE_COURSE_TYPE, 0, "type" },
    { X_COURSE, F_COURSE_MODE, X_CODE, CADRE_CODE_MODE, 0, "mode" },
    { X_COURSE, F_COURSE_START, X_DATE, 0, 0, "start" },
    { X_COURSE, F_COURSE_END, X_DATE, 0, 0, "end" },
    { X_COURSE, F_COURSE_TITLE, X_STRING, 0, 0, "title" },
    { X_COURSE, F_COURSE_ORGANIZER, X_STRING, 0, 0, "organizer" },
    { X_COURSE, F_COURSE_LOCATION, X_STRING, 0, 0, "location" },
    { X_COURSE, F_COURSE_SIGNER, X_STRING, 0, 0, "signer" },
    { X_COURSE, F_COURSE_SIGNER_TITLE, X_STRING, 0, 0, "signer-title" },
    { X_COURSE, F_COURSE_GOVERNING_BODY, X_STRING, 0, 0, "governing-body" },
    { X_COURSE, F_COURSE_PARTICIPANTS, X_NUMBER, 0, 0, "participants" },
    { X_COURSE, F_COURSE_COMPLETED, X_NUMBER, 0, 0, "completed" },
    { X_PARTICIPANT, F_PART_STATUS, X_CODE, CADRE_CODE_STATUS, 0, "status" },
    { X_PARTICIPANT, F_PART_GRADE, X_CODE, CADRE_CODE_GRADE, 0, "grade" },
    { X_PARTICIPANT, F_PART_SCORE, X_NUMBER, 0, 0, "score" },
    { X_PARTICIPANT, F_PART_CERTIFICATE_NO, X_STRING, 0, 0,
      "certificate-no" },
    { X_PARTICIPANT, F_PART_ISSUED, X_DATE, 0, 0, "issued" },
};

struct nav {
    uint8_t from; /* record type navigated from */
    uint8_t id;   /* NAV_* */
    uint8_t to;   /* record type reached */
    const char *name; /* as written after the dot */
};

static const struct nav navs[] = {
    { X_CADRE, NAV_CADRE_UNIT, X_UNIT, "unit" },
    { X_UNIT, NAV_UNIT_PARENT, X_UNIT, "parent" },
    { X_PARTICIPANT, NAV_PART_CADRE, X_CADRE, "cadre" },
    { X_PARTICIPANT, NAV_PART_COURSE, X_COURSE, "course" },
};

static const char *const root_names[] = {
    [X_CADRE] = "cadre", [X_UNIT] = "unit", [X_COURSE] = "course",
    [X_PARTICIPANT] = "participant",
};

struct global {
    uint8_t id;       /* G_* */
    uint8_t type;     /* its xtype */
    uint8_t flags;    /* NF_* */
    const char *name; /* as written */
};

static const struct global globals[] = {
    { G_AS_OF, X_DATE, 0, "as-of" },
    { G_AS_OF, X_DATE, 0, "today" },
    { G_ISSUER, X_STRING, 0, "issuer" },
    { G_PLACE, X_STRING, 0, "place" },
    { G_SIGNER, X_STRING, 0, "signer" },
    { G_SIGNER_TITLE, X_STRING, 0, "signer-title" },
    { G_YEAR, X_NUMBER, NF_YEAR, "year" },
};

struct func {
    uint8_t id;       /* FN_* */
    uint8_t nargs;    /* arguments expected */
    uint8_t args[3];  /* their xtypes (X_ANY: any value) */
    uint8_t type;     /* result */
    uint8_t flags;    /* NF_* of the result */
    const char *name; /* as written */
};

static const struct func funcs[] = {
    { FN_RUNS_IN, 2, { X_COURSE, X_NUMBER, 0 }, X_BOOL, 0, "runs-in" },
    { FN_ENDS_IN, 2, { X_COURSE, X_NUMBER, 0 }, X_BOOL, 0, "ends-in" },
    { FN_STARTS_IN, 2, { X_COURSE, X_NUMBER, 0 }, X_BOOL, 0, "starts-in" },
    { FN_YEAR, 1, { X_DATE, 0, 0 }, X_NUMBER, NF_YEAR, "year" },
    { FN_AGE, 1, { X_DATE, 0, 0 }, X_NUMBER, 0, "age" },
    { FN_IF, 3, { X_BOOL, X_ANY, X_ANY }, X_ANY, 0, "if" },
    { FN_PERCENT, 2, { X_NUMBER, X_NUMBER, 0 }, X_NUMBER, 0, "percent" },
    { FN_HAS, 1, { X_ANY, 0, 0 }, X_BOOL, 0, "has" },
};

static const char *const op_names[] = {
    [OP_EQ] = "=", [OP_NE] = "!=", [OP_LT] = "<", [OP_LE] = "<=",
    [OP_GT] = ">", [OP_GE] = ">=",
};

/* ------------------------------------------------------------------ */
/* Building checked nodes.                                             */

static uint32_t enew(compiler *c, int op, int type)
{
    cadre_expr *x = c->x;
    if (!GROW(x->nodes, x->cap_nodes, x->n_nodes + 1)) {
        expr_oom(c);
        return CADRE_ENONE;
    }
    cadre_enode *n = &x->nodes[x->n_nodes];
    memset(n, 0, sizeof *n);
    n->op = (uint8_t)op;
    n->type = (uint8_t)type;
    n->a = n->b = n->c = CADRE_ENONE;
    return x->n_nodes++;
}

static cadre_enode *N(compiler *c, uint32_t i) { return &c->x->nodes[i]; }

static int args_push(cadre_expr *x, uint32_t v)
{
    if (!GROW(x->args, x->cap_args, x->n_args + 1))
        return -1;
    x->args[x->n_args++] = v;
    return 0;
}

/* Lookup context: which records are bound, and where bare names go. */
typedef struct lookup {
    unsigned roots; /* 1 << X_* of every bound record */
    int prio[4];    /* bare names: prio[0] first, then one of the rest */
    int nprio;      /* entries of prio */
    int coll;       /* COLL_* inside an aggregate's where, else -1 */
} lookup;

static uint32_t check(compiler *c, uint32_t ai, const lookup *sc);

/* Keep a copy of a string literal, in NFC, for the expression's life. */
static const char *keep_string(compiler *c, const char *s, size_t len)
{
    cadre_expr *x = c->x;
    if (!GROW(x->lits, x->cap_lits, x->n_lits + 1)) {
        expr_oom(c);
        return NULL;
    }
    char *copy;
    if (cadre_text_check(s, len, NULL, NULL) != CADRE_TEXT_OK) {
        expr_error(c, "invalid text in a string");
        return NULL;
    }
    if (cadre_text_is_nfc(s, len)) {
        copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, s, len);
            copy[len] = '\0';
        }
    } else {
        copy = cadre_text_nfc(s, len, NULL);
    }
    if (!copy) {
        expr_oom(c);
        return NULL;
    }
    x->lits[x->n_lits++] = copy;
    return copy;
}

static const char *phrase(compiler *c, uint32_t i, char *buf, size_t size)
{
    return expr_xtype_phrase(N(c, i)->type, N(c, i)->kind, buf, size);
}

static bool streq(const char *a, const char *s, size_t len)
{
    return strlen(a) == len && memcmp(a, s, len) == 0;
}

/* The record a root is bound to, as a node. */
static uint32_t root_node(compiler *c, int root)
{
    uint32_t n = enew(c, E_ROOT, root);
    if (n != CADRE_ENONE)
        N(c, n)->aux = (uint8_t)root;
    return n;
}

static const struct field *find_field(int obj, const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].obj == obj && streq(fields[i].name, s, len))
            return &fields[i];
    return NULL;
}

static const struct nav *find_nav(int obj, const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof navs / sizeof navs[0]; i++)
        if (navs[i].from == obj && streq(navs[i].name, s, len))
            return &navs[i];
    return NULL;
}

/* Apply field or navigation `s` to the record node `obj`. */
static uint32_t member(compiler *c, uint32_t obj, const char *s, size_t len)
{
    int t = N(c, obj)->type;
    const struct field *f = find_field(t, s, len);
    if (f) {
        uint32_t n = enew(c, E_FIELD, f->type);
        if (n == CADRE_ENONE)
            return n;
        N(c, n)->a = obj;
        N(c, n)->aux = f->id;
        N(c, n)->kind = f->kind;
        N(c, n)->flags = f->flags;
        return n;
    }
    const struct nav *v = find_nav(t, s, len);
    if (v) {
        uint32_t n = enew(c, E_NAV, v->to);
        if (n == CADRE_ENONE)
            return n;
        N(c, n)->a = obj;
        N(c, n)->aux = v->id;
        return n;
    }
    return CADRE_ENONE;
}

static bool has_member(int obj, const char *s, size_t len)
{
    return find_field(obj, s, len) || find_nav(obj, s, len);
}

/* Outcome of looking a name up. */
enum { R_OK, R_UNKNOWN, R_AMBIGUOUS, R_UNBOUND, R_FAIL };

/* The record `r` a name starts with, and the fields or navigations
 * after it: ".unit.name" of "cadre.unit.name" (`s`, the part after
 * `head` bytes).  As resolve(). */
static int resolve_path(compiler *c, int r, const char *s, size_t head,
                        size_t len, bool build, uint32_t *out)
{
    uint32_t n = CADRE_ENONE;
    if (build && (n = root_node(c, r)) == CADRE_ENONE)
        return R_FAIL;
    int type = r;
    const char *p = s + head;
    while (p < s + len) {
        const char *seg = p + 1;
        const char *end = memchr(seg, '.', (size_t)(s + len - seg));
        if (!end)
            end = s + len;
        if (!xtype_is_record(type) ||
            !has_member(type, seg, (size_t)(end - seg)))
            return R_UNKNOWN; /* the caller reports it, with hints */
        if (build) {
            n = member(c, n, seg, (size_t)(end - seg));
            if (n == CADRE_ENONE)
                return R_FAIL;
            type = N(c, n)->type;
        } else {
            const struct field *f = find_field(type, seg,
                                               (size_t)(end - seg));
            type = f ? f->type
                     : find_nav(type, seg, (size_t)(end - seg))->to;
        }
        p = end;
    }
    *out = n;
    return R_OK;
}

/* Report the bare field `s` that `others` records after the first in
 * priority order have: "write cadre.id, course.id or unit.id". */
static void ambiguous_name(compiler *c, const char *s, size_t len,
                           const lookup *sc, int others)
{
    char list[160];
    size_t used = 0;
    int seen = 0;
    list[0] = '\0';
    for (int k = 1; k < sc->nprio; k++) {
        if (!has_member(sc->prio[k], s, len))
            continue;
        seen++;
        int w = snprintf(list + used, sizeof list - used, "%s%s.%.*s",
                         seen == 1 ? ""
                         : seen == others ? " or " : ", ",
                         root_names[sc->prio[k]], (int)len, s);
        if (w > 0 && (size_t)w < sizeof list - used)
            used += (size_t)w;
    }
    expr_error(c, "ambiguous name '%.*s' (write %s)", (int)len, s, list);
}

/* A bare field: the first record in priority order, else the only
 * other one that has it.  As resolve(). */
static int resolve_bare(compiler *c, const char *s, size_t len,
                        const lookup *sc, bool build, uint32_t *out)
{
    int found = -1, others = 0;
    if (sc->nprio > 0 && has_member(sc->prio[0], s, len)) {
        found = sc->prio[0];
    } else {
        for (int k = 1; k < sc->nprio; k++) {
            if (has_member(sc->prio[k], s, len)) {
                if (found < 0)
                    found = sc->prio[k];
                others++;
            }
        }
    }
    if (found < 0)
        return R_UNKNOWN;
    if (others > 1) {
        if (build)
            ambiguous_name(c, s, len, sc, others);
        return R_AMBIGUOUS;
    }
    if (build) {
        uint32_t r = root_node(c, found);
        if (r == CADRE_ENONE)
            return R_FAIL;
        uint32_t n = member(c, r, s, len);
        if (n == CADRE_ENONE)
            return R_FAIL;
        *out = n;
    }
    return R_OK;
}

/*
 * Resolve the name `s` in context `sc`.  With `build`, make its node into
 * *out (errors other than "unknown" are reported); without, only say
 * whether it is a name.
 */
static int resolve(compiler *c, const char *s, size_t len, const lookup *sc,
                   bool build, uint32_t *out)
{
    const char *dot = memchr(s, '.', len);
    size_t head = dot ? (size_t)(dot - s) : len;

    /* a record: cadre, unit, course, participant */
    for (int r = X_CADRE; r <= X_PARTICIPANT; r++) {
        if (!streq(root_names[r], s, head))
            continue;
        if (!(sc->roots & (1u << r))) {
            if (build)
                expr_error(c, "unknown name '%.*s' (there is no %s here)",
                           (int)len, s, root_names[r]);
            return R_UNBOUND;
        }
        return resolve_path(c, r, s, head, len, build, out);
    }
    if (dot)
        return R_UNKNOWN;

    /* the dialect's variables */
    if (c->scope && c->scope->vars) {
        for (uint32_t i = 0; c->scope->vars[i]; i++) {
            if (!streq(c->scope->vars[i], s, len))
                continue;
            if (build) {
                uint32_t n = enew(c, E_VAR, X_ANY);
                if (n == CADRE_ENONE)
                    return R_FAIL;
                N(c, n)->k.code = (int)i;
                *out = n;
            }
            return R_OK;
        }
    }

    /* as-of, issuer, place, year, today */
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
        if (!streq(globals[i].name, s, len))
            continue;
        if (build) {
            uint32_t n = enew(c, E_GLOBAL, globals[i].type);
            if (n == CADRE_ENONE)
                return R_FAIL;
            N(c, n)->aux = globals[i].id;
            N(c, n)->flags = globals[i].flags;
            *out = n;
        }
        return R_OK;
    }
    return resolve_bare(c, s, len, sc, build, out);
}

/* Report an unknown name, with a hint when it looks like a subtraction
 * written without spaces ("year-1"). */
static void unknown_name(compiler *c, const char *s, size_t len,
                         const lookup *sc)
{
    uint32_t dummy;
    for (size_t k = len; k-- > 1;) {
        if (s[k] != '-')
            continue;
        if (resolve(c, s, k, sc, false, &dummy) == R_OK) {
            expr_error(c, "unknown name '%.*s' (to subtract, put spaces "
                       "around '-': '%.*s - %.*s')", (int)len, s, (int)k, s,
                       (int)(len - k - 1), s + k + 1);
            return;
        }
    }
    expr_error(c, "unknown name '%.*s'", (int)len, s);
}

static bool is_bare(compiler *c, uint32_t ai)
{
    const struct anode *a = &c->ast[ai];
    return a->kind == A_NAME && !memchr(c->src + a->start, '.', a->len);
}

/* A bare word that is not a name: a code word, settled by what it is
 * compared with. */
static bool is_code_word(compiler *c, uint32_t ai, const lookup *sc)
{
    uint32_t dummy;
    return is_bare(c, ai) &&
           resolve(c, c->src + c->ast[ai].start, c->ast[ai].len, sc, false,
                   &dummy) == R_UNKNOWN;
}

/* Check `ai` where it meets a value like node `other`: a bare word or a
 * string becomes a code of other's list, a string a date. */
static uint32_t check_against(compiler *c, uint32_t ai, uint32_t other,
                              const lookup *sc)
{
    const struct anode *a = &c->ast[ai];
    const cadre_enode *o = N(c, other);
    const char *s = c->src + a->start;
    if (o->type == X_CODE && (a->kind == A_STR || is_bare(c, ai))) {
        char word[128];
        size_t len = a->len < sizeof word ? a->len : sizeof word - 1;
        memcpy(word, s, len);
        word[len] = '\0';
        int code = len == a->len ? cadre_code_parse((cadre_code_kind)o->kind,
                                                    word)
                                 : -1;
        if (code >= 0) {
            uint32_t n = enew(c, E_CONST, X_CODE);
            if (n != CADRE_ENONE) {
                N(c, n)->kind = N(c, other)->kind;
                N(c, n)->k.code = code;
            }
            return n;
        }
        if (a->kind == A_STR || is_code_word(c, ai, sc)) {
            char buf[64];
            expr_error(c, "'%.*s' is not %s (expected one of: %s)",
                       (int)a->len, s,
                       expr_xtype_phrase(X_CODE, o->kind, buf, sizeof buf),
                       cadre_code_list((cadre_code_kind)o->kind));
            return CADRE_ENONE;
        }
    }
    if (o->type == X_DATE && a->kind == A_STR) {
        char word[16];
        cadre_date d;
        if (a->len < sizeof word) {
            memcpy(word, s, a->len);
            word[a->len] = '\0';
            if (cadre_date_parse(word, CADRE_DATE_YEAR_OK, &d) == 0) {
                uint32_t n = enew(c, E_CONST, X_DATE);
                if (n != CADRE_ENONE)
                    N(c, n)->k.d = d;
                return n;
            }
        }
        expr_error(c, "'%.*s' is not a date (write 2019-07-05)",
                   (int)a->len, s);
        return CADRE_ENONE;
    }
    return check(c, ai, sc);
}

/* A word in some list of codes ("completed" is a status as well as a
 * course's field). */
static bool in_some_list(compiler *c, uint32_t ai)
{
    char word[64];
    const struct anode *a = &c->ast[ai];
    if (a->len >= sizeof word)
        return false;
    memcpy(word, c->src + a->start, a->len);
    word[a->len] = '\0';
    for (int k = 0; k < CADRE_CODE_KIND_COUNT; k++)
        if (cadre_code_parse((cadre_code_kind)k, word) >= 0)
            return true;
    return false;
}

/* An operand whose meaning may depend on the other side: a string, a
 * word that is not a name, or a name that is also a code word. */
static bool is_weak(compiler *c, uint32_t ai, const lookup *sc)
{
    return c->ast[ai].kind == A_STR ||
           (is_bare(c, ai) &&
            (is_code_word(c, ai, sc) || in_some_list(c, ai)));
}

/* Check the two operands of a comparison (or of if's branches) so that
 * a code word on either side takes the list of the other. */
static int check_pair(compiler *c, uint32_t la, uint32_t ra, const lookup *sc,
                      uint32_t *l, uint32_t *r)
{
    if (is_weak(c, la, sc) && !is_weak(c, ra, sc)) {
        if ((*r = check(c, ra, sc)) == CADRE_ENONE)
            return -1;
        *l = check_against(c, la, *r, sc);
    } else {
        if ((*l = check(c, la, sc)) == CADRE_ENONE)
            return -1;
        *r = check_against(c, ra, *l, sc);
    }
    return *l == CADRE_ENONE || *r == CADRE_ENONE ? -1 : 0;
}

static bool same_type(const cadre_enode *a, const cadre_enode *b)
{
    return a->type == b->type && (a->type != X_CODE || a->kind == b->kind);
}

/* May `a` and `b` be compared with `op`?  Reports why not. */
static int comparable(compiler *c, uint32_t l, uint32_t r, int op)
{
    char b1[64], b2[64];
    const cadre_enode *a = N(c, l), *b = N(c, r);
    if (xtype_is_record(a->type) || xtype_is_record(b->type)) {
        expr_error(c, "cannot compare %s with %s (compare one of their "
                   "fields, such as unit.id)", phrase(c, l, b1, sizeof b1),
                   phrase(c, r, b2, sizeof b2));
        return -1;
    }
    if (a->type == X_ANY || b->type == X_ANY)
        return 0;
    if (!same_type(a, b)) {
        expr_error(c, "cannot compare %s with %s", phrase(c, l, b1, sizeof b1),
                   phrase(c, r, b2, sizeof b2));
        return -1;
    }
    if (a->type == X_BOOL && op != OP_EQ && op != OP_NE) {
        expr_error(c, "cannot order true/false values with '%s'",
                   op_names[op]);
        return -1;
    }
    return 0;
}

/* Where a code field's byte sits in its record: comparisons with a
 * constant read it directly. */
static size_t code_offset(int field)
{
    switch (field) {
    case F_CADRE_GENDER: return offsetof(cadre_cadre, gender);
    case F_CADRE_CATEGORY: return offsetof(cadre_cadre, category);
    case F_CADRE_EDUCATION: return offsetof(cadre_cadre, education);
    case F_CADRE_POLITICAL_THEORY:
        return offsetof(cadre_cadre, political_theory);
    case F_CADRE_STATE_MANAGEMENT:
        return offsetof(cadre_cadre, state_management);
    case F_UNIT_LEVEL: return offsetof(cadre_unit, level);
    case F_COURSE_TYPE: return offsetof(cadre_course, type);
    case F_COURSE_MODE: return offsetof(cadre_course, mode);
    case F_PART_STATUS: return offsetof(cadre_participant, status);
    default: return offsetof(cadre_participant, grade);
    }
}

/* A test of a code against a set of codes, known when compiled:
 * "education >= cao-dang" is "education is one of tien-si .. cao-dang". */
static uint32_t code_set(compiler *c, uint32_t code, uint32_t mask,
                         bool if_none)
{
    const cadre_enode *f = N(c, code);
    uint32_t n;
    if (f->op == E_FIELD) {
        n = enew(c, E_FCMP, X_BOOL);
        if (n == CADRE_ENONE)
            return n;
        f = N(c, code);
        N(c, n)->a = f->a;
        N(c, n)->aux2 = f->aux;
        N(c, n)->c = (uint32_t)code_offset(f->aux);
    } else {
        n = enew(c, E_INMASK, X_BOOL);
        if (n == CADRE_ENONE)
            return n;
        N(c, n)->a = code;
    }
    N(c, n)->kind = N(c, code)->kind;
    N(c, n)->k.mask = mask;
    N(c, n)->aux = if_none;
    return n;
}

static uint32_t fuse_cmp(compiler *c, uint32_t l, uint32_t r, int op)
{
    static const uint8_t swapped[] = {
        [OP_EQ] = OP_EQ, [OP_NE] = OP_NE, [OP_LT] = OP_GT, [OP_LE] = OP_GE,
        [OP_GT] = OP_LT, [OP_GE] = OP_LE,
    };
    cadre_enode *a = N(c, l), *b = N(c, r);
    if (a->op == E_CONST && b->op != E_CONST) {
        uint32_t t = l;
        l = r;
        r = t;
        op = swapped[op];
        a = N(c, l);
        b = N(c, r);
    }
    if (a->type == X_CODE && b->op == E_CONST) {
        uint32_t mask = 0;
        int count = cadre_code_count((cadre_code_kind)a->kind);
        for (int v = 0; v < count && v < 32; v++)
            if (apply_op(op, code_order(v, b->k.code)))
                mask |= 1u << v;
        return code_set(c, l, mask, op == OP_NE);
    }
    uint32_t n = enew(c, E_CMP, X_BOOL);
    if (n == CADRE_ENONE)
        return n;
    a = N(c, l);
    b = N(c, r);
    N(c, n)->a = l;
    N(c, n)->b = r;
    N(c, n)->aux = (uint8_t)op;
    N(c, n)->aux2 = a->type == X_ANY || b->type == X_ANY ? X_ANY : a->type;
    return n;
}

static uint32_t check_in(compiler *c, const struct anode *a, const lookup *sc)
{
    uint32_t l;
    if (is_code_word(c, a->a, sc)) {
        unknown_name(c, c->src + c->ast[a->a].start, c->ast[a->a].len, sc);
        return CADRE_ENONE;
    }
    if ((l = check(c, a->a, sc)) == CADRE_ENONE)
        return l;
    uint32_t items[64];
    bool all_codes = N(c, l)->type == X_CODE;
    for (uint32_t k = 0; k < a->count; k++) {
        uint32_t it = check_against(c, c->alist[a->first + k], l, sc);
        if (it == CADRE_ENONE || comparable(c, l, it, OP_EQ) != 0)
            return CADRE_ENONE;
        items[k] = it;
        if (N(c, it)->op != E_CONST)
            all_codes = false;
    }
    uint32_t n;
    if (all_codes) {
        uint32_t mask = 0;
        for (uint32_t k = 0; k < a->count; k++)
            mask |= 1u << N(c, items[k])->k.code;
        if (a->op) {
            int count = cadre_code_count((cadre_code_kind)N(c, l)->kind);
            mask = ~mask & (count >= 32 ? ~0u : (1u << count) - 1);
        }
        return code_set(c, l, mask, a->op);
    }
    n = enew(c, E_IN, X_BOOL);
    if (n == CADRE_ENONE)
        return n;
    N(c, n)->a = l;
    N(c, n)->aux = a->op;
    N(c, n)->aux2 = N(c, l)->type;
    N(c, n)->b = c->x->n_args;
    N(c, n)->c = a->count;
    for (uint32_t k = 0; k < a->count; k++) {
        if (args_push(c->x, items[k]) != 0) {
            expr_oom(c);
            return CADRE_ENONE;
        }
        if (N(c, items[k])->type == X_ANY)
            N(c, n)->aux2 = X_ANY;
    }
    return n;
}

static uint32_t check_arith(compiler *c, const struct anode *a,
                            const lookup *sc)
{
    char b1[64], b2[64];
    uint32_t l = check(c, a->a, sc);
    if (l == CADRE_ENONE)
        return l;
    uint32_t r = check(c, a->b2, sc);
    if (r == CADRE_ENONE)
        return r;
    int lt = N(c, l)->type, rt = N(c, r)->type;
    int kind, type;
    if (lt == X_NUMBER && rt == X_NUMBER) {
        kind = ARITH_NUM;
        type = X_NUMBER;
    } else if (a->op == '-' && lt == X_DATE && rt == X_DATE) {
        kind = ARITH_DATE_DAYS;
        type = X_NUMBER;
    } else if ((a->op == '+' || a->op == '-') && lt == X_DATE &&
               rt == X_NUMBER) {
        kind = ARITH_DATE_SHIFT;
        type = X_DATE;
    } else if (a->op == '+' && lt == X_NUMBER && rt == X_DATE) {
        uint32_t t = l; /* n + date: the date first */
        l = r;
        r = t;
        kind = ARITH_DATE_SHIFT;
        type = X_DATE;
    } else if ((lt == X_ANY || lt == X_NUMBER || lt == X_DATE) &&
               (rt == X_ANY || rt == X_NUMBER || rt == X_DATE) &&
               (lt == X_ANY || rt == X_ANY)) {
        kind = ARITH_DYN;
        type = X_ANY;
    } else {
        expr_error(c, "cannot use '%c' on %s and %s", a->op,
                   phrase(c, l, b1, sizeof b1), phrase(c, r, b2, sizeof b2));
        return CADRE_ENONE;
    }
    uint32_t n = enew(c, E_ARITH, type);
    if (n == CADRE_ENONE)
        return n;
    N(c, n)->a = l;
    N(c, n)->b = r;
    N(c, n)->aux = a->op;
    N(c, n)->aux2 = (uint8_t)kind;
    /* year - 1 is still a year; year - birth-year is a number of years */
    if ((a->op == '+' || a->op == '-') && type == X_NUMBER &&
        ((N(c, l)->flags ^ N(c, r)->flags) & NF_YEAR))
        N(c, n)->flags |= NF_YEAR;
    return n;
}

static uint32_t check_call(compiler *c, const struct anode *a,
                           const lookup *sc)
{
    char b1[64];
    const char *name = c->src + a->start;
    const struct func *f = NULL;
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        if (streq(funcs[i].name, name, a->len))
            f = &funcs[i];
    if (!f) {
        expr_error(c, "unknown function '%.*s'", (int)a->len, name);
        return CADRE_ENONE;
    }
    if (a->count != f->nargs) {
        expr_error(c, "wrong number of arguments to '%s' (expected %u, "
                   "got %u)", f->name, f->nargs, a->count);
        return CADRE_ENONE;
    }
    uint32_t args[3];
    const uint32_t *aa = c->alist + a->first;
    int type = f->type, kind = 0;
    if (f->id == FN_IF) {
        if ((args[0] = check(c, aa[0], sc)) == CADRE_ENONE)
            return CADRE_ENONE;
        if (check_pair(c, aa[1], aa[2], sc, &args[1], &args[2]) != 0)
            return CADRE_ENONE;
        const cadre_enode *x = N(c, args[1]), *y = N(c, args[2]);
        if (xtype_is_record(x->type) || xtype_is_record(y->type)) {
            expr_error(c, "the branches of 'if' must be values, not records");
            return CADRE_ENONE;
        }
        if (x->type != X_ANY && y->type != X_ANY && !same_type(x, y)) {
            char b2[64];
            expr_error(c, "the branches of 'if' differ: %s and %s",
                       phrase(c, args[1], b1, sizeof b1),
                       phrase(c, args[2], b2, sizeof b2));
            return CADRE_ENONE;
        }
        type = x->type == X_ANY || y->type == X_ANY ? X_ANY : x->type;
        kind = x->kind;
    } else {
        for (unsigned k = 0; k < f->nargs; k++)
            if ((args[k] = check(c, aa[k], sc)) == CADRE_ENONE)
                return CADRE_ENONE;
    }
    for (unsigned k = 0; k < f->nargs; k++) {
        int want = f->args[k], got = N(c, args[k])->type;
        bool ok = want == X_ANY ? !xtype_is_record(got)
                                : got == want || got == X_ANY;
        if (!ok) {
            char b2[64];
            expr_error(c, "argument %u of '%s' must be %s, not %s", k + 1,
                       f->name,
                       expr_xtype_phrase(want, 0, b2, sizeof b2),
                       phrase(c, args[k], b1, sizeof b1));
            return CADRE_ENONE;
        }
    }
    uint32_t n = enew(c, E_CALL, type);
    if (n == CADRE_ENONE)
        return n;
    N(c, n)->aux = f->id;
    N(c, n)->kind = (uint8_t)kind;
    N(c, n)->flags = f->flags;
    if (f->id == FN_IF)
        N(c, n)->flags = N(c, args[1])->flags & N(c, args[2])->flags;
    N(c, n)->b = c->x->n_args;
    N(c, n)->c = f->nargs;
    for (unsigned k = 0; k < f->nargs; k++)
        if (args_push(c->x, args[k]) != 0) {
            expr_oom(c);
            return CADRE_ENONE;
        }
    return n;
}

static uint32_t check_agg(compiler *c, const struct anode *a,
                          const lookup *outer)
{
    char b1[64];
    lookup sc = *outer;
    sc.coll = a->op2;
    switch (a->op2) {
    case COLL_CADRES:
        sc.roots |= 1u << X_CADRE | 1u << X_UNIT;
        sc.prio[0] = X_CADRE;
        sc.prio[1] = X_UNIT;
        sc.nprio = 2;
        break;
    case COLL_PARTICIPANTS:
        sc.roots |= 1u << X_CADRE | 1u << X_UNIT | 1u << X_COURSE |
                    1u << X_PARTICIPANT;
        sc.prio[0] = X_PARTICIPANT;
        sc.prio[1] = X_CADRE;
        sc.prio[2] = X_COURSE;
        sc.prio[3] = X_UNIT;
        sc.nprio = 4;
        break;
    case COLL_COURSES:
        sc.roots |= 1u << X_COURSE;
        sc.prio[0] = X_COURSE;
        sc.nprio = 1;
        break;
    default:
        sc.roots |= 1u << X_UNIT;
        sc.prio[0] = X_UNIT;
        sc.nprio = 1;
        break;
    }
    if (a->op == AGG_PEOPLE && a->op2 != COLL_PARTICIPANTS) {
        expr_error(c, "people() counts the distinct cadres among "
                   "participants; write count(%s ...)",
                   expr_coll_names[a->op2]);
        return CADRE_ENONE;
    }
    uint32_t where = CADRE_ENONE, value = CADRE_ENONE;
    if (a->a != CADRE_ENONE) {
        if ((where = check(c, a->a, &sc)) == CADRE_ENONE)
            return where;
        int t = N(c, where)->type;
        if (t != X_BOOL && t != X_ANY) {
            expr_error(c, "the condition after '%s where' must be true or "
                       "false, not %s", expr_coll_names[a->op2],
                       phrase(c, where, b1, sizeof b1));
            return CADRE_ENONE;
        }
    }
    int type = X_NUMBER, flags = 0;
    if (a->b2 != CADRE_ENONE) {
        if ((value = check(c, a->b2, &sc)) == CADRE_ENONE)
            return value;
        int t = N(c, value)->type;
        bool dates = a->op == AGG_MIN || a->op == AGG_MAX;
        if (t != X_NUMBER && t != X_ANY && !(dates && t == X_DATE)) {
            expr_error(c, "%s() needs %s to add up, not %s",
                       expr_agg_names[a->op],
                       dates ? cadre_gettext("numbers or dates")
                             : cadre_gettext("numbers"),
                       phrase(c, value, b1, sizeof b1));
            return CADRE_ENONE;
        }
        if (dates) {
            type = t;
            flags = N(c, value)->flags;
        }
    }
    uint32_t n = enew(c, E_AGG, type);
    if (n == CADRE_ENONE)
        return n;
    N(c, n)->aux = a->op;
    N(c, n)->aux2 = a->op2;
    N(c, n)->a = where;
    N(c, n)->b = value;
    N(c, n)->flags = (uint8_t)flags;
    return n;
}

static uint32_t check_bool(compiler *c, uint32_t ai, const lookup *sc,
                           const char *what)
{
    char b1[64];
    uint32_t n = check(c, ai, sc);
    if (n == CADRE_ENONE)
        return n;
    int t = N(c, n)->type;
    if (t != X_BOOL && t != X_ANY) {
        expr_error(c, "'%s' needs true/false on each side, not %s", what,
                   phrase(c, n, b1, sizeof b1));
        return CADRE_ENONE;
    }
    return n;
}

static uint32_t check(compiler *c, uint32_t ai, const lookup *sc)
{
    char b1[64];
    const struct anode *a = &c->ast[ai];
    uint32_t n, l, r;
    if (c->failed)
        return CADRE_ENONE;
    switch (a->kind) {
    case A_NUM:
        n = enew(c, E_CONST, X_NUMBER);
        if (n != CADRE_ENONE)
            N(c, n)->k.n = a->num;
        return n;
    case A_DATE:
        n = enew(c, E_CONST, X_DATE);
        if (n != CADRE_ENONE)
            N(c, n)->k.d = a->date;
        return n;
    case A_BOOL:
        n = enew(c, E_CONST, X_BOOL);
        if (n != CADRE_ENONE)
            N(c, n)->k.b = a->b;
        return n;
    case A_STR: {
        const char *s = keep_string(c, c->src + a->start, a->len);
        if (!s)
            return CADRE_ENONE;
        n = enew(c, E_CONST, X_STRING);
        if (n != CADRE_ENONE)
            N(c, n)->k.s = s;
        return n;
    }
    case A_NAME: {
        const char *s = c->src + a->start;
        int res = resolve(c, s, a->len, sc, true, &n);
        if (res == R_UNKNOWN)
            unknown_name(c, s, a->len, sc);
        return res == R_OK ? n : CADRE_ENONE;
    }
    case A_NEG:
        if ((l = check(c, a->a, sc)) == CADRE_ENONE)
            return l;
        if (N(c, l)->type != X_NUMBER && N(c, l)->type != X_ANY) {
            expr_error(c, "cannot negate %s", phrase(c, l, b1, sizeof b1));
            return CADRE_ENONE;
        }
        n = enew(c, E_NEG, N(c, l)->type);
        if (n != CADRE_ENONE)
            N(c, n)->a = l;
        return n;
    case A_NOT:
        if ((l = check_bool(c, a->a, sc, "not")) == CADRE_ENONE)
            return l;
        n = enew(c, E_NOT, X_BOOL);
        if (n != CADRE_ENONE)
            N(c, n)->a = l;
        return n;
    case A_AND:
    case A_OR: {
        const char *w = a->kind == A_AND ? "and" : "or";
        if ((l = check_bool(c, a->a, sc, w)) == CADRE_ENONE)
            return l;
        if ((r = check_bool(c, a->b2, sc, w)) == CADRE_ENONE)
            return r;
        n = enew(c, a->kind == A_AND ? E_AND : E_OR, X_BOOL);
        if (n != CADRE_ENONE) {
            N(c, n)->a = l;
            N(c, n)->b = r;
        }
        return n;
    }
    case A_CMP:
        if (is_code_word(c, a->a, sc) && is_code_word(c, a->b2, sc)) {
            unknown_name(c, c->src + c->ast[a->a].start, c->ast[a->a].len,
                         sc);
            return CADRE_ENONE;
        }
        if (check_pair(c, a->a, a->b2, sc, &l, &r) != 0)
            return CADRE_ENONE;
        if (comparable(c, l, r, a->op) != 0)
            return CADRE_ENONE;
        return fuse_cmp(c, l, r, a->op);
    case A_IN:
        return check_in(c, a, sc);
    case A_ARITH:
        return check_arith(c, a, sc);
    case A_CALL:
        return check_call(c, a, sc);
    case A_AGG:
        return check_agg(c, a, sc);
    }
    return CADRE_ENONE;
}

static void top_context(const cadre_scope *scope, lookup *sc)
{
    unsigned r = scope ? scope->roots : 0;
    memset(sc, 0, sizeof *sc);
    sc->coll = -1;
    if (r & CADRE_ROOT_PARTICIPANT)
        sc->roots |= 1u << X_PARTICIPANT | 1u << X_CADRE | 1u << X_COURSE |
                     1u << X_UNIT;
    if (r & CADRE_ROOT_CADRE)
        sc->roots |= 1u << X_CADRE | 1u << X_UNIT;
    if (r & CADRE_ROOT_COURSE)
        sc->roots |= 1u << X_COURSE;
    if (r & CADRE_ROOT_UNIT)
        sc->roots |= 1u << X_UNIT;
    static const int order[] = { X_CADRE, X_PARTICIPANT, X_COURSE, X_UNIT };
    for (int i = 0; i < 4; i++)
        if (sc->roots & (1u << order[i]))
            sc->prio[sc->nprio++] = order[i];
}

uint32_t expr_check(compiler *c, uint32_t root)
{
    lookup sc;
    top_context(c->scope, &sc);
    return check(c, root, &sc);
}
