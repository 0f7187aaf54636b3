/* cadre-report - the annual statistics booklet in PDF, from a template. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cadre/files.h"
#include "cadre/records.h"
#include "cadre/report.h"
#include "common.h"

static const char *const usage = N_(
    "usage: cadre-report [-t TEMPLATE] --year Y [--unit ID]... [--as-of DATE]\n"
    "                    [--place P] [--issuer I] [--signer NAME]\n"
    "                    [--signer-title T] [--per-unit] -o OUT.pdf FILE...\n"
    "Print the statistics booklet of the records FILEs (they merge).\n"
    "\n"
    "  -t, --template T  booklet template, file or folder (default: the\n"
    "                    annual booklet, templates/report/annual.xml)\n"
    "  -y, --year Y      the year reported on\n"
    "  -u, --unit ID     count only this unit and those below it (repeat)\n"
    "      --as-of DATE  count what had happened by DATE (YYYY-MM-DD;\n"
    "                    default: the records' as-of)\n"
    "      --place P, --issuer I, --signer NAME, --signer-title T\n"
    "                    the records' root values to print, over theirs\n"
    "      --per-unit    add one page per unit\n"
    "  -o, --output F    the PDF to write\n"
    "  -h, --help        show this help\n"
    "      --version     show the version\n"
    "\n"
    "Exit status: 0 written, 1 invalid records, template or output error,\n"
    "2 usage error or unreadable file.\n");

struct options {
    const char *tmpl;   /* -t, or NULL for the shipped one */
    const char *out;    /* -o */
    cadre_report_options rep;
    const char **units; /* --unit ids (argv strings) */
};

static int parse(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"template", required_argument, NULL, 't'},
        {"year", required_argument, NULL, 'y'},
        {"unit", required_argument, NULL, 'u'},
        {"as-of", required_argument, NULL, 'a'},
        {"place", required_argument, NULL, 'P'},
        {"issuer", required_argument, NULL, 'I'},
        {"signer", required_argument, NULL, 'S'},
        {"signer-title", required_argument, NULL, 'T'},
        {"per-unit", no_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    long y;
    while ((c = getopt_long(argc, argv, "t:y:u:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't': o->tmpl = optarg; break;
        case 'o': o->out = optarg; break;
        case 'p': o->rep.per_unit = true; break;
        case 'P': o->rep.place = optarg; break;
        case 'I': o->rep.issuer = optarg; break;
        case 'S': o->rep.signer = optarg; break;
        case 'T': o->rep.signer_title = optarg; break;
        case 'u': o->units[o->rep.n_units++] = optarg; break;
        case 'y':
            if (!tool_parse_long(optarg, 1900, 2999, &y)) {
                tool_error("invalid year '%s'", optarg);
                return TOOL_EXIT_USAGE;
            }
            o->rep.year = (int)y;
            break;
        case 'a':
            if (!tool_parse_date(optarg, &o->rep.as_of)) {
                tool_error("invalid date '%s' (expected YYYY-MM-DD)", optarg);
                return TOOL_EXIT_USAGE;
            }
            break;
        case 'h': return tool_help(usage);
        case 'V': return tool_version();
        default: return tool_bad_option(usage);
        }
    }
    const char *missing = !o->rep.year ? N_("no --year given")
                        : !o->out ? N_("no output given (-o OUT.pdf)")
                        : optind == argc ? N_("no records file given") : NULL;
    if (missing)
        return tool_usage_error(usage, "%s", _(missing));
    return -1;
}

/* An unreadable template is a usage error (exit 2), as an unreadable
 * records file is: say so before reading anything. */
static bool readable(const char *tmpl)
{
    char path[4096];
    struct stat st;
    if (!tmpl) {
        tool_error("cannot find the shipped template "
                   "'templates/report/annual.xml'");
        return false;
    }
    if (stat(tmpl, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(path, sizeof path, "%s/booklet.xml", tmpl);
    else
        snprintf(path, sizeof path, "%s", tmpl);
    FILE *f = fopen(path, "r");
    if (!f) {
        tool_error("cannot open '%s': %s", path, strerror(errno));
        return false;
    }
    fclose(f);
    return true;
}

int main(int argc, char **argv)
{
    tool_start("cadre-report", argc, argv);
    struct options o = { 0 };
    o.units = tool_list_new(argc);
    if (!o.units)
        return 1;
    o.rep.units = o.units;
    int rc = parse(argc, argv, &o);
    if (rc >= 0) {
        free(o.units);
        return rc;
    }
    char *shipped = o.tmpl ? NULL
                           : cadre_data_find("templates/report/annual.xml");
    const char *tmpl = o.tmpl ? o.tmpl : shipped;
    if (!readable(tmpl)) {
        free(shipped);
        free(o.units);
        return 2;
    }

    cadre_diags diags;
    cadre_diags_init(&diags, 100);
    cadre_records *recs = cadre_records_new();
    cadre_report *rep = cadre_report_load(tmpl, &diags);
    cadre_error err = !recs ? CADRE_ENOMEM : !rep ? CADRE_EINVALID
        : cadre_records_load_all(recs, (const char *const *)argv + optind,
                                 (size_t)(argc - optind), &diags);
    rc = err == CADRE_OK ? 0 : err == CADRE_EIO ? 2 : 1; /* EIO: unreadable */
    if (err == CADRE_OK &&
        cadre_report_write(rep, recs, &o.rep, o.out, &diags) != CADRE_OK)
        rc = 1;
    cadre_diags_print(&diags, tool_name(), stderr);
    cadre_report_free(rep);
    cadre_records_free(recs);
    cadre_diags_release(&diags);
    free(shipped);
    free(o.units);
    return rc;
}
