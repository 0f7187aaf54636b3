/* strmap.c - see strmap.h. */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

/* FNV-1a: ids are short, and this is cheap and good enough for them. */
static uint32_t hash_of(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void strmap_init(strmap *m) { memset(m, 0, sizeof *m); }

void strmap_release(strmap *m)
{
    free(m->slots);
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

bool strmap_get(const strmap *m, const char *key, uint32_t *value)
{
    if (!m->cap)
        return false;
    strmap_slot *s = find(m, key, hash_of(key));
    if (!s->key)
        return false;
    *value = s->value;
    return true;
}

static int grow(strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    strmap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    strmap old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            *find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
    free(old.slots);
    return 0;
}

int strmap_put(strmap *m, const char *key, uint32_t value, uint32_t *old)
{
    /* Keep the load under 1/2: probes stay short. */
    if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
        return -1;
    uint32_t h = hash_of(key);
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
