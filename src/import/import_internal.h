/*
 * import_internal.h (internal) - the parts of cadre-import and what they
 * tell each other.  Data flows one way:
 *
 *   reader (xlsx, ods, xls, csv)  -- rows of cells, text decoded -->
 *   table (headings, group, total and footer rows)  -- one record per
 *   data row, every field parsed -->  cadres or participants  -->  writer
 *
 * A reader decodes each text cell (rich-text runs joined, legacy fonts
 * decoded, white space collapsed, NFC) and fills merged cells with their
 * top-left value, marked as copies.  The table never sees a file format.
 */
#ifndef CADRE_IMPORT_INTERNAL_H
#define CADRE_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/date.h"
#include "cadre/error.h"
#include "cadre/import.h"
#include "cadre/records.h"
#include "util/arena.h"
#include "util/grow.h"

/* ---------------------------------------------------------------- limits */

/* Zip bombs: a part may inflate to at most this much, and when over
 * IMP_RATIO_FLOOR to at most IMP_MAX_RATIO times its compressed size
 * (import.md, Errors); checked on the sizes declared and as it inflates. */
#define IMP_MAX_PART ((uint64_t)512 << 20)
#define IMP_RATIO_FLOOR ((uint64_t)1 << 20)
#define IMP_MAX_RATIO 200
#define IMP_MAX_COLS 16384          /* Excel's; a cell beyond is an error */
#define IMP_MAX_ROWS 1048576        /* Excel's */
#define IMP_MAX_CELL_TEXT (64 * 1024) /* a cell's text, after decoding */
#define IMP_MAX_ERRORS 100          /* shown; the rest are counted */

/* ------------------------------------------------------------ text buffer */

typedef struct imp_buf {
    char *p;    /* the bytes, NUL-terminated when len > 0 or cap > 0 */
    size_t len; /* bytes used */
    size_t cap; /* bytes allocated */
} imp_buf;

/* Make room for `n` more bytes (and the NUL). */
static inline bool imp_buf_reserve(imp_buf *b, size_t n)
{
    return GROW(b->p, b->cap, b->len + n + 1);
}

static inline bool imp_buf_add(imp_buf *b, const void *s, size_t n)
{
    if (!imp_buf_reserve(b, n))
        return false;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return true;
}

static inline bool imp_buf_addc(imp_buf *b, char c)
{
    return imp_buf_add(b, &c, 1);
}

static inline void imp_buf_free(imp_buf *b)
{
    free(b->p);
    *b = (imp_buf){ 0 };
}

/* --------------------------------------------------------------- cells */

typedef enum imp_ctype {
    IMP_EMPTY = 0,
    IMP_TEXT,     /* text, cleaned (import_text.c) */
    IMP_NUMBER,   /* num */
    IMP_BOOL,     /* num is 0 or 1 */
    IMP_DATE,     /* date (ODS date-value, XLS date cells) */
    IMP_ERROR,    /* a formula error (#N/A): text holds it */
    IMP_NOCACHE   /* a formula without a cached value */
} imp_ctype;

/* Flags of a text: what cleaning found. */
enum {
    IMP_T_MOJIBAKE = 1, /* looks like UTF-8 read as Latin-1 ("Nguyá»…n") */
    IMP_T_LOOKALIKE = 2,/* Ð or ð read as Đ or đ */
    IMP_T_CONTROL = 4,  /* a control character was removed */
    IMP_T_TOO_LONG = 8  /* cut at IMP_MAX_CELL_TEXT */
};

typedef struct imp_cell {
    uint32_t col;      /* 0-based column */
    uint32_t line;     /* CSV: the line the field starts on; else 0 */
    uint32_t span;     /* columns this cell is merged over (1 or more), 0
                          when not known (an XLSX sheet's first pass) */
    uint8_t type;      /* enum imp_ctype */
    uint8_t flags;     /* IMP_T_* of its text */
    bool date_fmt;     /* a number shown as a date */
    bool copy;         /* the top-left value of the merged cell it is in */
    double num;        /* IMP_NUMBER, IMP_BOOL */
    cadre_date date;   /* IMP_DATE */
    const char *text;  /* IMP_TEXT, IMP_ERROR: cleaned, NUL-terminated */
    uint32_t len;      /* its length in bytes */
} imp_cell;

typedef struct imp_row {
    uint32_t row;       /* 1-based row of the sheet; CSV: the record's line */
    const imp_cell *cells; /* non-empty cells in column order */
    size_t n;
} imp_row;

