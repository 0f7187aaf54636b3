/* cadre-roster - Excel rosters and statistics sheets from records. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/records.h"
#include "cadre/roster.h"
#include "common.h"

static const char *const usage = N_(
    "usage: cadre-roster [-t TEMPLATE] [--course ID]... [--unit ID]... "
    "-o OUT.xlsx FILE...\n"
    "Write an Excel roster of the records in FILE... (they merge).\n"
    "\n"
    "  -t, --template T  a roster template file, or a shipped one: course,\n"
    "                    cadres, statistics, register (default: course\n"
    "                    with --course, else statistics)\n"
    "  -c, --course ID   list the participants of this course (repeatable)\n"
    "  -u, --unit ID     only this unit and the units below it (repeatable)\n"
    "  -o, --output F    the workbook to write\n"
    "  -h, --help        show this help\n"
    "      --version     show the version\n"
    "\n"
    "Exit status: 0 written, 1 invalid records or template or a failed\n"
    "write, 2 usage error or unreadable file.\n");

struct options {
    const char *tmpl;       /* -t */
    const char **courses;   /* --course, in order */
    const char **units;     /* --unit, in order */
    size_t n_courses, n_units;
    const char *out;        /* -o */
};

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"template", required_argument, NULL, 't'},
        {"course", required_argument, NULL, 'c'},
        {"unit", required_argument, NULL, 'u'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    tool_start("cadre-roster", argc, argv);
    struct options opt = {0};
    opt.courses = tool_list_new(argc);
    opt.units = tool_list_new(argc);
    if (!opt.courses || !opt.units)
        return 1;
    int c, rc = 2;
    while ((c = getopt_long(argc, argv, "t:c:u:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't': opt.tmpl = optarg; break;
        case 'c': opt.courses[opt.n_courses++] = optarg; break;
        case 'u': opt.units[opt.n_units++] = optarg; break;
        case 'o': opt.out = optarg; break;
        case 'h': rc = tool_help(usage); goto out;
        case 'V': rc = tool_version(); goto out;
        default: rc = tool_bad_option(usage); goto out;
        }
    }
    if (!opt.out || optind == argc) {
        rc = tool_usage_error(usage, "%s", _(!opt.out ? N_("no output given "
                              "(-o OUT.xlsx)") : N_("no records file given")));
        goto out;
    }

    /* a template named like a shipped one, and not a file here, is it */
    const char *name = opt.tmpl ? opt.tmpl : opt.n_courses ? "course"
                                                 : "statistics";
    char *shipped = access(name, F_OK) == 0 ? NULL
                                            : cadre_roster_find_shipped(name);
    /* a folder is no template: an unreadable input, exit status 2 */
    struct stat st;
    int why = shipped                       ? 0
              : access(name, R_OK) != 0     ? errno
              : stat(name, &st) == 0 && S_ISDIR(st.st_mode) ? EISDIR
                                                            : 0;
    if (why) {
        tool_error("cannot open template '%s': %s", name, strerror(why));
        goto out;
    }
    cadre_diags diags;
    cadre_diags_init(&diags, 0);
    cadre_records *recs = cadre_records_new();
    cadre_roster *r = NULL;
    cadre_error err = recs ? cadre_records_load_all(recs,
                                 (const char *const *)argv + optind,
                                 (size_t)(argc - optind), &diags)
                           : CADRE_ENOMEM;
    if (err == CADRE_OK && !(r = cadre_roster_load(shipped ? shipped : name,
                                                   &diags)))
        err = CADRE_EINVALID;
    if (err == CADRE_OK) {
        cadre_roster_options ro;
        cadre_roster_options_init(&ro);
        ro.courses = opt.courses;
        ro.n_courses = opt.n_courses;
        ro.units = opt.units;
        ro.n_units = opt.n_units;
        /* for tests: continue on a new sheet sooner than Excel must */
        const char *max = getenv("CADRE_ROSTER_MAX_ROWS");
        ro.max_rows = max ? (uint32_t)strtoul(max, NULL, 10) : 0;
        err = cadre_roster_write(r, recs, &ro, opt.out, &diags);
    }
    cadre_diags_print(&diags, tool_name(), stderr);
    /* an unreadable input is a usage error; the output's failure is not */
    rc = err == CADRE_OK ? 0 : err == CADRE_EIO && !r ? 2 : 1;
    cadre_diags_release(&diags);
    cadre_roster_free(r);
    cadre_records_free(recs);
    free(shipped);
out:
    free(opt.courses);
    free(opt.units);
    return rc;
}
