/* cert_env.c - what a certificate's expressions see: its participant,
 * course and cadre, and the variables of its issue (cert_internal.h).
 * A file of its own, that uses nothing else of src/cert: drawing, signing
 * and naming all need it, and the files of the module call each other
 * one way (tests/py/test_library.py). */
#include "cert_internal.h"

void cert_env(const cadre_cert_batch *b, size_t i, cadre_env *env,
              cadre_value *vars)
{
    const cadre_cert *c = &b->certs[i];
    const cadre_participant *p = &b->recs->participants[c->participant];
    cadre_env_init(env, b->recs);
    env->participant = p;
    env->course = b->course;
    env->cadre = &b->recs->cadres[p->cadre];
    env->year = c->issued.year;
    vars[CERT_VAR_NUMBER] = (cadre_value){ .type = CADRE_V_STRING,
                                           .u.s = c->number ? c->number : "" };
    vars[CERT_VAR_ISSUED] = (cadre_value){ .type = CADRE_V_DATE,
                                           .u.d = c->issued };
    vars[CERT_VAR_SEQ] = (cadre_value){ .type = CADRE_V_NULL };
    vars[CERT_VAR_REGISTER_NO] =
        c->register_no ? (cadre_value){ .type = CADRE_V_STRING,
                                        .u.s = c->register_no }
                       : (cadre_value){ .type = CADRE_V_NULL };
    env->vars = vars;
}
