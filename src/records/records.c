/* records.c - the record model and its streaming loader (records.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/arena.h"
#include "cadre/records.h"
#include "cadre/text.h"
#include "util/grow.h"
#include "util/strmap.h"
#include "xmlsafe.h"

/* The format nests 4 deep; a little room lets an unknown element inside a
 * leaf be named as such, and beyond that the nesting itself is the error. */
#define MAX_DEPTH 8

/* A reference to a record not yet read (it may be in a later file). */
typedef struct pending_ref {
    uint8_t kind;   /* REF_* */
    uint32_t index; /* the referring unit, cadre or participant */
    uint32_t hash;  /* of id, in its map (strmap_hash()) */
    const char *id; /* the id referred to */
} pending_ref;

enum { REF_PARENT, REF_UNIT, REF_CADRE };

struct cadre_records_internal {
    arena strings;            /* every string of the records */
    strmap units, cadres, courses; /* id -> index */
    strmap certificates;      /* certificate-no -> participant index */
    strmap interned;          /* repeated texts (ethnicity, position) */
    const char **interned_texts; /* ... indexed by the map's values */
    size_t n_interned, cap_interned;
    size_t cap_units, cap_cadres, cap_courses, cap_participants;
    pending_ref *pending;     /* references to resolve in finish */
    size_t n_pending, cap_pending;
    uint32_t as_of_file, issuer_file, place_file; /* who set them */
    uint32_t signer_file, signer_title_file;
    size_t cap_files, cap_file_errors; /* of recs->files, file_errors */
    size_t *file_errors;      /* errors per file */
    size_t errors;            /* errors in all files */
};

/* Room for one more record. */
#define RESERVE(arr, cap, count) GROW(arr, cap, (count) + 1)

cadre_records *cadre_records_new(void)
{
    cadre_records *r = calloc(1, sizeof *r);
    if (!r || !(r->in = calloc(1, sizeof *r->in))) {
        free(r);
        return NULL;
    }
    arena_init(&r->in->strings);
    r->in->as_of_file = r->in->issuer_file = r->in->place_file = CADRE_NONE;
    r->in->signer_file = r->in->signer_title_file = CADRE_NONE;
    return r;
}

void cadre_records_free(cadre_records *r)
{
    if (!r)
        return;
    if (r->in) {
        arena_release(&r->in->strings);
        strmap_release(&r->in->units);
        strmap_release(&r->in->cadres);
        strmap_release(&r->in->courses);
        strmap_release(&r->in->certificates);
        strmap_release(&r->in->interned);
        free(r->in->interned_texts);
        free(r->in->pending);
        free(r->in->file_errors);
        free(r->in);
    }
    for (size_t i = 0; i < r->n_files; i++)
        free(r->files[i]);
    free(r->files);
    free(r->units);
    free(r->cadres);
    free(r->courses);
    free(r->participants);
    free(r);
}

/*
 * The elements of the format.  The loader keeps the element open at each
 * depth and checks each new one against its parent.
 */
typedef enum elem {
    E_NONE, E_RECORDS, E_UNITS, E_CADRES, E_COURSES, E_UNIT, E_CADRE, E_COURSE,
    /* children of <cadre>, in the order of their bits in cadre_seen */
    E_FULL_NAME, E_GENDER, E_BIRTH_DATE, E_ETHNICITY, E_POSITION, E_CATEGORY,
    E_EDUCATION, E_POLITICAL_THEORY, E_STATE_MANAGEMENT, E_PARTY_MEMBER,
    /* children of <course> */
    E_TITLE, E_ORGANIZER, E_LOCATION, E_SIGNER, E_PARTICIPANT,
    E_UNKNOWN
} elem;

static const char *const elem_names[] = {
    [E_NONE] = "", [E_RECORDS] = "records", [E_UNITS] = "units",
    [E_CADRES] = "cadres", [E_COURSES] = "courses", [E_UNIT] = "unit",
    [E_CADRE] = "cadre", [E_COURSE] = "course", [E_FULL_NAME] = "full-name",
    [E_GENDER] = "gender", [E_BIRTH_DATE] = "birth-date",
    [E_ETHNICITY] = "ethnicity", [E_POSITION] = "position",
    [E_CATEGORY] = "category", [E_EDUCATION] = "education",
    [E_POLITICAL_THEORY] = "political-theory",
    [E_STATE_MANAGEMENT] = "state-management",
    [E_PARTY_MEMBER] = "party-member", [E_TITLE] = "title",
    [E_ORGANIZER] = "organizer", [E_LOCATION] = "location",
    [E_SIGNER] = "signer", [E_PARTICIPANT] = "participant",
    [E_UNKNOWN] = "?",
};

/* The parent each element of the format has; a name met under another
 * parent is an unknown element there. */
static const elem parent_of[E_UNKNOWN] = {
    [E_RECORDS] = E_NONE, [E_UNITS] = E_RECORDS, [E_CADRES] = E_RECORDS,
    [E_COURSES] = E_RECORDS, [E_UNIT] = E_UNITS, [E_CADRE] = E_CADRES,
    [E_COURSE] = E_COURSES,
    [E_FULL_NAME] = E_CADRE, [E_GENDER] = E_CADRE, [E_BIRTH_DATE] = E_CADRE,
    [E_ETHNICITY] = E_CADRE, [E_POSITION] = E_CADRE, [E_CATEGORY] = E_CADRE,
    [E_EDUCATION] = E_CADRE, [E_POLITICAL_THEORY] = E_CADRE,
    [E_STATE_MANAGEMENT] = E_CADRE, [E_PARTY_MEMBER] = E_CADRE,
    [E_TITLE] = E_COURSE, [E_ORGANIZER] = E_COURSE, [E_LOCATION] = E_COURSE,
    [E_SIGNER] = E_COURSE, [E_PARTICIPANT] = E_COURSE,
};

/* The attributes of the format. */
typedef enum attr_name {
    A_VERSION, A_AS_OF, A_ISSUER, A_PLACE, A_SIGNER, A_SIGNER_TITLE,
    A_ID, A_NAME, A_LEVEL, A_PARENT, A_UNIT, A_LEADER,
    A_TYPE, A_MODE, A_START, A_END,
    A_CADRE, A_STATUS, A_GRADE, A_SCORE, A_CERTIFICATE_NO, A_ISSUED,
    A_SINCE, A_TITLE, A_GOVERNING_BODY,
    A_COUNT /* not an attribute of the format */
} attr_name;

static const char *const attr_names[A_COUNT] = {
    [A_VERSION] = "version",
    [A_AS_OF] = "as-of",
    [A_ISSUER] = "issuer",
    [A_PLACE] = "place",
    [A_SIGNER] = "signer",
    [A_SIGNER_TITLE] = "signer-title",
    [A_ID] = "id",
    [A_NAME] = "name",
    [A_LEVEL] = "level",
    [A_PARENT] = "parent",
    [A_UNIT] = "unit",
    [A_LEADER] = "leader",
    [A_TYPE] = "type",
    [A_MODE] = "mode",
    [A_START] = "start",
    [A_END] = "end",
    [A_CADRE] = "cadre",
    [A_STATUS] = "status",
    [A_GRADE] = "grade",
    [A_SCORE] = "score",
    [A_CERTIFICATE_NO] = "certificate-no",
    [A_ISSUED] = "issued",
    [A_SINCE] = "since",
    [A_TITLE] = "title",
    [A_GOVERNING_BODY] = "governing-body",
};

