/*
 * check.h - the smallest test harness that tells what failed and where.
 *
 *     TEST(upper_case) { CHECK_STR(up("đình lập"), "ĐÌNH LẬP"); }
 *     int main(void) { RUN(upper_case); return check_done(); }
 *
 * Each test prints "ok NAME" or "FAIL NAME" (tests/run counts these lines);
 * each failed check prints its file, line and the values compared.
 */
#ifndef CADRE_TEST_CHECK_H
#define CADRE_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;

#define TEST(name) static void name(void)
#define RUN(name) check_run(#name, name)

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            check_failures++;                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
        }                                                                  \
    } while (0)

#define CHECK_INT(a, b)                                                    \
    do {                                                                   \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);    \
        if (check_a_ != check_b_) {                                        \
            check_failures++;                                              \
            fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n",          \
                    __FILE__, __LINE__, #a, check_a_, check_b_);           \
        }                                                                  \
    } while (0)

#define CHECK_STR(a, b)                                                    \
    do {                                                                   \
        const char *check_a_ = (a), *check_b_ = (b);                       \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {   \
            check_failures++;                                              \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n",      \
                    __FILE__, __LINE__, #a,                                \
                    check_a_ ? check_a_ : "(null)",                        \
                    check_b_ ? check_b_ : "(null)");                       \
        }                                                                  \
    } while (0)

static inline void check_run(const char *name, void (*fn)(void))
{
    int before = check_failures;
    fn();
    printf("%s %s\n", check_failures == before ? "ok" : "FAIL", name);
    fflush(stdout);
}

static inline int check_done(void) { return check_failures ? 1 : 0; }

#endif
