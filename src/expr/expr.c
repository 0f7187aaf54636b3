/*
 * expr.c - compiling an expression, what a compiled expression says of
 * itself, and freeing it.
 *
 * Compiling goes source -> tokens (expr_lex.c) -> syntax tree (struct
 * anode, expr_parse.c, thrown away afterwards) -> checked tree
 * (cadre_enode, kept; expr_check.c).  Names, code words and types are
 * settled by the checker, so evaluation (expr_eval.c) never meets an
 * error and never allocates (except people(), which needs a set of
 * cadres).
 */
#include <stdlib.h>
#include <string.h>

#include "cadre/expr.h"
#include "expr_compile.h"
#include "util/grow.h"

/* ------------------------------------------------------------------ */
/* Compiling: the public entry points.                                 */

cadre_expr *expr_compile_any(const char *src, size_t len,
                             const cadre_scope *scope, const char *file,
                             unsigned long line, const char *quote,
                             cadre_diags *diags)
{
    compiler c;
    memset(&c, 0, sizeof c);
    c.src = src ? src : "";
    c.len = src ? len : 0;
    c.file = file;
    c.line = line;
    c.quote = quote ? quote : c.src;
    c.quote_len = quote ? strlen(quote) : c.len;
    c.diags = diags;
    c.scope = scope;
    c.x = calloc(1, sizeof *c.x);
    if (!c.x) {
        cadre_diags_error(diags, file, line, "out of memory");
        return NULL;
    }
    uint32_t root = expr_parse(&c);
    if (!c.failed) {
        uint32_t n = expr_check(&c, root);
        if (n != CADRE_ENONE)
            c.x->root = n;
    }
    free(c.ast);
    free(c.alist);
    if (c.failed) {
        cadre_expr_free(c.x);
        return NULL;
    }
    return c.x;
}

int expr_xtype(const cadre_expr *e)
{
    return e->nodes[e->root].type;
}

cadre_code_kind expr_code_kind(const cadre_expr *e)
{
    return (cadre_code_kind)e->nodes[e->root].kind;
}

bool expr_root_is_year(const cadre_expr *e)
{
    return (e->nodes[e->root].flags & NF_YEAR) != 0;
}

/* A new root over the old one, its child: a filter's view of the value
 * (ong-ba's gender, a record shown as its name) made once when compiled,
 * not each time the value is printed. */
static int wrap_root(cadre_expr *e, int op, int type, int aux, int kind)
{
    if (!GROW(e->nodes, e->cap_nodes, e->n_nodes + 1))
        return -1;
    cadre_enode *n = &e->nodes[e->n_nodes];
    memset(n, 0, sizeof *n);
    n->op = (uint8_t)op;
    n->type = (uint8_t)type;
    n->aux = (uint8_t)aux;
    n->kind = (uint8_t)kind;
    n->a = e->root;
    n->b = n->c = CADRE_ENONE;
    e->root = e->n_nodes++;
    return 0;
}

int expr_root_gender(cadre_expr *e)
{
    return wrap_root(e, E_FIELD, X_CODE, F_CADRE_GENDER, CADRE_CODE_GENDER);
}

int expr_root_show(cadre_expr *e)
{
    return wrap_root(e, E_SHOW, X_STRING, 0, 0);
}

cadre_expr *cadre_expr_compile(const char *src, const cadre_scope *scope,
                               const char *file, unsigned long line,
                               cadre_diags *diags)
{
    size_t len = src ? strlen(src) : 0;
    cadre_expr *e = expr_compile_any(src, len, scope, file, line, NULL,
                                     diags);
    if (!e)
        return NULL;
    int t = expr_xtype(e);
    if (t == X_PARTICIPANT) {
        cadre_diags_error(diags, file, line,
                          "'%s' is a participant: name one of its fields, "
                          "such as participant.status", src);
        cadre_expr_free(e);
        return NULL;
    }
    if (xtype_is_record(t) && expr_root_show(e) != 0) {
        cadre_diags_error(diags, file, line, "out of memory");
        cadre_expr_free(e);
        return NULL;
    }
    return e;
}

cadre_vtype cadre_expr_type(const cadre_expr *e)
{
    int t = e->nodes[e->root].type;
    return xtype_is_record(t) ? CADRE_V_STRING : (cadre_vtype)t;
}

bool cadre_expr_is_year(const cadre_expr *e)
{
    return expr_root_is_year(e);
}

void cadre_expr_free(cadre_expr *e)
{
    if (!e)
        return;
    for (uint32_t i = 0; i < e->n_lits; i++)
        free(e->lits[i]);
    free(e->lits);
    free(e->nodes);
    free(e->args);
    free(e);
}

unsigned cadre_expr_uses(const cadre_expr *e)
{
    static const unsigned bit[] = {
        [G_AS_OF] = CADRE_USES_AS_OF, [G_ISSUER] = CADRE_USES_ISSUER,
        [G_PLACE] = CADRE_USES_PLACE, [G_SIGNER] = CADRE_USES_SIGNER,
        [G_SIGNER_TITLE] = CADRE_USES_SIGNER_TITLE, [G_YEAR] = 0,
    };
    unsigned uses = 0;
    for (uint32_t i = 0; i < e->n_nodes; i++)
        if (e->nodes[i].op == E_GLOBAL && e->nodes[i].aux <= G_YEAR)
            uses |= bit[e->nodes[i].aux];
    return uses;
}

size_t cadre_expr_aggs(const cadre_expr *e, uint32_t *ids, size_t max)
{
    size_t n = 0;
    for (uint32_t i = 0; i < e->n_nodes; i++) {
        if (e->nodes[i].op != E_AGG)
            continue;
        if (n < max)
            ids[n] = i;
        n++;
    }
    return n;
}
