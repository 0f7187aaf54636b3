/* files.c - atomic outputs, the files a run has read and written, the
 * temporary files to remove on a signal, and data lookup (files.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/files.h"
#include "cadre/i18n.h"

#ifndef CADRE_DATADIR
#define CADRE_DATADIR "/usr/local/share/cadrekit"
#endif

/* ------------------------------------------------------------------ */
/* The files of this process: read as input, and written.              */

/*
 * A file is known by its device and inode.  A file written also keeps
 * the change time it had once written: when another run in the same
 * folder replaces it, its inode is freed and may come back as a new file
 * of that run, which is not ours (it has another change time).
 */
typedef struct file_id {
    dev_t dev;
    ino_t ino;
    struct timespec ctime; /* for outputs; zero for inputs */
} file_id;

/* A hash set of file ids, open addressing: a run may read thousands of
 * files and write a certificate for each of a province's cadres. */
typedef struct file_set {
    file_id *ids;    /* cap slots; ino 0 and dev 0 marks a free one */
    size_t cap;      /* a power of two, or 0 */
    size_t count;
} file_set;

static file_set inputs, outputs;
/* Guards both sets: the library may be called from several threads. */
static pthread_mutex_t sets_lock = PTHREAD_MUTEX_INITIALIZER;

static bool is_free(const file_id *id) { return !id->dev && !id->ino; }

static size_t slot_of(const file_set *s, dev_t dev, ino_t ino)
{
    uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15u) ^ (uint64_t)ino;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 32;
    size_t mask = s->cap - 1;
    size_t i = (size_t)h & mask;
    while (!is_free(&s->ids[i]) &&
           !(s->ids[i].dev == dev && s->ids[i].ino == ino))
        i = (i + 1) & mask;
    return i;
}

/* Add or update `id`; false when out of memory (the set is unchanged). */
static bool set_put(file_set *s, file_id id)
{
    if ((s->count + 1) * 2 > s->cap) {
        file_set bigger = {calloc(s->cap ? s->cap * 2 : 64, sizeof(file_id)),
                           s->cap ? s->cap * 2 : 64, 0};
        if (!bigger.ids)
            return false;
        for (size_t i = 0; i < s->cap; i++)
            if (!is_free(&s->ids[i])) {
                bigger.ids[slot_of(&bigger, s->ids[i].dev, s->ids[i].ino)] =
                    s->ids[i];
                bigger.count++;
            }
        free(s->ids);
        *s = bigger;
    }
    size_t i = slot_of(s, id.dev, id.ino);
    if (is_free(&s->ids[i]))
        s->count++;
    s->ids[i] = id;
    return true;
}

/* The entry for the file `st` describes, or NULL. */
static const file_id *set_find(const file_set *s, const struct stat *st)
{
    if (!s->cap)
        return NULL;
    const file_id *id = &s->ids[slot_of(s, st->st_dev, st->st_ino)];
    return is_free(id) ? NULL : id;
}

void cadre_files_note_input(const struct stat *st)
{
    pthread_mutex_lock(&sets_lock);
    /* Out of memory the file goes unnoted: a guard lost, nothing else. */
    set_put(&inputs, (file_id){st->st_dev, st->st_ino, {0, 0}});
    pthread_mutex_unlock(&sets_lock);
}

static void note_output(const struct stat *st)
{
    pthread_mutex_lock(&sets_lock);
    set_put(&outputs, (file_id){st->st_dev, st->st_ino, st->st_ctim});
    pthread_mutex_unlock(&sets_lock);
}

/* Why the existing file `st` may not be written, or NULL. */
static const char *refusal(const struct stat *st)
{
    const char *why = NULL;
    pthread_mutex_lock(&sets_lock);
    const file_id *out = set_find(&outputs, st);
    if (S_ISDIR(st->st_mode))
        why = strerror(EISDIR);
    else if (set_find(&inputs, st))
        why = CADRE_N_("it is one of the input files");
    else if (S_ISREG(st->st_mode) && out &&
             out->ctime.tv_sec == st->st_ctim.tv_sec &&
             out->ctime.tv_nsec == st->st_ctim.tv_nsec)
        why = CADRE_N_("it was already written by this command");
    pthread_mutex_unlock(&sets_lock);
    return why;
}

/* ------------------------------------------------------------------ */
/* Temporary files, removed on a signal.                              */

