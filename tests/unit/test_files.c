/* Unit tests of files.h: outputs refused or allowed by what this process
 * read and wrote, through the public API. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/files.h"
#include "check.h"

/* A folder of the build tree (not /tmp, which may be a tmpfs that never
 * hands an inode number out twice): $BUILD/test-files-XXXXXX. */
static char dir[256];

static char *at(const char *name)
{
    static char buf[4][sizeof dir + 64];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static cadre_error write_out(const char *path, const char *text,
                             cadre_diags *d)
{
    cadre_outfile out;
    cadre_error err = cadre_outfile_begin(&out, path, d);
    if (err != CADRE_OK)
        return err;
    put(out.tmp, text);
    return cadre_outfile_commit(&out, d);
}

static ino_t ino_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* Another run in the same folder replaces a file this one wrote, then
 * writes a new file whose inode is the freed one: that file is not "already
 * written by this command". */
TEST(inode_reused_by_another_run)
{
    cadre_diags d;
    cadre_diags_init(&d, 0);
    CHECK_INT(write_out(at("a"), "ours\n", &d), CADRE_OK);
    ino_t ours = ino_of(at("a"));
    int reused = 0;
    for (int tries = 0; tries < 20 && !reused; tries++) {
        /* the other run: its own a (rename frees our inode), then its b
         * from a temporary file of its own */
        put(at("other-tmp"), "theirs\n");
        rename(at("other-tmp"), at("a"));
        put(at("other-tmp2"), "theirs too\n");
        reused = ino_of(at("other-tmp2")) == ours;
        rename(at("other-tmp2"), at("b"));
        if (!reused) { /* try again with a file of ours to free */
            CHECK_INT(write_out(at("a"), "ours\n", &d), CADRE_OK);
            ours = ino_of(at("a"));
        }
    }
    if (!reused)
        fprintf(stderr, "test_files: this file system gave no inode twice\n");
    CHECK_INT(write_out(at("b"), "ours now\n", &d), CADRE_OK);
    CHECK_INT(d.errors, 0);
    if (d.count)
        fprintf(stderr, "%s\n", d.items[0].message);
    cadre_diags_release(&d);
}

/* The same path given for two outputs of one run is still refused. */
TEST(same_output_twice)
{
    cadre_diags d;
    cadre_diags_init(&d, 0);
    CHECK_INT(write_out(at("c"), "first\n", &d), CADRE_OK);
    CHECK_INT(write_out(at("c"), "second\n", &d), CADRE_EIO);
    CHECK(d.count == 1 && strstr(d.items[0].message,
                                 "it was already written by this command"));
    cadre_diags_release(&d);
}

/* An input, by any name, is never an output; thousands of inputs. */
TEST(many_inputs)
{
    cadre_diags d;
    cadre_diags_init(&d, 0);
    for (int i = 0; i < 3000; i++) {
        char name[32];
        snprintf(name, sizeof name, "in%d", i);
        put(at(name), "input\n");
        struct stat st;
        stat(at(name), &st);
        cadre_files_note_input(&st);
    }
    CHECK_INT(write_out(at("in2999"), "x", &d), CADRE_EIO);
    symlink("in65", at("link-to-input"));
    CHECK_INT(write_out(at("link-to-input"), "x", &d), CADRE_EIO);
    CHECK_INT(d.count, 2);
    FILE *f = fopen(at("in65"), "r");
    char line[16] = "";
    CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "input\n") == 0);
    if (f)
        fclose(f);
    cadre_diags_release(&d);
}

/* Written through a link: the link stays, its target is replaced. */
TEST(through_a_link)
{
    cadre_diags d;
    cadre_diags_init(&d, 0);
    put(at("target"), "old\n");
    symlink("target", at("link"));
    CHECK_INT(write_out(at("link"), "new\n", &d), CADRE_OK);
    struct stat st;
    CHECK(lstat(at("link"), &st) == 0 && S_ISLNK(st.st_mode));
    FILE *f = fopen(at("target"), "r");
    char line[16] = "";
    CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "new\n") == 0);
    if (f)
        fclose(f);
    cadre_diags_release(&d);
}

int main(void)
{
    const char *build = getenv("BUILD");
    snprintf(dir, sizeof dir, "%s/test-files-XXXXXX", build ? build : "build");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(inode_reused_by_another_run);
    RUN(same_output_twice);
    RUN(many_inputs);
    RUN(through_a_link);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
