/* cadre-register - the certificate register (sổ gốc) in an SQLite file:
 * make it, list it, export it as a workbook, revoke a certificate, check
 * a folder of PDFs against it, enter numbers records already hold.  Each
 * command is one function and one row of `commands`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/register.h"
#include "cadre/verify.h"
#include "common.h"

static const char *const usage = N_(
    "usage: cadre-register REGISTER COMMAND [ARG...]\n"
    "Keep the certificate register (sổ gốc) in the SQLite file REGISTER.\n"
    "\n"
    "  create                  make a new, empty register\n"
    "  list                    every certificate, as TSV with a header row\n"
    "  export -o FILE.xlsx     the sổ gốc and its appendix (phụ lục)\n"
    "  revoke NUMBER --reason TEXT --decision TEXT [--date YYYY-MM-DD]\n"
    "                          revoke a certificate (default date: today)\n"
    "  export-revocations --sign-key KEY -o FILE\n"
    "                          the revoked certificates as a revocation list\n"
    "                          signed with KEY, for cadre-verify and the\n"
    "                          verification page (docs/verify.md)\n"
    "  check DIR               is every PDF in DIR a certificate as issued?\n"
    "  import [-t TEMPLATE] [--course ID]... FILE...\n"
    "                          enter the certificate numbers records hold\n"
    "\n"
    "  -h, --help              show this help\n"
    "      --version           show the version\n"
    "\n"
    "Exit status: 0 done, 1 refused, a check that found a problem or a\n"
    "failed write, 2 usage error or unreadable register or input.\n");

/* What a command is given: the register's path and its own words
 * (argv[0] is the command's name). */
struct call {
    const char *path;
    int argc;
    char **argv;
    cadre_diags *diags;
};

/* Open the register for a command; false (status in *status) when it
 * cannot be used. */
static bool open_register(const struct call *c, cadre_register **reg,
                          int *status)
{
    *status = TOOL_EXIT_USAGE;
    return cadre_register_open(reg, c->path, c->diags) == CADRE_OK;
}

/* Parse a command's options; the operands are left at argv[optind..]. */
static int next_option(const struct call *c, const char *shorts,
                       const struct option *longs)
{
    return getopt_long(c->argc, c->argv, shorts, longs, NULL);
}

/* Finish standard output; a write that failed is an error. */
static int done(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        tool_error("cannot write standard output");
        return TOOL_EXIT_DATA;
    }
    return status;
}

static int cmd_create(const struct call *c)
{
    if (c->argc != 1)
        return tool_usage_error(usage, "create takes no argument");
    if (cadre_register_create(c->path, c->diags) != CADRE_OK)
        return TOOL_EXIT_DATA;
    printf(_("made register %s\n"), c->path);
    return done(TOOL_EXIT_OK);
}

/* A field of a TSV line: tabs and newlines cannot be in one. */
static void tsv(const char *s, char end)
{
    for (; s && *s; s++)
        putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
    putchar(end);
}

static int list_one(const cadre_register_entry *e, void *ctx)
{
    (void)ctx;
    char birth[CADRE_DATE_TEXT_MAX], issued[CADRE_DATE_TEXT_MAX];
    cadre_date_format_iso(e->birth, birth, sizeof birth);
    cadre_date_format_iso(e->issued, issued, sizeof issued);
    const char *f[] = { e->number, e->register_no, e->cadre_id, e->full_name,
                        birth, e->course_id, issued };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        tsv(f[i], '\t');
    tsv(cadre_register_status_name(e->status), '\n');
    return ferror(stdout) != 0;
}

static int cmd_list(const struct call *c)
{
    if (c->argc != 1)
        return tool_usage_error(usage, "list takes no argument");
    cadre_register *reg;
    int status;
    if (!open_register(c, &reg, &status))
        return status;
    puts("number\tregister number\tcadre id\tfull name\tbirth date\t"
         "course id\tissued\tstatus");
    cadre_error err = cadre_register_each(reg, list_one, NULL, c->diags);
    cadre_register_close(reg);
    return done(tool_status(err, false));
}

