/*
 * floor-load - the true floor of loading records (make bench, issue 13):
 * libxml2's SAX2 push parser over the file, fed in the chunks cadre-check
 * reads (64 KB, from its own descriptor), with the options it sets, and
 * callbacks for elements and text that do nothing.  No validation, no
 * model, not a line of cadrekit: what any loader built on libxml2 pays
 * before it does anything with what it reads.
 *
 *   floor-load FILE.xml
 *
 * Exit status 0 when the file is well-formed, 1 when not, 2 when it
 * cannot be read.
 *
 * cc -O2 -o floor-load floor-load.c $(pkg-config --cflags --libs libxml-2.0)
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>

static unsigned long elements; /* kept, so that the callbacks are not empty
                                  enough for the compiler to drop */

static void on_start(void *ctx, const xmlChar *localname,
                     const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes)
{
    (void)ctx, (void)localname, (void)prefix, (void)uri, (void)nb_namespaces;
    (void)namespaces, (void)nb_attributes, (void)nb_defaulted, (void)attributes;
    elements++;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    (void)ctx, (void)localname, (void)prefix, (void)uri;
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    (void)ctx, (void)ch, (void)len;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: floor-load FILE.xml\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 2;
    }
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    xmlParserCtxtPtr ctxt = NULL;
    static char buf[64 * 1024];
    int ok = 1;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            perror(argv[1]);
            return 2;
        }
        if (!ctxt) {
            ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, argv[1]);
            if (!ctxt)
                return 2;
            xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
        }
        if (xmlParseChunk(ctxt, buf, (int)n, n == 0) != 0)
            ok = 0;
        if (n == 0)
            break;
    }
    ok &= ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);
    close(fd);
    fprintf(stderr, "%lu elements\n", elements);
    return ok ? 0 : 1;
}
