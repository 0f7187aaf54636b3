/*
 * fuzz_expr.c - libFuzzer harness for the expression language and the
 * text templates (include/cadre/expr.h).
 *
 * The input, as a C string, is compiled twice in one fixed scope (every
 * root: cadre, course, participant, unit; the variables "seq", a text,
 * and "page", a number): as an expression and as a text template.  What
 * compiles is evaluated (and rendered, into a buffer too small and into
 * a new string) against each participant of a small fixed set of records,
 * binding it with its cadre, course and the cadre's unit as a certificate
 * does, once for the whole district and once within the unit and course.
 * The records are samples/small.xml, loaded once: from $CADRE_FUZZ_RECORDS,
 * else ./samples/small.xml, else ../../samples/small.xml beside the binary.
 */
#include "fuzz_util.h"

#include <libgen.h>

#include "cadre/error.h"
#include "cadre/expr.h"
#include "cadre/records.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cadre_records *recs;
static const char *const vars[] = {"seq", "page", NULL};
static const cadre_scope scope = {
    .roots = CADRE_ROOT_CADRE | CADRE_ROOT_COURSE | CADRE_ROOT_PARTICIPANT |
             CADRE_ROOT_UNIT,
    .vars = vars,
};

static cadre_records *load(const char *path)
{
    cadre_diags diags;
    cadre_diags_init(&diags, 10);
    cadre_records *r = cadre_records_new();
    if (r && (cadre_records_load(r, path, &diags) != CADRE_OK ||
              cadre_records_finish(r, &diags) != CADRE_OK)) {
        cadre_records_free(r);
        r = NULL;
    }
    cadre_diags_release(&diags);
    return r;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    const char *env = getenv("CADRE_FUZZ_RECORDS");
    if (env)
        recs = load(env);
    if (!recs && access("samples/small.xml", R_OK) == 0)
        recs = load("samples/small.xml");
    if (!recs) {
        char path[4096], self[4096];
        snprintf(self, sizeof self, "%s", (*argv)[0]);
        snprintf(path, sizeof path, "%s/../../samples/small.xml",
                 dirname(self));
        recs = load(path);
    }
    if (!recs || recs->n_participants == 0) {
        fprintf(stderr, "fuzz_expr: cannot load samples/small.xml "
                        "(set CADRE_FUZZ_RECORDS)\n");
        exit(1);
    }
    return 0;
}

/* Bind participant `i` as a certificate does; `within`: count within its
 * unit and course, as a per-unit page or a per-course row does. */
static void bind(cadre_env *env, cadre_value *vals, size_t i, bool within)
{
    const cadre_participant *p = &recs->participants[i];
    const cadre_cadre *c = &recs->cadres[p->cadre];
    cadre_env_init(env, recs);
    env->participant = p;
    env->cadre = c;
    env->course = &recs->courses[p->course];
    env->unit = &recs->units[c->unit];
    env->year = 2018;
    vals[0] = (cadre_value){.type = CADRE_V_STRING, .u.s = "007"};
    vals[1] = (cadre_value){.type = CADRE_V_NUMBER, .u.n = 3};
    env->vars = vals;
    if (within) {
        env->within_unit = c->unit;
        env->within_course = p->course;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) /* templates' strings are short; keep runs fast */
        return 0;
    char *src = malloc(size + 1);
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';

    cadre_diags diags;
    cadre_diags_init(&diags, 100);
    cadre_expr *e = cadre_expr_compile(src, &scope, "t.xml", 1, &diags);
    cadre_tmpl_text *t = cadre_tmpl_text_compile(src, &scope, "t.xml", 1,
                                                 &diags);
    size_t n = recs->n_participants < 3 ? recs->n_participants : 3;
    for (size_t i = 0; i < n && (e || t); i++) {
        for (int within = 0; within < 2; within++) {
            cadre_env env;
            cadre_value vals[2];
            bind(&env, vals, i, within);
            if (e) {
                cadre_value v;
                char buf[256];
                cadre_expr_type(e);
                cadre_expr_is_year(e);
                cadre_expr_eval(e, &env, &v);
                cadre_value_format(&v, buf, sizeof buf);
                cadre_value_format(&v, buf, 3);
                cadre_expr_test(e, &env);
            }
            if (t) {
                char small[7];
                size_t len = cadre_tmpl_text_render(t, &env, small,
                                                    sizeof small);
                char *full = cadre_tmpl_text_render_new(t, &env);
                if (full && strlen(full) != len)
                    abort(); /* the two renderings must agree */
                free(full);
                cadre_tmpl_text_is_constant(t);
                const cadre_expr *one = cadre_tmpl_text_single(t);
                if (one) {
                    cadre_value v;
                    cadre_expr_eval(one, &env, &v);
                }
            }
        }
    }
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    if (null)
        cadre_diags_print(&diags, "fuzz", null);
    cadre_expr_free(e);
    cadre_tmpl_text_free(t);
    cadre_diags_release(&diags);
    free(src);
    return 0;
}
