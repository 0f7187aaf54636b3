/* cadre-cert - course-completion certificates from a template: one PDF per
 * person, a combined PDF for printing, and the register. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cadre/cert.h"
#include "cadre/register.h"
#include "common.h"

static const char *const usage = N_(
    "usage: cadre-cert [-t TEMPLATE] --course ID [--cadre ID]... [-o DIR]\n"
    "                  [--combined FILE.pdf] [--register FILE.xlsx] [-j N]\n"
    "                  [--sign-key KEY] [--sign-p12 FILE.p12\n"
    "                  [--p12-pass-file FILE]] [--register-db REG.sqlite\n"
    "                  [--decision TEXT] [--reissue --reason TEXT [--date D]]]\n"
    "                  FILE...\n"
    "Issue the certificates of a course to everyone who completed it (or to\n"
    "the cadres named), from records FILEs.\n"
    "\n"
    "  -t, --template T   certificate template: a file, or a shipped name\n"
    "                     (a4, chung-chi); default a4\n"
    "      --course ID    the course\n"
    "      --cadre ID     only this cadre (repeat for more)\n"
    "  -o, --output DIR   one PDF per person in DIR (created if missing)\n"
    "      --combined F   all certificates in one PDF, in name order\n"
    "      --register F   the certificate register as XLSX\n"
    "  -j, --jobs N       write per-person files with N processes\n"
    "      --sign-key KEY seal each certificate's QR code with the secret\n"
    "                     key KEY (cadre-keys generate; docs/verify.md)\n"
    "      --sign-p12 F   sign every PDF (PAdES) with the key and certificate\n"
    "                     of PKCS#12 file F; its password is the first line\n"
    "                     of --p12-pass-file, else $CADRE_P12_PASS\n"
    "      --register-db R  issue through the register R (cadre-register):\n"
    "                     numbers drawn once and kept, PDFs never changed\n"
    "      --decision T   the decision (số và ngày quyết định) to register\n"
    "      --reissue      replace certificates whose records changed, with\n"
    "      --reason T     why, and --decision, in the register's appendix\n"
    "      --date D       the reissued certificates' date (default today)\n"
    "  -h, --help         show this help\n"
    "      --version      show the version\n"
    "\n"
    "Exit status: 0 done, 1 data, template or output error, 2 usage error or\n"
    "unreadable input.\n");

struct options {
    const char *tmpl, *course, *dir, *combined, *reg;
    const char *sign_key; /* --sign-key: the secret key file */
    const char *p12, *pass_file; /* --sign-p12, --p12-pass-file */
    const char **cadres; /* --cadre ids */
    size_t n_cadres;
    int jobs;
    const char *db;      /* --register-db */
    const char *decision, *reason;
    bool reissue;
    cadre_date date;     /* --date, or unset */
};

/* What is wrong with the options given, or NULL. */
static const char *misuse(const struct options *o, bool files)
{
    return !o->cadres ? N_("out of memory")
           : !o->course ? N_("no --course given")
           : !files ? N_("no records FILE given")
           : !o->dir && !o->combined && !o->reg
               ? N_("no output (-o DIR, --combined or --register) given")
           : o->pass_file && !o->p12 ? N_("--p12-pass-file needs --sign-p12")
           : o->db && !o->dir
               ? N_("--register-db needs -o DIR: a certificate enters the "
                 "register with its PDF")
           : o->db && o->p12
               ? N_("--register-db cannot go with --sign-p12 yet: a PAdES "
                 "signature is dated when made, so a certificate signed again "
                 "would not be the one issued")
           : !o->db && (o->decision || o->reissue)
               ? N_("--decision and --reissue need --register-db")
           : o->reissue && (!o->reason || !o->decision)
               ? N_("--reissue needs --reason and --decision")
           : !o->reissue && (o->reason || cadre_date_is_set(o->date))
               ? N_("--reason and --date go with --reissue")
               : NULL;
}

/* What seals a batch once the register has numbered it. */
struct sealer {
    const cadre_cert_tmpl *t;
    const cadre_key *key; /* or NULL: no seal */
};

static cadre_error seal(cadre_cert_batch *b, void *ctx, cadre_diags *diags)
{
    const struct sealer *s = ctx;
    return s->key ? cadre_cert_batch_seal(b, s->t, s->key, diags) : CADRE_OK;
}

/* Through the register: the certificates into o->dir, sealed once the
 * register has numbered them. */
