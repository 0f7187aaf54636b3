/* cert_files.c - the per-person files of a batch: their names, the
 * outputs of a run checked against each other before anything is
 * written, and writing them over several processes (cert.h). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cadre/i18n.h"
#include "cadre/text.h"
#include "cert_internal.h"
#include "util/strmap.h"

/* Longest parts of a file name: a path stays far below NAME_MAX (255)
 * whatever the records hold. */
#define FILE_NUMBER_MAX 40
#define FILE_NAME_MAX 60
/* Runs of digits of a number padded with zeros, and the widest padding:
 * "7-2019-CC" next to "12-2019-CC" becomes "07-2019-CC", so that file
 * names sort as the numbers do.  Only numbers of one shape (the same text
 * around their digits) are padded to each other. */
#define PAD_RUNS 8
#define PAD_MAX 12

/* Append [A-Za-z0-9] of the ASCII folding of `s` to `out` (at most `max`
 * bytes), every other run of characters as one '-'. */
static size_t safe_part(const char *s, char *out, size_t max)
{
    char *folded = cadre_text_fold_ascii(s);
    size_t n = 0;
    bool dash = false;
    for (const char *p = folded ? folded : ""; *p && n < max; p++) {
        unsigned char ch = (unsigned char)*p;
        if (isalnum(ch) && ch < 0x80) {
            if (dash && n > 0 && n + 1 < max)
                out[n++] = '-';
            dash = false;
            out[n++] = (char)ch;
        } else {
            dash = true;
        }
    }
    free(folded);
    out[n] = '\0';
    return n;
}

/* Case-folded copy for the uniqueness check: two names differing only in
 * case would overwrite each other on a case-insensitive disk. */