static int cmd_import(const struct call *c)
{
    static const struct option longs[] = {
        {"template", required_argument, NULL, 't'},
        {"course", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0}};
    const char *tmpl = "a4";
    const char **courses = tool_list_new(c->argc);
    size_t n_courses = 0;
    int opt;
    while (courses && (opt = next_option(c, "t:", longs)) != -1) {
        if (opt == 't')
            tmpl = optarg;
        else if (opt == 'c')
            courses[n_courses++] = optarg;
        else {
            free(courses);
            return tool_bad_option(usage);
        }
    }
    if (!courses || optind == c->argc) {
        free(courses);
        return tool_usage_error(usage, "import: no records FILE given");
    }
    cadre_register *reg = NULL;
    cadre_records *recs = cadre_records_new();
    cadre_pdf_fonts *fonts = cadre_pdf_fonts_new();
    char *tpath = cadre_cert_find_template(tmpl);
    cadre_cert_tmpl *t = NULL;
    cadre_error err = recs && fonts ? cadre_records_load_all(
                          recs, (const char *const *)c->argv + optind,
                          (size_t)(c->argc - optind), c->diags)
                                    : CADRE_ENOMEM;
    int status = tool_status(err, true);
    if (!err && !tpath) {
        tool_error("cannot open template '%s'", tmpl);
        err = CADRE_EIO, status = TOOL_EXIT_USAGE;
    }
    if (!err && !(t = cadre_cert_tmpl_load(tpath, fonts, c->diags)))
        err = CADRE_EINVALID, status = TOOL_EXIT_DATA;
    if (!err && !open_register(c, &reg, &status))
        err = CADRE_EIO;
    size_t entered = 0, present = 0;
    if (!err) {
        err = cadre_register_import(reg, recs, t, courses, n_courses, &entered,
                                    &present, c->diags);
        status = tool_status(err, false);
    }
    if (!err)
        printf(_("%zu numbers entered, %zu already in the register\n"), entered,
               present);
    cadre_register_close(reg);
    cadre_cert_tmpl_free(t);
    free(tpath);
    cadre_pdf_fonts_free(fonts);
    cadre_records_free(recs);
    free(courses);
    return done(status);
}

static int cmd_export(const struct call *c)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int opt;
    while ((opt = next_option(c, "o:", longs)) != -1) {
        if (opt != 'o')
            return tool_bad_option(usage);
        out = optarg;
    }
    if (!out || optind != c->argc)
        return tool_usage_error(usage, "export: give -o FILE.xlsx and nothing "
                                "else");
    cadre_register *reg;
    int status;
    if (!open_register(c, &reg, &status))
        return status;
    cadre_error err = cadre_register_export(reg, out, c->diags);
    cadre_register_close(reg);
    return tool_status(err, false);
}

static int cmd_revoke(const struct call *c)
{
    static const struct option longs[] = {
        {"reason", required_argument, NULL, 'r'},
        {"decision", required_argument, NULL, 'd'},
        {"date", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0}};
    const char *reason = NULL, *decision = NULL;
    cadre_date date = { 0, 0, 0 };
    int opt;
    while ((opt = next_option(c, "", longs)) != -1) {
        if (opt == 'r')
            reason = optarg;
        else if (opt == 'd')
            decision = optarg;
        else if (opt == 'a' && !tool_parse_date(optarg, &date))
            return tool_usage_error(usage, "bad --date '%s': give YYYY-MM-DD",
                                    optarg);
        else if (opt != 'a')
            return tool_bad_option(usage);
    }
    if (optind + 1 != c->argc || !reason || !decision)
        return tool_usage_error(usage, "revoke: give one NUMBER, --reason and "
                                "--decision");
    cadre_register *reg;
    int status;
    if (!open_register(c, &reg, &status))
        return status;
    cadre_error err = cadre_register_revoke(reg, c->argv[optind], date, reason,
                                            decision, c->diags);
    if (!err)
        printf(_("revoked %s\n"), c->argv[optind]);
    cadre_register_close(reg);
    return done(tool_status(err, false));
}

/* The revoked certificates, signed: what cadre-verify --revocations and
 * the verification page read (verify.h). */
static cadre_error write_revocations(cadre_register *reg, const cadre_key *key,
                                     const char *out, size_t *n,
                                     cadre_diags *diags)
{
    cadre_register_revocation *v = NULL;
    cadre_revocations *list = cadre_revocations_new();
    time_t now;
    cadre_error err = list ? cadre_source_date_get(&now, diags) : CADRE_ENOMEM;
    if (!err)
        err = cadre_register_revocations(reg, &v, n, diags);
    for (size_t i = 0; !err && i < *n; i++) {
        cadre_revocation r = { v[i].number, v[i].date, v[i].decision,
                               v[i].reason };
        err = cadre_revocations_add(list, &r, diags);
    }
    /* the list's day in Vietnam, which keeps UTC+7 all year */
    if (!err)
        err = cadre_revocations_write(list, key,
                                      cadre_date_from_days((long)((now + 7 * 3600) / 86400)),
                                      out, diags);
    cadre_register_revocations_free(v, *n);
    cadre_revocations_free(list);
    return err;
}

