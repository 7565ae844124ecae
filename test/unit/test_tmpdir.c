/* test_tmpdir.c: the unit tests' temporary directory (see test_tmpdir.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw */
#endif
#include "test_tmpdir.h"
#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char tmpdir[256];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int test_tmpdir_make(const char *prefix)
{
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(tmpdir, sizeof tmpdir, "%s/%s.XXXXXX", base, prefix);
    return mkdtemp(tmpdir) ? 0 : -1;
}

int test_tmpdir_remove(void)
{
    return nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int test_tmpdir_teardown(void **state)
{
    (void)state;
    return test_tmpdir_remove();
}

const char *test_tmpdir(void)
{
    return tmpdir;
}

void test_tmpdir_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", tmpdir, name);
}

const char *test_tmpdir_file(const char *name)
{
    static char paths[8][512];
    static int next;
    char *path = paths[next++ % 8];
    test_tmpdir_path(path, sizeof paths[0], name);
    return path;
}

int test_tmpdir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    closedir(d);
    return n;
}

void test_fsize_limit(test_fsize *limit, rlim_t bytes)
{
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &limit->saved), 0);
    struct rlimit limited = limit->saved;
    limited.rlim_cur = bytes;
    limit->old_handler = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &limited), 0);
}

void test_fsize_unlimit(const test_fsize *limit)
{
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &limit->saved), 0);
    signal(SIGXFSZ, limit->old_handler);
}