/* The attributes each element may carry, as bits (1 << attr_name). */
#define ABIT(a) (1u << (a))
static const uint32_t allowed_attrs[E_UNKNOWN] = {
    [E_RECORDS] = ABIT(A_VERSION) | ABIT(A_AS_OF) | ABIT(A_ISSUER) |
                  ABIT(A_PLACE) | ABIT(A_SIGNER) | ABIT(A_SIGNER_TITLE),
    [E_UNIT] = ABIT(A_ID) | ABIT(A_NAME) | ABIT(A_LEVEL) | ABIT(A_PARENT),
    [E_CADRE] = ABIT(A_ID) | ABIT(A_UNIT) | ABIT(A_LEADER),
    [E_COURSE] = ABIT(A_ID) | ABIT(A_TYPE) | ABIT(A_MODE) | ABIT(A_START) |
                 ABIT(A_END),
    [E_PARTICIPANT] = ABIT(A_CADRE) | ABIT(A_STATUS) | ABIT(A_GRADE) |
                      ABIT(A_SCORE) | ABIT(A_CERTIFICATE_NO) | ABIT(A_ISSUED),
    [E_PARTY_MEMBER] = ABIT(A_SINCE),
    [E_SIGNER] = ABIT(A_TITLE),
    [E_ORGANIZER] = ABIT(A_GOVERNING_BODY),
};

/* A cadre's required children. */
#define BIT(e) (1u << ((e) - E_FULL_NAME))
static const unsigned cadre_required =
    BIT(E_FULL_NAME) | BIT(E_GENDER) | BIT(E_BIRTH_DATE) | BIT(E_CATEGORY) |
    BIT(E_EDUCATION) | BIT(E_POLITICAL_THEORY);
static const unsigned course_required = BIT(E_TITLE) | BIT(E_ORGANIZER);

/*
 * Names by the reader's pointer.  The reader gives a name as the same
 * pointer all through a parse (xmlsafe.h): each name met is looked up by
 * its text once, then found by its pointer in a small open-addressed
 * table.  One table for element and attribute names alike ("title" is
 * both, and one pointer).
 */
#define NAME_SLOTS 256                 /* a power of two */
#define NAME_SLOTS_USED (NAME_SLOTS / 2) /* then names are not kept: only
                                            a hostile file has so many */
typedef struct name_slot {
    const char *ptr; /* the reader's pointer; NULL for a free slot */
    uint8_t elem;    /* the element of that name, or E_UNKNOWN */
    uint8_t attr;    /* the attribute of that name, or A_COUNT */
} name_slot;

/* Cadre references of participants, looked up a few participants later
 * than read, their map slots asked for meanwhile (the map of a million
 * cadres misses the cache on each lookup).  A power of two. */
#define REFS_AHEAD 8

typedef struct ref_ahead {
    uint32_t participant; /* its index */
    uint32_t hash;        /* of id (strmap_hash_len()) */
    uint8_t len;          /* of id, 1 to 64 */
    char id[64];          /* the cadre id, as written (valid_id()) */
} ref_ahead;

/* The state of loading one file. */
typedef struct loader {
    cadre_records *recs;
    struct cadre_records_internal *in;
    const char *path;        /* as given, for messages */
    uint32_t file;           /* index in recs->files */
    cadre_diags *diags;
    size_t errors;           /* errors in this file */
    bool gave_up;            /* too many errors: stop */
    elem open[MAX_DEPTH + 1];/* the element open at each depth */
    name_slot names[NAME_SLOTS]; /* names met (name_of()) */
    size_t n_names;          /* slots used */
    name_slot unkept_name;   /* the last name met once the table is full */
    const cadre_xml_attr *attr[A_COUNT]; /* the current element's, by name
                                            (take_attrs()) ... */
    uint32_t attrs_given;    /* ... those given, as ABIT()s */
    char *scratch;           /* an attribute value to tidy, writable */
    size_t scratch_cap;
    int skip_depth;          /* in an unknown element at this depth, or -1 */
    cadre_cadre cadre;       /* the cadre being read */
    const char *cadre_unit;  /* its unit's id, until resolved */
    uint32_t cadre_hash;     /* of its id, in the cadres' map */
    unsigned seen;           /* children of the current cadre or course */
    uint32_t course;         /* index of the course being read */
    ref_ahead ahead[REFS_AHEAD]; /* participants' cadres not looked up */
    size_t ahead_in, ahead_out;  /* references put in, and looked up */
} loader;

/* A name met for the first time, at free slot `i`: looked up by its text,
 * and kept while the table has room.  Out of line, so that name_of()
 * stays a few instructions. */
__attribute__((noinline)) static const name_slot *
new_name(loader *L, const char *ptr, size_t i)
{
    name_slot *k = L->n_names < NAME_SLOTS_USED ? &L->names[i]
                                                : &L->unkept_name;
    if (k != &L->unkept_name)
        L->n_names++;
    *k = (name_slot){ptr, E_UNKNOWN, A_COUNT};
    for (elem e = E_RECORDS; e < E_UNKNOWN; e++)
        if (strcmp(elem_names[e], ptr) == 0)
            k->elem = (uint8_t)e;
    for (attr_name a = 0; a < A_COUNT; a++)
        if (strcmp(attr_names[a], ptr) == 0)
            k->attr = (uint8_t)a;
    return k;
}

/* The name at `ptr`: which element and attribute of the format it is. */
static inline const name_slot *name_of(loader *L, const char *ptr)
{
    size_t i = (size_t)(((uint64_t)(uintptr_t)ptr * 0x9E3779B97F4A7C15u) >> 56);
    while (L->names[i].ptr) {
        if (L->names[i].ptr == ptr)
            return &L->names[i];
        i = (i + 1) & (NAME_SLOTS - 1);
    }
    return new_name(L, ptr, i);
}

