/*
 * test_template.c - the template file core (template.h): the tree, NFC,
 * includes and their errors, the attribute helpers.  Fixtures are in
 * tests/unit/data/template/; the test runs inside that folder so that
 * messages name files as a clerk would see them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cadre/expr.h"
#include "cadre/template.h"
#include "check.h"

static cadre_diags diags;

static void reset(void)
{
    cadre_diags_release(&diags);
    cadre_diags_init(&diags, 20);
}

/* Message `i` in the compiler form, or "". */
static const char *msg_at(size_t i)
{
    static char buf[1024];
    buf[0] = '\0';
    if (i < diags.count) {
        if (diags.items[i].file)
            snprintf(buf, sizeof buf, "%s:%lu: error: %s",
                     diags.items[i].file, diags.items[i].line,
                     diags.items[i].message);
        else
            snprintf(buf, sizeof buf, "error: %s", diags.items[i].message);
    }
    return buf;
}

static const char *msg(void) { return msg_at(0); }

/* Load `path` expecting failure; the first message. */
static const char *load_error(const char *path)
{
    reset();
    cadre_tmpl *t = cadre_tmpl_load(path, "certificate", &diags);
    if (t) {
        cadre_tmpl_free(t);
        return "(loaded)";
    }
    return msg();
}

static const cadre_tnode *child(const cadre_tnode *n, int k)
{
    const cadre_tnode *c = n->children;
    while (c && k-- > 0)
        c = c->next;
    return c;
}

static int count_children(const cadre_tnode *n)
{
    int k = 0;
    for (const cadre_tnode *c = n->children; c; c = c->next)
        k++;
    return k;
}

TEST(tree)
{
    reset();
    cadre_tmpl *t = cadre_tmpl_load("ok.xml", "certificate", &diags);
    CHECK(t != NULL);
    if (!t) {
        fprintf(stderr, "%s\n", msg());
        return;
    }
    CHECK_STR(t->path, "ok.xml");
    CHECK_STR(t->dir, ".");
    const cadre_tnode *r = t->root;
    CHECK_STR(r->name, "certificate");
    CHECK(r->parent == NULL);
    CHECK_INT(r->line, 3);
    CHECK_INT(r->n_attrs, 2);
    CHECK_STR(r->attrs[0].name, "page");
    CHECK_STR(r->attrs[1].value, "landscape");
    CHECK_STR(r->text, "");
    CHECK_INT(count_children(r), 6);

    const cadre_tnode *n = child(r, 0);
    CHECK(cadre_tnode_is(n, "text"));
    CHECK(!cadre_tnode_is(n, "box"));
    CHECK_INT(n->line, 4);
    CHECK_STR(n->file, "ok.xml");
    CHECK(n->parent == r);
    CHECK_STR(n->text,
              "Chứng nhận {cadre.gender|ong-ba}: {cadre.full-name|upper}");
    CHECK_STR(cadre_tnode_attr(n, "y"), "30.5");
    CHECK(cadre_tnode_attr(n, "z") == NULL);

    /* the included file's children, in place of the include */
    n = child(r, 1);
    CHECK_STR(n->name, "text");
    CHECK_STR(cadre_tnode_attr(n, "id"), "unit");
    CHECK_STR(n->file, "inc/part.xml");
    CHECK_INT(n->line, 3);
    CHECK(n->parent == r);
    n = child(r, 2);
    CHECK_STR(n->name, "image");
    CHECK_STR(n->file, "inc/sub/deeper.xml");
    CHECK_INT(n->line, 3);
    CHECK(n->parent == r);
    char *p = cadre_tnode_path(n, cadre_tnode_attr(n, "file"));
    CHECK_STR(p, "inc/sub/../../seal.png");
    free(p);
    p = cadre_tnode_path(n, "/usr/share/x.png");
    CHECK_STR(p, "/usr/share/x.png");
    free(p);
    n = child(r, 3);
    CHECK_STR(cadre_tnode_attr(n, "id"), "last");
    CHECK_STR(n->text, "Xếp loại: {participant.grade}");

    /* an include of an empty file leaves nothing */
    n = child(r, 4);
    CHECK_STR(n->name, "box");
    CHECK_INT(count_children(n), 1);
    CHECK_STR(n->children->text, "Sinh ngày {cadre.birth-date|date}");
    CHECK(n->children->parent == n);
    CHECK_INT(n->children->line, 9);
    n = child(r, 5);
    CHECK_STR(n->name, "line");
    CHECK_INT(n->line, 12);
    CHECK(n->next == NULL);
    p = cadre_tnode_path(n, "seal.png");
    CHECK_STR(p, "seal.png");
    free(p);
    CHECK_INT(diags.count, 0);
    cadre_tmpl_free(t);

    /* a template in a folder: its directory */
    reset();
    t = cadre_tmpl_load("inc/part.xml", "fragment", &diags);
    CHECK(t != NULL);
    if (t) {
        CHECK_STR(t->dir, "inc");
        CHECK_INT(count_children(t->root), 3);
        CHECK_STR(child(t->root, 1)->file, "inc/sub/deeper.xml");
    }
    cadre_tmpl_free(t);
    cadre_tmpl_free(NULL);
}

