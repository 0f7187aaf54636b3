/*
 * import_ole.c - the compound file binary format ([MS-CFB]) read from
 * memory: header, FAT (through the DIFAT), directory, mini stream.  Every
 * chain is walked at most as many steps as the file has sectors, so a
 * loop in a damaged file ends.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "import_internal.h"
#include "import_ole.h"

#define MAX_OLE ((size_t)256 << 20) /* an .xls is small: more is hostile */
#define ENDOFCHAIN 0xFFFFFFFEu

typedef struct ole {
    unsigned char *data;
    size_t size;
    unsigned shift, mini_shift;
    size_t sector;          /* bytes per sector */
    uint32_t *fat;
    size_t n_fat;
    uint32_t *minifat;
    size_t n_minifat;
    unsigned char *dir;     /* the directory stream */
    size_t dir_len;
    unsigned char *mini;    /* the mini stream */
    size_t mini_len;
    uint32_t cutoff;
} ole;

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t u16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static const unsigned char *sector_at(const ole *o, uint32_t s)
{
    size_t off = ((size_t)s + 1) << o->shift;
    if (s >= ENDOFCHAIN - 2 || off + o->sector > o->size ||
        off < o->sector)
        return NULL;
    return o->data + off;
}

/* Read the chain from `start` of the FAT (or of the mini FAT, over the
 * mini stream) into a new buffer of at most `max` bytes. */
static unsigned char *read_chain(const ole *o, uint32_t start, size_t max,
                                 bool mini, size_t *len)
{
    size_t unit = mini ? (size_t)1 << o->mini_shift : o->sector;
    const uint32_t *fat = mini ? o->minifat : o->fat;
    size_t n_fat = mini ? o->n_minifat : o->n_fat;
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0, steps = 0;
    if (!GROW(buf, cap, 1))
        return NULL;
    for (uint32_t s = start; s != ENDOFCHAIN && n < max; s = fat[s]) {
        if (s >= n_fat || ++steps > n_fat) {
            free(buf);
            return NULL;
        }
        const unsigned char *src;
        if (mini) {
            size_t off = (size_t)s << o->mini_shift;
            src = off + unit <= o->mini_len ? o->mini + off : NULL;
        } else {
            src = sector_at(o, s);
        }
        if (!src) {
            free(buf);
            return NULL;
        }
        size_t take = max - n < unit ? max - n : unit;
        if (!GROW(buf, cap, n + take)) {
            free(buf);
            return NULL;
        }
        memcpy(buf + n, src, take);
        n += take;
    }
    *len = n;
    return buf;
}

static void ole_free(ole *o)
{
    free(o->data);
    free(o->fat);
    free(o->minifat);
    free(o->dir);
    free(o->mini);
}

/* The whole file into o->data: a compound file is read by sector
 * numbers, all over it. */
static bool read_whole(ole *o, const char *path, cadre_diags *diags)
{
    FILE *fp = fopen(path, "rb");
    struct stat st;
    if (!fp || fstat(fileno(fp), &st) != 0) {
        cadre_diags_error(diags, NULL, 0, "cannot open '%s': %s", path,
                          strerror(errno));
        if (fp)
            fclose(fp);
        return false;
    }
    if ((uint64_t)st.st_size > MAX_OLE || st.st_size < 512) {
        fclose(fp);
        cadre_diags_error(diags, path, 0, st.st_size < 512
                          ? "not a spreadsheet: a damaged compound file"
                          : "refused: a compound file over 256 MiB");
        return false;
    }
    o->size = (size_t)st.st_size;
    o->data = malloc(o->size);
    if (!o->data || fread(o->data, 1, o->size, fp) != o->size) {
        fclose(fp);
        free(o->data); /* a file cut short as it was read */
        o->data = NULL;
        cadre_diags_error(diags, NULL, 0, "cannot read '%s'", path);
        return false;
    }
    fclose(fp);
    return true;
}

/* The FAT from its sectors: 109 named in the header, more in the DIFAT
 * chain.  False when the file is damaged. */
static bool read_fat(ole *o)
{
    const unsigned char *h = o->data;
    size_t n_fat_sectors = u32(h + 0x2C);
    size_t per = o->sector / 4;
    size_t max_sectors = o->size / o->sector;
    if (n_fat_sectors > max_sectors)
        return false;
    o->n_fat = n_fat_sectors * per;
    o->fat = malloc((o->n_fat ? o->n_fat : 1) * sizeof *o->fat);
    if (!o->fat)
        return false;
    size_t got = 0;
    for (size_t i = 0; i < 109 && got < n_fat_sectors; i++, got++) {
        const unsigned char *s = sector_at(o, u32(h + 0x4C + 4 * i));
        if (!s)
            return false;
        for (size_t k = 0; k < per; k++)
            o->fat[got * per + k] = u32(s + 4 * k);
    }
    uint32_t difat = u32(h + 0x44);
    for (size_t steps = 0; got < n_fat_sectors && steps <= max_sectors;
         steps++) {
        const unsigned char *d = sector_at(o, difat);
        if (!d)
            return false;
        for (size_t i = 0; i + 1 < per && got < n_fat_sectors; i++, got++) {
            const unsigned char *s = sector_at(o, u32(d + 4 * i));
            if (!s)
                return false;
            for (size_t k = 0; k < per; k++)
                o->fat[got * per + k] = u32(s + 4 * k);
        }
        difat = u32(d + 4 * (per - 1));
    }
    return got == n_fat_sectors;
}

