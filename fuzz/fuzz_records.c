/*
 * fuzz_records.c - libFuzzer harness for the records loader
 * (cadre_records_load + cadre_records_finish, include/cadre/records.h).
 *
 * The input is one records file.  When it holds the separator line
 * FUZZ_NEXT_FILE, the part before it is a first file and the part after
 * it a second one, loaded into the same records before finish: the
 * merge rules (duplicates, references and root attributes across files)
 * get fuzzed too.  Seeds: build-fuzz/corpus/records (fuzz/make-corpus).
 */
#include "fuzz_util.h"

#include "cadre/error.h"
#include "cadre/records.h"

#define FUZZ_NEXT_FILE "\n<!--fuzz:next-file-->\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char a[128], b[128];
    size_t cut = fuzz_split(data, size, FUZZ_NEXT_FILE);
    size_t skip = cut < size ? strlen(FUZZ_NEXT_FILE) : 0;
    fuzz_write("a.xml", data, cut, a, sizeof a);
    if (skip)
        fuzz_write("b.xml", data + cut + skip, size - cut - skip, b, sizeof b);

    cadre_diags diags;
    cadre_diags_init(&diags, 1000);
    cadre_records *recs = cadre_records_new();
    if (recs) {
        cadre_records_load(recs, a, &diags);
        if (skip)
            cadre_records_load(recs, b, &diags);
        if (cadre_records_finish(recs, &diags) == CADRE_OK) {
            /* The read-only API a tool uses next must hold on what passed. */
            for (size_t i = 0; i < recs->n_cadres; i++)
                if (cadre_records_find_cadre(recs, recs->cadres[i].id) == CADRE_NONE)
                    abort();
            uint32_t *idx = malloc((recs->n_cadres + 1) * sizeof *idx);
            if (idx) {
                for (size_t i = 0; i < recs->n_cadres; i++)
                    idx[i] = (uint32_t)i;
                cadre_records_sort_cadres(recs, idx, recs->n_cadres);
                free(idx);
            }
        }
    }
    /* Printing every message exercises the diagnostics' formatting. */
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    if (null)
        cadre_diags_print(&diags, "fuzz", null);
    cadre_records_free(recs);
    cadre_diags_release(&diags);
    return 0;
}
