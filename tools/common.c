/* What every cadre tool shares (tools/common.h). */
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

/* The one piece of state of the tools' common part: set once in main. */
static const char *program = "cadre";

void tool_start(const char *name, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    program = name;
}

const char *tool_name(void)
{
    return program;
}

static void vreport(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", program);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void tool_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
}

int tool_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
    fputs(usage, stderr);
    return TOOL_EXIT_USAGE;
}

int tool_help(const char *usage)
{
    fputs(usage, stdout);
    return TOOL_EXIT_OK;
}

int tool_version(void)
{
    printf("%s %s\n", program, CADRE_VERSION);
    return TOOL_EXIT_OK;
}

int tool_bad_option(const char *usage)
{
    fputs(usage, stderr);
    return TOOL_EXIT_USAGE;
}

bool tool_parse_long(const char *arg, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool tool_parse_date(const char *arg, cadre_date *out)
{
    return cadre_date_parse(arg, 0, out) == 0;
}

const char **tool_list_new(int argc)
{
    return calloc((size_t)(argc > 0 ? argc : 1), sizeof(const char *));
}

int tool_status(cadre_error err, bool reading_inputs)
{
    if (err == CADRE_OK)
        return TOOL_EXIT_OK;
    return err == CADRE_EIO && reading_inputs ? TOOL_EXIT_USAGE
                                              : TOOL_EXIT_DATA;
}
