/*
 * grow.h (internal) - the one way arrays and text buffers grow in cadrekit:
 * doubling, so that appending n items costs O(n) in all.
 *
 *     if (!GROW(list->items, list->cap, list->count + 1))
 *         return CADRE_ENOMEM;
 *     list->items[list->count++] = item;
 */
#ifndef CADRE_GROW_H
#define CADRE_GROW_H

#include <stdbool.h>
#include <stdlib.h>

/* Make `*items` (of `*cap` elements of `size` bytes) hold at least `need`
 * elements, doubling from `first`.  False when out of memory; the array is
 * then unchanged. */
static inline bool grow(void **items, size_t *cap, size_t need, size_t size,
                        size_t first)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : first;
    while (n < need)
        n *= 2;
    void *p = realloc(*items, n * size);
    if (!p)
        return false;
    *items = p;
    *cap = n;
    return true;
}

#define GROW(arr, cap, need) \
    grow((void **)&(arr), &(cap), (need), sizeof *(arr), 16)

#endif
