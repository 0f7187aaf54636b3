/*
 * fuzz_seal.c - libFuzzer harness for what cadre-verify reads from
 * strangers (include/cadre/verify.h): the input is read as the text of a
 * QR code (cadre_seal_read, against the test keys of
 * tests/func/verify/data/trusted/ and that folder's revocation list), as
 * a revocation list file (cadre_revocations_load) and as a public key
 * file (cadre_keyring_add).  The keys: from $CADRE_FUZZ_KEYS, else
 * ./tests/func/verify/data beside the working folder or two levels above
 * the binary.
 */
#include "fuzz_util.h"

#include <libgen.h>

#include "cadre/verify.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cadre_keyring *ring;
static cadre_revocations *revs;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    char dir[4096], path[4200];
    const char *env = getenv("CADRE_FUZZ_KEYS");
    if (env)
        snprintf(dir, sizeof dir, "%s", env);
    else if (access("tests/func/verify/data/trusted", R_OK) == 0)
        snprintf(dir, sizeof dir, "tests/func/verify/data");
    else {
        char *self = strdup((*argv)[0]);
        snprintf(dir, sizeof dir, "%s/../../tests/func/verify/data", dirname(self));
        free(self);
    }
    ring = cadre_keyring_new();
    snprintf(path, sizeof path, "%s/trusted", dir);
    if (!ring || cadre_keyring_add(ring, path, NULL) != CADRE_OK)
        abort();
    cadre_error err;
    snprintf(path, sizeof path, "%s/revocations.txt", dir);
    if (!(revs = cadre_revocations_load(path, ring, &err, NULL)))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    cadre_seal seal;
    cadre_seal_read(&seal, text, ring, revs);
    if (seal.decoded) /* every field is a string the tools print */
        for (const char *const *s = (const char *const[]){ seal.fields.number,
                 seal.fields.full_name, seal.fields.course_title,
                 seal.fields.issuer, NULL }; *s; s++)
            if (strlen(*s) > 255)
                abort();
    cadre_seal_release(&seal);
    free(text);

    char path[128];
    fuzz_write("list.txt", data, size, path, sizeof path);
    cadre_diags diags;
    cadre_diags_init(&diags, 10);
    cadre_error err;
    cadre_revocations_free(cadre_revocations_load(path, ring, &err, &diags));
    cadre_keyring *mine = cadre_keyring_new();
    cadre_keyring_add(mine, path, &diags);
    cadre_keyring_free(mine);
    cadre_diags_release(&diags);
    return 0;
}
