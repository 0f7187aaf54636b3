/* cadre-check - validate records files, together, and say what is wrong. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cadre/records.h"
#include "common.h"

static const char *const usage =
    N_("usage: cadre-check [-q] FILE...\n"
       "Check records files together (they merge) against the records format.\n"
       "\n"
       "  -q, --quiet    print errors only, no summary\n"
       "  -h, --help     show this help\n"
       "      --version  show the version\n"
       "\n"
       "Exit status: 0 valid, 1 invalid records, 2 usage error or unreadable "
       "file.\n");

struct options {
    bool quiet; /* no summary line */
};

/* `one` or `many` for `n`, in the user's language (Vietnamese has one
 * form for both: the catalogue gives them the same word). */
static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? _(one) : _(many);
}

static void print_summary(const cadre_records *r)
{
    printf("%zu %s: %zu %s, %zu %s, %zu %s, %zu %s\n", r->n_files,
           plural(r->n_files, N_("file"), N_("files")), r->n_units,
           plural(r->n_units, N_("unit"), N_("units")), r->n_cadres,
           plural(r->n_cadres, N_("cadre"), N_("cadres")), r->n_courses,
           plural(r->n_courses, N_("course"), N_("courses")), r->n_participants,
           plural(r->n_participants, N_("participant"), N_("participants")));
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    tool_start("cadre-check", argc, argv);
    struct options opt = {0};
    int c;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'q': opt.quiet = true; break;
        case 'h': return tool_help(usage);
        case 'V': return tool_version();
        default: return tool_bad_option(usage);
        }
    }
    if (optind == argc)
        return tool_usage_error(usage, "no records file given");

    cadre_records *recs = cadre_records_new();
    cadre_diags diags;
    cadre_diags_init(&diags, 0);
    cadre_error err = recs ? cadre_records_load_all(recs,
                                 (const char *const *)argv + optind,
                                 (size_t)(argc - optind), &diags)
                           : CADRE_ENOMEM;
    cadre_diags_print(&diags, tool_name(), stderr);
    if (err == CADRE_OK && !opt.quiet)
        print_summary(recs);
    else if (err != CADRE_OK && err != CADRE_EIO && diags.errors)
        tool_error("%zu %s", diags.errors,
                   plural(diags.errors, N_("error"), N_("errors")));
    cadre_diags_release(&diags);
    cadre_records_free(recs);
    return tool_status(err, true);
}
