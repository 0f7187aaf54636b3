/*
 * expr_cond.c - a compiled condition read back as a conjunction of field
 * tests (expr_cond.h).
 */
#include "expr_cond.h"

typedef struct reader {
    const cadre_expr *e;     /* the condition */
    int root;                /* the record its fields belong to */
    cadre_field_test *tests; /* where tests go */
    size_t max, n;           /* room and tests found */
} reader;

/* The field node `i` reads of the root record, or NULL. */
static const cadre_enode *root_field(const reader *r, uint32_t i)
{
    const cadre_enode *f = &r->e->nodes[i];
    if (f->op != E_FIELD)
        return NULL;
    const cadre_enode *o = &r->e->nodes[f->a];
    return o->op == E_ROOT && o->aux == r->root ? f : NULL;
}

static int push(reader *r, cadre_field_test t)
{
    if (r->n == r->max)
        return CADRE_CONJ_MANY;
    r->tests[r->n++] = t;
    return CADRE_CONJ_OK;
}

/* "field op constant" with the field on the left (the compiler moves
 * constants right), negated or not. */
static int comparison(reader *r, const cadre_enode *n, bool neg)
{
    /* not (a < b) is a >= b, and so on */
    static const uint8_t inverse[] = {
        [OP_EQ] = OP_NE, [OP_NE] = OP_EQ, [OP_LT] = OP_GE, [OP_LE] = OP_GT,
        [OP_GT] = OP_LE, [OP_GE] = OP_LT,
    };
    const cadre_enode *f = root_field(r, n->a);
    const cadre_enode *k = &r->e->nodes[n->b];
    if (!f || k->op != E_CONST)
        return CADRE_CONJ_OTHER;
    int op = neg ? inverse[n->aux] : n->aux;
    if (f->type == X_BOOL && k->type == X_BOOL &&
        (op == OP_EQ || op == OP_NE))
        return push(r, (cadre_field_test){ .field = f->aux,
                                           .kind = CADRE_FTEST_TRUTH,
                                           .truth = (op == OP_EQ) == k->k.b });
    if (f->type == X_NUMBER && k->type == X_NUMBER)
        return push(r, (cadre_field_test){ .field = f->aux,
                                           .kind = CADRE_FTEST_NUMBER,
                                           .op = op, .number = k->k.n });
    return CADRE_CONJ_OTHER;
}

static int walk(reader *r, uint32_t i, bool neg)
{
    const cadre_enode *n = &r->e->nodes[i];
    const cadre_enode *f;
    int st;
    switch (n->op) {
    case E_AND:
    case E_OR:
        /* not (a or b) = not a and not b; not (a and b) is an 'or' */
        if ((n->op == E_AND) == neg)
            return CADRE_CONJ_OR;
        if ((st = walk(r, n->a, neg)) != CADRE_CONJ_OK)
            return st;
        return walk(r, n->b, neg);
    case E_NOT:
        return walk(r, n->a, !neg);
    case E_CONST:
        /* true is no test; false would count nothing */
        return n->type == X_BOOL && n->k.b != neg ? CADRE_CONJ_OK
                                                  : CADRE_CONJ_OTHER;
    case E_FCMP: {
        const cadre_enode *o = &r->e->nodes[n->a];
        if (o->op != E_ROOT || o->aux != r->root)
            return CADRE_CONJ_OTHER;
        uint32_t all = 0;
        int count = cadre_code_count((cadre_code_kind)n->kind);
        for (int c = 0; c < count && c < 32; c++)
            all |= 1u << c;
        return push(r, (cadre_field_test){
            .field = n->aux2, .kind = CADRE_FTEST_CODES,
            .codes = neg ? all & ~n->k.mask : n->k.mask,
            .none = (n->aux != 0) != neg });
    }
    case E_FIELD:
        if (!(f = root_field(r, i)) || f->type != X_BOOL)
            return CADRE_CONJ_OTHER;
        return push(r, (cadre_field_test){ .field = f->aux,
                                           .kind = CADRE_FTEST_TRUTH,
                                           .truth = !neg });
    case E_CMP:
        return comparison(r, n, neg);
    default:
        return CADRE_CONJ_OTHER;
    }
}

int cadre_expr_conjunction(const cadre_expr *e, int root,
                           cadre_field_test *tests, size_t max, size_t *n)
{
    reader r = { .e = e, .root = root, .tests = tests, .max = max };
    int st = walk(&r, e->root, false);
    *n = r.n;
    return st;
}
