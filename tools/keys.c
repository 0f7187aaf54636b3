/* cadre-keys - the office's signing keys: make a key pair, and write the
 * verification page that trusts the public keys. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/verify.h"
#include "common.h"

static const char *const usage = N_(
    "usage: cadre-keys generate -o DIR\n"
    "       cadre-keys page --trusted KEYS [-t PAGE.html] -o FILE.html\n"
    "The office's keys for sealing certificates (docs/verify.md).\n"
    "\n"
    "  generate -o DIR    make a key pair in DIR (created if missing):\n"
    "                     ID.key, the secret key (mode 0600: keep it on the\n"
    "                     machine that issues), and ID.pub, the public key\n"
    "                     to give to whoever checks certificates\n"
    "  page -o FILE.html  write the verification page, one HTML file with\n"
    "                     the trusted public keys built in, to publish\n"
    "  -k, --trusted KEYS a public key (ID.pub) or a folder of them; repeat\n"
    "                     for more\n"
    "  -t, --template T   the page's template (default: the shipped one)\n"
    "  -o, --output OUT   the folder (generate) or the page (page)\n"
    "  -h, --help         show this help\n"
    "      --version      show the version\n"
    "\n"
    "Exit status: 0 done, 1 a bad key or template, or a file that could not\n"
    "be written, 2 usage error or unreadable input.\n");

struct options {
    const char *command; /* "generate" or "page" */
    const char *out;     /* -o */
    const char *tmpl;    /* -t */
    const char **keys;   /* --trusted */
    size_t n_keys;
};

static int generate(const struct options *o, cadre_diags *diags)
{
    char id[CADRE_KEY_ID_TEXT];
    cadre_error err = cadre_key_generate(o->out, id, diags);
    if (err == CADRE_OK)
        printf(_("key %s: secret %s/%s.key, public %s/%s.pub\n"), id, o->out,
               id, o->out, id);
    return err == CADRE_OK ? TOOL_EXIT_OK : TOOL_EXIT_DATA;
}

static int page(const struct options *o, cadre_diags *diags)
{
    cadre_keyring *ring = cadre_keyring_new();
    cadre_error err = ring ? CADRE_OK : CADRE_ENOMEM;
    for (size_t i = 0; i < o->n_keys && err == CADRE_OK; i++)
        err = cadre_keyring_add(ring, o->keys[i], diags);
    int status = tool_status(err, true);
    if (err == CADRE_OK) {
        err = cadre_page_write(ring, o->tmpl, o->out, diags);
        status = tool_status(err, false);
    }
    if (err == CADRE_OK)
        printf(cadre_keyring_count(ring) == 1
                   ? _("%s: the verification page, trusting %zu key\n")
                   : _("%s: the verification page, trusting %zu keys\n"),
               o->out, cadre_keyring_count(ring));
    cadre_keyring_free(ring);
    return status;
}

/* What is wrong with the command line, if anything, into `msg`. */
static bool usage_wrong(const struct options *o, const char *extra, char *msg,
                        size_t size)
{
    bool gen = !strcmp(o->command, "generate"), pg = !strcmp(o->command, "page");
    if (!o->keys)
        snprintf(msg, size, _("out of memory"));
    else if (!*o->command)
        snprintf(msg, size, _("no command given"));
    else if (!gen && !pg)
        snprintf(msg, size, _("unknown command '%s'"), o->command);
    else if (extra)
        snprintf(msg, size, _("unexpected argument '%s'"), extra);
    else if (!o->out)
        snprintf(msg, size, _("no output (-o %s) given"),
                 gen ? "DIR" : "FILE.html");
    else if (pg && !o->n_keys)
        snprintf(msg, size, _("no trusted keys (--trusted KEYS) given"));
    else if (gen && (o->n_keys || o->tmpl))
        snprintf(msg, size, _("generate takes -o DIR only"));
    else
        return false;
    return true;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"trusted", required_argument, NULL, 'k'},
        {"template", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    tool_start("cadre-keys", argc, argv);
    struct options o = { .keys = tool_list_new(argc) };
    int c, status;
    while (o.keys && (c = getopt_long(argc, argv, "o:k:t:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o.out = optarg; break;
        case 'k': o.keys[o.n_keys++] = optarg; break;
        case 't': o.tmpl = optarg; break;
        case 'h': status = tool_help(usage); goto done;
        case 'V': status = tool_version(); goto done;
        default: status = tool_bad_option(usage); goto done;
        }
    }
    o.command = optind < argc ? argv[optind++] : "";
    char wrong[300];
    if (usage_wrong(&o, optind < argc ? argv[optind] : NULL, wrong, sizeof wrong)) {
        status = tool_usage_error(usage, "%s", wrong);
        goto done;
    }
    bool gen = !strcmp(o.command, "generate");
    cadre_diags diags;
    cadre_diags_init(&diags, 100);
    status = gen ? generate(&o, &diags) : page(&o, &diags);
    cadre_diags_print(&diags, tool_name(), stderr);
    cadre_diags_release(&diags);
done:
    free(o.keys);
    return status;
}
