/*
 * fuzz_sheet.c - libFuzzer harness for cadre-import's XLSX and ODS
 * readers and the table they feed (cadre_import_run with the shipped
 * cadres template, and cadre_import_scan).
 *
 * The input is the XML of a workbook's parts, split at the line
 * FUZZ_NEXT_PART: for XLSX (the default) the sheet, then the shared
 * strings, then the styles; for ODS (an input starting with "ODS\n")
 * content.xml, then styles.xml.  The harness zips them with the fixed
 * parts a workbook needs (libzip), so the fuzzer works on the XML the
 * readers parse, not on deflate streams it could never get right.
 * Seeds: fuzz/seeds/sheet/ (fuzz/make-corpus).
 */
#include "fuzz_util.h"

#include <zip.h>

#include "cadre/error.h"
#include "cadre/import.h"

#define FUZZ_NEXT_PART "\n<!--fuzz:part-->\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"r\">"
    "<Relationship Id=\"rId1\" Type=\"x/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook><workbookPr/>"
    "<sheets><sheet name=\"Danh sách\" sheetId=\"1\" r:id=\"rId1\" "
    "xmlns:r=\"r\"/></sheets></workbook>";
static const char wb_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"r\">"
    "<Relationship Id=\"rId1\" Type=\"x/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
static const char manifest[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest "
    "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>";
static const char ods_mime[] = "application/vnd.oasis.opendocument.spreadsheet";

static void add(zip_t *z, const char *name, const void *p, size_t n)
{
    zip_source_t *s = zip_source_buffer(z, p, n, 0);
    if (!s || zip_file_add(z, name, s, ZIP_FL_OVERWRITE) < 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool ods = size >= 4 && memcmp(data, "ODS\n", 4) == 0;
    if (ods)
        data += 4, size -= 4;
    const uint8_t *part[3] = {data, NULL, NULL};
    size_t len[3] = {size, 0, 0};
    size_t sep = strlen(FUZZ_NEXT_PART);
    for (int i = 0; i < 2; i++) {
        size_t cut = fuzz_split(part[i], len[i], FUZZ_NEXT_PART);
        if (cut == len[i])
            break;
        part[i + 1] = part[i] + cut + sep;
        len[i + 1] = len[i] - cut - sep;
        len[i] = cut;
    }
    char path[128], out[128];
    snprintf(path, sizeof path, "%s/in.%s", fuzz_dir(), ods ? "ods" : "xlsx");
    snprintf(out, sizeof out, "%s/out.xml", fuzz_dir());
    remove(path);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        abort();
    if (ods) {
        add(z, "mimetype", ods_mime, strlen(ods_mime));
        add(z, "META-INF/manifest.xml", manifest, strlen(manifest));
        add(z, "content.xml", part[0], len[0]);
        if (part[1])
            add(z, "styles.xml", part[1], len[1]);
    } else {
        add(z, "[Content_Types].xml", content_types, strlen(content_types));
        add(z, "_rels/.rels", root_rels, strlen(root_rels));
        add(z, "xl/workbook.xml", workbook, strlen(workbook));
        add(z, "xl/_rels/workbook.xml.rels", wb_rels, strlen(wb_rels));
        add(z, "xl/worksheets/sheet1.xml", part[0], len[0]);
        if (part[1])
            add(z, "xl/sharedStrings.xml", part[1], len[1]);
        if (part[2])
            add(z, "xl/styles.xml", part[2], len[2]);
    }
    if (zip_close(z) != 0)
        abort();

    cadre_diags diags;
    cadre_diags_init(&diags, 1000);
    cadre_import_scan(path, NULL, CADRE_IMPORT_AUTO, &diags);
    cadre_import_options o;
    cadre_import_options_init(&o);
    const char *files[] = {path};
    cadre_import_run(&o, files, 1, out, &diags, NULL);
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    if (null)
        cadre_diags_print(&diags, "fuzz", null);
    cadre_diags_release(&diags);
    return 0;
}