static cadre_error issue_registered(cadre_register *reg, const struct options *o,
                                    const cadre_cert_tmpl *t,
                                    const cadre_key *key, cadre_cert_batch *b,
                                    cadre_diags *diags)
{
    struct sealer s = { t, key };
    cadre_register_issue_options ro;
    cadre_register_issue_options_init(&ro, o->dir);
    ro.numbered = seal;
    ro.ctx = &s;
    ro.jobs = o->jobs;
    ro.decision = o->decision;
    ro.reissue = o->reissue;
    ro.reason = o->reason;
    ro.date = o->date;
    return cadre_register_issue(reg, t, b, &ro, diags);
}

/* The password of the PKCS#12 file: the first line of --p12-pass-file,
 * else $CADRE_P12_PASS; never an argument, which every user of the
 * machine can read in the process list.  NULL with a message when there
 * is none.  Caller wipes and frees it. */
static char *p12_password(const struct options *o, cadre_diags *diags)
{
    const char *env = getenv("CADRE_P12_PASS");
    if (!o->pass_file) {
        if (!env)
            cadre_diags_error(diags, NULL, 0,
                              "no password for '%s': give --p12-pass-file FILE "
                              "or set CADRE_P12_PASS",
                              o->p12);
        return env ? strdup(env) : NULL;
    }
    FILE *f = fopen(o->pass_file, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = f ? getline(&line, &cap, f) : -1;
    if (!f || (n < 0 && ferror(f))) {
        cadre_diags_error(diags, NULL, 0, "cannot read '%s': %s", o->pass_file,
                          strerror(errno));
        free(line);
        line = NULL;
    } else if (n < 0) { /* an empty file: no password */
        free(line);
        line = strdup("");
    } else {
        line[strcspn(line, "\r\n")] = '\0';
    }
    if (f)
        fclose(f);
    return line;
}

/* The signer of --sign-p12 and the time of signing, checked against
 * the certificate's dates. */
static cadre_error load_signer(const struct options *o, cadre_signer **s,
                               int64_t *when, cadre_diags *diags)
{
    char *pass = p12_password(o, diags);
    if (!pass)
        return CADRE_EIO;
    cadre_error err = cadre_signer_load(s, o->p12, pass, diags);
    explicit_bzero(pass, strlen(pass));
    free(pass);
    time_t now = 0;
    if (err == CADRE_OK)
        err = cadre_source_date_get(&now, diags);
    *when = now;
    if (err == CADRE_OK)
        err = cadre_signer_check_time(*s, now, diags);
    return err;
}

/* Everything after the options; returns the exit status. */
static int issue(const struct options *o, char **files, size_t n_files,
                 cadre_diags *diags)
{
    cadre_records *recs = cadre_records_new();
    cadre_pdf_fonts *fonts = cadre_pdf_fonts_new();
    char *tpath = cadre_cert_find_template(o->tmpl);
    cadre_cert_tmpl *t = NULL;
    cadre_cert_batch b = { 0 };
    cadre_key *key = NULL;
    cadre_signer *signer = NULL;
    int64_t signed_at = 0;
    cadre_register *reg = NULL;
    bool unreadable = false; /* the register */
    cadre_error err = recs && fonts ? CADRE_OK : CADRE_ENOMEM;
    if (err == CADRE_OK && o->sign_key && !(key = cadre_key_load(o->sign_key, diags)))
        err = CADRE_EIO;
    if (err == CADRE_OK && o->p12)
        err = load_signer(o, &signer, &signed_at, diags);
    if (err == CADRE_OK)
        err = cadre_records_load_all(recs, (const char *const *)files,
                                     n_files, diags);
    struct stat st;
    if (err == CADRE_OK && !tpath) {
        cadre_diags_error(diags, NULL, 0, "cannot open template '%s'", o->tmpl);
        err = CADRE_EIO;
    } else if (err == CADRE_OK && stat(tpath, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* a folder is no template: an unreadable input, exit status 2 */
        cadre_diags_error(diags, NULL, 0, "cannot open template '%s': %s",
                          o->tmpl, strerror(EISDIR));
        err = CADRE_EIO;
    }
    if (err == CADRE_OK && !(t = cadre_cert_tmpl_load(tpath, fonts, diags)))
        err = CADRE_EINVALID;
    if (err == CADRE_OK)
        err = cadre_cert_batch_init(&b, recs, t, o->course, o->cadres,
                                    o->n_cadres, diags);
    /* the register is no output, but no output may be it */
    const char *others[3] = { o->combined, o->reg, o->db };
    if (err == CADRE_OK)
        err = cadre_cert_check_outputs(t, &b, o->dir, others, 3, diags);
    if (err == CADRE_OK && o->db)
        unreadable = (err = cadre_register_open(&reg, o->db, diags)) != CADRE_OK;
    else if (err == CADRE_OK && key)
        err = cadre_cert_batch_seal(&b, t, key, diags);
    b.signer = signer;
    b.signed_at = signed_at;
    if (err == CADRE_OK && reg)
        err = issue_registered(reg, o, t, key, &b, diags);
    else if (err == CADRE_OK && o->dir)
        err = cadre_cert_write_files(t, &b, o->dir, o->jobs, diags);
    if (err == CADRE_OK && o->combined)
        err = cadre_cert_write_combined(t, &b, o->combined, diags);
    if (err == CADRE_OK && o->reg)
        err = reg ? cadre_register_write_course(reg, recs, o->course, o->reg, diags)
                  : cadre_cert_write_register(&b, o->reg, diags);
    if (err == CADRE_OK)
        fprintf(tool_is_stdout(o->combined) || tool_is_stdout(o->reg)
                    ? stderr : stdout,
                b.n == 1 ? _("%zu certificate of course %s\n")
                         : _("%zu certificates of course %s\n"),
                b.n, o->course);
    int status = err == CADRE_OK ? 0
                 : unreadable || (err == CADRE_EIO && (!t || !b.certs)) ? 2 : 1;
    cadre_register_close(reg);
    cadre_cert_batch_release(&b);
    cadre_signer_free(signer);
    cadre_cert_tmpl_free(t);
    cadre_key_free(key);
    free(tpath);
    cadre_pdf_fonts_free(fonts);
    cadre_records_free(recs);
    return status;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"template", required_argument, NULL, 't'},
        {"course", required_argument, NULL, 'c'},
        {"cadre", required_argument, NULL, 'C'},
        {"output", required_argument, NULL, 'o'},
        {"combined", required_argument, NULL, 'P'},
        {"register", required_argument, NULL, 'R'},
        {"jobs", required_argument, NULL, 'j'},
        {"sign-key", required_argument, NULL, 'K'},
        {"sign-p12", required_argument, NULL, 'S'},
        {"p12-pass-file", required_argument, NULL, 'W'},
        {"register-db", required_argument, NULL, 'D'},
        {"decision", required_argument, NULL, 'd'},
        {"reissue", no_argument, NULL, 'I'},
        {"reason", required_argument, NULL, 'r'},
        {"date", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    tool_start("cadre-cert", argc, argv);
    struct options o = { .tmpl = "a4", .jobs = 1 };
    o.cadres = tool_list_new(argc);
    int c;
    long jobs;
    while (o.cadres && (c = getopt_long(argc, argv, "t:o:j:h", longopts,
                                        NULL)) != -1) {
        switch (c) {
        case 't': o.tmpl = optarg; break;
        case 'c': o.course = optarg; break;
        case 'C': o.cadres[o.n_cadres++] = optarg; break;
        case 'o': o.dir = optarg; break;
        case 'P': o.combined = optarg; break;
        case 'R': o.reg = optarg; break;
        case 'K': o.sign_key = optarg; break;
        case 'S': o.p12 = optarg; break;
        case 'W': o.pass_file = optarg; break;
        case 'D': o.db = optarg; break;
        case 'd': o.decision = optarg; break;
        case 'I': o.reissue = true; break;
        case 'r': o.reason = optarg; break;
        case 'a':
            if (!tool_parse_date(optarg, &o.date)) {
                free(o.cadres);
                return tool_usage_error(usage, "bad --date '%s': give "
                                        "YYYY-MM-DD", optarg);
            }
            break;
        case 'j':
            if (!tool_parse_long(optarg, 1, 256, &jobs)) {
                tool_error("bad -j '%s': give 1 to 256", optarg);
                free(o.cadres);
                return TOOL_EXIT_USAGE;
            }
            o.jobs = (int)jobs;
            break;
        case 'h': free(o.cadres); return tool_help(usage);
        case 'V': free(o.cadres); return tool_version();
        default: free(o.cadres); return tool_bad_option(usage);
        }
    }
    const char *wrong = misuse(&o, optind < argc);
    if (wrong) {
        free(o.cadres);
        return tool_usage_error(usage, "%s", _(wrong));
    }
    cadre_diags diags;
    cadre_diags_init(&diags, 200);
    int status = issue(&o, argv + optind, (size_t)(argc - optind), &diags);
    cadre_diags_print(&diags, tool_name(), stderr);
    cadre_diags_release(&diags);
    free(o.cadres);
    return status;
}
