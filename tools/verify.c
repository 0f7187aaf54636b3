/* cadre-verify - check certificates' seals: from the text of their QR
 * code, a scan or a PDF, and print every field they certify with the
 * verdict. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "cadre/scan.h"
#include "cadre/verify.h"
#include "common.h"

static const char *const usage = N_(
    "usage: cadre-verify --trusted KEYS [--revocations FILE] WHAT...\n"
    "Check certificates sealed by cadre-cert --sign-key, and print what each\n"
    "certifies.  WHAT is a certificate's PDF (every page), a PNG or JPEG scan\n"
    "(every QR code in it), or the text of its QR code: the address\n"
    "https://.../v#... (any SCHEME://...), or the part from '#'; '-' reads\n"
    "such texts from standard input, one a line.\n"
    "\n"
    "  -k, --trusted KEYS       a public key (ID.pub) or a folder of them;\n"
    "                           repeat for more\n"
    "  -r, --revocations FILE   the office's signed revocation list\n"
    "  -q, --quiet              print the verdict lines only\n"
    "  -h, --help               show this help\n"
    "      --version            show the version\n"
    "\n"
    "Exit status: 0 every certificate valid, 1 one invalid or revoked (or a\n"
    "file without a QR code), 2 usage error or unreadable input.\n");

struct options {
    cadre_keyring *ring;      /* --trusted keys */
    cadre_revocations *revs;  /* --revocations, or NULL */
    bool quiet;               /* verdicts only */
};

/* Print what the seal says.  Returns the exit status it deserves. */
static int report(const struct options *o, const char *source,
                  const cadre_seal *s)
{
    printf("%s: %s", source, cadre_seal_status_name(s->status));
    if (s->status == CADRE_SEAL_REVOKED) {
        char d[CADRE_DATE_TEXT_MAX];
        cadre_date_format_short(s->revoked->date, d, sizeof d);
        printf(_(" on %s, decision '%s', reason '%s'"), *d ? d : _("(no date)"),
               s->revoked->decision, s->revoked->reason);
    } else if (s->status != CADRE_SEAL_VALID) {
        printf(": %s", s->why);
    }
    putchar('\n');
    if (o->quiet || !s->decoded)
        return s->status == CADRE_SEAL_VALID ? TOOL_EXIT_OK : TOOL_EXIT_DATA;
    if (s->status != CADRE_SEAL_VALID && s->status != CADRE_SEAL_REVOKED)
        printf(_("  what it claims, not proven:\n"));
    const cadre_seal_fields *f = &s->fields;
    const char *grade = cadre_code_label(CADRE_CODE_GRADE, f->grade);
    char dates[4][CADRE_DATE_TEXT_MAX];
    const cadre_date d[4] = { f->birth, f->start, f->end, f->issued };
    for (int i = 0; i < 4; i++)
        if (!cadre_date_format_short(d[i], dates[i], sizeof dates[i]))
            snprintf(dates[i], sizeof dates[i], "%s", _("(none)"));
    printf(_("  number:       %s\n  full name:    %s\n  birth date:   %s\n"
             "  course:       %s\n  from:         %s\n  to:           %s\n"
             "  grade:        %s\n  issuer:       %s\n  issued:       %s\n"
             "  key id:       %s\n"),
           f->number, f->full_name, dates[0], f->course_title, dates[1],
           dates[2], grade ? grade : _("(none)"), f->issuer, dates[3],
           s->key_id);
    return s->status == CADRE_SEAL_VALID ? TOOL_EXIT_OK : TOOL_EXIT_DATA;
}

static int check_text(const struct options *o, const char *source,
                      const char *text)
{
    cadre_seal s;
    cadre_seal_read(&s, text, o->ring, o->revs);
    int status = report(o, source, &s);
    cadre_seal_release(&s);
    return status;
}

/* What a file's QR codes are checked with. */
struct file_scan {
    const struct options *o;
    const char *path;
    int status; /* the worst so far */
};

