/* xmlsafe.c - libxml2's SAX2 push parser, fed from our own descriptor,
 * with every door to the outside closed. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

#include "cadre/files.h"
#include "cadre/i18n.h"
#include "cadre/text.h"
#include "util/grow.h"
#include "xmlsafe.h"

#define READ_CHUNK (64 * 1024)
/* Attributes in one start tag: the format needs six at most.  libxml2
 * checks each attribute of a tag against all the others before any
 * callback of ours: 400,000 of them took 80 s. */
#define MAX_ATTRS 1024

typedef cadre_xml_reader parser;

static inline unsigned long line_now(parser *p)
{
    return p->ctxt && p->ctxt->input ? (unsigned long)p->ctxt->input->line
                                     : 0;
}

void cadre_xml_stop(cadre_xml_reader *r)
{
    r->stopped = true;
    r->top = NULL;
    xmlStopParser(r->ctxt);
}

/* Record a failure and stop parsing. */
static void fail(parser *p, cadre_error err, unsigned long line,
                 const char *fmt, const char *arg)
{
    if (p->status == CADRE_OK)
        p->status = err;
    cadre_diags_error(p->diags, p->path, line, fmt, arg);
    cadre_xml_stop(p);
}

bool cadre_xml_check_closely(cadre_xml_reader *p, const char *s, size_t len,
                             unsigned long line, const char *elem,
                             const char *attr)
{
    uint32_t cp;
    if (cadre_text_check(s, len, NULL, &cp) == CADRE_TEXT_OK)
        return true;
    if (p->status == CADRE_OK)
        p->status = CADRE_EPARSE;
    if (attr)
        cadre_diags_error(p->diags, p->path, line,
                          "control character U+%04X in attribute '%s' of <%s>",
                          (unsigned)cp, attr, elem);
    else
        cadre_diags_error(p->diags, p->path, line,
                          "control character U+%04X in <%s>", (unsigned)cp,
                          elem);
    if (cadre_diags_full(p->diags, p->path))
        cadre_xml_stop(p); /* nothing more about this file would be shown */
    return false;
}

bool cadre_xml_enter_refused(cadre_xml_reader *p, const xmlChar *localname,
                             int nb_attributes, const xmlChar **attributes,
                             unsigned long line)
{
    if (p->depth >= p->max_depth) {
        fail(p, CADRE_ELIMIT, line, "elements nested too deep%s", "");
        return true;
    }
    size_t n = (size_t)nb_attributes;
    for (size_t i = 0; i < n; i++)
        if ((size_t)(attributes[i * 5 + 4] - attributes[i * 5 + 3]) >
            CADRE_XML_MAX_TEXT) {
            fail(p, CADRE_ELIMIT, line,
                 "attribute value longer than 65536 bytes in <%s>",
                 (const char *)localname);
            return true;
        }
    if (!GROW(p->attrs, p->attrs_cap, n)) {
        fail(p, CADRE_ENOMEM, line, "%s", "out of memory");
        return true;
    }
    return false;
}

const char *cadre_xml_qname(cadre_xml_reader *p, const xmlChar *localname,
                            const xmlChar *prefix, const xmlChar *uri,
                            unsigned long line)
{
    /* <x:gender xmlns:x="..."> is not <gender>, nor is <gender> in a
     * default namespace: name them so that they are reported as the
     * unknown elements they are. */
    char qname[256];
    if (prefix)
        snprintf(qname, sizeof qname, "%s:%s", (const char *)prefix,
                 (const char *)localname);
    else
        snprintf(qname, sizeof qname, "{%s}%s", (const char *)uri,
                 (const char *)localname);
    const char *name = (const char *)xmlDictLookup(p->ctxt->dict,
                                                   (const xmlChar *)qname, -1);
    if (!name)
        fail(p, CADRE_ENOMEM, line, "%s", "out of memory");
    return name;
}

