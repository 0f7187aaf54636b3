/* register_check.c - a folder of PDFs checked against the hashes the
 * register stored at issue, and the SHA-256 of a file (register.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "register_internal.h"
#include "util/grow.h"

cadre_error cadre_register_hash_file(const char *path, char hex[65],
                                     cadre_diags *diags)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    EVP_MD_CTX *md = fd >= 0 ? EVP_MD_CTX_new() : NULL;
    bool ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    int e = fd < 0 ? errno : 0;
    unsigned char buf[64 * 1024];
    ssize_t n;
    while (ok && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = errno;
            ok = false;
        } else {
            ok = EVP_DigestUpdate(md, buf, (size_t)n) == 1;
        }
    }
    unsigned char sum[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ok = ok && EVP_DigestFinal_ex(md, sum, &len) == 1 && len == 32;
    EVP_MD_CTX_free(md);
    if (fd >= 0)
        close(fd);
    if (!ok) {
        cadre_diags_error(diags, NULL, 0, "cannot read '%s': %s", path,
                          e ? strerror(e) : "SHA-256 failed");
        return CADRE_EIO;
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[sum[i] >> 4];
        hex[2 * i + 1] = digits[sum[i] & 15];
    }
    hex[64] = '\0';
    return CADRE_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.pdf files of `dir` that are not hidden, sorted; NULL after a
 * message. */
static char **pdf_files(const char *dir, size_t *n, cadre_diags *diags)
{
    DIR *d = opendir(dir);
    if (!d) {
        cadre_diags_error(diags, NULL, 0, "cannot open directory '%s': %s",
                          dir, strerror(errno));
        return NULL;
    }
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *de;
    bool ok = true;
    while (ok && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 5 ||
            strcasecmp(de->d_name + len - 4, ".pdf"))
            continue;
        ok = GROW(names, cap, *n + 1) && (names[*n] = strdup(de->d_name));
        *n += ok;
    }
    closedir(d);
    if (!ok) {
        for (size_t i = 0; i < *n; i++)
            free(names[i]);
        free(names);
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return NULL;
    }
    qsort(names, *n, sizeof *names, by_name);
    return names ? names : calloc(1, sizeof *names);
}

cadre_error cadre_register_check_dir(cadre_register *reg, const char *dir,
                                     void (*fn)(const char *file,
                                                cadre_register_verdict v,
                                                const cadre_register_entry *e,
                                                void *ctx),
                                     void *ctx, size_t *problems,
                                     cadre_diags *diags)
{
    *problems = 0;
    size_t n;
    char **names = pdf_files(dir, &n, diags);
    if (!names)
        return CADRE_EIO;
    sqlite3_stmt *by_hash = reg_prepare(
        reg, "SELECT " REG_ENTRY_COLUMNS " FROM entry WHERE sha256 = ? "
             "ORDER BY id LIMIT 1", diags);
    sqlite3_stmt *by_file = by_hash ? reg_prepare(
        reg, "SELECT " REG_ENTRY_COLUMNS " FROM entry WHERE file_name = ? "
             "ORDER BY id DESC LIMIT 1", diags) : NULL;
    cadre_error err = by_file ? CADRE_OK : CADRE_EIO;
    for (size_t i = 0; i < n && !err; i++) {
        char *path = reg_join(dir, names[i]);
        char hex[65];
        if (!path ||
            cadre_register_hash_file(path, hex, diags) != CADRE_OK) {
            free(path);
            err = CADRE_EIO;
            break;
        }
        free(path);
        cadre_register_entry e;
        reg_bind_text(by_hash, 1, hex);
        reg_bind_text(by_file, 1, names[i]);
        if (sqlite3_step(by_hash) == SQLITE_ROW) {
            reg_entry_read(by_hash, 0, &e);
            fn(names[i], CADRE_REGISTER_MATCH, &e, ctx);
        } else if (sqlite3_step(by_file) == SQLITE_ROW) {
            reg_entry_read(by_file, 0, &e);
            fn(names[i], CADRE_REGISTER_CHANGED, &e, ctx);
            ++*problems;
        } else {
            fn(names[i], CADRE_REGISTER_UNKNOWN, NULL, ctx);
            ++*problems;
        }
        sqlite3_reset(by_hash);
        sqlite3_reset(by_file);
    }
    sqlite3_finalize(by_hash);
    sqlite3_finalize(by_file);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return err;
}