static void data_error(loader *L, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void data_error(loader *L, unsigned long line, const char *fmt, ...)
{
    if (L->gave_up)
        return;
    L->errors++;
    va_list ap;
    va_start(ap, fmt);
    cadre_diags_vadd(L->diags, CADRE_SEV_ERROR, L->path, line, fmt, ap);
    va_end(ap);
    /* The list keeps CADRE_DIAGS_PER_FILE errors a file, then says it
     * gives up: so does the loader. */
    L->gave_up = L->diags ? cadre_diags_full(L->diags, L->path)
                          : L->errors > CADRE_DIAGS_PER_FILE;
}

static void out_of_memory(loader *L, unsigned long line)
{
    data_error(L, line, "out of memory");
    L->gave_up = true;
}

static void data_warning(loader *L, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void data_warning(loader *L, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cadre_diags_vadd(L->diags, CADRE_SEV_WARNING, L->path, line, fmt, ap);
    va_end(ap);
}

/* NFC in the arena (`nfc`: known to be NFC already); NULL when out of
 * memory. */
static const char *keep_nfc(loader *L, const char *s, size_t len, bool nfc)
{
    return nfc ? arena_strndup(&L->in->strings, s, len)
               : arena_strndup_nfc(&L->in->strings, s, len);
}

/* Tidy text in place as the format reads it (records.md, "Text"): white
 * space collapsed, the look-alikes Ð and ð read as Đ and đ with a warning
 * naming `e` (and `attr`, for an attribute).  Returns the new length;
 * *nfc tells whether the text is known to be NFC. */
static size_t tidy(loader *L, char *s, size_t len, elem e, const char *attr,
                   unsigned long line, bool *nfc)
{
    unsigned folded;
    len = cadre_text_tidy(s, len, &folded);
    *nfc = !(folded & CADRE_TIDY_NFC_UNKNOWN);
    folded &= ~(unsigned)CADRE_TIDY_NFC_UNKNOWN;
    static const struct {
        unsigned bit;
        const char *from, *to;
    } lookalikes[] = {
        {CADRE_TIDY_ETH, "'Ð' (U+00D0)", "'Đ' (U+0110)"},
        {CADRE_TIDY_SMALL_ETH, "'ð' (U+00F0)", "'đ' (U+0111)"},
    };
    for (size_t i = 0; folded && i < sizeof lookalikes / sizeof *lookalikes;
         i++) {
        if (!(folded & lookalikes[i].bit))
            continue;
        if (attr)
            data_warning(L, line, "%s read as %s in attribute '%s' of <%s>",
                 lookalikes[i].from, lookalikes[i].to, attr, elem_names[e]);
        else
            data_warning(L, line, "%s read as %s in <%s>", lookalikes[i].from,
                 lookalikes[i].to, elem_names[e]);
    }
    return len;
}

/* Text as the records keep it: tidied, NFC, in the arena.  "" when
 * nothing is left of it; NULL when out of memory (reported). */
static const char *take_text(loader *L, char *s, size_t len, elem e,
                             const char *attr, unsigned long line)
{
    bool nfc;
    len = tidy(L, s, len, e, attr, line, &nfc);
    if (len == 0)
        return "";
    const char *k = keep_nfc(L, s, len, nfc);
    if (!k)
        out_of_memory(L, line);
    return k;
}

/* take_text() of an attribute's value, which lies in the parser's buffer:
 * kept from there when it is tidy already, else tidied in a copy. */
static const char *take_attr_text(loader *L, const cadre_xml_attr *a, elem e,
                                  unsigned long line)
{
    bool nfc;
    if (cadre_text_is_tidy(a->value, a->len, &nfc)) {
        if (a->len == 0)
            return "";
        const char *k = keep_nfc(L, a->value, a->len, nfc);
        if (!k)
            out_of_memory(L, line);
        return k;
    }
    if (!GROW(L->scratch, L->scratch_cap, a->len + 1)) {
        out_of_memory(L, line);
        return NULL;
    }
    memcpy(L->scratch, a->value, a->len);
    return take_text(L, L->scratch, a->len, e, a->name, line);
}

/* Texts that repeat across a province (ethnicities, positions) are kept
 * once: the map's value indexes in->interned_texts.  NULL when nothing is
 * left of the text, or out of memory (reported). */
static const char *take_interned(loader *L, char *s, size_t len, elem e,
                                 unsigned long line)
{
    struct cadre_records_internal *in = L->in;
    uint32_t i;
    /* the text as written, when it is one already kept: tidy, and NFC */
    if (strmap_get_len(&in->interned, s, len, strmap_hash_len(s, len), &i))
        return in->interned_texts[i];
    bool nfc;
    len = tidy(L, s, len, e, NULL, line, &nfc);
    if (len == 0)
        return NULL;
    if (strmap_get_len(&in->interned, s, len, strmap_hash_len(s, len), &i))
        return in->interned_texts[i];
    const char *k = keep_nfc(L, s, len, nfc);
    if (!k) {
        out_of_memory(L, line);
        return NULL;
    }
    if (strmap_get(&in->interned, k, &i)) /* it was not in NFC */
        return in->interned_texts[i];
    if (!RESERVE(in->interned_texts, in->cap_interned, in->n_interned))
        return k;
    if (strmap_put(&in->interned, k, (uint32_t)in->n_interned, NULL) > 0)
        in->interned_texts[in->n_interned++] = k;
    return k;
}

static bool is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

/* Codes, dates and ids in element text may be surrounded by white space. */
static const char *trim(char *s, size_t *len)
{
    size_t n = *len;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
        n--;
    s[n] = '\0';
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++, n--;
    *len = n;
    return s;
}

/* The bytes of an id: A-Z a-z 0-9 . _ - */
static const bool id_byte[256] = {
    ['-'] = 1, ['.'] = 1, ['_'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

#define MAX_ID 64

static bool valid_id(const char *s, size_t len)
{
    if (len < 1 || len > MAX_ID)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!id_byte[(unsigned char)s[i]])
            return false;
    return true;
}

/* An id attribute, checked: true, or false after an error. */
static bool check_id(loader *L, const cadre_xml_attr *a, unsigned long line)
{
    if (valid_id(a->value, a->len))
        return true;
    data_error(L, line, "invalid id '%.*s' (1 to 64 of A-Z a-z 0-9 . _ -)",
               (int)a->len, a->value);
    return false;
}

/* A copy of id `s` in the arena, or NULL when out of memory (reported). */
static const char *keep_id(loader *L, const char *s, size_t len,
                           unsigned long line)
{
    const char *id = arena_strndup(&L->in->strings, s, len);
    if (!id)
        out_of_memory(L, line);
    return id;
}

/* An id attribute: its kept copy, or NULL after an error. */
static const char *take_id(loader *L, const cadre_xml_attr *a,
                           unsigned long line)
{
    return check_id(L, a, line) ? keep_id(L, a->value, a->len, line) : NULL;
}

/* A code attribute or element text: its index, or -1 after an error. */
static int take_code(loader *L, cadre_code_kind kind, const char *what,
                     const char *value, size_t len, unsigned long line)
{
    int v = cadre_code_parse_len(kind, value, len);
    if (v < 0)
        data_error(L, line, "invalid %s '%.*s' (expected one of: %s)", what,
                   (int)len, value, cadre_code_list(kind));
    return v;
}

static bool take_date_attr(loader *L, const cadre_xml_attr *a,
                           unsigned long line, cadre_date *out)
{
    if (cadre_date_parse_len(a->value, a->len, 0, out) == 0)
        return true;
    data_error(L, line, "invalid date '%.*s' in '%s' (expected YYYY-MM-DD)",
               (int)a->len, a->value, a->name);
    return false;
}

static bool take_bool(loader *L, const cadre_xml_attr *a, unsigned long line,
                      bool *out)
{
    if ((a->len == 4 && memcmp(a->value, "true", 4) == 0) ||
        (a->len == 5 && memcmp(a->value, "false", 5) == 0)) {
        *out = a->value[0] == 't';
        return true;
    }
    data_error(L, line, "invalid %s '%.*s' (expected one of: true, false)",
               a->name, (int)a->len, a->value);
    return false;
}

/* A score as written: "0" to "10" with an optional '.' fraction, no
 * locale, no exponent, kept exactly as hundredths (docs/records.md: a
 * decimal, rounded on the digits written, never through a binary float).
 * SCORE_OK, or what is wrong: outside 0-10 (10.000001 is), or more than
 * two decimals. */
enum { SCORE_OK, SCORE_INVALID, SCORE_TOO_PRECISE };

static int parse_score(const char *s, size_t len, uint16_t *hundredths)
{
    const char *p = s, *end = s + len;
    unsigned whole = 0;
    if (p == end || *p < '0' || *p > '9')
        return SCORE_INVALID;
    for (; p < end && *p >= '0' && *p <= '9'; p++)
        if ((whole = whole * 10 + (unsigned)(*p - '0')) > 10)
            return SCORE_INVALID;
    unsigned frac = 0, decimals = 0;
    if (p < end && *p == '.') {
        if (p + 1 == end || p[1] < '0' || p[1] > '9')
            return SCORE_INVALID;
        for (p++; p < end && *p >= '0' && *p <= '9'; p++, decimals++) {
            if (whole == 10 && *p != '0')
                return SCORE_INVALID;
            if (decimals < 2)
                frac = frac * 10 + (unsigned)(*p - '0');
        }
    }
    if (p < end)
        return SCORE_INVALID;
    if (decimals > 2)
        return SCORE_TOO_PRECISE;
    if (decimals == 1)
        frac *= 10;
    *hundredths = (uint16_t)(whole * 100 + frac);
    return SCORE_OK;
}

static void add_pending(loader *L, uint8_t kind, uint32_t index,
                        const char *id, uint32_t hash, unsigned long line)
{
    struct cadre_records_internal *in = L->in;
    if (!RESERVE(in->pending, in->cap_pending, in->n_pending)) {
        out_of_memory(L, line);
        return;
    }
    in->pending[in->n_pending++] = (pending_ref){kind, index, hash, id};
}

/* Look up the oldest participant's cadre put ahead; one not loaded yet
 * (in a later file, or further down) is left for cadre_records_finish(). */
static void resolve_ahead(loader *L)
{
    const ref_ahead *r = &L->ahead[L->ahead_out++ % REFS_AHEAD];
    cadre_records *recs = L->recs;
    uint32_t cadre;
    if (strmap_get_len(&L->in->cadres, r->id, r->len, r->hash, &cadre)) {
        recs->participants[r->participant].cadre = cadre;
        return;
    }
    unsigned long line = recs->participants[r->participant].src.line;
    const char *id = keep_id(L, r->id, r->len, line);
    if (id)
        add_pending(L, REF_CADRE, r->participant, id, r->hash, line);
}

/* Put participant `index`'s cadre id ahead: its slot in the cadres' map
 * is asked for now, the key that slot holds half a ring later, and the
 * lookup made a ring later. */
static void put_ahead(loader *L, uint32_t index, const cadre_xml_attr *a)
{
    if (L->ahead_in - L->ahead_out == REFS_AHEAD)
        resolve_ahead(L);
    ref_ahead *r = &L->ahead[L->ahead_in++ % REFS_AHEAD];
    r->participant = index;
    r->len = (uint8_t)a->len;
    memcpy(r->id, a->value, a->len);
    r->hash = strmap_hash_len(a->value, a->len);
    strmap_prefetch(&L->in->cadres, r->hash);
    if (L->ahead_in - L->ahead_out > REFS_AHEAD / 2) {
        const ref_ahead *q =
            &L->ahead[(L->ahead_in - 1 - REFS_AHEAD / 2) % REFS_AHEAD];
        const char *key = strmap_first_key(&L->in->cadres, q->hash);
        if (key)
            __builtin_prefetch(key);
    }
}

/* Every reference put ahead looked up: at the end of a course (nothing
 * else adds a reference meanwhile, so they are left for finish in file
 * order) and of a file. */
static void resolve_all_ahead(loader *L)
{
    while (L->ahead_out != L->ahead_in)
        resolve_ahead(L);
}

/* Where the record of a kind with index i was read. */
typedef cadre_source source_of(const cadre_records *r, uint32_t i);

/* Add an id (its hash: strmap_hash()) to its map, or report it as a
 * duplicate. */
static void register_id(loader *L, strmap *map, const char *kind,
                        const char *id, uint32_t hash, uint32_t index,
                        source_of *first_of, unsigned long line)
{
    uint32_t old;
    int r = strmap_put_hashed(map, id, hash, index, &old);
    if (r < 0) {
        out_of_memory(L, line);
    } else if (r == 0) {
        cadre_source s = first_of(L->recs, old);
        data_error(L, line, "duplicate %s id '%s' (first at %s:%u)", kind, id,
            L->recs->files[s.file], s.line);
    }
}

static cadre_source unit_src(const cadre_records *r, uint32_t i)
{
    return r->units[i].src;
}
static cadre_source cadre_src(const cadre_records *r, uint32_t i)
{
    return r->cadres[i].src;
}
static cadre_source course_src(const cadre_records *r, uint32_t i)
{
    return r->courses[i].src;
}
static cadre_source participant_src(const cadre_records *r, uint32_t i)
{
    return r->participants[i].src;
}

/* Take the attributes of an element: each one it may carry
 * (allowed_attrs) is L->attr[name] and its bit in L->attrs_given; any
 * other one is reported. */
static void take_attrs(loader *L, elem e, const cadre_xml_attr *attrs,
                       size_t n, unsigned long line)
{
    uint32_t allowed = allowed_attrs[e], given = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned a = name_of(L, attrs[i].name)->attr;
        if (a < A_COUNT && (allowed & ABIT(a))) {
            L->attr[a] = &attrs[i];
            given |= ABIT(a);
        } else {
            data_error(L, line, "unknown attribute '%s' on <%s>",
                       attrs[i].name, elem_names[e]);
        }
    }
    L->attrs_given = given;
}

/* An attribute take_attrs() took, or NULL when it was not given. */
static inline const cadre_xml_attr *attr_of(const loader *L, attr_name name)
{
    return L->attrs_given & ABIT(name) ? L->attr[name] : NULL;
}

/* A required attribute, or NULL after "missing attribute". */
static const cadre_xml_attr *need_attr(loader *L, elem e, attr_name name,
                                       unsigned long line)
{
    const cadre_xml_attr *a = attr_of(L, name);
    if (!a)
        data_error(L, line, "missing attribute '%s' on <%s>", attr_names[name],
            elem_names[e]);
    return a;
}

/* One of the root's optional attributes; every file must agree. */
static void root_text(loader *L, attr_name name, const char **field,
                      uint32_t *set_by, unsigned long line)
{
    const cadre_xml_attr *a = attr_of(L, name);
    if (!a)
        return;
    const char *v = take_attr_text(L, a, E_RECORDS, line);
    if (!v || !*v) {
        return; /* out of memory (reported), or nothing said */
    } else if (*field && strcmp(*field, v) != 0) {
        data_error(L, line, "%s '%s' disagrees with '%s' given in %s", a->name,
                   v, *field, L->recs->files[*set_by]);
    } else if (!*field) {
        *field = v;
        *set_by = L->file;
    }
}

static void start_records(loader *L, unsigned long line)
{
    cadre_records *r = L->recs;
    const cadre_xml_attr *v = need_attr(L, E_RECORDS, A_VERSION, line);
    if (v && !(v->len == 1 && v->value[0] == '1'))
        data_error(L, line, "unsupported records version '%.*s' (expected 1)",
            (int)v->len, v->value);
    const cadre_xml_attr *a = attr_of(L, A_AS_OF);
    cadre_date d;
    if (a && take_date_attr(L, a, line, &d)) {
        if (cadre_date_is_set(r->as_of) && cadre_date_compare(d, r->as_of)) {
            char was[CADRE_DATE_TEXT_MAX];
            cadre_date_format_iso(r->as_of, was, sizeof was);
            data_error(L, line, "as-of '%.*s' disagrees with '%s' given in %s",
                (int)a->len, a->value, was, r->files[L->in->as_of_file]);
        } else if (!cadre_date_is_set(r->as_of)) {
            r->as_of = d;
            L->in->as_of_file = L->file;
        }
    }
    root_text(L, A_ISSUER, &r->issuer, &L->in->issuer_file, line);
    root_text(L, A_PLACE, &r->place, &L->in->place_file, line);
    root_text(L, A_SIGNER, &r->signer, &L->in->signer_file, line);
    root_text(L, A_SIGNER_TITLE, &r->signer_title, &L->in->signer_title_file,
              line);
}

static void start_unit(loader *L, unsigned long line)
{
    cadre_records *r = L->recs;
    cadre_unit u = {.id = "", .name = "", .parent = CADRE_NONE,
                    .src = {L->file, (uint32_t)line}};
    const cadre_xml_attr *a, *id_attr = NULL;
    const char *id = NULL;
    if ((a = need_attr(L, E_UNIT, A_ID, line)) && (id = take_id(L, a, line)))
        id_attr = a;
    if ((a = need_attr(L, E_UNIT, A_NAME, line))) {
        const char *name = take_attr_text(L, a, E_UNIT, line);
        if (name && !*name)
            data_error(L, line, "empty attribute 'name' on <unit>");
        else if (name)
            u.name = name;
    }
    if ((a = need_attr(L, E_UNIT, A_LEVEL, line))) {
        int v = take_code(L, CADRE_CODE_LEVEL, "level", a->value, a->len,
                          line);
        u.level = v < 0 ? 0 : (uint8_t)v;
    }
    if (!RESERVE(r->units, L->in->cap_units, r->n_units)) {
        out_of_memory(L, line);
        return;
    }
    uint32_t index = (uint32_t)r->n_units;
    if (id) {
        u.id = id;
        register_id(L, &L->in->units, "unit", id,
                    strmap_hash_len(id, id_attr->len), index, unit_src, line);
    }
    if ((a = attr_of(L, A_PARENT))) {
        const char *parent = take_id(L, a, line);
        if (parent)
            add_pending(L, REF_PARENT, index, parent,
                        strmap_hash_len(parent, a->len), line);
    }
    r->units[r->n_units++] = u;
}

static void start_cadre(loader *L, unsigned long line)
{
    memset(&L->cadre, 0, sizeof L->cadre);
    L->cadre.id = "";
    L->cadre.unit = CADRE_NONE;
    L->cadre.state_management = CADRE_QLNN_CHUA_DAO_TAO;
    L->cadre.src = (cadre_source){L->file, (uint32_t)line};
    L->cadre_unit = NULL;
    L->seen = 0;
    const cadre_xml_attr *a;
    if ((a = need_attr(L, E_CADRE, A_ID, line))) {
        const char *id = take_id(L, a, line);
        if (id) {
            /* its slot in the map of a million cadres is a cache miss:
             * asked for now, used when the cadre ends */
            L->cadre.id = id;
            L->cadre_hash = strmap_hash_len(id, a->len);
            strmap_prefetch(&L->in->cadres, L->cadre_hash);
        }
    }
    if ((a = need_attr(L, E_CADRE, A_UNIT, line)) && check_id(L, a, line)) {
        uint32_t u;
        if (strmap_get_len(&L->in->units, a->value, a->len,
                           strmap_hash_len(a->value, a->len), &u))
            L->cadre.unit = u;
        else
            L->cadre_unit = keep_id(L, a->value, a->len, line);
    }
    if ((a = attr_of(L, A_LEADER)))
        take_bool(L, a, line, &L->cadre.leader);
}

static void end_cadre(loader *L, unsigned long line)
{
    cadre_records *r = L->recs;
    unsigned missing = cadre_required & ~L->seen;
    for (elem e = E_FULL_NAME; missing && e <= E_PARTY_MEMBER; e++)
        if (missing & BIT(e))
            data_error(L, line, "missing element <%s> in <cadre>",
                       elem_names[e]);
    if (!RESERVE(r->cadres, L->in->cap_cadres, r->n_cadres)) {
        out_of_memory(L, line);
        return;
    }
    uint32_t index = (uint32_t)r->n_cadres;
    if (*L->cadre.id)
        register_id(L, &L->in->cadres, "cadre", L->cadre.id, L->cadre_hash,
                    index, cadre_src, line);
    if (L->cadre_unit)
        add_pending(L, REF_UNIT, index, L->cadre_unit,
                    strmap_hash(L->cadre_unit), line);
    r->cadres[r->n_cadres++] = L->cadre;
}

static void start_course(loader *L, unsigned long line)
{
    cadre_records *r = L->recs;
    cadre_course c = {.id = "", .title = "", .organizer = "",
                      .mode = CADRE_MODE_NONE,
                      .first = (uint32_t)r->n_participants,
                      .src = {L->file, (uint32_t)line}};
    L->seen = 0;
    const cadre_xml_attr *a, *id_attr = NULL;
    const char *id = NULL;
    if ((a = need_attr(L, E_COURSE, A_ID, line)) && (id = take_id(L, a, line)))
        id_attr = a;
    if ((a = need_attr(L, E_COURSE, A_TYPE, line))) {
        int v = take_code(L, CADRE_CODE_COURSE_TYPE, "type", a->value, a->len,
                          line);
        c.type = v < 0 ? CADRE_COURSE_KHAC : (uint8_t)v;
    }
    if ((a = attr_of(L, A_MODE))) {
        int v = take_code(L, CADRE_CODE_MODE, "mode", a->value, a->len, line);
        c.mode = v < 0 ? CADRE_MODE_NONE : (uint8_t)v;
    }
    bool dates = true;
    if ((a = need_attr(L, E_COURSE, A_START, line)))
        dates &= take_date_attr(L, a, line, &c.start);
    else
        dates = false;
    if ((a = need_attr(L, E_COURSE, A_END, line)))
        dates &= take_date_attr(L, a, line, &c.end);
    else
        dates = false;
    if (dates && cadre_date_compare(c.start, c.end) > 0) {
        char s[CADRE_DATE_TEXT_MAX], e[CADRE_DATE_TEXT_MAX];
        cadre_date_format_iso(c.start, s, sizeof s);
        cadre_date_format_iso(c.end, e, sizeof e);
        data_error(L, line, "course '%s' starts on %s, after it ends on %s",
            id ? id : "", s, e);
    }
    if (!RESERVE(r->courses, L->in->cap_courses, r->n_courses)) {
        out_of_memory(L, line);
        return;
    }
    L->course = (uint32_t)r->n_courses;
    if (id) {
        c.id = id;
        register_id(L, &L->in->courses, "course", id,
                    strmap_hash_len(id, id_attr->len), L->course, course_src,
                    line);
    }
    r->courses[r->n_courses++] = c;
}

static void end_course(loader *L, unsigned long line)
{
    cadre_course *c = &L->recs->courses[L->course];
    unsigned missing = course_required & ~L->seen;
    for (elem e = E_TITLE; missing && e <= E_SIGNER; e++)
        if (missing & BIT(e))
            data_error(L, line, "missing element <%s> in <course>",
                       elem_names[e]);
    c->count = (uint32_t)(L->recs->n_participants - c->first);
    resolve_all_ahead(L);
}

/* A participant's certificate number: kept, and added to the numbers of
 * every file (`hash`: of the value as written, when that is the number
 * kept, else 0). */
static const char *take_certificate(loader *L, const cadre_xml_attr *a,
                                    bool as_written, uint32_t hash,
                                    uint32_t index, unsigned long line)
{
    const char *no;
    if (as_written) {
        if (!(no = keep_id(L, a->value, a->len, line)))
            return NULL;
    } else {
        no = take_attr_text(L, a, E_PARTICIPANT, line);
        if (no && !*no)
            data_error(L, line,
                       "empty attribute 'certificate-no' on <participant>");
        if (!no || !*no)
            return NULL;
        hash = strmap_hash(no);
    }
    cadre_records *r = L->recs;
    uint32_t old;
    int added = strmap_put_hashed(&L->in->certificates, no, hash, index, &old);
    if (added < 0) {
        out_of_memory(L, line);
    } else if (added == 0) {
        cadre_source s = participant_src(r, old);
        data_error(L, line,
            "duplicate certificate number '%s' (first at %s:%u)", no,
            r->files[s.file], s.line);
    }
    return no;
}

static void start_participant(loader *L, unsigned long line)
{
    cadre_records *r = L->recs;
    cadre_participant p = {.cadre = CADRE_NONE, .course = L->course,
                           .grade = CADRE_GRADE_NONE,
                           .src = {L->file, (uint32_t)line}};
    uint32_t index = (uint32_t)r->n_participants;
    const cadre_xml_attr *a, *cadre_ref = NULL;
    /* A certificate number is a random slot in a province-sized map:
     * asked for now, when it is kept as written (as nearly all are). */
    const cadre_xml_attr *cert = attr_of(L, A_CERTIFICATE_NO);
    bool nfc, cert_as_written = cert && cert->len &&
                                cadre_text_is_tidy(cert->value, cert->len,
                                                   &nfc) && nfc;
    uint32_t cert_hash = 0;
    if (cert_as_written) {
        cert_hash = strmap_hash_len(cert->value, cert->len);
        strmap_prefetch(&L->in->certificates, cert_hash);
    }
    /* The cadre is looked up a few participants later (put_ahead()). */
    if ((a = need_attr(L, E_PARTICIPANT, A_CADRE, line)) && check_id(L, a, line))
        cadre_ref = a;
    int status = -1;
    if ((a = need_attr(L, E_PARTICIPANT, A_STATUS, line)))
        status = take_code(L, CADRE_CODE_STATUS, "status", a->value, a->len,
                           line);
    p.status = status < 0 ? CADRE_STATUS_ENROLLED : (uint8_t)status;
    if ((a = attr_of(L, A_GRADE))) {
        int g = take_code(L, CADRE_CODE_GRADE, "grade", a->value, a->len,
                          line);
        if (g >= 0) {
            p.grade = (uint8_t)g;
            if (status >= 0 && status != CADRE_STATUS_COMPLETED)
                data_error(L, line,
                    "grade '%.*s' given with status '%s' (a grade needs "
                    "status 'completed')",
                    (int)a->len, a->value,
                    cadre_code_name(CADRE_CODE_STATUS, status));
        }
    }
    if ((a = attr_of(L, A_SCORE))) {
        int why = parse_score(a->value, a->len, &p.score_hundredths);
        p.has_score = why == SCORE_OK;
        if (why == SCORE_INVALID)
            data_error(L, line, "invalid score '%.*s' (a decimal from 0 to 10)",
                (int)a->len, a->value);
        else if (why == SCORE_TOO_PRECISE)
            data_error(L, line, "invalid score '%.*s' (at most two decimals)",
                (int)a->len, a->value);
    }
    if ((a = attr_of(L, A_ISSUED)))
        take_date_attr(L, a, line, &p.issued);
    if (cert)
        p.certificate_no = take_certificate(L, cert, cert_as_written,
                                            cert_hash, index, line);
    if (!RESERVE(r->participants, L->in->cap_participants,
                 r->n_participants)) {
        out_of_memory(L, line);
        return;
    }
    r->participants[r->n_participants++] = p;
    if (cadre_ref)
        put_ahead(L, index, cadre_ref);
}

/* Leaf elements: their attributes, and each at most once. */
static void start_leaf(loader *L, elem e, unsigned long line)
{
    elem parent = L->open[2];
    if (L->seen & BIT(e))
        data_error(L, line, "duplicate element <%s> in <%s>", elem_names[e],
            elem_names[parent]);
    L->seen |= BIT(e);
    const cadre_xml_attr *a;
    if (e == E_PARTY_MEMBER) {
        L->cadre.party_member = true;
        if ((a = attr_of(L, A_SINCE)))
            take_date_attr(L, a, line, &L->cadre.party_since);
    } else if (e == E_SIGNER && (a = attr_of(L, A_TITLE))) {
        const char *t = take_attr_text(L, a, e, line);
        if (t && *t)
            L->recs->courses[L->course].signer_title = t;
    } else if (e == E_ORGANIZER && (a = attr_of(L, A_GOVERNING_BODY))) {
        const char *t = take_attr_text(L, a, e, line);
        if (t && *t)
            L->recs->courses[L->course].governing_body = t;
    }
}

static inline int on_start(loader *L, const char *name,
                           const cadre_xml_attr *attrs, size_t n,
                           unsigned long line, int depth)
{
    if (L->skip_depth >= 0)
        return 0;
    elem parent = depth ? L->open[depth - 1] : E_NONE;
    elem e = name_of(L, name)->elem;
    if (e != E_UNKNOWN && parent_of[e] != parent)
        e = E_UNKNOWN;
    L->open[depth] = e;
    if (e == E_UNKNOWN) {
        if (depth == 0) {
            data_error(L, line, "root element is <%s>, expected <records>",
                       name);
            return 1;
        }
        data_error(L, line, "unknown element <%s> in <%s>", name,
            elem_names[parent]);
        L->skip_depth = depth;
        return L->gave_up;
    }
    take_attrs(L, e, attrs, n, line);
    switch (e) {
    case E_RECORDS: start_records(L, line); break;
    case E_UNIT: start_unit(L, line); break;
    case E_CADRE: start_cadre(L, line); break;
    case E_COURSE: start_course(L, line); break;
    case E_PARTICIPANT: start_participant(L, line); break;
    case E_UNITS: case E_CADRES: case E_COURSES: break;
    default: start_leaf(L, e, line); break;
    }
    return L->gave_up;
}

/* Required text of a leaf: NULL after "empty <x>". */
static const char *need_text(loader *L, elem e, char *text, size_t len,
                             unsigned long line)
{
    const char *k = take_text(L, text, len, e, NULL, line);
    if (k && !*k) {
        data_error(L, line, "empty <%s>", elem_names[e]);
        return NULL;
    }
    return k;
}

/* The code list of each coded child of <cadre>, and its field. */
static const struct {
    cadre_code_kind kind;
    size_t offset;
} cadre_codes[E_UNKNOWN] = {
    [E_GENDER] = {CADRE_CODE_GENDER, offsetof(cadre_cadre, gender)},
    [E_CATEGORY] = {CADRE_CODE_CATEGORY, offsetof(cadre_cadre, category)},
    [E_EDUCATION] = {CADRE_CODE_EDUCATION, offsetof(cadre_cadre, education)},
    [E_POLITICAL_THEORY] = {CADRE_CODE_POLITICAL_THEORY,
                            offsetof(cadre_cadre, political_theory)},
    [E_STATE_MANAGEMENT] = {CADRE_CODE_STATE_MANAGEMENT,
                            offsetof(cadre_cadre, state_management)},
};

static void end_cadre_field(loader *L, elem e, char *text, size_t len,
                            unsigned long line)
{
    cadre_cadre *c = &L->cadre;
    const char *name = elem_names[e];
    switch (e) {
    case E_FULL_NAME:
        if ((text = (char *)need_text(L, e, text, len, line)))
            c->full_name = text;
        return;
    case E_ETHNICITY:
    case E_POSITION:
        *(e == E_ETHNICITY ? &c->ethnicity : &c->position) =
            take_interned(L, text, len, e, line);
        return;
    case E_PARTY_MEMBER:
        if (!is_blank(text, len))
            data_error(L, line, "unexpected text in <%s>", name);
        return;
    default:
        break;
    }
    /* The rest are codes and dates. */
    const char *v = trim(text, &len);
    if (!len) {
        data_error(L, line, "empty <%s>", name);
    } else if (e == E_BIRTH_DATE) {
        if (cadre_date_parse_len(v, len, CADRE_DATE_YEAR_OK, &c->birth) < 0)
            data_error(L, line,
                "invalid date '%s' in <%s> (expected YYYY-MM-DD or YYYY)", v,
                name);
    } else {
        int code = take_code(L, cadre_codes[e].kind, name, v, len, line);
        if (code >= 0)
            *((uint8_t *)c + cadre_codes[e].offset) = (uint8_t)code;
    }
}

static void end_course_field(loader *L, elem e, char *text, size_t len,
                             unsigned long line)
{
    cadre_course *c = &L->recs->courses[L->course];
    switch (e) {
    case E_TITLE: {
        const char *t = need_text(L, e, text, len, line);
        if (t)
            c->title = t;
        break;
    }
    case E_ORGANIZER: {
        const char *t = need_text(L, e, text, len, line);
        if (t)
            c->organizer = t;
        break;
    }
    case E_LOCATION:
    case E_SIGNER: {
        const char *t = take_text(L, text, len, e, NULL, line);
        if (t && *t)
            *(e == E_LOCATION ? &c->location : &c->signer) = t;
        break;
    }
    default:
        break;
    }
}

static inline int on_end(loader *L, char *text, size_t len,
                         unsigned long line, int depth)
{
    if (L->skip_depth >= 0) {
        if (depth == L->skip_depth)
            L->skip_depth = -1;
        return 0;
    }
    elem e = L->open[depth];
    switch (e) {
    case E_RECORDS: case E_UNITS: case E_CADRES: case E_COURSES:
    case E_UNIT: case E_PARTICIPANT: case E_CADRE: case E_COURSE:
        if (len && !is_blank(text, len))
            data_error(L, line, "unexpected text in <%s>", elem_names[e]);
        if (e == E_CADRE)
            end_cadre(L, line);
        else if (e == E_COURSE)
            end_course(L, line);
        break;
    default:
        if (e >= E_FULL_NAME && e <= E_PARTY_MEMBER)
            end_cadre_field(L, e, text, len, line);
        else
            end_course_field(L, e, text, len, line);
        break;
    }
    return L->gave_up;
}

/* libxml2's events, taken here with the reader's checks inlined
 * (xmlsafe.h): a province's file has ten million elements. */
static void sax_start(void *ctx, const xmlChar *localname,
                      const xmlChar *prefix, const xmlChar *uri,
                      int nb_namespaces, const xmlChar **namespaces,
                      int nb_attributes, int nb_defaulted,
                      const xmlChar **attributes)
{
    cadre_xml_reader *r = ctx;
    (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    cadre_xml_elem *e = cadre_xml_enter(r, localname, prefix, uri,
                                        nb_attributes, attributes);
    if (e && on_start(r->user, e->name, r->attrs, r->n_attrs, e->line,
                      r->depth - 1))
        cadre_xml_stop(r);
}

static void sax_end(void *ctx, const xmlChar *localname,
                    const xmlChar *prefix, const xmlChar *uri)
{
    cadre_xml_reader *r = ctx;
    (void)localname, (void)prefix, (void)uri;
    cadre_xml_elem *e = cadre_xml_leave(r);
    if (e && on_end(r->user, e->text, e->len, e->line, r->depth))
        cadre_xml_stop(r);
}

cadre_error cadre_records_load(cadre_records *recs, const char *path,
                               cadre_diags *diags)
{
    struct cadre_records_internal *in = recs->in;
    bool room = GROW(recs->files, in->cap_files, recs->n_files + 1) &&
                GROW(in->file_errors, in->cap_file_errors, recs->n_files + 1);
    char *copy = room ? strdup(path) : NULL;
    loader *L = copy ? calloc(1, sizeof *L) : NULL;
    if (!L) {
        free(copy);
        cadre_diags_error(diags, NULL, 0, "out of memory reading '%s'", path);
        return CADRE_ENOMEM;
    }
    *L = (loader){.recs = recs, .in = in, .path = path,
                  .file = (uint32_t)recs->n_files, .diags = diags,
                  .skip_depth = -1};
    recs->files[recs->n_files++] = copy;
    cadre_xml_sax sax = {.user = L, .start = sax_start, .end = sax_end};
    size_t before = diags ? diags->errors : 0;
    cadre_error err = cadre_xml_read(path, &sax, MAX_DEPTH, diags);
    resolve_all_ahead(L);
    size_t found = diags ? diags->errors - before : L->errors;
    in->file_errors[L->file] = found;
    in->errors += found;
    bool errors = L->errors || found;
    free(L->scratch);
    free(L);
    if (err == CADRE_EIO) {
        /* Nothing was read: forget the file. */
        free(recs->files[--recs->n_files]);
        return err;
    }
    if (err == CADRE_OK && errors)
        err = CADRE_EINVALID;
    return err;
}

/* The map a reference looks in. */
static const strmap *map_of(const struct cadre_records_internal *in,
                            const pending_ref *p)
{
    return p->kind == REF_CADRE ? &in->cadres : &in->units;
}

/* Resolve the references left for later and report those that point
 * nowhere.  The maps of a province are larger than the caches: each
 * reference's slot is asked for a few references ahead, and the key it
 * holds a little later, so that the lookups do not wait on memory. */
static void resolve(cadre_records *r, cadre_diags *diags)
{
    enum { SLOT_AHEAD = 16, KEY_AHEAD = 8 };
    struct cadre_records_internal *in = r->in;
    for (size_t i = 0; i < in->n_pending; i++) {
        if (i + SLOT_AHEAD < in->n_pending) {
            const pending_ref *q = &in->pending[i + SLOT_AHEAD];
            strmap_prefetch(map_of(in, q), q->hash);
        }
        if (i + KEY_AHEAD < in->n_pending) {
            const pending_ref *q = &in->pending[i + KEY_AHEAD];
            const strmap *m = map_of(in, q);
            if (m->cap)
                __builtin_prefetch(m->slots[q->hash & (m->cap - 1)].key);
        }
        pending_ref *p = &in->pending[i];
        uint32_t found;
        bool known = strmap_get_hashed(map_of(in, p), p->id, p->hash, &found);
        cadre_source src;
        switch (p->kind) {
        case REF_PARENT:
            if (known) {
                r->units[p->index].parent = found;
                continue;
            }
            src = r->units[p->index].src;
            cadre_diags_error(diags, r->files[src.file], src.line,
                              "unit '%s' refers to unknown parent unit '%s'",
                              r->units[p->index].id, p->id);
            break;
        case REF_UNIT:
            if (known) {
                r->cadres[p->index].unit = found;
                continue;
            }
            src = r->cadres[p->index].src;
            cadre_diags_error(diags, r->files[src.file], src.line,
                              "cadre '%s' refers to unknown unit '%s'",
                              r->cadres[p->index].id, p->id);
            break;
        default:
            if (known) {
                r->participants[p->index].cadre = found;
                continue;
            }
            src = r->participants[p->index].src;
            cadre_diags_error(diags, r->files[src.file], src.line,
                              "participant refers to unknown cadre '%s'",
                              p->id);
            break;
        }
        in->errors++;
    }
    free(in->pending);
    in->pending = NULL;
    in->n_pending = in->cap_pending = 0;
}

/* Units nest a few levels in a district (huyện, phòng, trường); a chain
 * of parents longer than this is refused, so that every module may walk
 * up from a unit, or down a tree, without a province-sized loop. */
#define MAX_UNIT_DEPTH 64

/* A unit may not be its own ancestor ("the units below it" must end),
 * nor sit more than MAX_UNIT_DEPTH levels down.  Each unit is walked
 * once: going up from it to the first unit whose depth is known, then
 * giving each unit of that path its depth on the way down. */
static cadre_error check_unit_tree(cadre_records *r, cadre_diags *diags)
{
    /* depth[u]: 0 not seen yet, 1.. its level, or one of these */
    enum { ON_PATH = UINT32_MAX - 2, BELOW_CYCLE, IN_CYCLE };
    size_t n = r->n_units;
    uint32_t *depth = calloc(n ? n : 1, sizeof *depth);
    uint32_t *path = malloc((n ? n : 1) * sizeof *path);
    if (!depth || !path) {
        free(depth);
        free(path);
        return CADRE_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        uint32_t u = (uint32_t)i;
        while (u != CADRE_NONE && depth[u] == 0) {
            depth[u] = ON_PATH;
            path[len++] = u;
            u = r->units[u].parent;
        }
        uint32_t d = u == CADRE_NONE ? 0 : depth[u];
        if (d == ON_PATH) { /* the path from u up came back to u */
            do
                depth[path[--len]] = IN_CYCLE;
            while (path[len] != u);
        }
        bool lost = d >= ON_PATH; /* above: a cycle, not a root */
        while (len--)
            depth[path[len]] = lost ? BELOW_CYCLE : ++d;
    }
    for (size_t i = 0; i < n; i++) {
        cadre_source s = r->units[i].src;
        if (depth[i] == IN_CYCLE)
            cadre_diags_error(diags, r->files[s.file], s.line,
                              "unit '%s' is its own ancestor", r->units[i].id);
        else if (depth[i] == MAX_UNIT_DEPTH + 1)
            cadre_diags_error(diags, r->files[s.file], s.line,
                              "unit '%s' is nested more than %d levels deep",
                              r->units[i].id, MAX_UNIT_DEPTH);
        else
            continue;
        r->in->errors++;
    }
    free(depth);
    free(path);
    return CADRE_OK;
}

/* One cadre at most once per course. */
static cadre_error check_participants(cadre_records *r, cadre_diags *diags)
{
    uint32_t *last = malloc((r->n_cadres ? r->n_cadres : 1) * sizeof *last);
    if (!last)
        return CADRE_ENOMEM;
    memset(last, 0xFF, r->n_cadres * sizeof *last);
    for (size_t c = 0; c < r->n_courses; c++) {
        const cadre_course *course = &r->courses[c];
        for (uint32_t i = course->first; i < course->first + course->count;
             i++) {
            const cadre_participant *p = &r->participants[i];
            if (p->cadre == CADRE_NONE)
                continue;
            uint32_t prev = last[p->cadre];
            if (prev != CADRE_NONE && prev >= course->first) {
                cadre_diags_error(diags, r->files[p->src.file], p->src.line,
                                  "cadre '%s' appears twice in course '%s' "
                                  "(first at line %u)",
                                  r->cadres[p->cadre].id, course->id,
                                  r->participants[prev].src.line);
                r->in->errors++;
            }
            last[p->cadre] = i;
        }
    }
    free(last);
    return CADRE_OK;
}

cadre_error cadre_records_finish(cadre_records *r, cadre_diags *diags)
{
    resolve(r, diags);
    if (check_unit_tree(r, diags) != CADRE_OK ||
        check_participants(r, diags) != CADRE_OK) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    return r->in->errors ? CADRE_EINVALID : CADRE_OK;
}

cadre_error cadre_records_load_all(cadre_records *recs,
                                   const char *const *paths, size_t n,
                                   cadre_diags *diags)
{
    cadre_error first = CADRE_OK;
    for (size_t i = 0; i < n; i++) {
        cadre_error err = cadre_records_load(recs, paths[i], diags);
        if (first == CADRE_OK)
            first = err;
    }
    /* Unreadable files stop here; data errors still get the cross-file
     * checks, so that every problem is reported in one run. */
    if (first == CADRE_EIO || first == CADRE_ENOMEM)
        return first;
    cadre_error err = cadre_records_finish(recs, diags);
    return first != CADRE_OK ? first : err;
}

static uint32_t find(const strmap *m, const char *id)
{
    uint32_t v;
    return strmap_get(m, id, &v) ? v : CADRE_NONE;
}

uint32_t cadre_records_find_unit(const cadre_records *r, const char *id)
{
    return find(&r->in->units, id);
}
uint32_t cadre_records_find_cadre(const cadre_records *r, const char *id)
{
    return find(&r->in->cadres, id);
}
uint32_t cadre_records_find_course(const cadre_records *r, const char *id)
{
    return find(&r->in->courses, id);
}

bool cadre_cadre_is_minority(const cadre_cadre *c)
{
    return c->ethnicity && strcasecmp(c->ethnicity, "Kinh") != 0;
}

bool cadre_course_runs_in(const cadre_course *c, int year)
{
    return c->start.year <= year && c->end.year >= year;
}

/* Sorting: keys computed once per cadre, then compared with memcmp. */
typedef struct sort_item {
    const uint8_t *key;
    size_t len;
    uint32_t index;
} sort_item;

static int compare_items(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

cadre_error cadre_records_sort_cadres(const cadre_records *r, uint32_t *idx,
                                      size_t n)
{
    sort_item *items = malloc((n ? n : 1) * sizeof *items);
    arena keys;
    arena_init(&keys);
    if (!items)
        return CADRE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const cadre_cadre *c = &r->cadres[idx[i]];
        uint8_t buf[512];
        size_t len = cadre_name_key(c->full_name, c->id, buf, sizeof buf);
        uint8_t *k = arena_alloc(&keys, len ? len : 1);
        if (!k) {
            arena_release(&keys);
            free(items);
            return CADRE_ENOMEM;
        }
        if (len <= sizeof buf)
            memcpy(k, buf, len);
        else
            cadre_name_key(c->full_name, c->id, k, len);
        items[i] = (sort_item){k, len, idx[i]};
    }
    qsort(items, n, sizeof *items, compare_items);
    for (size_t i = 0; i < n; i++)
        idx[i] = items[i].index;
    arena_release(&keys);
    free(items);
    return CADRE_OK;
}
