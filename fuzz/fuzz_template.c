/*
 * fuzz_template.c - libFuzzer harness for the template reader
 * (cadre_tmpl_load, include/cadre/template.h) and the attribute helpers
 * every dialect calls on its tree.
 *
 * The input is written as t.xml in a private directory that also holds
 * fixed files to include (inc/part.xml, inc/empty.xml, inc/broken.xml,
 * inc/sub/deeper.xml, inc/cycle-b.xml which includes ../t.xml back).
 * When the input holds the separator line FUZZ_NEXT_FILE, the part after
 * it becomes inc/fuzz.xml, a second file under the fuzzer's control.
 * The root name asked for is the dialect the input's first element names
 * (certificate, roster or booklet), else "certificate": seeds get past
 * the root check and a wrong root is still tried.
 */
#include "fuzz_util.h"

#include "cadre/error.h"
#include "cadre/template.h"

#define FUZZ_NEXT_FILE "\n<!--fuzz:next-file-->\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(const char *name, const char *text)
{
    char path[256];
    fuzz_write(name, (const uint8_t *)text, strlen(text), path, sizeof path);
}

static void setup(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/inc", fuzz_dir());
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/inc/sub", fuzz_dir());
    mkdir(path, 0700);
    put("inc/part.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<fragment>\n"
        "  <text id=\"unit\">\xc4\x90\xc6\xa1n v\xe1\xbb\x8b: {unit.name}</text>\n"
        "  <include file=\"sub/deeper.xml\"/>\n"
        "  <text id=\"last\">X\xe1\xba\xbfp lo\xe1\xba\xa1i: {participant.grade}</text>\n"
        "</fragment>\n");
    put("inc/empty.xml", "<fragment/>\n");
    put("inc/broken.xml", "<fragment>\n  <text>\n</fragment>\n");
    put("inc/sub/deeper.xml",
        "<fragment>\n  <image file=\"../../seal.png\"/>\n</fragment>\n");
    put("inc/cycle-b.xml",
        "<fragment>\n  <include file=\"../t.xml\"/>\n</fragment>\n");
}

/* The name of the first element (after the prolog, comments and PIs),
 * when it is one of the dialects' roots. */
static const char *root_guess(const uint8_t *data, size_t size)
{
    static const char *const roots[] = {"certificate", "roster", "booklet"};
    for (size_t i = 0; i + 1 < size; i++) {
        if (data[i] != '<' || data[i + 1] == '?' || data[i + 1] == '!')
            continue;
        for (size_t r = 0; r < sizeof roots / sizeof *roots; r++) {
            size_t n = strlen(roots[r]);
            if (i + 1 + n <= size && memcmp(data + i + 1, roots[r], n) == 0)
                return roots[r];
        }
        break;
    }
    return "certificate";
}

/* Call every helper a dialect uses on every node. */
static void walk(const cadre_tnode *n, cadre_diags *diags)
{
    static const char *const allowed[] = {"x", "y", "size", "align", "bold",
                                          "file", "id", "if", NULL};
    static const char *const aligns[] = {"left", "center", "right", NULL};
    for (; n; n = n->next) {
        double x = 0;
        int align = 0;
        bool bold = false;
        cadre_tnode_is(n, "text");
        cadre_tnode_attr(n, "id");
        cadre_tnode_check_attrs(n, allowed, diags);
        cadre_tnode_number(n, "x", -1000, 1000, &x, diags);
        cadre_tnode_choice(n, "align", aligns, &align, diags);
        cadre_tnode_bool(n, "bold", &bold, diags);
        if (cadre_tnode_attr(n, "file"))
            free(cadre_tnode_path(n, cadre_tnode_attr(n, "file")));
        if (n->n_attrs == 0 && n->text[0])
            cadre_tnode_error(n, diags, "text %s", n->text);
        walk(n->children, diags);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        setup();
        ready = true;
    }
    char path[256], second[256];
    size_t cut = fuzz_split(data, size, FUZZ_NEXT_FILE);
    size_t skip = cut < size ? strlen(FUZZ_NEXT_FILE) : 0;
    fuzz_write("t.xml", data, cut, path, sizeof path);
    if (skip)
        fuzz_write("inc/fuzz.xml", data + cut + skip, size - cut - skip,
                   second, sizeof second);
    else
        put("inc/fuzz.xml", "<fragment/>\n");

    cadre_diags diags;
    cadre_diags_init(&diags, 1000);
    cadre_tmpl *t = cadre_tmpl_load(path, root_guess(data, cut), &diags);
    if (t) {
        if (!t->root || !t->path || !t->dir)
            abort();
        cadre_tnode_require(t->root, "page", &diags);
        walk(t->root, &diags);
    }
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    if (null)
        cadre_diags_print(&diags, "fuzz", null);
    cadre_tmpl_free(t);
    cadre_diags_release(&diags);
    return 0;
}
