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
#include <string.h>

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

/* A text that grows as it is appended to, for formulas, messages and
 * literals built piece by piece:
 *
 *     textbuf b = { 0 };
 *     textbuf_puts(&b, "SUM(");
 *     textbuf_add(&b, range, len);
 *     if (b.oom) ... ;            checked once, after the last append
 *     use(b.s);
 *     textbuf_release(&b);
 *
 * `s` is NUL-terminated once anything was appended (NULL before).  A
 * failed append sets `oom` and later appends do nothing, so the text is
 * never silently incomplete. */
typedef struct textbuf {
    char *s;    /* the text, NUL-terminated; NULL while empty */
    size_t len; /* bytes of text */
    size_t cap; /* bytes allocated */
    bool oom;   /* an append failed: the text is incomplete */
} textbuf;

static inline void textbuf_add(textbuf *b, const char *s, size_t len)
{
    if (b->oom)
        return;
    if (!GROW(b->s, b->cap, b->len + len + 1)) {
        b->oom = true;
        return;
    }
    memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
}

static inline void textbuf_puts(textbuf *b, const char *s)
{
    textbuf_add(b, s, strlen(s));
}

/* Free the text; `b` is empty again, ready for reuse. */
static inline void textbuf_release(textbuf *b)
{
    free(b->s);
    *b = (textbuf){ 0 };
}

#endif
