/*
 * import.c - one import from start to end (import.h): the template, the
 * records the options name, every file read as one table, and the
 * records written only when nothing was wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/files.h"
#include "cadre/i18n.h"
#include "import_build.h"
#include "import_internal.h"

void cadre_import_options_init(cadre_import_options *o)
{
    memset(o, 0, sizeof *o);
    o->tmpl = "cadres";
}

char *cadre_import_find_shipped(const char *name)
{
    char rel[512];
    if (strchr(name, '/') || strlen(name) > 200)
        return NULL;
    snprintf(rel, sizeof rel, "templates/import/%s.xml", name);
    return cadre_data_find(rel);
}

/* A records file among the FILEs (`--records a.xml b.xml` leaves b.xml
 * there): XML, which no spreadsheet is. */
static bool is_xml(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char head[64];
    ssize_t n = read(fd, head, sizeof head - 1);
    close(fd);
    if (n <= 0)
        return false;
    head[n] = '\0';
    const char *p = head;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3;
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return strncmp(p, "<?xml", 5) == 0 || strncmp(p, "<records", 8) == 0;
}

static int worse(int a, int b) { return a > b ? a : b; }

/* The class of a failure while reading an input. */
static int read_class(cadre_error err)
{
    switch (err) {
    case CADRE_OK: return CADRE_IMPORT_OK;
    case CADRE_EIO:
    case CADRE_ENOTFOUND:
    case CADRE_ELIMIT:
    case CADRE_EPARSE: return CADRE_IMPORT_UNREADABLE;
    default: return CADRE_IMPORT_DATA;
    }
}

static imp_tmpl *load_template(const char *name, cadre_diags *diags,
                               int *status)
{
    char *shipped = access(name, F_OK) == 0 ? NULL
                                            : cadre_import_find_shipped(name);
    const char *path = shipped ? shipped : name;
    struct stat st;
    int why = access(path, R_OK) != 0 ? errno
              : stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? EISDIR : 0;
    imp_tmpl *t = NULL;
    if (why) {
        cadre_diags_error(diags, NULL, 0, "cannot open template '%s': %s",
                          name, strerror(why));
        *status = CADRE_IMPORT_UNREADABLE;
    } else if (!(t = imp_tmpl_load(path, diags))) {
        *status = CADRE_IMPORT_DATA;
    }
    free(shipped);
    return t;
}