/*
 * The temporary files not yet committed or aborted, in a list that a
 * signal handler may walk: it changes only while the signals that
 * remove them are blocked (and under the lock), so a handler always sees
 * it whole.
 */
struct cadre_temp {
    struct cadre_temp *next;
    const char *path; /* the cadre_outfile's tmp */
};

static struct cadre_temp *volatile temps;
static pthread_mutex_t temps_lock = PTHREAD_MUTEX_INITIALIZER;

static void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &set, old);
    pthread_mutex_lock(&temps_lock);
}

static void unblock_signals(const sigset_t *old)
{
    pthread_mutex_unlock(&temps_lock);
    pthread_sigmask(SIG_SETMASK, old, NULL);
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

/* make_temp() for `out`, entered among the files to remove on a signal
 * before a signal can see it made: the temporary file, or NULL with
 * errno set. */
static char *make_registered_temp(cadre_outfile *out, const char *dir,
                                  size_t dir_len, const char *name)
{
    struct cadre_temp *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    sigset_t old;
    block_signals(&old);
    char *tmp = make_temp(dir, dir_len, name);
    if (tmp) {
        t->path = tmp;
        t->next = temps;
        temps = t;
        out->temp = t;
    }
    unblock_signals(&old);
    if (!tmp) {
        int e = errno;
        free(t);
        errno = e;
    }
    return tmp;
}

static void temp_forget(cadre_outfile *out)
{
    if (!out->temp)
        return;
    sigset_t old;
    block_signals(&old);
    for (struct cadre_temp *volatile *p = &temps; *p; p = &(*p)->next)
        if (*p == out->temp) {
            *p = out->temp->next;
            break;
        }
    unblock_signals(&old);
    free(out->temp);
    out->temp = NULL;
}

void cadre_outfile_remove_all(void)
{
    /* unlink() is async-signal-safe; nothing here allocates or locks */
    for (struct cadre_temp *t = temps; t; t = t->next)
        unlink(t->path);
}

/* ------------------------------------------------------------------ */
/* Where an output goes.                                               */

/* `path` with every symbolic link of its last component followed, so
 * that an output written through a link replaces the file it points to,
 * never the link.  *descriptor is set when the chain ends in a
 * descriptor of /proc (/dev/stdout, /dev/fd/1): there is no file to
 * rename over, it must be opened and written.  A new string, or NULL
 * with errno set. */
static char *follow_links(const char *path, bool *descriptor)
{
    char *cur = strdup(path);
    *descriptor = false;
    for (int hops = 0; cur; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur; /* a file, or none yet: written there */
        if (hops == 40) {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        const char *slash = strrchr(cur, '/');
        char dir[PATH_MAX], real[PATH_MAX], link[PATH_MAX];
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - cur) + 1 : 2,
                 slash ? cur : "./");
        if (realpath(dir, real) && strncmp(real, "/proc/", 6) == 0) {
            *descriptor = true; /* a magic link: "pipe:[123]", "/dev/pts/0" */
            return cur;
        }
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) {
            int e = errno;
            free(cur);
            errno = e;
            return NULL;
        }
        link[n] = '\0';
        size_t size = strlen(dir) + (size_t)n + 1;
        char *next = malloc(size);
        if (next)
            snprintf(next, size, "%s%s", link[0] == '/' ? "" : dir, link);
        free(cur);
        cur = next;
    }
    errno = ENOMEM;
    return NULL;
}

static void release(cadre_outfile *out)
{
    temp_forget(out);
    free(out->tmp);
    free(out->path);
    free(out->target);
    out->path = out->tmp = out->target = NULL;
    out->copy = 0;
}

cadre_error cadre_outfile_begin(cadre_outfile *out, const char *path,
                                cadre_diags *diags)
{
    *out = (cadre_outfile){0};
    bool descriptor;
    const char *why = NULL;
    if (!(out->path = strdup(path)))
        goto nomem;
    if (!(out->target = follow_links(path, &descriptor)))
        goto fail;
    struct stat st;
    bool exists = stat(out->target, &st) == 0;
    if (exists && (why = refusal(&st)))
        goto refuse;
    if (descriptor || (exists && !S_ISREG(st.st_mode))) {
        /* A device, a pipe or a descriptor cannot be replaced by a rename:
         * write a temporary file, then copy it there, so that the
         * libraries always write a plain file and a failure on the device
         * (a full disk) is ours to report. */
        const char *dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = "/tmp";
        char slash_dir[PATH_MAX];
        snprintf(slash_dir, sizeof slash_dir, "%s/", dir);
        out->tmp = make_registered_temp(out, slash_dir, strlen(slash_dir),
                                        "cadre-output");
        out->copy = 1;
    } else {
        const char *t = out->target, *slash = strrchr(t, '/');
        size_t dir_len = slash ? (size_t)(slash - t) + 1 : 0;
        out->tmp = make_registered_temp(out, t, dir_len,
                                        slash ? slash + 1 : t);
    }
    if (!out->tmp)
        goto fail;
    return CADRE_OK;
fail:
    if (errno == ENOMEM)
        goto nomem;
    why = strerror(errno);
refuse:
    cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                      cadre_gettext(why));
    release(out);
    return CADRE_EIO;