/* A merged range, 0-based and inclusive. */
typedef struct imp_merge {
    uint32_t r1, c1, r2, c2;
} imp_merge;

typedef struct imp_merges {
    imp_merge *v;
    size_t n, cap;
} imp_merges;

/* The row a reader builds: cells and their texts, reused for every row. */
typedef struct imp_rowbuf {
    imp_cell *cells;   /* in the order added (sorted before delivery) */
    size_t n, cap;
    imp_buf text;      /* every text of the row, each NUL-terminated */
    /* merged ranges still to fill, with the texts of their top-left cells
     * (import_row.c) */
    struct imp_fill *fills;
    size_t n_fills, cap_fills;
    const imp_merges *merges; /* all ranges of the sheet, sorted by r1 */
    size_t next_merge;        /* first range not yet started */
} imp_rowbuf;

/* Where a reader sends its rows.  A nonzero return stops the reading. */
typedef struct imp_sink {
    void *ctx;
    int (*row)(void *ctx, const imp_row *row);
} imp_sink;

void imp_rowbuf_init(imp_rowbuf *rb, const imp_merges *merges);
void imp_rowbuf_release(imp_rowbuf *rb);
void imp_rowbuf_clear(imp_rowbuf *rb);
/* Add a cell; `text` (for IMP_TEXT / IMP_ERROR) is raw text: it is
 * cleaned here.  Returns the cell, or NULL when out of memory. */
imp_cell *imp_rowbuf_add(imp_rowbuf *rb, uint32_t col, int type,
                         const char *text, size_t len);
/* Sort, fill merged copies and send row `row` to the sink; clears the
 * buffer.  Returns the sink's answer (nonzero: stop), or -1 when out of
 * memory. */
int imp_rowbuf_send(imp_rowbuf *rb, uint32_t row, imp_sink *sink);

void imp_merges_free(imp_merges *m);
bool imp_merges_add(imp_merges *m, uint32_t r1, uint32_t c1, uint32_t r2,
                    uint32_t c2);
void imp_merges_sort(imp_merges *m);

/* ----------------------------------------------------------- text (text) */

/* Clean raw cell text into `out` (appended, NUL-terminated): white space
 * runs (space, tab, newline, NBSP ...) become one space, trimmed; NFC;
 * Ð ð become Đ đ; control characters dropped.  Invalid UTF-8 bytes are
 * read as Windows-1252 (what such a byte shows in the cell's font).
 * Returns IMP_T_* flags, or -1 when out of memory. */
int imp_text_clean(const char *s, size_t len, imp_buf *out);

/* The heading form of a text: ASCII letters and digits only, lower case,
 * diacritics removed (đ -> d): "Họ và\ntên" -> "hovaten".  Writes at most
 * `size` bytes with the NUL; returns the length (cut when too long). */
size_t imp_fold_heading(const char *s, size_t len, char *buf, size_t size);

/* The value form: lower case with diacritics, spaces and punctuation
 * removed ("ĐH. Luật" -> "đhluật"); `ends`, when not NULL, receives the
 * byte offsets in `buf` where a word ends (at most `max_ends`), and
 * *n_ends their number.  Returns the length. */
size_t imp_fold_value(const char *s, size_t len, char *buf, size_t size,
                      uint32_t *ends, size_t max_ends, size_t *n_ends);

/* Parse the whole of `s` as a number with a '.' decimal, in any locale;
 * false when it is none. */
bool imp_number(const char *s, double *out);

/* "1971-05-14", or "1971" for a year alone, into buf (11 bytes or more);
 * returns the length. */
size_t imp_date_iso(cadre_date d, char *buf);

/* The "A1" name of a column (0 -> "A"). */
void imp_col_name(uint32_t col, char *buf, size_t size);

/* ------------------------------------------------------ legacy encodings */

typedef enum imp_enc {
    IMP_ENC_NONE = 0,    /* Unicode */
    IMP_ENC_TCVN3,       /* .VnTime ... */
    IMP_ENC_TCVN3_CAPS,  /* .VnTimeH ...: every letter a capital */
    IMP_ENC_VNI,         /* VNI-Times ... */
    IMP_ENC_INHERIT = 255 /* a rich-text run without its own font */
} imp_enc;

/* The legacy encoding a font name implies (IMP_ENC_NONE for others). */
int imp_font_encoding(const char *name, size_t len);

/* Decode text shown in a legacy font: each character is taken back to
 * the byte the font draws (Windows-1252, as Excel and LibreOffice store
 * it) and that byte decoded.  Appends UTF-8 (not yet NFC) to `out`.
 * False when out of memory. */