cadre_error cadre_import_run(const cadre_import_options *opts,
                             const char *const *files, size_t n,
                             const char *out, cadre_diags *diags,
                             cadre_import_status *status_out)
{
    int status = CADRE_IMPORT_OK;
    cadre_error err = CADRE_OK;
    cadre_import_options o = *opts;
    imp_builder bd;
    bool have_bd = false;
    const char **sheets = calloc(n ? n : 1, sizeof *sheets);
    const char **recs = calloc(o.n_records + n + 1, sizeof *recs);
    imp_file *fs = calloc(n ? n : 1, sizeof *fs);
    imp_tmpl *t = NULL;
    if (!sheets || !recs || !fs) {
        err = CADRE_ENOMEM;
        goto out;
    }
    t = load_template(o.tmpl ? o.tmpl : "cadres", diags, &status);
    if (!t) {
        err = status == CADRE_IMPORT_UNREADABLE ? CADRE_EIO : CADRE_EINVALID;
        goto out;
    }
    bool parts = t->records == 1;
    if (parts && !o.course) {
        cadre_diags_error(diags, NULL, 0, "template '%s' reads participants: "
                          "give the course (--course ID) and the records "
                          "(--records FILE)", t->path);
        status = CADRE_IMPORT_UNREADABLE;
        err = CADRE_EINVALID;
        goto out;
    }
    if (!parts && o.course) {
        cadre_diags_error(diags, NULL, 0, "--course is for a participants "
                          "template (-t participants)");
        status = CADRE_IMPORT_UNREADABLE;
        err = CADRE_EINVALID;
        goto out;
    }
    /* records files named among the FILEs join --records */
    size_t n_sheets = 0, n_recs = 0;
    for (size_t i = 0; i < o.n_records; i++)
        recs[n_recs++] = o.records[i];
    for (size_t i = 0; i < n; i++) {
        if (parts && is_xml(files[i]))
            recs[n_recs++] = files[i];
        else
            sheets[n_sheets++] = files[i];
    }
    o.records = recs;
    o.n_records = n_recs;
    if (parts && !n_recs) {
        cadre_diags_error(diags, NULL, 0, "no records to match the "
                          "participants to (--records FILE)");
        status = CADRE_IMPORT_UNREADABLE;
        err = CADRE_EINVALID;
        goto out;
    }
    if (!n_sheets) {
        cadre_diags_error(diags, NULL, 0, "no spreadsheet to read");
        status = CADRE_IMPORT_UNREADABLE;
        err = CADRE_EINVALID;
        goto out;
    }
    have_bd = true;
    err = imp_builder_init(&bd, &o, diags);
    if (err == CADRE_OK && parts)
        err = imp_builder_course(&bd);
    if (err != CADRE_OK) {
        status = err == CADRE_EIO ? CADRE_IMPORT_UNREADABLE : CADRE_IMPORT_DATA;
        goto out;
    }
    for (size_t i = 0; i < n_sheets; i++) {
        imp_file *f = &fs[i];
        f->path = sheets[i];
        f->encoding = o.encoding;
        f->format = imp_sniff(f, diags);
        if (f->format == IMP_FMT_UNKNOWN || f->format == IMP_FMT_ZIP_OTHER) {
            status = worse(status, CADRE_IMPORT_UNREADABLE);
            continue;
        }
        imp_batch b;
        imp_batch_init(&b);
        b.on_rec = parts ? imp_builder_on_participant : imp_builder_on_cadre;
        b.on_restart = imp_builder_restart;
        b.ctx = &bd;
        imp_builder_begin_file(&bd, (uint32_t)i);
        cadre_error e = imp_table_read(t, f, o.sheet, &b, diags);
        status = worse(status, read_class(e));
        if (e == CADRE_ENOMEM) {
            imp_batch_release(&b);
            err = e;
            goto out;
        }
        if (b.skipped)
            cadre_diags_add(
                diags, CADRE_SEV_WARNING, f->path, 0,
                b.skipped == 1
                    ? CADRE_N_("%zu row skipped (totals, group headings, "
                               "notes, the footer)")
                    : CADRE_N_("%zu rows skipped (totals, group headings, "
                               "notes, the footer)"),
                b.skipped);
        imp_builder_end_file(&bd, &b, f);
        imp_batch_release(&b);
        arena_release(&b.mem);
    }
    cadre_error e = imp_builder_finish(&bd);
    if (e != CADRE_OK)
        status = worse(status, CADRE_IMPORT_DATA);
    if (e == CADRE_ENOMEM) {
        err = e;
        goto out;
    }
    if (status == CADRE_IMPORT_OK && !parts && !bd.out.n_cadres) {
        cadre_diags_error(diags, NULL, 0, "no cadre read: the table has no "
                          "data rows");
        status = CADRE_IMPORT_DATA;
    }
    if (status == CADRE_IMPORT_OK) {
        err = imp_write(&bd.out, out, diags);
        if (err != CADRE_OK)
            status = CADRE_IMPORT_DATA;
    } else {
        err = status == CADRE_IMPORT_UNREADABLE ? CADRE_EIO : CADRE_EINVALID;
    }
out:
    if (err == CADRE_ENOMEM) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        status = worse(status, CADRE_IMPORT_DATA);
    }
    if (have_bd)
        imp_builder_release(&bd);
    for (size_t i = 0; fs && i < n; i++)
        imp_file_release(&fs[i]);
    free(fs);
    free(sheets);
    free(recs);
    imp_tmpl_free(t);
    if (status_out)
        *status_out = (cadre_import_status)status;
    return err;
}

static int count_row(void *ctx, const imp_row *r)
{
    long *n = ctx;
    (void)r;
    (*n)++;
    return 0;
}

long cadre_import_scan(const char *path, const char *sheet,
                       cadre_import_encoding encoding, cadre_diags *diags)
{
    imp_file f;
    memset(&f, 0, sizeof f);
    f.path = path;
    f.encoding = encoding;
    f.format = imp_sniff(&f, diags);
    if (f.format == IMP_FMT_UNKNOWN || f.format == IMP_FMT_ZIP_OTHER)
        return -1;
    long n = 0;
    imp_sink sink = {&n, count_row};
    cadre_error err = imp_read(&f, sheet, &sink, diags);
    imp_file_release(&f);
    return err == CADRE_OK ? n : -1;
}
