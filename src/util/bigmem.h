/*
 * bigmem.h (internal) - memory for the province-sized parts of the records
 * (the id maps, the arena of strings), read at random: on huge pages where
 * the system has them, so that a lookup does not also miss the TLB (on a
 * virtual machine, dearer than the cache miss itself).
 */
#ifndef CADRE_BIGMEM_H
#define CADRE_BIGMEM_H

#include <stddef.h>

/* The size huge pages come in, and the least bigmem_alloc() is worth for. */
#define BIGMEM_PAGE ((size_t)2 << 20)

/* `bytes` of zeroed memory, aligned to BIGMEM_PAGE; NULL when out of
 * memory.  Free with bigmem_free() and the same `bytes`. */
void *bigmem_alloc(size_t bytes);
void bigmem_free(void *p, size_t bytes);

#endif
