/* cert_register.c - the certificate register (sổ cấp chứng chỉ) of a
 * batch, through the roster machinery (roster.h) and its shipped
 * "register" template. */
#include <stdlib.h>
#include <string.h>

#include "cadre/cert.h"
#include "cadre/roster.h"

cadre_error cadre_cert_write_register(const cadre_cert_batch *b,
                                      const char *path, cadre_diags *diags)
{
    const cadre_records *recs = b->recs;
    char *tpath = cadre_roster_find_shipped("register");
    if (!tpath) {
        cadre_diags_error(diags, NULL, 0,
                          "the register template templates/roster/register.xml "
                          "is not installed");
        return CADRE_ENOTFOUND;
    }
    cadre_roster *r = cadre_roster_load(tpath, diags);
    free(tpath);
    if (!r)
        return CADRE_EINVALID;

    /* The register shows the numbers and dates as issued, which the
     * records may lack (numbers assigned from the pattern): the roster
     * reads a view of the records whose participants carry them. */
    cadre_records view = *recs;
    cadre_participant *parts =
        malloc((recs->n_participants ? recs->n_participants : 1) *
               sizeof *parts);
    uint32_t *order = malloc((b->n ? b->n : 1) * sizeof *order);
    cadre_error err = CADRE_OK;
    if (!parts || !order) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        err = CADRE_ENOMEM;
    } else {
        memcpy(parts, recs->participants,
               recs->n_participants * sizeof *parts);
        for (size_t i = 0; i < b->n; i++) {
            cadre_participant *p = &parts[b->certs[i].participant];
            p->certificate_no = b->certs[i].number;
            p->issued = b->certs[i].issued;
            order[i] = b->certs[i].participant;
        }
        view.participants = parts;
        cadre_roster_options opt;
        cadre_roster_options_init(&opt);
        opt.participants = order;
        opt.n_participants = b->n;
        err = cadre_roster_write(r, &view, &opt, path, diags);
    }
    free(parts);
    free(order);
    cadre_roster_free(r);
    return err;
}