/* cadre_xml_parse(): its handler's calls. */
static void on_start(void *ctx, const xmlChar *localname,
                     const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes)
{
    parser *p = ctx;
    const cadre_xml_handler *h = p->user;
    (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    cadre_xml_elem *e = cadre_xml_enter(p, localname, prefix, uri,
                                        nb_attributes, attributes);
    if (e && h->start &&
        h->start(h->ctx, e->name, p->attrs, p->n_attrs, e->line, p->depth - 1))
        cadre_xml_stop(p);
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    parser *p = ctx;
    const cadre_xml_handler *h = p->user;
    (void)localname, (void)prefix, (void)uri;
    cadre_xml_elem *e = cadre_xml_leave(p);
    if (e && h->end &&
        h->end(h->ctx, e->name, e->text, e->len, e->line, p->depth))
        cadre_xml_stop(p);
}

/* The bytes of indentation. */
static const bool blank_byte[256] = {[' '] = 1, ['\n'] = 1, ['\t'] = 1};

/* True when the n bytes at ch are spaces, tabs and newlines.  Nearly
 * every text libxml2 hands over is the indentation between two tags, a
 * newline and spaces: those are told by a word or two, the rest byte by
 * byte. */
static inline bool all_blank(const unsigned char *ch, size_t n)
{
    const uint32_t spaces = 0x20202020u;
    size_t i = 0;
    while (i < n && ch[i] == '\n')
        i++;
    size_t left = n - i;
    if (left >= 4 && left <= 8) {
        uint32_t a, b;
        memcpy(&a, ch + i, 4);
        memcpy(&b, ch + n - 4, 4);
        if (a == spaces && b == spaces)
            return true;
    }
    for (; i < n; i++)
        if (!blank_byte[ch[i]])
            return false;
    return true;
}

/* Text after some other text, or a first text that is not blank.  Out
 * of line: the blank texts between tags return without saving a
 * register. */
__attribute__((noinline)) static void add_text(parser *p, cadre_xml_elem *e,
                                               const xmlChar *ch, size_t n)
{
    if (e->len + n > CADRE_XML_MAX_TEXT) {
        fail(p, CADRE_ELIMIT, e->line, "text longer than 65536 bytes in <%s>",
             e->name);
        return;
    }
    if (!GROW(e->text, e->cap, e->len + n + 1)) {
        fail(p, CADRE_ENOMEM, e->line, "%s", "out of memory");
        return;
    }
    memcpy(e->text + e->len, ch, n);
    e->len += n;
    e->text[e->len] = '\0';
}

void cadre_xml_on_text(void *ctx, const xmlChar *ch, int len)
{
    parser *p = ctx;
    cadre_xml_elem *e = p->top;
    if (!e || len <= 0)
        return;
    /* The indentation between a container's children is most of the text
     * of a province's file: white space before any other text is not
     * kept (every reader trims it).  A carriage return is kept: it comes
     * only from &#13;, a control character to report. */
    if (e->len == 0 && all_blank(ch, (size_t)len))
        return;
    add_text(p, e, ch, (size_t)len);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
                       const xmlChar *sys)
{
    parser *p = ctx;
    (void)name, (void)ext, (void)sys;
    /* Refusing the DOCTYPE itself closes every door at once: no external
     * DTD, no entity declared, so no expansion bomb and no file read. */
    fail(p, CADRE_EPARSE, line_now(p), "DOCTYPE declarations are not allowed%s",
         "");
}

static void on_error(void *ctx, xmlErrorPtr err)
{
    parser *p = ctx;
    if (p->stopped || !err || err->level < XML_ERR_ERROR)
        return;
    unsigned long line = err->line > 0 ? (unsigned long)err->line : line_now(p);
    const char *msg = err->message ? err->message : "unknown error";
    /* libxml2 decodes surrogates and code points past U+10FFFF, then
     * calls them out of range: they are invalid UTF-8 all the same. */
    unsigned long ch = 0;
    bool bad_char = strncmp(msg, "Char 0x", 7) == 0 &&
                    ((ch = strtoul(msg + 7, NULL, 16)) > 0x10FFFF ||
                     (ch >= 0xD800 && ch <= 0xDFFF));
    if (strncmp(msg, "Input is not proper UTF-8", 25) == 0 ||
        err->code == XML_ERR_INVALID_ENCODING || bad_char) {
        fail(p, CADRE_EPARSE, line, "invalid UTF-8%s", "");
        return;
    }
    if (p->at_eof && p->depth > 0 &&
        (err->code == XML_ERR_DOCUMENT_END ||
         err->code == XML_ERR_TAG_NOT_FINISHED)) {
        /* libxml2 calls a truncated file "extra content": say what
         * actually happened. */
        cadre_xml_elem *e = &p->stack[p->depth - 1];
        char what[160];
        snprintf(what, sizeof what, "</%s> (opened at line %lu)", e->name,
                 e->line);
        fail(p, CADRE_EPARSE, line, "malformed XML: file ends before %s",
             what);
        return;
    }
    /* One token over libxml2's 10 MB lookup limit (an attribute value,
     * a comment: they come whole, not in chunks like text): its message
     * says "internal error: Huge input lookup". */
    if (strstr(msg, "Huge input lookup")) {
        fail(p, CADRE_ELIMIT, line, "%s",
             "a name, value or comment longer than 10 MB");
        return;
    }
    /* libxml2's messages end with a newline and sometimes hold several
     * lines: keep the first. */
    char first[256];
    size_t n = strcspn(msg, "\n");
    if (n >= sizeof first)
        n = sizeof first - 1;
    memcpy(first, msg, n);
    first[n] = '\0';
    fail(p, CADRE_EPARSE, line, "malformed XML: %s", first);
}

/* The encoding named by an XML declaration at the start of `b`, copied to
 * `out`; "" when none is declared. */
static void declared_encoding(const unsigned char *b, size_t n, char *out,
                              size_t size)
{
    out[0] = '\0';
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        b += 3, n -= 3;
    if (n < 5 || memcmp(b, "<?xml", 5) != 0)
        return;
    const unsigned char *end = memchr(b, '>', n);
    if (!end)
        end = b + n;
    for (const unsigned char *q = b + 5; q + 8 < end; q++) {
        if (memcmp(q, "encoding", 8) != 0)
            continue;
        q += 8;
        /* Eq ::= S? '=' S?: any of XML's four blanks around it */
        while (q < end && (*q == ' ' || *q == '=' || *q == '\t' ||
                           *q == '\n' || *q == '\r'))
            q++;
        if (q >= end || (*q != '"' && *q != '\''))
            return;
        unsigned char quote = *q++;
        size_t len = 0;
        while (q + len < end && q[len] != quote && len + 1 < size)
            len++;
        memcpy(out, q, len);
        out[len] = '\0';
        return;
    }
}

/* Whole-file problems that libxml2 would either accept or report badly. */
static bool check_start(parser *p, const unsigned char *b, size_t n)
{
    const char *why = NULL;
    if (n == 0)
        why = CADRE_N_("empty file");
    else if (n >= 2 && b[0] == 0x1F && b[1] == 0x8B)
        why = CADRE_N_("gzip-compressed file, expected plain UTF-8 XML");
    else if (n >= 4 && ((b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF) ||
                        (b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0)))
        why = CADRE_N_("UTF-32 text, expected UTF-8");
    else if (n >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) ||
                        (b[0] == 0xFF && b[1] == 0xFE) ||
                        (b[0] == '<' && b[1] == 0) || (b[0] == 0 && b[1] == '<')))
        why = CADRE_N_("UTF-16 text, expected UTF-8");
    char enc[64];
    declared_encoding(b, n, enc, sizeof enc);
    if (!why && *enc && strcasecmp(enc, "UTF-8") != 0 &&
        strcasecmp(enc, "UTF8") != 0) {
        /* libxml2 would convert it, or fail with a message of its own on
         * stderr and an empty document. */
        p->status = CADRE_EPARSE;
        cadre_diags_error(p->diags, p->path, 1,
                          "encoding '%s' declared, expected UTF-8", enc);
        return false;
    }
    if (!why)
        return true;
    p->status = CADRE_EPARSE;
    cadre_diags_error(p->diags, p->path, 0, "%s", cadre_gettext(why));
    return false;
}

