/* register_write.c - the files of an issue (cadre_register_issue): the
 * folder, the PDFs written under pending names and hashed, their hashes
 * stored and the PDFs moved into place (register_draw.h). */
#define _GNU_SOURCE /* syncfs */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "register_draw.h"

/* The folder `dir`, made when missing, as an absolute path in is->dir. */
cadre_error reg_prepare_dir(struct issue *is, bool *made)
{
    const char *dir = is->o->dir;
    *made = mkdir(dir, 0777) == 0;
    struct stat st;
    if (!*made && errno != EEXIST) {
        cadre_diags_error(is->diags, NULL, 0, "cannot create directory '%s': %s",
                          dir, strerror(errno));
        return CADRE_EIO;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cadre_diags_error(is->diags, NULL, 0, "'%s' is not a directory", dir);
        return CADRE_EIO;
    }
    if (!(is->dir = realpath(dir, NULL))) {
        cadre_diags_error(is->diags, NULL, 0, "cannot use directory '%s': %s",
                          dir, strerror(errno));
        return CADRE_EIO;
    }
    return CADRE_OK;
}

/* Write the certificates marked `render` under their pending names, and
 * hash each. */
cadre_error reg_write_round(struct issue *is)
{
    cadre_cert_batch sub = *is->b;
    size_t *map = malloc((is->b->n ? is->b->n : 1) * sizeof *map);
    sub.certs = malloc((is->b->n ? is->b->n : 1) * sizeof *sub.certs);
    sub.n = 0;
    cadre_error err = map && sub.certs ? CADRE_OK : CADRE_ENOMEM;
    for (size_t i = 0; i < is->b->n && !err; i++) {
        if (!is->slots[i].render)
            continue;
        /* a shallow copy: the batch keeps owning every string but the
         * pending name */
        sub.certs[sub.n] = is->b->certs[i];
        sub.certs[sub.n].file_name = reg_pending_name(is->b->certs[i].file_name,
                                                      is->reg->run);
        if (!sub.certs[sub.n].file_name)
            err = CADRE_ENOMEM;
        map[sub.n++] = i;
    }
    if (err == CADRE_ENOMEM)
        cadre_diags_error(is->diags, NULL, 0, "out of memory");
    if (!err && sub.n)
        err = cadre_cert_write_files(is->t, &sub, is->dir,
                                     is->o->jobs > 0 ? is->o->jobs : 1,
                                     is->diags);
    for (size_t k = 0; k < sub.n; k++) {
        char *path = reg_join(is->dir, sub.certs[k].file_name);
        if (!err && (!path ||
                     cadre_register_hash_file(path, is->slots[map[k]].hash,
                                              is->diags) != CADRE_OK))
            err = CADRE_EIO;
        free(path);
        free(sub.certs[k].file_name);
    }
    free(sub.certs);
    free(map);
    return err;
}

/* Store the hash of every PDF the register did not have, then move every
 * PDF written into place. */
cadre_error reg_store_and_move(struct issue *is)
{
    /* the PDFs reach the disk before the register says they are there */
    int fd = open(is->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        syncfs(fd);
        close(fd);
    }
    cadre_error err = reg_begin(is->reg, is->diags);
    sqlite3_stmt *st = err ? NULL : reg_prepare(
        is->reg, "UPDATE entry SET sha256 = ?, file_name = ?, dir = ? "
                 "WHERE id = ?", is->diags);
    if (!err && !st)
        err = CADRE_EIO;
    for (size_t i = 0; i < is->b->n && !err; i++) {
        const struct slot *s = &is->slots[i];
        if (s->existing && !s->imported)
            continue;
        reg_bind_text(st, 1, s->hash);
        reg_bind_text(st, 2, is->b->certs[i].file_name);
        reg_bind_text(st, 3, is->dir);
        sqlite3_bind_int64(st, 4, s->id);
        if (!reg_step_done(is, st))
            err = CADRE_EIO;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    err = err ? (reg_rollback(is->reg), err) : reg_commit(is->reg, is->diags);
    for (size_t i = 0; i < is->b->n && !err; i++) {
        const char *name = is->b->certs[i].file_name;
        char *pending = reg_pending_name(name, is->reg->run);
        char *from = pending ? reg_join(is->dir, pending) : NULL;
        char *to = reg_join(is->dir, name);
        if (!from || !to) {
            cadre_diags_error(is->diags, NULL, 0, "out of memory");
            err = CADRE_ENOMEM;
        } else if (rename(from, to) != 0) {
            cadre_diags_error(is->diags, NULL, 0, "cannot write '%s': %s", to,
                              strerror(errno));
            err = CADRE_EIO;
        }
        free(pending);
        free(from);
        free(to);
    }
    if ((fd = open(is->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        syncfs(fd);
        close(fd);
    }
    return err;
}
