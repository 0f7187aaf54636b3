/*
 * fuzz_util.h - what the libFuzzer harnesses share: the library reads
 * paths, not buffers, so each input is written to a file in a private
 * tmpfs directory (/dev/shm when there is one) and the path is passed on.
 */
#ifndef CADRE_FUZZ_UTIL_H
#define CADRE_FUZZ_UTIL_H

#define _XOPEN_SOURCE 700 /* nftw(); this header comes first in each harness */

#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_dir_path[64];

static inline int fuzz_remove(const char *path, const struct stat *st,
                              int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

/* Remove the private directory when the process exits: -fork mode runs
 * a process per job, and each would leave one behind in /dev/shm. */
static inline void fuzz_cleanup(void)
{
    if (fuzz_dir_path[0])
        nftw(fuzz_dir_path, fuzz_remove, 8, FTW_DEPTH | FTW_PHYS);
}

/* The private directory, made on first use and kept for the whole run
 * (one per process: libFuzzer's -fork and -jobs modes run several). */
static inline const char *fuzz_dir(void)
{
    if (!fuzz_dir_path[0]) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/cadre-fuzz-XXXXXX",
                 base);
        if (!mkdtemp(fuzz_dir_path))
            abort();
        atexit(fuzz_cleanup);
    }
    return fuzz_dir_path;
}

/* Write `size` bytes to `name` in the private directory; its path in
 * `path`.  Aborts on failure: a harness that cannot write is broken. */
static inline void fuzz_write(const char *name, const uint8_t *data, size_t size,
                       char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", fuzz_dir(), name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        abort();
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n <= 0)
            abort();
        data += n;
        size -= (size_t)n;
    }
    close(fd);
}

/* Find `sep` in data[0..size): its offset, or size when absent. */
static inline size_t fuzz_split(const uint8_t *data, size_t size, const char *sep)
{
    size_t n = strlen(sep);
    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, sep, n) == 0)
            return i;
    return size;
}

#endif