static size_t count_eq(const unsigned char *b, size_t n)
{
    size_t k = 0;
    for (const unsigned char *e = b + n; (b = memchr(b, '=', (size_t)(e - b)));
         b++)
        k++;
    return k;
}

/* Before libxml2 sees chunk `b`: refuse a start tag with more attributes
 * than MAX_ATTRS while it is still arriving.  No attribute holds a '<',
 * so the '=' since the last '<' bound the attributes of a tag not yet
 * ended; only the ends of a chunk are counted (a tag wholly inside one
 * chunk is bounded by its size), and only a tag libxml2 is waiting on
 * counts (a text of '=' signs is text). */
static bool attributes_ok(parser *p, const unsigned char *b, size_t n)
{
    const unsigned char *lt = memchr(b, '<', n);
    p->run_eq += count_eq(b, lt ? (size_t)(lt - b) : n);
    if (p->run_eq > MAX_ATTRS && p->ctxt &&
        p->ctxt->instate == XML_PARSER_START_TAG) {
        fail(p, CADRE_ELIMIT, line_now(p),
             "more than %s attributes in one start tag", "1024");
        return false;
    }
    if (lt) {
        const unsigned char *end = b + n, *last = end - 1;
        while (*last != '<')
            last--;
        p->run_eq = count_eq(last + 1, (size_t)(end - last - 1));
    }
    return true;
}