bool imp_legacy_decode(int enc, const char *s, size_t len, imp_buf *out);

/* Decode bytes of a CSV file in Windows-1258, TCVN3 or VNI to UTF-8,
 * appended to `out` (not yet NFC).  False when out of memory. */
bool imp_bytes_decode(cadre_import_encoding enc, const unsigned char *s,
                      size_t len, imp_buf *out);

/* True when UTF-8 `s` reads like UTF-8 that was decoded as Latin-1 or
 * Windows-1252 ("Nguyá»…n"). */
bool imp_is_mojibake(const char *s, size_t len);

/* --------------------------------------------------------------- files */

typedef enum imp_format {
    IMP_FMT_UNKNOWN = 0,
    IMP_FMT_XLSX,
    IMP_FMT_ODS,
    IMP_FMT_XLS,
    IMP_FMT_CSV,
    IMP_FMT_OLE_ENCRYPTED, /* an encrypted OOXML workbook (OLE container) */
    IMP_FMT_ZIP_OTHER      /* a zip that is no workbook */
} imp_format;

/* One input file while it is read. */
typedef struct imp_file {
    const char *path;       /* as given */
    int format;             /* enum imp_format */
    char *sheet;            /* the name of the sheet read (NULL for CSV) */
    char *sheet_ref;        /* how locations name it: "Sheet1" or
                               "'Danh sách'" */
    cadre_import_encoding encoding; /* CSV */
    imp_merges merges;      /* XLSX: found at the end of the first pass */
    bool merges_known;      /* merges given before reading (and spans set) */
    bool date1904;          /* serials count from 1904-01-01 */
} imp_file;

/* Recognise the format of f->path by content and return it; text in
 * UTF-16 without a BOM (little-endian) also sets f->encoding to UTF-16.
 * Adds an error and returns IMP_FMT_UNKNOWN when the file cannot be read
 * or is no spreadsheet. */
int imp_sniff(imp_file *f, cadre_diags *diags);

/* Read the selected sheet (f->sheet as asked, or the first; the name
 * read is stored back) and send every non-empty row to `sink`.  Errors
 * go to `diags` about the file.  Returns CADRE_OK, CADRE_EIO (cannot be
 * read as a spreadsheet, or refused), CADRE_ENOTFOUND (no such sheet) or
 * CADRE_ENOMEM.  A stop asked by the sink returns CADRE_OK. */
cadre_error imp_xlsx_read(imp_file *f, const char *sheet, imp_sink *sink,
                          cadre_diags *diags);
cadre_error imp_ods_read(imp_file *f, const char *sheet, imp_sink *sink,
                         cadre_diags *diags);
cadre_error imp_xls_read(imp_file *f, const char *sheet, imp_sink *sink,
                         cadre_diags *diags);
cadre_error imp_csv_read(imp_file *f, imp_sink *sink, cadre_diags *diags);

/* Any of the above, by f->format. */
cadre_error imp_read(imp_file *f, const char *sheet, imp_sink *sink,
                     cadre_diags *diags);

/* Set the sheet name and its reference form ('Danh sách'). */
bool imp_file_set_sheet(imp_file *f, const char *name, size_t len);
void imp_file_release(imp_file *f);
/* Add a sheet's name to the list a missing sheet's message gives. */
void imp_sheets_add(imp_buf *names, const char *name);
/* The error for a sheet asked for that is not there (or no sheet). */
void imp_no_sheet(const imp_file *f, const char *sheet,
                  const imp_buf *names, cadre_diags *diags);

/* Write the location of a cell into buf: "FILE:SHEET!F12" or, for CSV,
 * "FILE:LINE:FIELD" (col 0-based; line 0 means the row's). */
void imp_loc(const imp_file *f, uint32_t row, uint32_t col, uint32_t line,
             char *buf, size_t size);

/* ------------------------------------------------------------ zip parts */

struct zip;
typedef struct imp_zip {
    struct zip *z;
    const char *path;      /* for messages */
    uint64_t inflated;     /* bytes inflated so far, all parts */
} imp_zip;

/* Open `path` as a zip.  On failure adds an error and returns false. */
bool imp_zip_open(imp_zip *zp, const char *path, cadre_diags *diags);
void imp_zip_close(imp_zip *zp);
/* True when the archive holds `name`. */
bool imp_zip_has(imp_zip *zp, const char *name);

struct _xmlTextReader;
/* A text reader over part `name`, with the zip-bomb limits, no DTD
 * (refused with an error), no entities, no network.  NULL when the part
 * is missing (*missing set) or refused (error added). */
