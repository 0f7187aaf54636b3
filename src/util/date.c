/* date.c - parsing, arithmetic and Vietnamese forms of dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/date.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* The value of the digit at s, or a value of 10 or more. */
static inline unsigned digit(const char *s)
{
    return (unsigned)(unsigned char)*s - '0';
}

int cadre_date_parse_len(const char *text, size_t len, int flags,
                         cadre_date *out)
{
    if (len != 4 && len != 10)
        return -1;
    /* the digits at once, no loop: a province's file holds a million
     * birth dates */
    unsigned y0 = digit(text), y1 = digit(text + 1), y2 = digit(text + 2),
             y3 = digit(text + 3);
    if (y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9)
        return -1;
    int y = (int)(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
    if (y < 1)
        return -1;
    if (len == 4) {
        if (!(flags & CADRE_DATE_YEAR_OK))
            return -1;
        *out = (cadre_date){.year = (int16_t)y};
        return 0;
    }
    unsigned m0 = digit(text + 5), m1 = digit(text + 6), d0 = digit(text + 8),
             d1 = digit(text + 9);
    if (text[4] != '-' || text[7] != '-' || m0 > 9 || m1 > 9 || d0 > 9 ||
        d1 > 9)
        return -1;
    int m = (int)(m0 * 10 + m1), d = (int)(d0 * 10 + d1);
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *out = (cadre_date){.year = (int16_t)y, .month = (uint8_t)m,
                        .day = (uint8_t)d};
    return 0;
}

int cadre_date_parse(const char *text, int flags, cadre_date *out)
{
    return cadre_date_parse_len(text, strlen(text), flags, out);
}

/* A year alone counts as 1 January. */
static int month_of(cadre_date d) { return d.month ? d.month : 1; }
static int day_of(cadre_date d) { return d.day ? d.day : 1; }

int cadre_date_compare(cadre_date a, cadre_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (month_of(a) != month_of(b))
        return month_of(a) < month_of(b) ? -1 : 1;
    if (day_of(a) != day_of(b))
        return day_of(a) < day_of(b) ? -1 : 1;
    return 0;
}

int cadre_date_age(cadre_date birth, cadre_date on)
{
    if (!cadre_date_is_set(birth) || !cadre_date_is_set(on))
        return -1;
    int age = on.year - birth.year;
    if (month_of(on) < month_of(birth) ||
        (month_of(on) == month_of(birth) && day_of(on) < day_of(birth)))
        age--;
    return age;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no table, no loop. */
long cadre_date_days(cadre_date d)
{
    long y = d.year, m = month_of(d), day = day_of(d);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

cadre_date cadre_date_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    return (cadre_date){.year = (int16_t)(y + (m <= 2)), .month = (uint8_t)m,
                        .day = (uint8_t)d};
}

enum date_style { DATE_LONG, DATE_SHORT, DATE_ISO };

/* `d` as `style` writes it (a year alone, or nothing, when that is all
 * it holds); snprintf's length, never negative, as the size_t the API
 * promises. */
static size_t format_date(cadre_date d, char *buf, size_t size,
                          enum date_style style)
{
    int n;
    if (!cadre_date_is_set(d))
        n = snprintf(buf, size, "%s", "");
    else if (cadre_date_is_year_only(d))
        n = snprintf(buf, size, style == DATE_ISO ? "%04d" : "%d", d.year);
    else if (style == DATE_LONG)
        /* Decree 30/2020: a leading zero for days below 10 and months 1
         * and 2. */
        n = snprintf(buf, size, "ngày %02d tháng %s%d năm %d", d.day,
                     d.month <= 2 ? "0" : "", d.month, d.year);
    else if (style == DATE_SHORT)
        n = snprintf(buf, size, "%02d/%02d/%04d", d.day, d.month, d.year);
    else
        n = snprintf(buf, size, "%04d-%02d-%02d", d.year, d.month, d.day);
    return n < 0 ? 0 : (size_t)n;
}

size_t cadre_date_format_long(cadre_date d, char *buf, size_t size)
{
    return format_date(d, buf, size, DATE_LONG);
}

size_t cadre_date_format_short(cadre_date d, char *buf, size_t size)
{
    return format_date(d, buf, size, DATE_SHORT);
}

size_t cadre_date_format_iso(cadre_date d, char *buf, size_t size)
{
    return format_date(d, buf, size, DATE_ISO);
}

cadre_error cadre_source_date_get(time_t *out, cadre_diags *diags)
{
    /* https://reproducible-builds.org/specs/source-date-epoch/ */
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s) {
        *out = time(NULL);
        return CADRE_OK;
    }
    long long v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && v <= 253402300799LL; p++)
        v = v * 10 + (*p - '0');
    if (*p || v > 253402300799LL) { /* after 9999-12-31 23:59:59 */
        cadre_diags_error(diags, NULL, 0,
                          "SOURCE_DATE_EPOCH '%.40s' is not a number of "
                          "seconds since 1970 before the year 10000", s);
        return CADRE_EINVALID;
    }
    *out = (time_t)v;
    return CADRE_OK;
}