TEST(nfc)
{
    reset();
    cadre_tmpl *t = cadre_tmpl_load("nfd.xml", "certificate", &diags);
    CHECK(t != NULL);
    if (!t)
        return;
    const cadre_tnode *n = t->root->children;
    CHECK_STR(cadre_tnode_attr(n, "title"), "Nguyễn");
    CHECK_STR(n->text, "Trần Quang Khải");
    cadre_tmpl_free(t);
}

TEST(include_errors)
{
    CHECK_STR(load_error("self.xml"),
              "self.xml:4: error: include cycle: 'self.xml' includes itself");
    CHECK_STR(load_error("cycle-a.xml"),
              "inc/cycle-b.xml:4: error: include cycle: 'cycle-a.xml' -> "
              "'inc/cycle-b.xml' -> 'cycle-a.xml'");
    CHECK_STR(load_error("missing.xml"),
              "missing.xml:4: error: cannot include 'no-such-file.xml': No "
              "such file or directory");
    CHECK_STR(load_error("include-no-file.xml"),
              "include-no-file.xml:3: error: missing attribute 'file' on "
              "<include>");
    CHECK_STR(load_error("include-extra.xml"),
              "include-extra.xml:3: error: unknown attribute 'optional' on "
              "<include> (expected one of: file)");
    CHECK_STR(load_error("include-body.xml"),
              "include-body.xml:3: error: <include> must be empty");
    const char *m = load_error("include-broken.xml");
    CHECK(strncmp(m, "inc/broken.xml:4: error: malformed XML", 38) == 0);
}

TEST(file_errors)
{
    CHECK_STR(load_error("doctype.xml"),
              "doctype.xml:2: error: DOCTYPE declarations are not allowed");
    CHECK_STR(load_error("wrong-root.xml"),
              "wrong-root.xml:3: error: the root element is <roster>, "
              "expected <certificate>");
    CHECK_STR(load_error("no-such-template.xml"),
              "error: cannot open 'no-such-template.xml': No such file or "
              "directory");
}

/* Write `text` to dir/name. */
static void put_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