typedef struct imp_part imp_part;
imp_part *imp_part_open(imp_zip *zp, const char *name, bool *missing,
                        cadre_diags *diags);
struct _xmlTextReader *imp_part_reader(imp_part *p);
/* Close the part; returns CADRE_OK, or CADRE_EIO when it failed while
 * read (a limit, a DTD, bad XML: the error was added). */
cadre_error imp_part_close(imp_part *p, cadre_diags *diags);
/* Report the text reader's failure (xmlTextReaderRead() < 0) once. */
void imp_part_failed(imp_part *p, cadre_diags *diags);

/* A part streamed through libxml2's SAX2 push parser, with the limits of
 * imp_part_open() (a DTD refused, no entities, no network).  The
 * handlers get the imp_sax as their context. */
struct _xmlSAXHandler;
struct _xmlParserCtxt;
typedef struct imp_sax {
    void *user;                  /* the handlers' state */
    struct _xmlParserCtxt *ctxt; /* set while the part is parsed */
    imp_part *part;              /* set while the part is parsed */
    bool stopped;                /* imp_sax_stop() was called */
} imp_sax;
/* Parse part `name` with `handler`'s startElementNs, endElementNs,
 * characters and cdataBlock (the others are ours).  Returns CADRE_OK
 * (also when a handler stopped, or the part is missing and `missing` is
 * given: *missing set), or CADRE_EIO with the error added (refused,
 * malformed).  A handler's own failure is the handler's to report. */
cadre_error imp_part_sax(imp_zip *zp, const char *name, bool *missing,
                         const struct _xmlSAXHandler *handler, imp_sax *sx,
                         cadre_diags *diags);
/* Stop the parse from a handler: no more callbacks. */
void imp_sax_stop(imp_sax *sx);

/* Read the whole part into memory (small parts: rels, manifests).
 * Returns it NUL-terminated (caller frees), or NULL. */
char *imp_part_slurp(imp_zip *zp, const char *name, size_t max,
                     size_t *len, bool *missing, cadre_diags *diags);

/* ------------------------------------------------------------ template */

/* The fields an import template can map a column to. */
typedef enum imp_field {
    F_ID, F_FULL_NAME, F_FAMILY_NAME, F_GIVEN_NAME, F_BIRTH_DATE, F_GENDER,
    F_ETHNICITY, F_POSITION, F_UNIT, F_CATEGORY, F_EDUCATION, F_POLITICAL,
    F_STATE, F_PARTY, F_LEADER, F_STATUS, F_GRADE, F_SCORE, F_CERT_NO,
    F_ISSUED, F_IGNORE,
    F_COUNT
} imp_field;

/* How a field's cells are read. */
typedef enum imp_kind {
    K_TEXT,   /* text as written */
    K_ID,     /* text that should be a records id */
    K_DATE,   /* a date, or a year alone */
    K_DAY,    /* a whole date */
    K_CODE,   /* one of the template's values, a records code */
    K_MARK,   /* one of the template's values, true or false */
    K_PARTY,  /* a mark, or a date (joined the Party on) */
    K_SCORE,  /* 0 to 10, comma or dot decimal */
    K_NONE    /* read for the heading only */
} imp_kind;

typedef struct imp_label {
    const char *fold;  /* the value form of the label (imp_fold_value) */
    uint32_t len;
    int code;          /* code index, or 1/0 for marks */
} imp_label;

typedef struct imp_split {
    const char *fold;  /* heading form */
    int code;          /* what the column says: a code (birth-date: the
                          gender) */
} imp_split;

typedef struct imp_fdef {
    int kind;                  /* enum imp_kind */
    int codes;                 /* cadre_code_kind of K_CODE fields */
    bool used;                 /* the template names this field */
    bool required;             /* a column (or splits) must exist */
    bool prefix;               /* a label may be followed by more words
                                  (a major: "Đại học Luật") */
    int empty;                 /* code of an empty cell, or -1: no value */
    const char **headings;     /* heading forms */
    size_t n_headings;
    const char **shown;        /* the headings as written, for messages */
    imp_split *splits;
    size_t n_splits;
    imp_label *labels;
    size_t n_labels;
    const char *label_list;    /* the labels as written, for messages */
} imp_fdef;

typedef struct imp_tmpl {
    int records;               /* 0 cadres, 1 participants */
    imp_fdef f[F_COUNT];
    const char **totals;       /* heading forms of total-row labels */
    size_t n_totals;
    const char **footers;      /* heading forms that start the footer */
    size_t n_footers;
    const char *path;          /* the template file */
    arena mem;                 /* everything above */
} imp_tmpl;