/*
 * Whether `n` bytes of input may give a control character other than tab
 * and newline to a text or attribute value.  libxml2 refuses the other C0
 * controls outright and turns a carriage return into a newline (or, in a
 * value, a space), so only three things can: DEL, a C1 control (C2 80 to
 * C2 9F in UTF-8) and a character reference ("&#13;").  Three memchr()
 * over a chunk cost far less than a look at each of its values; a byte
 * that ends a chunk and might start one of those counts as one.
 */
static bool may_give_control(const unsigned char *b, size_t n)
{
    if (n == 0)
        return false;
    if (memchr(b, 0x7F, n) || b[n - 1] == 0xC2 || b[n - 1] == '&')
        return true;
    const unsigned char *end = b + n - 1, *q;
    for (q = b; (q = memchr(q, 0xC2, (size_t)(end - q))); q++)
        if (q[1] >= 0x80 && q[1] <= 0x9F)
            return true;
    for (q = b; (q = memchr(q, '&', (size_t)(end - q))); q++)
        if (q[1] == '#')
            return true;
    return false;
}

/*
 * Whether the file starts as one libxml2 reads as UTF-8 as it stands: a
 * '<' or a blank first, after a UTF-8 byte order mark.  Any other start
 * may be one it converts from (EBCDIC is told by its first four bytes),
 * and a converted byte may give a control character the raw bytes do
 * not show (0x85 is U+0085 in Latin-1, 0x25 in EBCDIC): then every value
 * is looked at, as may_give_control() cannot tell.  UTF-16 and UTF-32,
 * and an encoding declared other than UTF-8, are refused by
 * check_start().
 */
static bool plain_utf8_start(const unsigned char *b, size_t n)
{
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        b += 3, n -= 3;
    return n > 0 && (b[0] == '<' || b[0] == ' ' || b[0] == '\t' ||
                     b[0] == '\n' || b[0] == '\r');
}

/* libxml2 prints some errors (encoding, I/O) on stderr through its
 * generic channel; a library must not print.  Ours come through serror. */
static void silent(void *ctx, const char *fmt, ...)
{
    (void)ctx, (void)fmt;
}

/* `fmt` is "cannot open '%s': %s" or the like, marked for the catalogue
 * where it is given. */
static cadre_error io_error(cadre_diags *diags, const char *fmt,
                            const char *path, int err)
{
    cadre_diags_error(diags, NULL, 0, fmt, path, strerror(err));
    return CADRE_EIO;
}

/* Open the file the user named for reading: a regular file only (a
 * FIFO would wait for a writer, a device never end), noted as an input
 * so that no output replaces it.  Its descriptor, or -1 after an error. */
