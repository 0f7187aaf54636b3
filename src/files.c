/* files.c - atomic outputs and data lookup (files.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/files.h"

#ifndef CADRE_DATADIR
#define CADRE_DATADIR "/usr/local/share/cadrekit"
#endif

static void release(cadre_outfile *out)
{
    if (out->tmp != out->path)
        free(out->tmp);
    free(out->path);
    out->path = out->tmp = NULL;
}

cadre_error cadre_outfile_begin(cadre_outfile *out, const char *path,
                                cadre_diags *diags)
{
    out->path = out->tmp = NULL;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          strerror(EISDIR));
        return CADRE_EIO;
    }
    if (!(out->path = strdup(path)))
        goto nomem;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or a pipe cannot be replaced: write to it directly. */
        out->tmp = out->path;
        return CADRE_OK;
    }
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t size = dir_len + strlen(base) + 16;
    if (!(out->tmp = malloc(size)))
        goto nomem;
    snprintf(out->tmp, size, "%.*s.%s.XXXXXX", (int)dir_len, path, base);
    int fd = mkstemp(out->tmp);
    if (fd < 0) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          strerror(errno));
        release(out);
        return CADRE_EIO;
    }
    /* mkstemp() makes the file private; an output is an ordinary file. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    close(fd);
    return CADRE_OK;
nomem:
    release(out);
    cadre_diags_error(diags, NULL, 0, "out of memory");
    return CADRE_ENOMEM;
}

cadre_error cadre_outfile_commit(cadre_outfile *out, cadre_diags *diags)
{
    if (!out->path)
        return CADRE_EIO;
    if (out->tmp != out->path && rename(out->tmp, out->path) != 0) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", out->path,
                          strerror(errno));
        cadre_outfile_abort(out);
        return CADRE_EIO;
    }
    release(out);
    return CADRE_OK;
}

void cadre_outfile_abort(cadre_outfile *out)
{
    if (out->tmp && out->tmp != out->path)
        unlink(out->tmp);
    release(out);
}

static char *readable(const char *dir, const char *rel)
{
    size_t size = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(size);
    if (!p)
        return NULL;
    snprintf(p, size, "%s/%s", dir, rel);
    if (access(p, R_OK) == 0)
        return p;
    free(p);
    return NULL;
}

char *cadre_data_find(const char *rel)
{
    char *p;
    const char *env = getenv("CADRE_DATA_DIR");
    if (env && *env && (p = readable(env, rel)))
        return p;
    /* Tools run from build/bin/ (or build-san/bin/) of the source tree. */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
        }
        if (*exe && (p = readable(exe, rel)))
            return p;
    }
    return readable(CADRE_DATADIR, rel);
}
