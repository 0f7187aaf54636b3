/*
 * strmap.h (internal) - a hash map from borrowed strings to 32-bit values,
 * open addressing, for the ids of a province (a million cadres).
 */
#ifndef CADRE_STRMAP_H
#define CADRE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strmap_slot {
    const char *key; /* borrowed; NULL for an empty slot */
    uint32_t hash;   /* of key, to skip most string compares */
    uint32_t value;  /* what key maps to */
} strmap_slot;

typedef struct strmap {
    strmap_slot *slots; /* cap slots, on huge pages when large */
    size_t cap;   /* a power of two, or 0 */
    size_t count; /* keys held */
} strmap;

/* An empty map; strmap_release() frees its slots (not the keys, which
 * are borrowed) and leaves it empty again. */
void strmap_init(strmap *m);
void strmap_release(strmap *m);

/* Find `key`: true and its value in *value, or false. */
bool strmap_get(const strmap *m, const char *key, uint32_t *value);

/* Add `key` (borrowed: it must outlive the map) with `value` unless it is
 * there.  Returns 1 when added, 0 when the key was there (*old receives
 * its value), -1 when out of memory. */
int strmap_put(strmap *m, const char *key, uint32_t value, uint32_t *old);

/*
 * The same in two steps, for a map larger than the caches: the hash of a
 * key, and a hint to bring its slot in while other work goes on (a
 * province's million ids each cost a cache miss otherwise), then the
 * lookup or the insertion with that hash.  strmap_hash_len() hashes the
 * `len` bytes of a key not NUL-terminated (an attribute value in the
 * parser's buffer), as strmap_hash() hashes the same key terminated, and
 * strmap_get_len() finds it.
 */
uint32_t strmap_hash(const char *key);
uint32_t strmap_hash_len(const char *key, size_t len);
void strmap_prefetch(const strmap *m, uint32_t hash);
bool strmap_get_hashed(const strmap *m, const char *key, uint32_t hash,
                       uint32_t *value);
bool strmap_get_len(const strmap *m, const char *key, size_t len,
                    uint32_t hash, uint32_t *value);
int strmap_put_hashed(strmap *m, const char *key, uint32_t hash,
                      uint32_t value, uint32_t *old);

/* The key a lookup with `hash` meets first (NULL for an empty slot), to
 * ask for its bytes ahead once the slot is in (strmap_prefetch()). */
static inline const char *strmap_first_key(const strmap *m, uint32_t hash)
{
    return m->cap ? m->slots[hash & (m->cap - 1)].key : NULL;
}

#endif