/* Read the import template `path`.  NULL on error (in diags). */
imp_tmpl *imp_tmpl_load(const char *path, cadre_diags *diags);
void imp_tmpl_free(imp_tmpl *t);
/* The field whose heading form is `fold`, or -1. */
int imp_tmpl_heading(const imp_tmpl *t, const char *fold);
/* The field and value of split heading `fold` (under parent field
 * `parent`, or any field when parent < 0), or -1. */
int imp_tmpl_split(const imp_tmpl *t, int parent, const char *fold,
                   int *code);
/* Match a cell's text against field `f`'s labels: the code, or -1. */
int imp_tmpl_value(const imp_fdef *f, const char *s, size_t len);
/* The records name of a field ("birth-date"). */
const char *imp_field_name(int field);

/* --------------------------------------------------------------- table */

/* One parsed data row. */
typedef struct imp_rec {
    const imp_file *file;
    uint32_t row;          /* sheet row (CSV line) */
    bool has[F_COUNT];     /* a value was given */
    uint32_t col[F_COUNT]; /* the column each value came from */
    const char *text[F_COUNT]; /* K_TEXT, K_ID (arena of the batch) */
    cadre_date date[F_COUNT];  /* K_DATE, K_DAY, K_PARTY (a date) */
    int code[F_COUNT];     /* K_CODE, K_MARK, K_PARTY (1 member) */
    int score;             /* K_SCORE, hundredths */
    int32_t group;         /* the group row above (index in the batch's
                              groups), or -1 */
} imp_rec;

/* A group row: a unit heading in the table. */
typedef struct imp_group {
    const char *name;      /* without its numbering ("I.", "1.") */
    int32_t parent;        /* the group row above it, or -1 */
    uint32_t row;          /* where it stands */
} imp_group;

/* What the table knows of one file besides its rows, and where each
 * data row goes as it is read (never all held). */
typedef struct imp_batch {
    imp_group *groups;     /* every group row so far, in order */
    size_t n_groups, cap_groups;
    arena mem;             /* their names, and the texts below */
    cadre_date as_of;      /* "Tính đến ngày ..." in the title block */
    const char *place;     /* the place of the footer's place-date line */
    const char *title_unit;/* "Đơn vị: ..." in the title block */
    size_t skipped;        /* non-empty rows skipped */
    size_t n_recs;         /* data rows handed on */
    /* A data row without error, valid during the call; its problems go
     * to `diags` (a first pass's are held back). */
    void (*on_rec)(void *ctx, const struct imp_batch *b, const imp_rec *r,
                   cadre_diags *diags);
    /* The file is read again (its merged ranges change what the first
     * pass read): forget what on_rec was given for it. */
    void (*on_restart)(void *ctx);
    void *ctx;
} imp_batch;

void imp_batch_init(imp_batch *b);
void imp_batch_release(imp_batch *b);

/* Read file `f` through template `t`, each data row to b->on_rec (set
 * by the caller, with b initialised).  Data errors go to `diags` with
 * their cells.  Returns CADRE_OK, CADRE_EINVALID (data
 * errors), or a reader's failure. */
cadre_error imp_table_read(const imp_tmpl *t, imp_file *f, const char *sheet,
                           imp_batch *b, cadre_diags *diags);

/* ---------------------------------------------------------- the records */

/* The records an import writes, and the ids it chose. */
typedef struct imp_out {
    cadre_unit *units;        /* every unit written, parents first */
    size_t n_units, cap_units;
    cadre_cadre *cadres;      /* cadres read (cadres template) */
    size_t n_cadres, cap_cadres;
    const cadre_records *recs;/* participants: the records given */
    cadre_participant *parts; /* participants added to course `course` */
    size_t n_parts, cap_parts;
    uint32_t course;          /* index in recs */
    cadre_date as_of;
    const char *issuer, *place;
    arena mem;
} imp_out;

/* Write `o` as records to `path` atomically.  Returns CADRE_OK or
 * CADRE_EIO (error added). */
cadre_error imp_write(const imp_out *o, const char *path, cadre_diags *diags);

/* A records id from `len` bytes of a key: PREFIX + 8 base-32 digits of
 * its hash, into buf (at least 24 bytes). */
void imp_hash_id(const char *prefix, const char *key, size_t len,
                 unsigned salt, char *buf, size_t size);

#endif
