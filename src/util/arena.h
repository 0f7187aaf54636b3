/*
 * arena.h (internal) - a bump allocator for the many small strings of the
 * records: one malloc per megabyte instead of one per string, no header
 * per string, everything freed at once.
 */
#ifndef CADRE_ARENA_H
#define CADRE_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head; /* the block being filled; older ones follow */
    size_t used;       /* bytes used in head */
    size_t size;       /* bytes available in head */
} arena;

/* An empty arena; arena_release() frees every block at once and leaves
 * it empty again, ready for reuse. */
void arena_init(arena *a);
void arena_release(arena *a);

/* `n` bytes aligned for any object, or NULL when out of memory. */
void *arena_alloc(arena *a, size_t n);

/* A NUL-terminated copy of `len` bytes of `s`, or NULL. */
char *arena_strndup(arena *a, const char *s, size_t len);

/* The same in Unicode NFC (`s` valid UTF-8), or NULL when out of memory. */
char *arena_strndup_nfc(arena *a, const char *s, size_t len);

#endif