static int cmd_export_revocations(const struct call *c)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"sign-key", required_argument, NULL, 'k'},
        {NULL, 0, NULL, 0}};
    const char *out = NULL, *keyfile = NULL;
    int opt;
    while ((opt = next_option(c, "o:", longs)) != -1) {
        if (opt == 'o')
            out = optarg;
        else if (opt == 'k')
            keyfile = optarg;
        else
            return tool_bad_option(usage);
    }
    if (!out || !keyfile || optind != c->argc)
        return tool_usage_error(usage, "export-revocations: give --sign-key "
                                "KEY and -o FILE and nothing else");
    cadre_key *key = cadre_key_load(keyfile, c->diags);
    cadre_register *reg = NULL;
    int status = TOOL_EXIT_USAGE;
    if (key && open_register(c, &reg, &status)) {
        size_t n = 0;
        cadre_error err = write_revocations(reg, key, out, &n, c->diags);
        status = tool_status(err, false);
        if (!err)
            printf(n == 1
                       ? _("%s: %zu revoked certificate, signed with key %s\n")
                       : _("%s: %zu revoked certificates, signed with key "
                           "%s\n"),
                   out, n, cadre_key_id(key));
    }
    cadre_register_close(reg);
    cadre_key_free(key);
    return done(status);
}

static void check_one(const char *file, cadre_register_verdict v,
                      const cadre_register_entry *e, void *ctx)
{
    size_t *n = ctx;
    n[v]++;
    if (v == CADRE_REGISTER_MATCH)
        printf(_("%s: ok: %s of %s, %s\n"), file, e->number, e->cadre_id,
               _(cadre_register_status_name(e->status)));
    else if (v == CADRE_REGISTER_CHANGED)
        printf(_("%s: changed: not certificate %s of %s as issued\n"), file,
               e->number, e->cadre_id);
    else
        printf(_("%s: unknown: no certificate of the register\n"), file);
}

static int cmd_check(const struct call *c)
{
    if (c->argc != 2)
        return tool_usage_error(usage, "check: give one DIR");
    cadre_register *reg;
    int status;
    if (!open_register(c, &reg, &status))
        return status;
    size_t n[3] = { 0, 0, 0 }, problems = 0;
    cadre_error err = cadre_register_check_dir(reg, c->argv[1], check_one, n,
                                               &problems, c->diags);
    cadre_register_close(reg);
    if (err)
        return done(TOOL_EXIT_USAGE); /* DIR could not be read */
    printf(_("%zu files: %zu as issued, %zu changed, %zu unknown\n"),
           n[0] + n[1] + n[2], n[0], n[1], n[2]);
    return done(problems ? TOOL_EXIT_DATA : TOOL_EXIT_OK);
}

static const struct command {
    const char *name;
    int (*run)(const struct call *c);
} commands[] = {
    { "create", cmd_create },
    { "list", cmd_list },
    { "export", cmd_export },
    { "revoke", cmd_revoke },
    { "check", cmd_check },
    { "import", cmd_import },
    { "export-revocations", cmd_export_revocations },
};

int main(int argc, char **argv)
{
    tool_start("cadre-register", argc, argv);
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
        return tool_help(usage);
    if (argc > 1 && !strcmp(argv[1], "--version"))
        return tool_version();
    if (argc < 3)
        return argc < 2 ? tool_usage_error(usage, "no register given")
                        : tool_usage_error(usage, "no command given");
    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[2], commands[i].name))
            cmd = &commands[i];
    if (!cmd)
        return tool_usage_error(usage, "unknown command '%s'", argv[2]);
    cadre_diags diags;
    cadre_diags_init(&diags, 200);
    struct call call = { argv[1], argc - 2, argv + 2, &diags };
    optind = 0; /* each command parses its own words with getopt */
    int status = cmd->run(&call);
    cadre_diags_print(&diags, tool_name(), stderr);
    cadre_diags_release(&diags);
    return status;
}