static int check_found(void *ctx, const char *text, size_t len, int page)
{
    struct file_scan *f = ctx;
    char source[4200];
    if (page)
        snprintf(source, sizeof source, _("%s page %d"), f->path, page);
    else
        snprintf(source, sizeof source, "%s", f->path);
    int s = strlen(text) == len ? check_text(f->o, source, text) : TOOL_EXIT_DATA;
    if (s > f->status)
        f->status = s;
    return 0;
}

/* A PDF, PNG or JPEG: every QR code in it. */
static int check_file(const struct options *o, const char *path,
                      cadre_diags *diags)
{
    struct file_scan f = { o, path, TOOL_EXIT_OK };
    size_t n = 0;
    cadre_error err = cadre_scan_file(path, check_found, &f, &n, diags);
    if (err == CADRE_OK && n == 0) {
        printf(_("%s: no QR code found\n"), path);
        f.status = TOOL_EXIT_DATA;
    }
    if (err != CADRE_OK) /* not a file to read QR codes from */
        f.status = err == CADRE_ENOMEM ? TOOL_EXIT_DATA : TOOL_EXIT_USAGE;
    return f.status;
}

/* A QR text rather than a file: "SCHEME://..." or "#...". */
static bool is_text(const char *arg)
{
    if (arg[0] == '#')
        return true;
    size_t n = strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    return n > 0 && !strncmp(arg + n, "://", 3);
}

/* '-': every line of standard input is a QR text. */
static int check_stdin(const struct options *o)
{
    char *line = NULL, source[64];
    size_t cap = 0, n = 0;
    ssize_t len;
    int status = TOOL_EXIT_OK, s;
    while ((len = getline(&line, &cap, stdin)) > 0) {
        n++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len)
            continue;
        snprintf(source, sizeof source, "stdin:%zu", n);
        if ((s = check_text(o, source, line)) > status)
            status = s;
    }
    free(line);
    return status;
}

/* Load the keys and the list named; the exit status. */
static int load(struct options *o, const char **keys, size_t n_keys,
                const char *revs, cadre_diags *diags)
{
    cadre_error err = (o->ring = cadre_keyring_new()) ? CADRE_OK : CADRE_ENOMEM;
    for (size_t i = 0; i < n_keys && err == CADRE_OK; i++)
        err = cadre_keyring_add(o->ring, keys[i], diags);
    if (err == CADRE_OK && revs)
        o->revs = cadre_revocations_load(revs, o->ring, &err, diags);
    return tool_status(err, true);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"trusted", required_argument, NULL, 'k'},
        {"revocations", required_argument, NULL, 'r'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    tool_start("cadre-verify", argc, argv);
    struct options o = { 0 };
    const char **keys = tool_list_new(argc), *revs = NULL;
    size_t n_keys = 0;
    int c;
    while (keys && (c = getopt_long(argc, argv, "k:r:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'k': keys[n_keys++] = optarg; break;
        case 'r': revs = optarg; break;
        case 'q': o.quiet = true; break;
        case 'h': free(keys); return tool_help(usage);
        case 'V': free(keys); return tool_version();
        default: free(keys); return tool_bad_option(usage);
        }
    }
    const char *missing =
        !keys     ? N_("out of memory")
        : !n_keys ? N_("no trusted keys (--trusted KEYS) given")
        : optind == argc
            ? N_("no certificate (a PDF, a scan or a QR text) given")
            : NULL;
    if (missing) {
        free(keys);
        return tool_usage_error(usage, "%s", _(missing));
    }
    cadre_diags diags;
    cadre_diags_init(&diags, 100);
    int status = load(&o, keys, n_keys, revs, &diags);
    cadre_diags_print(&diags, tool_name(), stderr);
    bool loaded = status == TOOL_EXIT_OK;
    for (int i = optind; loaded && i < argc; i++) {
        int s = !strcmp(argv[i], "-") ? check_stdin(&o)
                : is_text(argv[i])    ? check_text(&o, "QR text", argv[i])
                                      : check_file(&o, argv[i], &diags);
        cadre_diags_print(&diags, tool_name(), stderr);
        cadre_diags_release(&diags);
        status = s > status ? s : status;
    }
    cadre_diags_release(&diags);
    cadre_revocations_free(o.revs);
    cadre_keyring_free(o.ring);
    free(keys);
    return status;
}