static int open_input(const char *path, cadre_diags *diags)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        io_error(diags, CADRE_N_("cannot open '%s': %s"), path, errno);
        return -1;
    }
    struct stat st;
    int why = fstat(fd, &st) != 0 ? errno
              : S_ISDIR(st.st_mode) ? EISDIR
                                    : 0;
    if (!why && !S_ISREG(st.st_mode))
        cadre_diags_error(diags, NULL, 0,
                          "cannot read '%s': not a regular file", path);
    else if (why)
        io_error(diags, CADRE_N_("cannot read '%s': %s"), path, why);
    if (why || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    cadre_files_note_input(&st);
    return fd;
}

/* Room for the text of an element at each depth: most texts are short,
 * and an element's text is then never NULL. */
#define FIRST_TEXT 64

cadre_error cadre_xml_read(const char *path, const cadre_xml_sax *handler,
                           int max_depth, cadre_diags *diags)
{
    int fd = open_input(path, diags);
    if (fd < 0)
        return CADRE_EIO;
    unsigned char *buf = malloc(READ_CHUNK);
    parser p = {.user = handler->user, .path = path, .diags = diags,
                .max_depth = max_depth};
    p.stack = calloc((size_t)max_depth + 1, sizeof *p.stack);
    bool room = buf && p.stack;
    for (int i = 0; room && i <= max_depth; i++)
        room = GROW(p.stack[i].text, p.stack[i].cap, FIRST_TEXT);
    if (!room) {
        cadre_diags_error(diags, NULL, 0, "out of memory reading '%s'", path);
        p.status = CADRE_ENOMEM;
        goto done;
    }

    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = handler->start;
    sax.endElementNs = handler->end;
    sax.characters = cadre_xml_on_text;
    sax.cdataBlock = cadre_xml_on_text;
    sax.internalSubset = on_doctype;
    sax.serror = on_error;

    bool first = true;
    for (;;) {
        ssize_t n = read(fd, buf, READ_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            p.status =
                io_error(diags, CADRE_N_("cannot read '%s': %s"), path, errno);
            break;
        }
        if (first) {
            first = false;
            if (!check_start(&p, buf, (size_t)n))
                break;
            p.controls_possible = !plain_utf8_start(buf, (size_t)n);
            xmlInitParser();
            xmlSetGenericErrorFunc(NULL, silent);
            p.ctxt = xmlCreatePushParserCtxt(&sax, &p, NULL, 0, path);
            if (!p.ctxt) {
                cadre_diags_error(diags, NULL, 0, "out of memory reading '%s'",
                                  path);
                p.status = CADRE_ENOMEM;
                break;
            }
            /* No network, no entity substitution, no DTD loading, and the
             * default limits (no XML_PARSE_HUGE). */
            xmlCtxtUseOptions(p.ctxt, XML_PARSE_NONET);
            p.ctxt->linenumbers = 1;
        }
        if (!attributes_ok(&p, buf, (size_t)n))
            break;
        if (!p.controls_possible)
            p.controls_possible = may_give_control(buf, (size_t)n);
        p.at_eof = n == 0;
        int rc = xmlParseChunk(p.ctxt, (const char *)buf, (int)n, n == 0);
        if (rc != 0 && !p.stopped) /* an error libxml2 did not report */
            fail(&p, CADRE_EPARSE, line_now(&p), "malformed XML (%s)",
                 "the parser failed");
        if (n == 0 || p.stopped)
            break;
    }
    if (p.status == CADRE_OK && p.ctxt && !p.stopped && !p.ctxt->wellFormed) {
        cadre_diags_error(diags, path, line_now(&p), "malformed XML");
        p.status = CADRE_EPARSE;
    }
done:
    if (p.ctxt)
        xmlFreeParserCtxt(p.ctxt);
    for (int i = 0; p.stack && i <= max_depth; i++)
        free(p.stack[i].text);
    free(p.stack);
    free(p.attrs);
    free(buf);
    close(fd);
    return p.status;
}

cadre_error cadre_xml_parse(const char *path, const cadre_xml_handler *h,
                            int max_depth, cadre_diags *diags)
{
    cadre_xml_sax sax = {(void *)h, on_start, on_end};
    return cadre_xml_read(path, &sax, max_depth, diags);
}