static char *lower_copy(const char *s)
{
    char *l = strdup(s);
    for (char *p = l; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return l;
}

/* Widths of the first PAD_RUNS runs of digits in `s`; more widen `w`. */
static void widen_runs(const char *s, unsigned w[PAD_RUNS])
{
    int k = 0;
    for (const char *p = s; *p && k < PAD_RUNS;) {
        if (!isdigit((unsigned char)*p)) {
            p++;
            continue;
        }
        unsigned n = 0;
        while (isdigit((unsigned char)p[n]))
            n++;
        if (n <= PAD_MAX && n > w[k])
            w[k] = n;
        k++;
        p += n;
    }
}

/* `s` with its first runs of digits padded with zeros to the widths `w`,
 * cut at FILE_NUMBER_MAX bytes, into `out`. */
static void pad_runs(const char *s, const unsigned w[PAD_RUNS],
                     char out[FILE_NUMBER_MAX + 1])
{
    size_t n = 0;
    int k = 0;
    for (const char *p = s; *p && n < FILE_NUMBER_MAX;) {
        if (!isdigit((unsigned char)*p) || k >= PAD_RUNS) {
            out[n++] = *p++;
            continue;
        }
        unsigned len = 0;
        while (isdigit((unsigned char)p[len]))
            len++;
        for (unsigned z = len; z < w[k] && n < FILE_NUMBER_MAX; z++)
            out[n++] = '0';
        for (unsigned i = 0; i < len && n < FILE_NUMBER_MAX; i++)
            out[n++] = p[i];
        p += len;
        k++;
    }
    out[n] = '\0';
}

/* A file name for certificate c: NUMBER_NAME.pdf, then NUMBER_NAME_ID.pdf,
 * then NUMBER_NAME_ID_k.pdf (try k = 0, 1, 2 ...). */
static void file_name(const char *num, const char *name, const char *id,
                      unsigned k, char *file, size_t size)
{
    if (k == 0)
        snprintf(file, size, "%s_%s.pdf", num, name);
    else if (k == 1)
        snprintf(file, size, "%s_%s_%s.pdf", num, name, id);
    else
        snprintf(file, size, "%s_%s_%s_%u.pdf", num, name, id, k);
}

/* Give certificate i the first of its names not yet taken (ignoring
 * case: two names differing only in case would overwrite each other on
 * a case-insensitive disk).  `taken` holds lower-case keys kept in
 * keys[i]. */
static cadre_error name_one(cadre_cert_batch *b, size_t i, const char *num,
                            strmap *taken, char **keys)
{
    cadre_cert *c = &b->certs[i];
    const cadre_cadre *cd =
        &b->recs->cadres[b->recs->participants[c->participant].cadre];
    char name[FILE_NAME_MAX + 1], id[FILE_NAME_MAX + 1];
    safe_part(cd->id, id, FILE_NAME_MAX);
    if (!safe_part(cd->full_name, name, FILE_NAME_MAX))
        snprintf(name, sizeof name, "%s", id);
    char file[FILE_NUMBER_MAX + 2 * FILE_NAME_MAX + 32];
    for (unsigned k = 0;; k++) {
        file_name(num, name, id, k, file, sizeof file);
        char *key = lower_copy(file);
        if (!key)
            return CADRE_ENOMEM;
        int put = strmap_put(taken, key, (uint32_t)i, NULL);
        if (put == 1) {
            keys[i] = key;
            break;
        }
        free(key);
        if (put < 0)
            return CADRE_ENOMEM;
    }
    return (c->file_name = strdup(file)) ? CADRE_OK : CADRE_ENOMEM;
}

/* The shape of a number: its digits' runs as one '#' each ("#-#-CC"). */
static void shape_of(const char *num, char *out)
{
    size_t n = 0;
    for (const char *p = num; *p;) {
        if (isdigit((unsigned char)*p)) {
            out[n++] = '#';
            while (isdigit((unsigned char)*p))
                p++;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
}

/* The widths numbers of each shape pad their runs to: shapes[i] is the
 * index of certificate i's shape in `widths`. */
static cadre_error pad_widths(const cadre_cert_batch *b,
                              char (*nums)[FILE_NUMBER_MAX + 1],
                              uint32_t *shapes, unsigned (*widths)[PAD_RUNS])
{
    strmap seen;
    strmap_init(&seen);
    char (*keys)[FILE_NUMBER_MAX + 1] = malloc((b->n ? b->n : 1) * sizeof *keys);
    cadre_error err = keys ? CADRE_OK : CADRE_ENOMEM;
    uint32_t n_shapes = 0;
    for (size_t i = 0; i < b->n && err == CADRE_OK; i++) {
        shape_of(nums[i], keys[i]);
        uint32_t k;
        if (!strmap_get(&seen, keys[i], &k)) {
            k = n_shapes++;
            memset(widths[k], 0, sizeof widths[k]);
            if (strmap_put(&seen, keys[i], k, NULL) < 0)
                err = CADRE_ENOMEM;
        }
        shapes[i] = k;
        widen_runs(nums[i], widths[k]);
    }
    strmap_release(&seen);
    free(keys);
    return err;
}

cadre_error cert_name_files(cadre_cert_batch *b, cadre_diags *diags)
{
    strmap taken;
    strmap_init(&taken);
    size_t n = b->n ? b->n : 1;
    char **keys = calloc(n, sizeof *keys);
    char (*nums)[FILE_NUMBER_MAX + 1] = malloc(n * sizeof *nums);
    uint32_t *shapes = malloc(n * sizeof *shapes);
    unsigned (*widths)[PAD_RUNS] = malloc(n * sizeof *widths);
    cadre_error err = keys && nums && shapes && widths ? CADRE_OK : CADRE_ENOMEM;
    for (size_t i = 0; i < b->n && err == CADRE_OK; i++)
        if (!safe_part(b->certs[i].number, nums[i], FILE_NUMBER_MAX))
            snprintf(nums[i], sizeof nums[i], "%s", "so");
    if (err == CADRE_OK)
        err = pad_widths(b, nums, shapes, widths);
    for (size_t i = 0; i < b->n && err == CADRE_OK; i++) {
        char num[FILE_NUMBER_MAX + 1];
        pad_runs(nums[i], widths[shapes[i]], num);
        err = name_one(b, i, num, &taken, keys);
    }
    strmap_release(&taken);
    for (size_t i = 0; keys && i < b->n; i++)
        free(keys[i]);
    free(keys);
    free(nums);
    free(shapes);
    free(widths);
    if (err != CADRE_OK)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    return err;
}

/* ------------------------------------------------------------------ */
/* The outputs of a run, against each other.                           */

/* Append the components of `rel` to the absolute path in `out` (of
 * `size`), "." and ".." taken as written: the part of a path that does
 * not exist yet. */
static void append_lexically(char *out, size_t size, const char *rel)
{
    for (const char *p = rel; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            char *slash = strrchr(out, '/');
            if (slash)
                *(slash == out ? slash + 1 : slash) = '\0';
        } else if (n && !(n == 1 && p[0] == '.')) {
            size_t len = strlen(out);
            snprintf(out + len, size - len, "%s%.*s",
                     len && out[len - 1] == '/' ? "" : "/", (int)n, p);
        }
        p += n;
        while (*p == '/')
            p++;
    }
}

/* `path` absolute and through links as far as it exists (two spellings
 * of one file, or a link to it, compare equal), the rest as written.
 * False when it cannot be told (out of memory, a path too long). */
static bool canonical(const char *path, char out[PATH_MAX])
{
    size_t len = strlen(path);
    if (len >= PATH_MAX)
        return false;
    char head[PATH_MAX];
    memcpy(head, path, len + 1);
    /* the longest existing head: cut components off the end */
    size_t cut = len;
    for (;;) {
        char saved = head[cut];
        head[cut] = '\0';
        const char *try = cut ? head : path[0] == '/' ? "/" : ".";
        if (realpath(try, out)) {
            head[cut] = saved;
            append_lexically(out, PATH_MAX, path + cut);
            return true;
        }
        head[cut] = saved;
        if (cut == 0)
            return false;
        while (cut > 0 && path[cut - 1] == '/')
            cut--;
        while (cut > 0 && path[cut - 1] != '/')
            cut--;
    }
}

/* The folder and name of an absolute path: "/a/b" -> "/a", "b". */
static const char *split_name(const char *abs, char dir[PATH_MAX])
{
    const char *slash = strrchr(abs, '/');
    size_t n = slash && slash != abs ? (size_t)(slash - abs) : 1;
    memcpy(dir, abs, n);
    dir[n] = '\0';
    return slash ? slash + 1 : abs;
}

/* The certificate whose file in `dir_abs` is `abs`, or -1. */
static long cert_at(const cadre_cert_batch *b, const char *dir_abs,
                    const char *abs)
{
    char dir[PATH_MAX];
    const char *name = split_name(abs, dir);
    if (strcmp(dir, dir_abs) != 0)
        return -1;
    for (size_t i = 0; i < b->n; i++)
        if (!strcasecmp(b->certs[i].file_name, name))
            return (long)i;
    return -1;
}

/* The template's image files: of <image>s, and a <signature>'s image and
 * seal.  `k` counts through them; NULL after the last. */
static const char *template_image(const cadre_cert_tmpl *t, size_t *k)
{
    for (; *k < 2 * t->n_els; (*k)++) {
        const struct cert_el *el = &t->els[*k / 2];
        const char *p = *k % 2 == 0 ? (el->kind == CERT_IMAGE ||
                                       el->kind == CERT_SIGNATURE ? el->path
                                                                  : NULL)
                                    : el->kind == CERT_SIGNATURE ? el->seal
                                                                 : NULL;
        if (p) {
            (*k)++;
            return p;
        }
    }
    return NULL;
}

/* Why output `path` (absolute `abs`) cannot be written alongside the
 * others, or NULL.  `what` receives the certificate it would replace. */
static const char *clash(const cadre_cert_tmpl *t, const cadre_cert_batch *b,
                         const char *dir_abs, const char *abs,
                         const char *const *prev_abs, size_t n_prev,
                         long *cert)
{
    for (size_t k = 0; k < n_prev; k++)
        if (!strcmp(prev_abs[k], abs))
            return CADRE_N_("one path given for two outputs");
    size_t k = 0;
    for (const char *p; (p = template_image(t, &k));) {
        char img[PATH_MAX];
        if (canonical(p, img) && !strcmp(img, abs))
            return CADRE_N_(
                "it is one of the input files (an image of the template)");
    }
    if (dir_abs && !strcmp(dir_abs, abs))
        return CADRE_N_("it is the folder of the per-person certificates");
    if (dir_abs && (*cert = cert_at(b, dir_abs, abs)) >= 0)
        return CADRE_N_("it is also the file of the certificate of");
    return NULL;
}

cadre_error cadre_cert_check_outputs(const cadre_cert_tmpl *t,
                                     const cadre_cert_batch *b,
                                     const char *dir,
                                     const char *const *outputs, size_t n,
                                     cadre_diags *diags)
{
    char dir_abs[PATH_MAX], abs[4][PATH_MAX];
    const char *prev[4];
    bool have_dir = dir && canonical(dir, dir_abs);
    size_t n_prev = 0;
    for (size_t i = 0; i < n && n_prev < 4; i++) {
        if (!outputs[i])
            continue;
        long cert = -1;
        const char *why = canonical(outputs[i], abs[n_prev])
                              ? clash(t, b, have_dir ? dir_abs : NULL,
                                      abs[n_prev], prev, n_prev, &cert)
                              : NULL;
        if (why && cert >= 0) {
            const cadre_cadre *c =
                &b->recs->cadres[b->recs->participants[b->certs[cert].participant].cadre];
            cadre_diags_error(
                diags, NULL, 0, "cannot write '%s': %s %s '%s' in '%s'",
                outputs[i], cadre_gettext(why), c->id, c->full_name, dir);
            return CADRE_EIO;
        }
        if (why) {
            cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s",
                              outputs[i], cadre_gettext(why));
            return CADRE_EIO;
        }
        prev[n_prev] = abs[n_prev];
        n_prev++;
    }
    /* an image the per-person files would replace */
    size_t k = 0;
    for (const char *p; have_dir && (p = template_image(t, &k));) {
        char img[PATH_MAX];
        long cert;
        if (canonical(p, img) && (cert = cert_at(b, dir_abs, img)) >= 0) {
            cadre_diags_error(diags, NULL, 0,
                              "cannot write '%s/%s': it is one of the input "
                              "files (an image of the template)",
                              dir, b->certs[cert].file_name);
            return CADRE_EIO;
        }
    }
    return CADRE_OK;
}

/* ------------------------------------------------------------------ */
/* Writing.                                                            */

/* Write certificates first, first + step, ... into dir; stop at the first
 * failure.  Messages go to `diags`. */
static cadre_error write_some(const cadre_cert_tmpl *t,
                              const cadre_cert_batch *b, const char *dir,
                              size_t first, size_t step, cadre_diags *diags)
{
    for (size_t i = first; i < b->n; i += step) {
        size_t size = strlen(dir) + strlen(b->certs[i].file_name) + 2;
        char *path = malloc(size);
        if (!path) {
            cadre_diags_error(diags, NULL, 0, "out of memory");
            return CADRE_ENOMEM;
        }
        /* "out/" given: "out/01-....pdf", not "out//01-....pdf" */
        size_t len = strlen(dir);
        snprintf(path, size, "%s%s%s", dir,
                 len && dir[len - 1] == '/' ? "" : "/", b->certs[i].file_name);
        cadre_error err = cert_write_one(t, b, i, path, diags);
        free(path);
        if (err != CADRE_OK)
            return err;
    }
    return CADRE_OK;
}

/* A child's messages travel to the parent as lines
 * "CODE LINE FILE<tab>MESSAGE". */
static void send_diags(int fd, const cadre_diags *diags, cadre_error err)
{
    FILE *f = fdopen(fd, "w");
    if (!f)
        return;
    for (size_t i = 0; i < diags->count; i++) {
        const cadre_diag *d = &diags->items[i];
        fprintf(f, "%d %lu ", (int)err, d->line);
        for (const char *p = d->file ? d->file : ""; *p; p++)
            fputc(*p == '\n' || *p == '\t' ? ' ' : *p, f);
        fputc('\t', f);
        for (const char *p = d->message; *p; p++)
            fputc(*p == '\n' ? ' ' : *p, f);
        fputc('\n', f);
    }
    fclose(f);
}

static cadre_error receive_diags(int fd, cadre_diags *diags)
{
    cadre_error err = CADRE_OK;
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        return CADRE_EIO;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        char *p;
        long code = strtol(line, &p, 10);
        unsigned long at = strtoul(p, &p, 10);
        char *tab = strchr(p, '\t');
        if (code > 0 && code < CADRE_ERROR_COUNT && err == CADRE_OK)
            err = (cadre_error)code;
        if (!tab || *p != ' ') {
            cadre_diags_error(diags, NULL, 0, "%s", line);
            continue;
        }
        *tab = '\0';
        cadre_diags_error(diags, p[1] ? p + 1 : NULL, at, "%s", tab + 1);
    }
    free(line);
    fclose(f);
    return err;
}

