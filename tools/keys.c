/* cadre-keys - the office's signing keys: make a key pair, and write the
 * verification page that trusts the public keys. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/verify.h"
#include "common.h"

static const char usage[] =
    "usage: cadre-keys generate -o DIR\n"
    "Make the office's keys for sealing certificates (docs/verify.md).\n"
    "\n"
    "  generate -o DIR    make a key pair in DIR (created if missing):\n"
    "                     ID.key, the secret key (mode 0600: keep it on the\n"
    "                     machine that issues), and ID.pub, the public key\n"
    "                     to give to whoever checks certificates\n"
    "  -h, --help         show this help\n"
    "      --version      show the version\n"
    "\n"
    "Exit status: 0 done, 1 a file that could not be written, 2 usage "
    "error\nor unreadable input.\n";

struct options {
    const char *command; /* "generate" */
    const char *out;     /* -o */
};

static int generate(const struct options *o, cadre_diags *diags)
{
    char id[CADRE_KEY_ID_TEXT];
    cadre_error err = cadre_key_generate(o->out, id, diags);
    if (err == CADRE_OK)
        printf("key %s: secret %s/%s.key, public %s/%s.pub\n", id, o->out, id,
               o->out, id);
    return err == CADRE_OK ? TOOL_EXIT_OK : TOOL_EXIT_DATA;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    tool_start("cadre-keys", argc, argv);
    struct options o = { 0 };
    int c;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': o.out = optarg; break;
        case 'h': return tool_help(usage);
        case 'V': return tool_version();
        default: return tool_bad_option(usage);
        }
    }
    if (optind == argc)
        return tool_usage_error(usage, "no command given");
    o.command = argv[optind++];
    if (optind < argc)
        return tool_usage_error(usage, "unexpected argument '%s'", argv[optind]);
    if (strcmp(o.command, "generate"))
        return tool_usage_error(usage, "unknown command '%s'", o.command);
    if (!o.out)
        return tool_usage_error(usage, "no output folder (-o DIR) given");
    cadre_diags diags;
    cadre_diags_init(&diags, 100);
    int status = generate(&o, &diags);
    cadre_diags_print(&diags, tool_name(), stderr);
    cadre_diags_release(&diags);
    return status;
}