nomem:
    release(out);
    cadre_diags_error(diags, NULL, 0, "out of memory");
    return CADRE_ENOMEM;
}

/* The descriptor of this process that `path` (/proc/self/fd/1, or
 * /proc/PID/fd/1 with our PID) names, or -1. */
static int own_descriptor(const char *path)
{
    char dir[PATH_MAX], real[PATH_MAX], self[64];
    const char *slash = strrchr(path, '/');
    if (!slash || (size_t)(slash - path) >= sizeof dir)
        return -1;
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    snprintf(self, sizeof self, "/proc/%ld/fd", (long)getpid());
    char *end;
    long fd = strtol(slash + 1, &end, 10);
    if (!realpath(dir, real) || strcmp(real, self) != 0 || *end ||
        end == slash + 1 || fd < 0 || fd > INT_MAX)
        return -1;
    return (int)fd;
}

/* Copy `from` to the device or descriptor `to`; 0, or -1 with errno set.
 * A descriptor of ours (/dev/stdout) is written as it is, at its offset
 * and with its mode, as any program writes its standard output: opening
 * it again would write a closed standard output's /dev/null stand-in
 * (tools/common.c), or truncate a file opened to append. */
static int copy_to(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int fd = own_descriptor(to);
    int outfd = in < 0 ? -1
                : fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 3)
                          : open(to, O_WRONLY | O_CLOEXEC | O_NOCTTY);
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
    int rc = out->copy ? copy_to(out->tmp, out->target)
                       : rename(out->tmp, out->target);
    if (rc != 0) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", out->path,
                          strerror(errno));
        cadre_outfile_abort(out);
        return CADRE_EIO;
    }
    if (out->copy)
        unlink(out->tmp);
    struct stat st;
    if (stat(out->target, &st) == 0)
        note_output(&st);
    release(out);
    return CADRE_OK;
}

void cadre_outfile_abort(cadre_outfile *out)
{
    if (out->tmp)
        unlink(out->tmp);
    release(out);
}

/* ------------------------------------------------------------------ */
/* Shipped data.                                                       */

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

/* The whole file, bounded, noted as an input. */
char *cadre_file_read(const char *path, const char *what, size_t max,
                      size_t *len, cadre_error *err, cadre_diags *diags)
{
    *err = CADRE_EIO;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        cadre_diags_error(diags, NULL, 0, "cannot open %s '%s': %s", what,
                          path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        cadre_diags_error(diags, NULL, 0, "cannot open %s '%s': %s", what,
                          path, S_ISDIR(st.st_mode) ? strerror(EISDIR)
                                                    : "not a regular file");
        close(fd);
        return NULL;
    }
    if ((unsigned long long)st.st_size > max) {
        cadre_diags_error(diags, NULL, 0,
                          "%s '%s' is %lld bytes: more than %zu, not one",
                          what, path, (long long)st.st_size, max);
        close(fd);
        *err = CADRE_ELIMIT;
        return NULL;
    }
    cadre_files_note_input(&st);
    char *buf = malloc((size_t)st.st_size + 1);
    size_t n = 0;
    ssize_t got = 1;
    while (buf && n < (size_t)st.st_size &&
           ((got = read(fd, buf + n, (size_t)st.st_size - n)) > 0 ||
            (got < 0 && errno == EINTR)))
        n += got > 0 ? (size_t)got : 0;
    int saved = errno;
    close(fd);
    if (!buf || got < 0) {
        cadre_diags_error(diags, NULL, 0, "cannot read %s '%s': %s", what,
                          path, buf ? strerror(saved) : "out of memory");
        *err = buf ? CADRE_EIO : CADRE_ENOMEM;
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    *err = CADRE_OK;
    return buf;
}
