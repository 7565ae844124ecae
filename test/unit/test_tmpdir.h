/* test_tmpdir.h: what the unit tests that write files share: the temporary
 * directory a test program writes its files in (made under $TMPDIR, or /tmp,
 * by the test's cmocka group setup, removed with everything in it by the
 * group teardown; one per program), paths in it, counting a directory's
 * entries, and a file-size limit that makes a write fail half-way. Includes
 * cmocka (a test includes this in place of cmocka's header block). */
#ifndef SAVU_TEST_TMPDIR_H
#define SAVU_TEST_TMPDIR_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/resource.h>

/* Makes $TMPDIR/<prefix>.XXXXXX (/tmp when TMPDIR is unset); 0 or -1. */
int test_tmpdir_make(const char *prefix);

/* Removes the directory and everything in it; 0 or -1. */
int test_tmpdir_remove(void);

/* test_tmpdir_remove as a cmocka group teardown. */
int test_tmpdir_teardown(void **state);

/* The directory's path. */
const char *test_tmpdir(void);

/* "<directory>/<name>" into out. */
void test_tmpdir_path(char *out, size_t size, const char *name);

/* "<directory>/<name>" in a buffer of its own; the last 8 results stay
 * valid. */
const char *test_tmpdir_file(const char *name);

/* How many entries directory dir holds ("." and ".." aside); fails the test
 * when it cannot be read. For checking that no temporary was left behind. */
int test_tmpdir_entries(const char *dir);

/* A file-size limit (RLIMIT_FSIZE, which holds for root too) with SIGXFSZ
 * ignored, so that writing past `bytes` fails with "File too large".
 * test_fsize_unlimit puts back the limit and the handler that
 * test_fsize_limit replaced. */
typedef struct test_fsize {
    struct rlimit saved;
    void (*old_handler)(int);
} test_fsize;
void test_fsize_limit(test_fsize *limit, rlim_t bytes);
void test_fsize_unlimit(const test_fsize *limit);

#endif