TEST(limits)
{
    char dir[] = "/tmp/cadre-tmpl-XXXXXX";
    char name[64], body[256], path[600];
    CHECK(mkdtemp(dir) != NULL);

    /* a chain of 20 files, each including the next */
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "d%d.xml", i);
        snprintf(body, sizeof body,
                 "<certificate>\n<include file=\"d%d.xml\"/>\n</certificate>\n",
                 i + 1);
        put_file(dir, name, i < 19 ? body : "<certificate/>\n");
    }
    snprintf(path, sizeof path, "%s/d0.xml", dir);
    const char *m = load_error(path);
    CHECK(strstr(m, "d16.xml:2: error: includes nested too deeply (more "
                    "than 16)") != NULL);
    /* 15 levels are fine */
    snprintf(path, sizeof path, "%s/d5.xml", dir);
    reset();
    cadre_tmpl *t = cadre_tmpl_load(path, "certificate", &diags);
    CHECK(t != NULL);
    cadre_tmpl_free(t);

    /* a diamond is not a cycle, but the elements add up */
    char *big = malloc(1001 * 12 + 64);
    strcpy(big, "<fragment>");
    for (int i = 0; i < 1001; i++)
        strcat(big, "<a/>");
    strcat(big, "</fragment>\n");
    put_file(dir, "e.xml", big);
    strcpy(big, "<certificate>");
    for (int i = 0; i < 100; i++)
        strcat(big, "<include file=\"e.xml\"/>");
    strcat(big, "</certificate>\n");
    put_file(dir, "many.xml", big);
    put_file(dir, "two.xml", "<certificate><include file=\"e.xml\"/>"
                             "<include file=\"e.xml\"/></certificate>\n");
    snprintf(path, sizeof path, "%s/two.xml", dir);
    reset();
    t = cadre_tmpl_load(path, "certificate", &diags);
    CHECK(t != NULL);
    if (t)
        CHECK_INT(count_children(t->root), 2002);
    cadre_tmpl_free(t);
    snprintf(path, sizeof path, "%s/many.xml", dir);
    m = load_error(path);
    CHECK(strstr(m, "e.xml:1: error: template too large (more than 100000 "
                    "elements, includes counted)") != NULL);

    /* nesting deeper than 32 in one file */
    strcpy(big, "<certificate>");
    for (int i = 0; i < 40; i++)
        strcat(big, "<a>");
    for (int i = 0; i < 40; i++)
        strcat(big, "</a>");
    strcat(big, "</certificate>\n");
    put_file(dir, "deep.xml", big);
    snprintf(path, sizeof path, "%s/deep.xml", dir);
    m = load_error(path);
    CHECK(strstr(m, "nested too deep") != NULL);
    free(big);

    const char *files[] = { "e.xml", "many.xml", "two.xml", "deep.xml" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    for (int i = 0; i < 20; i++) {
        snprintf(path, sizeof path, "%s/d%d.xml", dir, i);
        unlink(path);
    }
    rmdir(dir);
}

