/* What every cadre tool shares (tools/common.h). */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/files.h"
#include "cadre/i18n.h"

/* The one piece of state of the tools' common part: set once in main. */
static const char *program = "cadre";

/* Messages in the user's language: the catalogue installed beside the
 * tool (PREFIX/share/locale, or build/locale in a build tree), else the
 * one of the configured PREFIX.  Only LC_CTYPE and LC_MESSAGES follow the
 * environment: numbers in records are read with a dot whatever the
 * locale, and the documents are Vietnamese by their templates. */
static void start_messages(void)
{
    setlocale(LC_CTYPE, "");
    setlocale(LC_MESSAGES, "");
    char exe[PATH_MAX], dir[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *locales = CADRE_LOCALEDIR;
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            struct stat st;
            snprintf(dir, sizeof dir, "%s/../share/locale", exe);
            if (stat(dir, &st) != 0) /* the build tree: build/bin/../locale */
                snprintf(dir, sizeof dir, "%s/../locale", exe);
            if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
                locales = dir;
        }
    }
    bindtextdomain(CADRE_TEXTDOMAIN, locales);
    bind_textdomain_codeset(CADRE_TEXTDOMAIN, "UTF-8");
    textdomain(CADRE_TEXTDOMAIN);
}

/* Interrupted (Ctrl-C, kill, a closed terminal): no temporary file is
 * left behind, then the signal ends the process as it would have. */
static void on_signal(int sig)
{
    cadre_outfile_remove_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void remove_temporaries_on_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        /* a signal ignored when we start (nohup, a background job) stays so */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
    /* A file over the size limit (ulimit -f) or a closed pipe is a write
     * error to report, with the temporary file removed, not a death that
     * leaves it. */
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
}

/* A standard descriptor closed when the tool starts would be taken by the
 * next file opened (a font, a temporary file), then written as standard
 * output (-o /dev/stdout): hold each with /dev/null, read-only, so that
 * writing to it fails as writing to a closed one does. */
static void hold_closed_standard_descriptors(void)
{
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
            open("/dev/null", O_RDONLY) < 0)
            _exit(TOOL_EXIT_USAGE);
}

void tool_start(const char *name, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    program = name;
    hold_closed_standard_descriptors();
    remove_temporaries_on_signals();
    start_messages();
}

const char *tool_name(void)
{
    return program;
}

static void vreport(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", program);
    vfprintf(stderr, gettext(fmt), ap);
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
    fputs(gettext(usage), stderr);
    return TOOL_EXIT_USAGE;
}

int tool_help(const char *usage)
{
    fputs(gettext(usage), stdout);
    return TOOL_EXIT_OK;
}

int tool_version(void)
{
    printf("%s %s\n", program, CADRE_VERSION);
    return TOOL_EXIT_OK;
}

int tool_bad_option(const char *usage)
{
    fputs(gettext(usage), stderr);
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

bool tool_is_stdout(const char *path)
{
    struct stat a, b;
    return path && stat(path, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int tool_status(cadre_error err, bool reading_inputs)
{
    if (err == CADRE_OK)
        return TOOL_EXIT_OK;
    return err == CADRE_EIO && reading_inputs ? TOOL_EXIT_USAGE
                                              : TOOL_EXIT_DATA;
}
