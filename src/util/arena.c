/* arena.c - see arena.h. */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "arena.h"
#include "bigmem.h"

#define BLOCK_SIZE (1024 * 1024)

struct arena_block {
    arena_block *next;        /* the block filled before this one */
    size_t mapped;            /* its size from bigmem_alloc(), or 0 */
    alignas(max_align_t) char data[];
};

void arena_init(arena *a) { memset(a, 0, sizeof *a); }

void arena_release(arena *a)
{
    for (arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        if (b->mapped)
            bigmem_free(b, b->mapped);
        else
            free(b);
    }
    arena_init(a);
}

void *arena_alloc(arena *a, size_t n)
{
    size_t align = alignof(max_align_t);
    size_t start = (a->used + align - 1) & ~(align - 1);
    if (!a->head || start + n > a->size) {
        /* A string larger than a block gets a block of its own, kept
         * behind the current one so the current one goes on filling. */
        size_t size = n > BLOCK_SIZE / 4 ? n : BLOCK_SIZE;
        arena_block *b;
        if (size == BLOCK_SIZE && a->head) {
            /* an arena past its first block holds a province: its strings
             * are read at random (the keys of the maps), on huge pages */
            size = BIGMEM_PAGE - sizeof *b;
            if ((b = bigmem_alloc(BIGMEM_PAGE)))
                b->mapped = BIGMEM_PAGE;
        } else if ((b = malloc(sizeof *b + size))) {
            b->mapped = 0;
        }
        if (!b)
            return NULL;
        if (size != BLOCK_SIZE && !b->mapped && a->head) {
            b->next = a->head->next;
            a->head->next = b;
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        a->size = size;
        start = 0;
    }
    a->used = start + n;
    return a->head->data + start;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    /* Strings need no alignment: take bytes from the end of the block
     * without rounding when they fit. */
    char *p;
    if (a->head && a->used + len + 1 <= a->size) {
        p = a->head->data + a->used;
        a->used += len + 1;
    } else if (!(p = arena_alloc(a, len + 1))) {
        return NULL;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strndup_nfc(arena *a, const char *s, size_t len)
{
    if (cadre_text_is_nfc(s, len))
        return arena_strndup(a, s, len);
    size_t n;
    char *nfc = cadre_text_nfc(s, len, &n);
    char *kept = nfc ? arena_strndup(a, nfc, n) : NULL;
    free(nfc);
    return kept;
}
