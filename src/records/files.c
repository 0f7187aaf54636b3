/* files.c - atomic outputs and data lookup (files.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/files.h"
#include "files_internal.h"

#ifndef CADRE_DATADIR
#define CADRE_DATADIR "/usr/local/share/cadrekit"
#endif

/* The files read as input so far (records, templates), and those this
 * process has written: an output must never replace an input, nor an
 * earlier output of the same command (`--combined x --register x`).  A
 * handful per run, so small lists. */
typedef struct file_id {
    dev_t dev;
    ino_t ino;
} file_id;

typedef struct file_list {
    file_id ids[64];
    size_t count;
} file_list;

static file_list inputs, outputs;

static void note(file_list *l, const struct stat *st)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->ids[i].dev == st->st_dev && l->ids[i].ino == st->st_ino)
            return;
    if (l->count < sizeof l->ids / sizeof l->ids[0])
        l->ids[l->count++] = (file_id){st->st_dev, st->st_ino};
}

static bool holds(const file_list *l, const struct stat *st)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->ids[i].dev == st->st_dev && l->ids[i].ino == st->st_ino)
            return true;
    return false;
}

void cadre_files_note_input(const struct stat *st) { note(&inputs, st); }

static void release(cadre_outfile *out)
{
    free(out->tmp);
    free(out->path);
    out->path = out->tmp = NULL;
    out->copy = 0;
}

/* A new empty file from a mkstemp() template, readable as an ordinary
 * file (mkstemp() makes it private); its path, or NULL with errno set. */
static char *make_temp(const char *dir, size_t dir_len, const char *name)
{
    size_t size = dir_len + strlen(name) + 16;
    char *tmp = malloc(size);
    if (!tmp)
        return NULL;
    snprintf(tmp, size, "%.*s.%s.XXXXXX", (int)dir_len, dir, name);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        errno = e;
        return NULL;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    close(fd);
    return tmp;
}

cadre_error cadre_outfile_begin(cadre_outfile *out, const char *path,
                                cadre_diags *diags)
{
    *out = (cadre_outfile){0};
    struct stat st;
    bool exists = stat(path, &st) == 0;
    const char *why = NULL;
    if (exists && S_ISDIR(st.st_mode))
        why = strerror(EISDIR);
    else if (exists && holds(&inputs, &st))
        why = "it is one of the input files";
    else if (exists && S_ISREG(st.st_mode) && holds(&outputs, &st))
        why = "it was already written by this command";
    if (why) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path, why);
        return CADRE_EIO;
    }
    if (!(out->path = strdup(path)))
        goto nomem;
    if (exists && !S_ISREG(st.st_mode)) {
        /* A device or a pipe cannot be replaced by a rename: write a
         * temporary file, then copy it there, so that the libraries always
         * write a plain file and a failure on the device (a full disk) is
         * ours to report. */
        const char *dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = "/tmp";
        char slash_dir[PATH_MAX];
        snprintf(slash_dir, sizeof slash_dir, "%s/", dir);
        out->tmp = make_temp(slash_dir, strlen(slash_dir), "cadre-output");
        out->copy = 1;
    } else {
        const char *slash = strrchr(path, '/');
        size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
        out->tmp = make_temp(path, dir_len, slash ? slash + 1 : path);
    }
    if (!out->tmp) {
        if (errno == ENOMEM)
            goto nomem;
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          strerror(errno));
        release(out);
        return CADRE_EIO;
    }
    return CADRE_OK;
nomem:
    release(out);
    cadre_diags_error(diags, NULL, 0, "out of memory");
    return CADRE_ENOMEM;
}

/* Copy `from` to the device `to`; 0, or -1 with errno set. */
static int copy_to(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int outfd = in < 0 ? -1 : open(to, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    int rc = in < 0 || outfd < 0 ? -1 : 0;
    char buf[64 * 1024];
    ssize_t n;
    while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        for (ssize_t done = 0; n > 0 && done < n;) {
            ssize_t w = write(outfd, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                rc = -1;
                break;
            }
            done += w;
        }
        if (n < 0)
            rc = -1;
    }
    int e = errno;
    if (outfd >= 0 && close(outfd) != 0 && rc == 0)
        rc = -1, e = errno;
    if (in >= 0)
        close(in);
    errno = e;
    return rc;
}

cadre_error cadre_outfile_commit(cadre_outfile *out, cadre_diags *diags)
{
    if (!out->path)
        return CADRE_EIO;
    int rc = out->copy ? copy_to(out->tmp, out->path)
                       : rename(out->tmp, out->path);
    if (rc != 0) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", out->path,
                          strerror(errno));
        cadre_outfile_abort(out);
        return CADRE_EIO;
    }
    if (out->copy)
        unlink(out->tmp);
    struct stat st;
    if (stat(out->path, &st) == 0)
        note(&outputs, &st);
    release(out);
    return CADRE_OK;
}

void cadre_outfile_abort(cadre_outfile *out)
{
    if (out->tmp)
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
    /* Tools run from build/bin/ (or build-san/bin/) of the source tree,
     * or installed as PREFIX/bin/ beside PREFIX/share/cadrekit/ wherever
     * that was moved (a DESTDIR staging, a relocated tree). */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            if (up == 1) { /* exe is now PREFIX */
                char share[PATH_MAX + 32];
                snprintf(share, sizeof share, "%s/share/cadrekit", exe);
                if ((p = readable(share, rel)))
                    return p;
            }
        }
        if (*exe && (p = readable(exe, rel)))
            return p;
    }
    return readable(CADRE_DATADIR, rel);
}
