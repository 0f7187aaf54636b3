/*
 * fuzz_csv.c - libFuzzer harness for cadre-import's CSV reader and the
 * table it feeds: the input is one CSV file, imported with the shipped
 * cadres template as UTF-8 (or UTF-16 by its BOM), then read again in a
 * legacy encoding, TCVN3, VNI or Windows-1258 by the input's length (the
 * legacy decoders on every byte).
 * Seeds: the CSV files of tests/func/import/data, fuzz/seeds/csv/ (fuzz/make-corpus).
 */
#include "fuzz_util.h"

#include "cadre/error.h"
#include "cadre/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128], out[128];
    fuzz_write("in.csv", data, size, path, sizeof path);
    snprintf(out, sizeof out, "%s/out.xml", fuzz_dir());
    static const cadre_import_encoding legacy[] = {
        CADRE_IMPORT_TCVN3, CADRE_IMPORT_VNI, CADRE_IMPORT_CP1258};
    const cadre_import_encoding encs[] = {CADRE_IMPORT_AUTO,
                                          legacy[size % 3]};
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    for (size_t i = 0; i < sizeof encs / sizeof encs[0]; i++) {
        cadre_diags diags;
        cadre_diags_init(&diags, 1000);
        cadre_import_options o;
        cadre_import_options_init(&o);
        o.encoding = encs[i];
        const char *files[] = {path};
        cadre_import_run(&o, files, 1, out, &diags, NULL);
        if (null)
            cadre_diags_print(&diags, "fuzz", null);
        cadre_diags_release(&diags);
    }
    return 0;
}