static cadre_error write_files(const cadre_cert_tmpl *t,
                               const cadre_cert_batch *b, const char *dir,
                               int jobs, cadre_diags *diags)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        cadre_diags_error(diags, NULL, 0, "cannot create directory '%s': %s",
                          dir, strerror(errno));
        return CADRE_EIO;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cadre_diags_error(diags, NULL, 0, "'%s' is not a directory", dir);
        return CADRE_EIO;
    }
    if (jobs > (int)b->n)
        jobs = (int)b->n;
    if (jobs <= 1)
        return write_some(t, b, dir, 0, 1, diags);

    /* Each process writes every jobs-th certificate and reports its
     * failure through a pipe: the library never prints. */
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    int *fds = calloc((size_t)jobs, sizeof *fds);
    cadre_error err = pids && fds ? CADRE_OK : CADRE_ENOMEM;
    int started = 0;
    fflush(NULL);
    for (int k = 0; k < jobs && err == CADRE_OK; k++) {
        int fd[2];
        if (pipe(fd) != 0) {
            err = CADRE_EIO;
            break;
        }
        pid_t parent = getpid(), pid = fork();
        if (pid < 0) {
            close(fd[0]);
            close(fd[1]);
            err = CADRE_EIO;
            break;
        }
        if (pid == 0) {
            /* a writer dies with its parent: killed, the parent leaves
             * nothing written after it that the next run could miss
             * (a register settles what a dead run left, docs/register.md) */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)
                _exit(1);
            close(fd[0]);
            for (int j = 0; j < k; j++)
                close(fds[j]);
            cadre_diags mine;
            cadre_diags_init(&mine, 20);
            cadre_error e = write_some(t, b, dir, (size_t)k, (size_t)jobs, &mine);
            send_diags(fd[1], &mine, e);
            cadre_diags_release(&mine);
            /* The child's copy of the font set holds fontconfig's state:
             * release it, as the parent will its own (valgrind runs the
             * tests); everything else goes with _exit(). */
            cadre_pdf_fonts_free(t->fonts);
            _exit(e == CADRE_OK ? 0 : 1);
        }
        close(fd[1]);
        pids[k] = pid;
        fds[k] = fd[0];
        started++;
    }
    if (err != CADRE_OK)
        cadre_diags_error(diags, NULL, 0, "cannot start %d processes: %s", jobs,
                          strerror(errno));
    for (int k = 0; k < started; k++) {
        cadre_error e = receive_diags(fds[k], diags);
        int status = 0;
        while (waitpid(pids[k], &status, 0) < 0 && errno == EINTR)
            ;
        if (e == CADRE_OK && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            cadre_diags_error(diags, NULL, 0,
                              "a process writing certificates died");
            e = CADRE_EIO;
        }
        if (err == CADRE_OK)
            err = e;
    }
    free(pids);
    free(fds);
    return err;
}

cadre_error cadre_cert_write_files(const cadre_cert_tmpl *t,
                                   const cadre_cert_batch *b,
                                   const char *dir, int jobs,
                                   cadre_diags *diags)
{
    /* A folder this run made goes again when the run fails before
     * writing anything in it; rmdir() keeps one that holds certificates
     * completed before the failure. */
    bool made = mkdir(dir, 0777) == 0;
    cadre_error err = write_files(t, b, dir, jobs, diags);
    if (err != CADRE_OK && made)
        rmdir(dir);
    return err;
}