/* The mini FAT, when the header names one, and the mini stream (the root
 * entry's chain).  False when the file is damaged. */
static bool read_mini(ole *o)
{
    const unsigned char *h = o->data;
    if (u32(h + 0x40)) {
        size_t mf_len = 0;
        unsigned char *mf = read_chain(o, u32(h + 0x3C), o->size, false,
                                       &mf_len);
        if (!mf)
            return false;
        o->n_minifat = mf_len / 4;
        o->minifat = malloc((o->n_minifat ? o->n_minifat : 1) * 4);
        if (!o->minifat) {
            free(mf);
            return false;
        }
        for (size_t i = 0; i < o->n_minifat; i++)
            o->minifat[i] = u32(mf + 4 * i);
        free(mf);
    }
    uint64_t root_size = u32(o->dir + 0x78);
    if (root_size && o->n_minifat) {
        o->mini = read_chain(o, u32(o->dir + 0x74),
                             root_size < o->size ? (size_t)root_size : o->size,
                             false, &o->mini_len);
        if (!o->mini)
            return false;
    }
    return true;
}

static bool ole_load(ole *o, const char *path, cadre_diags *diags)
{
    memset(o, 0, sizeof *o);
    if (!read_whole(o, path, diags))
        return false;
    const unsigned char *h = o->data;
    o->shift = u16(h + 0x1E);
    o->mini_shift = u16(h + 0x20);
    bool ok = (o->shift == 9 || o->shift == 12) && o->mini_shift == 6;
    if (ok) {
        o->sector = (size_t)1 << o->shift;
        o->cutoff = u32(h + 0x38);
        ok = read_fat(o);
    }
    if (ok) {
        o->dir = read_chain(o, u32(h + 0x30), o->size, false, &o->dir_len);
        ok = o->dir && o->dir_len >= 128 && read_mini(o);
    }
    if (ok)
        return true;
    cadre_diags_error(diags, path, 0, "not a spreadsheet: a damaged "
                      "compound (OLE) file");
    ole_free(o);
    return false;
}

/* The directory entry named `name` (a stream), or NULL. */
static const unsigned char *find(const ole *o, const char *name)
{
    size_t want = strlen(name);
    for (size_t off = 0; off + 128 <= o->dir_len; off += 128) {
        const unsigned char *e = o->dir + off;
        size_t nlen = u16(e + 0x40);
        if (e[0x42] != 2 || nlen < 2 || nlen > 64 || (nlen / 2 - 1) != want)
            continue;
        bool same = true;
        for (size_t i = 0; i < want && same; i++) {
            uint16_t c = u16(e + 2 * i);
            char a = (char)(c < 128 ? c : 0);
            same = a && (a | 0x20) == (name[i] | 0x20);
        }
        if (same)
            return e;
    }
    return NULL;
}

int imp_ole_kind(const char *path, cadre_diags *diags)
{
    ole o;
    if (!ole_load(&o, path, diags))
        return IMP_OLE_OTHER;
    int kind = IMP_OLE_OTHER;
    if (find(&o, "EncryptionInfo") || find(&o, "EncryptedPackage"))
        kind = IMP_OLE_ENCRYPTED;
    else if (find(&o, "Workbook") || find(&o, "Book"))
        kind = IMP_OLE_XLS;
    else
        cadre_diags_error(diags, path, 0, "not a spreadsheet: a compound "
                          "(OLE) file that holds no workbook");
    ole_free(&o);
    return kind;
}

unsigned char *imp_ole_stream(const char *path, const char *name,
                              size_t *len, cadre_diags *diags)
{
    ole o;
    if (!ole_load(&o, path, diags))
        return NULL;
    const unsigned char *e = find(&o, name);
    unsigned char *buf = NULL;
    if (e) {
        uint64_t size = u32(e + 0x78);
        if (o.shift == 12)
            size |= (uint64_t)u32(e + 0x7C) << 32;
        if (size <= o.size) {
            bool mini = size < o.cutoff;
            buf = read_chain(&o, u32(e + 0x74), (size_t)size, mini, len);
            if (buf && *len < size) {
                free(buf);
                buf = NULL;
            }
        }
    }
    if (!buf)
        cadre_diags_error(diags, path, 0, "cannot read the %s stream of the "
                          "workbook", name);
    ole_free(&o);
    return buf;
}
