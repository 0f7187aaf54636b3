/*
 * date.h - calendar dates as the records write them, and as Vietnamese
 * documents print them.
 *
 * A date may be whole (2019-07-05) or a year alone (1971), for birth dates
 * whose day is unknown.  Printing follows the official form: "ngày 05 tháng
 * 7 năm 2019" (day below 10 and months 1 and 2 take a leading zero).
 *
 *     cadre_date d;
 *     if (cadre_date_parse("2019-07-05", CADRE_DATE_YEAR_OK, &d) == 0) {
 *         char buf[CADRE_DATE_TEXT_MAX];
 *         cadre_date_format_long(d, buf, sizeof buf);  // ngày 05 tháng 7 năm 2019
 *     }
 *
 * Threads: functions of values only, reentrant, safe from any thread.
 */
#ifndef CADRE_DATE_H
#define CADRE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cadre/error.h"

/* A day, or a year alone when month and day are 0.  All zero: no date. */
typedef struct cadre_date {
    int16_t year; /* 1..9999, 0 for no date */
    uint8_t month;/* 1..12, 0 for a year alone */
    uint8_t day;  /* 1..31, 0 for a year alone */
} cadre_date;

/* Longest text any cadre_date_format_* writes, with its NUL. */
#define CADRE_DATE_TEXT_MAX 40

enum {
    CADRE_DATE_YEAR_OK = 1 /* accept "YYYY" alone */
};

/* Parse "YYYY-MM-DD" (or "YYYY" with CADRE_DATE_YEAR_OK) into `out`,
 * rejecting impossible days (2018-02-30).  Returns 0, or -1 when `text` is
 * not such a date. */
int cadre_date_parse(const char *text, int flags, cadre_date *out);

/* The same for the `len` bytes at `text`, which need no NUL. */
int cadre_date_parse_len(const char *text, size_t len, int flags,
                         cadre_date *out);

static inline bool cadre_date_is_set(cadre_date d) { return d.year != 0; }
static inline bool cadre_date_is_year_only(cadre_date d)
{
    return d.year != 0 && d.month == 0;
}

/* Negative, zero or positive as a is before, on or after b.  A year alone
 * counts as 1 January of that year. */
int cadre_date_compare(cadre_date a, cadre_date b);

/* Whole years from `birth` to `on` (a year alone counts as 1 January);
 * -1 when either date is unset. */
int cadre_date_age(cadre_date birth, cadre_date on);

/* Days since 1970-01-01 (a year alone counts as 1 January). */
long cadre_date_days(cadre_date d);

/* The date of `days` since 1970-01-01. */
cadre_date cadre_date_from_days(long days);

/* The moment documents carry as made (a workbook's or a PDF's creation
 * date): $SOURCE_DATE_EPOCH when set and not empty, else now.  As the
 * reproducible-builds specification asks, a value that is not a count of
 * seconds since 1970-01-01 UTC in decimal digits (or that is past the year
 * 9999, which no document date can write) is an error, never a date made
 * of an overflow: returns CADRE_EINVALID and adds "SOURCE_DATE_EPOCH
 * 'VALUE' is not ..." to `diags`. */
cadre_error cadre_source_date_get(time_t *out, cadre_diags *diags);

/* The three forms below write at most `size` bytes including the NUL and
 * return the length of the text (truncated if `size` is too small).  A year
 * alone prints as the year in every form; no date prints as "". */

/* "ngày 05 tháng 7 năm 2019" */
size_t cadre_date_format_long(cadre_date d, char *buf, size_t size);
/* "05/07/2019" */
size_t cadre_date_format_short(cadre_date d, char *buf, size_t size);
/* "2019-07-05", the records' own form */
size_t cadre_date_format_iso(cadre_date d, char *buf, size_t size);

#endif
