/*
 * floor-import.c - the floor of cadre-import on an XLSX workbook: libzip
 * inflating the first sheet and libxml2's text reader walking it, every
 * cell's reference, style and type read and every value's text taken,
 * nothing else (no shared strings, no table, no records).  What the
 * import cannot do with less.
 *
 *     floor-import BOOK.xlsx      prints "CELLS ROWS": cells with a value,
 *                                 and the last row's number
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

static int part_read(void *ctx, char *buf, int len)
{
    zip_int64_t n = zip_fread(ctx, buf, (zip_uint64_t)len);
    return n < 0 ? -1 : (int)n;
}

static int part_close(void *ctx)
{
    (void)ctx;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: floor-import BOOK.xlsx\n");
        return 2;
    }
    int err = 0;
    zip_t *z = zip_open(argv[1], ZIP_RDONLY, &err);
    zip_file_t *f = z ? zip_fopen(z, "xl/worksheets/sheet1.xml", 0) : NULL;
    if (!f) {
        fprintf(stderr, "floor-import: cannot read %s\n", argv[1]);
        return 1;
    }
    xmlTextReaderPtr r = xmlReaderForIO(part_read, part_close, f, "sheet",
                                        NULL, XML_PARSE_NONET |
                                                  XML_PARSE_COMPACT);
    const xmlChar *c = xmlTextReaderConstString(r, BAD_CAST "c");
    const xmlChar *row = xmlTextReaderConstString(r, BAD_CAST "row");
    const xmlChar *v = xmlTextReaderConstString(r, BAD_CAST "v");
    const xmlChar *tx = xmlTextReaderConstString(r, BAD_CAST "t");
    const xmlChar *elem = NULL; /* the element the next text is in */
    long cells = 0, rows = 0, bytes = 0, last = 0;
    int ret;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int t = xmlTextReaderNodeType(r);
        if (t == XML_READER_TYPE_ELEMENT) {
            const xmlChar *n = xmlTextReaderConstLocalName(r);
            elem = n;
            if (n == row) {
                rows++;
                xmlChar *r_attr = xmlTextReaderGetAttribute(r, BAD_CAST "r");
                if (r_attr)
                    last = strtol((const char *)r_attr, NULL, 10);
                xmlFree(r_attr);
            } else if (n == c) {
                while (xmlTextReaderMoveToNextAttribute(r) == 1)
                    bytes += (long)strlen((const char *)xmlTextReaderConstValue(r));
                xmlTextReaderMoveToElement(r);
            }
        } else if (t == XML_READER_TYPE_TEXT) {
            cells += elem == v || elem == tx; /* a cell's value */
            bytes += (long)strlen((const char *)xmlTextReaderConstValue(r));
        }
    }
    xmlFreeTextReader(r);
    zip_fclose(f);
    zip_discard(z);
    if (ret < 0) {
        fprintf(stderr, "floor-import: malformed sheet\n");
        return 1;
    }
    printf("%ld %ld\n", cells, last > rows ? last : rows);
    return bytes < 0;
}
