/* cadre-import - the spreadsheets offices keep, turned into records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/import.h"
#include "common.h"

static const char *const usage = N_(
    "usage: cadre-import [-t TEMPLATE] [--sheet NAME] [--units UNITS.xml]\n"
    "                    [--as-of DATE] [--issuer TEXT] [--place TEXT]\n"
    "                    [--encoding ENC] -o OUT.xml FILE...\n"
    "       cadre-import -t participants --course ID --records FILE.xml...\n"
    "                    -o OUT.xml FILE...\n"
    "Read the tables of FILE... (XLSX, ODS, XLS or CSV, recognised by\n"
    "content; several files are one table, in order) and write records.\n"
    "\n"
    "  -t, --template T   an import template file, or a shipped one: cadres\n"
    "                     (default), participants\n"
    "  -s, --sheet NAME   the sheet to read (default: the first)\n"
    "  -u, --units F      records whose units the unit names are matched to\n"
    "                     (default: a unit for each name, level xa for the\n"
    "                     names with xã, thị trấn or phường)\n"
    "      --as-of DATE   the records' as-of, YYYY-MM-DD (default: the\n"
    "                     table's \"Tính đến ngày ...\")\n"
    "      --issuer TEXT  the records' issuer\n"
    "      --place TEXT   the records' place (default: the footer's)\n"
    "  -e, --encoding E   CSV files: utf-8, utf-16, cp1258, tcvn3 or vni\n"
    "                     (default: UTF-8, or UTF-16 by its BOM)\n"
    "  -c, --course ID    participants: the course they are added to\n"
    "  -r, --records F    participants: the records that define the course\n"
    "                     and the cadres the rows are matched to (repeatable)\n"
    "  -o, --output F     the records file to write\n"
    "  -h, --help         show this help\n"
    "      --version      show the version\n"
    "\n"
    "Nothing is written unless every file reads without an error.\n"
    "Errors name the cell: FILE:SHEET!F12 (CSV: FILE:LINE:FIELD).\n"
    "Exit status: 0 written, 1 something wrong in the data, 2 usage error\n"
    "or a file that cannot be read as a spreadsheet.\n");

static const char *const encodings[] = {"", "utf-8", "utf-16", "cp1258",
                                        "tcvn3", "vni", NULL};

struct options {
    cadre_import_options imp;
    const char **records; /* --records files (argv strings) */
    const char *out;      /* -o */
};

/* Parse the options into `o`: -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"template", required_argument, NULL, 't'},
        {"sheet", required_argument, NULL, 's'},
        {"units", required_argument, NULL, 'u'},
        {"as-of", required_argument, NULL, 'A'},
        {"issuer", required_argument, NULL, 'I'},
        {"place", required_argument, NULL, 'P'},
        {"encoding", required_argument, NULL, 'e'},
        {"course", required_argument, NULL, 'c'},
        {"records", required_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    cadre_import_options *imp = &o->imp;
    int c, e;
    while ((c = getopt_long(argc, argv, "t:s:u:e:c:r:o:h", longopts,
                            NULL)) != -1) {
        switch (c) {
        case 't': imp->tmpl = optarg; break;
        case 's': imp->sheet = optarg; break;
        case 'u': imp->units = optarg; break;
        case 'I': imp->issuer = optarg; break;
        case 'P': imp->place = optarg; break;
        case 'c': imp->course = optarg; break;
        case 'r': o->records[imp->n_records++] = optarg; break;
        case 'o': o->out = optarg; break;
        case 'A':
            if (!tool_parse_date(optarg, &imp->as_of))
                return tool_usage_error(usage, "--as-of: '%s' is not a date "
                                        "(YYYY-MM-DD)", optarg);
            break;
        case 'e':
            for (e = 1; encodings[e] && strcmp(encodings[e], optarg) != 0;)
                e++;
            if (!encodings[e])
                return tool_usage_error(usage, "--encoding: '%s' is none of "
                                        "utf-8, utf-16, cp1258, tcvn3, vni",
                                        optarg);
            imp->encoding = (cadre_import_encoding)e;
            break;
        case 'h': return tool_help(usage);
        case 'V': return tool_version();
        default: return tool_bad_option(usage);
        }
    }
    if (!o->out || optind == argc)
        return tool_usage_error(usage, "%s", _(!o->out ? N_("no output given "
                                "(-o OUT.xml)") : N_("no spreadsheet given")));
    return -1;
}

int main(int argc, char **argv)
{
    tool_start("cadre-import", argc, argv);
    struct options o = {.records = tool_list_new(argc)};
    if (!o.records)
        return TOOL_EXIT_DATA;
    cadre_import_options_init(&o.imp);
    o.imp.records = o.records;
    int rc = parse(argc, argv, &o);
    if (rc < 0) {
        cadre_diags diags;
        cadre_diags_init(&diags, 100);
        cadre_import_status st;
        cadre_import_run(&o.imp, (const char *const *)argv + optind,
                         (size_t)(argc - optind), o.out, &diags, &st);
        cadre_diags_print(&diags, tool_name(), stderr);
        if (diags.dropped)
            tool_error("%zu errors in all", diags.errors);
        cadre_diags_release(&diags);
        rc = (int)st;
    }
    free(o.records);
    return rc;
}
