/* strmap.c - see strmap.h. */
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "strmap.h"

/* Eight bytes at a time, each word mixed in by a multiply and the whole
 * finished by splitmix64's mixer: ids are 8 to 20 bytes, and a byte at a
 * time cost more than the lookups themselves.  Reads only the key's
 * bytes (the last word overlaps the one before it). */
static inline uint64_t word_at(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

uint32_t strmap_hash_len(const char *key, size_t len)
{
    const unsigned char *p = (const unsigned char *)key;
    uint64_t h = 0x9E3779B97F4A7C15u ^ len, w;
    if (len >= 8) {
        size_t i = 0;
        for (; i + 8 < len; i += 8)
            h = (h ^ word_at(p + i)) * 0xBF58476D1CE4E5B9u;
        w = word_at(p + len - 8);
    } else if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + len - 4, 4);
        w = a | (uint64_t)b << 32;
    } else {
        w = len ? p[0] | (uint64_t)p[len / 2] << 8 | (uint64_t)p[len - 1] << 16
                : 0;
    }
    h = (h ^ w) * 0xBF58476D1CE4E5B9u;
    h ^= h >> 31;
    h *= 0x94D049BB133111EBu;
    h ^= h >> 29;
    return (uint32_t)h;
}

uint32_t strmap_hash(const char *s) { return strmap_hash_len(s, strlen(s)); }

/* Tables of a province's ids (a million cadres: 32 MB) are read at
 * random: on huge pages (bigmem.h). */
static strmap_slot *slots_new(size_t cap)
{
    size_t bytes = cap * sizeof(strmap_slot);
    return bytes < BIGMEM_PAGE ? calloc(cap, sizeof(strmap_slot))
                               : bigmem_alloc(bytes);
}

static void slots_free(strmap_slot *slots, size_t cap)
{
    size_t bytes = cap * sizeof(strmap_slot);
    if (bytes < BIGMEM_PAGE)
        free(slots);
    else
        bigmem_free(slots, bytes);
}

void strmap_init(strmap *m) { memset(m, 0, sizeof *m); }

void strmap_release(strmap *m)
{
    if (m->slots)
        slots_free(m->slots, m->cap);
    strmap_init(m);
}

static strmap_slot *find(const strmap *m, const char *key, uint32_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
            return s;
    }
}

bool strmap_get_len(const strmap *m, const char *key, size_t len,
                    uint32_t hash, uint32_t *value)
{
    if (!m->cap)
        return false;
    size_t mask = m->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const strmap_slot *s = &m->slots[i];
        if (!s->key)
            return false;
        /* strncmp: a shorter key ends before `len` bytes */
        if (s->hash == hash && strncmp(s->key, key, len) == 0 &&
            s->key[len] == '\0') {
            *value = s->value;
            return true;
        }
    }
}

void strmap_prefetch(const strmap *m, uint32_t hash)
{
    if (m->cap)
        __builtin_prefetch(&m->slots[hash & (m->cap - 1)]);
}

bool strmap_get(const strmap *m, const char *key, uint32_t *value)
{
    return strmap_get_hashed(m, key, strmap_hash(key), value);
}

bool strmap_get_hashed(const strmap *m, const char *key, uint32_t hash,
                       uint32_t *value)
{
    if (!m->cap)
        return false;
    strmap_slot *s = find(m, key, hash);
    if (!s->key)
        return false;
    *value = s->value;
    return true;
}

/* Twice the slots, every key moved to its place in them. */
static int rehash(strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    strmap_slot *slots = slots_new(cap);
    if (!slots)
        return -1;
    strmap old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            *find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
    if (old.slots)
        slots_free(old.slots, old.cap);
    return 0;
}

int strmap_put(strmap *m, const char *key, uint32_t value, uint32_t *old)
{
    return strmap_put_hashed(m, key, strmap_hash(key), value, old);
}

int strmap_put_hashed(strmap *m, const char *key, uint32_t h, uint32_t value,
                      uint32_t *old)
{
    /* Keep the load under 1/2: probes stay short. */
    if ((m->count + 1) * 2 > m->cap && rehash(m) < 0)
        return -1;
    strmap_slot *s = find(m, key, h);
    if (s->key) {
        if (old)
            *old = s->value;
        return 0;
    }
    *s = (strmap_slot){key, h, value};
    m->count++;
    return 1;
}
