/* What every cadre tool shares: its name in messages, the exit statuses,
 * and the small option checks (numbers, dates) every main would otherwise
 * write again.  Tools only: the library never prints and never exits.
 *
 *     int main(int argc, char **argv)
 *     {
 *         tool_start("cadre-check", argc, argv);
 *         ...
 *         if (!file) return tool_usage_error(usage, "no records file given");
 *         return tool_status(err);
 *     }
 */
#ifndef CADRE_TOOLS_COMMON_H
#define CADRE_TOOLS_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include "cadre/date.h"
#include "cadre/error.h"
#include "cadre/i18n.h"

/* A message in the user's language; N_ marks a text translated where it
 * is printed (the usage texts: tool_help() translates them). */
#define _(text) cadre_gettext(text)
#define N_(text) CADRE_N_(text)

/* The documented exit statuses of every tool (README, "Exit status"). */
enum tool_exit {
    TOOL_EXIT_OK = 0,    /* done */
    TOOL_EXIT_DATA = 1,  /* invalid records or template, or a failed write */
    TOOL_EXIT_USAGE = 2, /* usage error, or an input that cannot be read */
};

/* Remember the tool's name for messages; call first in main. */
void tool_start(const char *name, int argc, char **argv);

/* The name given to tool_start(). */
const char *tool_name(void);

/* Print "NAME: MESSAGE" and a newline to stderr. */
void tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "NAME: MESSAGE", a newline and `usage` to stderr; returns
 * TOOL_EXIT_USAGE, for `return tool_usage_error(...)`. */
int tool_usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* --help: `usage` to stdout; returns TOOL_EXIT_OK. */
int tool_help(const char *usage);

/* --version: "NAME VERSION" to stdout; returns TOOL_EXIT_OK. */
int tool_version(void);

/* The usage text after a bad option (getopt has said what): to stderr;
 * returns TOOL_EXIT_USAGE. */
int tool_bad_option(const char *usage);

/* Parse the whole of `arg` as a decimal integer in [lo, hi] into *out;
 * false (and nothing stored) when it is not one. */
bool tool_parse_long(const char *arg, long lo, long hi, long *out);

/* Parse `arg` as YYYY-MM-DD into *out; false when it is not a date. */
bool tool_parse_date(const char *arg, cadre_date *out);

/* A list for a repeatable option (--course ID...): at most argc entries,
 * so `argc` bounds it.  NULL when out of memory; free with free(). */
const char **tool_list_new(int argc);

/* True when `path` (may be NULL) is the file standard output goes to
 * (-o /dev/stdout, or its file): a summary printed then goes to stderr,
 * so as not to end up inside the output. */
bool tool_is_stdout(const char *path);

/* The exit status for the outcome of a run: 0 for CADRE_OK, 2 for an
 * input that could not be read (CADRE_EIO while `reading_inputs`), 1 for
 * everything else. */
int tool_status(cadre_error err, bool reading_inputs);

#endif