TEST(attributes)
{
    static const char *const allowed[] = { "x", "y", "size", "align", "bold",
                                           "width", NULL };
    static const char *const aligns[] = { "left", "center", "right", NULL };
    reset();
    cadre_tmpl *t = cadre_tmpl_load("attrs.xml", "certificate", &diags);
    CHECK(t != NULL);
    if (!t)
        return;
    const cadre_tnode *a = child(t->root, 0), *b = child(t->root, 1),
                      *c = child(t->root, 2), *d = child(t->root, 3);
    double size = 12, width = 0;
    int align = 0;
    bool bold = false;

    /* good values */
    reset();
    CHECK_INT(cadre_tnode_number(a, "size", 6, 72, &size, &diags), 0);
    CHECK(size == 14);
    CHECK_INT(cadre_tnode_number(a, "width", -10, 10, &width, &diags), 0);
    CHECK(width == -2.5);
    CHECK_INT(cadre_tnode_choice(a, "align", aligns, &align, &diags), 0);
    CHECK_INT(align, 1);
    CHECK_INT(cadre_tnode_bool(a, "bold", &bold, &diags), 0);
    CHECK(bold);
    CHECK_INT(diags.count, 0);
    CHECK_INT(cadre_tnode_number(c, "width", 0, 100, &width, &diags), 0);
    CHECK(width == 12);

    /* unknown attributes, each reported */
    CHECK_INT(cadre_tnode_check_attrs(a, allowed, &diags), 2);
    CHECK_STR(msg_at(0), "attrs.xml:3: error: unknown attribute 'junk' on "
                         "<text> (expected one of: x, y, size, align, bold, "
                         "width)");
    CHECK_STR(msg_at(1), "attrs.xml:3: error: unknown attribute 'more' on "
                         "<text> (expected one of: x, y, size, align, bold, "
                         "width)");
    reset();
    CHECK_INT(cadre_tnode_check_attrs(d, allowed, &diags), 0);
    CHECK_INT(cadre_tnode_check_attrs(d, NULL, &diags), 0);
    CHECK_INT(cadre_tnode_check_attrs(a, (const char *const[]){ NULL },
                                      &diags), 6);
    CHECK_STR(msg(), "attrs.xml:3: error: unknown attribute 'size' on <text> "
                     "(it takes none)");

    /* bad values */
    reset();
    size = 12;
    CHECK_INT(cadre_tnode_number(b, "size", 6, 72, &size, &diags), -1);
    CHECK(size == 12);
    CHECK_STR(msg(), "attrs.xml:4: error: invalid value 'abc' for attribute "
                     "'size' of <text> (expected a number from 6 to 72)");
    reset();
    CHECK_INT(cadre_tnode_number(c, "size", 6, 72, &size, &diags), -1);
    CHECK_STR(msg(), "attrs.xml:5: error: invalid value '200' for attribute "
                     "'size' of <text> (expected a number from 6 to 72)");
    reset();
    CHECK_INT(cadre_tnode_number(b, "width", 0, 1e6, &width, &diags), -1);
    reset();
    align = 2;
    CHECK_INT(cadre_tnode_choice(b, "align", aligns, &align, &diags), -1);
    CHECK_INT(align, 2);
    CHECK_STR(msg(), "attrs.xml:4: error: invalid value 'middle' for "
                     "attribute 'align' of <text> (expected one of: left, "
                     "center, right)");
    reset();
    CHECK_INT(cadre_tnode_bool(b, "bold", &bold, &diags), -1);
    CHECK_STR(msg(), "attrs.xml:4: error: invalid value 'yes' for attribute "
                     "'bold' of <text> (expected one of: true, false)");

    /* absent: values kept */
    reset();
    size = 9;
    align = 2;
    bold = true;
    CHECK_INT(cadre_tnode_number(d, "size", 6, 72, &size, &diags), 0);
    CHECK_INT(cadre_tnode_choice(d, "align", aligns, &align, &diags), 0);
    CHECK_INT(cadre_tnode_bool(d, "bold", &bold, &diags), 0);
    CHECK(size == 9);
    CHECK_INT(align, 2);
    CHECK(bold);
    CHECK_INT(diags.count, 0);
    CHECK(cadre_tnode_require(d, "x", &diags) == NULL);
    CHECK_STR(msg(), "attrs.xml:6: error: missing attribute 'x' on <line>");
    CHECK_STR(cadre_tnode_require(a, "size", &diags), "14");
    reset();
    cadre_tnode_error(d, &diags, "a <%s> needs two ends", d->name);
    CHECK_STR(msg(), "attrs.xml:6: error: a <line> needs two ends");
    cadre_tmpl_free(t);
}

/* A dialect's use of the core: compile a node's text with its file and
 * line, so an error in it points into the template. */
TEST(text_in_template)
{
    reset();
    cadre_tmpl *t = cadre_tmpl_load("ok.xml", "certificate", &diags);
    CHECK(t != NULL);
    if (!t)
        return;
    const cadre_scope scope = { CADRE_ROOT_PARTICIPANT, NULL };
    const cadre_tnode *n = child(t->root, 0);
    cadre_tmpl_text *txt = cadre_tmpl_text_compile(n->text, &scope, n->file,
                                                   n->line, &diags);
    CHECK(txt != NULL);
    cadre_tmpl_text_free(txt);
    /* the included file's text, with a field the scope lacks */
    const cadre_scope cadre_only = { CADRE_ROOT_CADRE, NULL };
    n = child(t->root, 3);
    txt = cadre_tmpl_text_compile(n->text, &cadre_only, n->file, n->line,
                                  &diags);
    CHECK(txt == NULL);
    CHECK_STR(msg(), "inc/part.xml:5: error: unknown name "
                     "'participant.grade' (there is no participant here) in "
                     "'{participant.grade}'");
    cadre_tmpl_free(t);
}

int main(void)
{
    const char *top = getenv("CADRE_TOP");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/unit/data/template", top ? top : ".");
    if (chdir(dir) != 0) {
        fprintf(stderr, "test_template: cannot enter '%s'\n", dir);
        printf("FAIL fixtures\n");
        return 1;
    }
    cadre_diags_init(&diags, 20);
    RUN(tree);
    RUN(nfc);
    RUN(include_errors);
    RUN(file_errors);
    RUN(limits);
    RUN(attributes);
    RUN(text_in_template);
    cadre_diags_release(&diags);
    return check_done();
}
