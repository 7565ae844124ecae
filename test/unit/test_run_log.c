/* test_run_log.c: the engine's support modules against their headers:
 * run_log.h (file line format with a fixed clock, console routing by
 * verbosity, level and rank, one-line messages, colour only on a terminal
 * and without NO_COLOR, thread safety, hiding the progress bar),
 * progress.h (plain lines and the terminal bar with a fake clock: timing,
 * rounding, ETA, final line, cancel, disabled, NULL), output_folder.h
 * (folder names, every error message, output_stem, run_command_write run
 * through sh), bibtex.h (keys, fields, surnames, EndNote tags, odd
 * spacing) and options.h (parse_memory_size and engine_options_parse). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "bibtex.h"
#include "options.h"
#include "output_folder.h"
#include "progress.h"
#include "run_log.h"

#define GIB (1024.0 * 1024 * 1024)
#define MIB (1024.0 * 1024)

/* 2026-03-01 14:05:09 UTC (main sets TZ=UTC). */
#define FIXED_TIME ((time_t)1772373909)

/* ---- helpers ---- */

static char *slurp(FILE *f)
{
    assert_int_equal(fflush(f), 0);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    return text;
}

/* f's whole content, then f emptied. */
static char *take(FILE *f)
{
    char *text = slurp(f);
    assert_int_equal(ftruncate(fileno(f), 0), 0);
    rewind(f);
    return text;
}

static void assert_content(FILE *f, const char *expected)
{
    char *text = take(f);
    assert_string_equal(text, expected);
    free(text);
}

static char *read_path(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = slurp(f);
    fclose(f);
    return text;
}

static void write_path(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *join(const char *a, const char *b)
{
    char *path = NULL;
    assert_true(asprintf(&path, "%s/%s", a, b) > 0);
    return path;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_tmpdir(char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* ---- run_log ---- */

static time_t fixed_clock(void)
{
    return FIXED_TIME;
}

struct log_fixture {
    FILE *out, *err;
    char *dir, *log_path;
};

static int log_setup(void **state)
{
    struct log_fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    fx->out = tmpfile();
    fx->err = tmpfile();
    fx->dir = strdup("/tmp/test_run_log.XXXXXX");
    if (!fx->out || !fx->err || !fx->dir || !mkdtemp(fx->dir))
        return -1;
    if (asprintf(&fx->log_path, "%s/log.txt", fx->dir) < 0)
        return -1;
    unsetenv("NO_COLOR");
    run_log_init(0, LOG_NORMAL);
    run_log_set_console(fx->out, fx->err);
    run_log_set_clock(fixed_clock);
    *state = fx;
    return 0;
}

static int log_teardown(void **state)
{
    struct log_fixture *fx = *state;
    run_log_close();
    run_log_set_console(NULL, NULL);
    run_log_set_clock(NULL);
    run_log_init(0, LOG_NORMAL);
    progress_set_stream(NULL, false);
    progress_set_clock(NULL);
    unsetenv("NO_COLOR");
    fclose(fx->out);
    fclose(fx->err);
    free(fx->log_path);
    remove_tmpdir(fx->dir);
    free(fx);
    return 0;
}

static void log_all_levels(void)
{
    savu_log(LOG_ERROR, "E%d", 1);
    savu_log(LOG_WARNING, "W%d", 2);
    savu_log(LOG_INFO, "I%d", 3);
    savu_log(LOG_DEBUG, "D%d", 4);
}

static void test_log_file_line_format(void **state)
{
    struct log_fixture *fx = *state;
    savu_error err = {""};
    write_path(fx->log_path, "an earlier run\n");
    assert_int_equal(run_log_open(fx->log_path, &err), 0);
    savu_log(LOG_INFO, "section %d/%d (%s): %s", 2, 3, "sinogram", "TomoRecon");
    savu_log(LOG_WARNING, "w");
    savu_log(LOG_ERROR, "e");
    savu_log(LOG_DEBUG, "d"); /* every message reaches the file, whatever the verbosity */
    const char *expected = "an earlier run\n" /* appended to */
                           "2026-03-01 14:05:09 INFO    section 2/3 (sinogram): TomoRecon\n"
                           "2026-03-01 14:05:09 WARNING w\n"
                           "2026-03-01 14:05:09 ERROR   e\n"
                           "2026-03-01 14:05:09 DEBUG   d\n";
    char *text = read_path(fx->log_path); /* each line is in the file at once */
    assert_string_equal(text, expected);
    free(text);
    run_log_close();
    savu_log(LOG_INFO, "after close");
    text = read_path(fx->log_path);
    assert_string_equal(text, expected);
    free(text);
    assert_content(fx->out, "section 2/3 (sinogram): TomoRecon\nwarning: w\nafter close\n");
    assert_content(fx->err, "error: e\n");

    /* Opened again: appends. */
    assert_int_equal(run_log_open(fx->log_path, &err), 0);
    savu_log(LOG_INFO, "again");
    run_log_close();
    text = read_path(fx->log_path);
    assert_non_null(strstr(text, "DEBUG   d\n2026-03-01 14:05:09 INFO    again\n"));
    free(text);
}

static void test_log_before_open_goes_to_console_only(void **state)
{
    struct log_fixture *fx = *state;
    savu_log(LOG_INFO, "early");
    savu_log(LOG_ERROR, "early error");
    assert_false(exists(fx->log_path));
    assert_content(fx->out, "early\n");
    assert_content(fx->err, "error: early error\n");
    savu_error err = {""};
    assert_int_equal(run_log_open(fx->log_path, &err), 0);
    run_log_close();
    char *text = read_path(fx->log_path);
    assert_string_equal(text, "");
    free(text);
}

static void test_log_open_error(void **state)
{
    struct log_fixture *fx = *state;
    savu_error err = {""};
    char *missing = join(fx->dir, "missing/log.txt");
    assert_int_equal(run_log_open(missing, &err), -1);
    char *expected = NULL;
    assert_true(asprintf(&expected, "cannot write log file '%s': No such file or directory",
                         missing) > 0);
    assert_string_equal(err.msg, expected);
    free(expected);
    /* A folder is no log file either. */
    assert_int_equal(run_log_open(fx->dir, &err), -1);
    assert_true(asprintf(&expected, "cannot write log file '%s': Is a directory", fx->dir) > 0);
    assert_string_equal(err.msg, expected);
    free(expected);
    free(missing);
}

static void test_log_console_by_verbosity(void **state)
{
    struct log_fixture *fx = *state;
    run_log_init(0, LOG_QUIET);
    log_all_levels();
    assert_content(fx->out, "");
    assert_content(fx->err, "error: E1\n");

    run_log_init(0, LOG_NORMAL);
    log_all_levels();
    assert_content(fx->out, "warning: W2\nI3\n");
    assert_content(fx->err, "error: E1\n");

    run_log_init(0, LOG_VERBOSE);
    log_all_levels();
    assert_content(fx->out, "warning: W2\nI3\ndebug: D4\n");
    assert_content(fx->err, "error: E1\n");
}

static void test_log_verbosity_does_not_filter_the_file(void **state)
{
    struct log_fixture *fx = *state;
    savu_error err = {""};
    run_log_init(0, LOG_QUIET);
    assert_int_equal(run_log_open(fx->log_path, &err), 0);
    log_all_levels();
    run_log_close();
    char *text = read_path(fx->log_path);
    assert_string_equal(text, "2026-03-01 14:05:09 ERROR   E1\n"
                              "2026-03-01 14:05:09 WARNING W2\n"
                              "2026-03-01 14:05:09 INFO    I3\n"
                              "2026-03-01 14:05:09 DEBUG   D4\n");
    free(text);
}

static void test_log_other_ranks(void **state)
{
    struct log_fixture *fx = *state;
    savu_error err = {""};
    run_log_init(3, LOG_VERBOSE);
    assert_int_equal(run_log_open(fx->log_path, &err), 0); /* does nothing */
    log_all_levels();
    run_log_close();
    assert_false(exists(fx->log_path));
    assert_content(fx->out, "");
    assert_content(fx->err, "rank 3: error: E1\nrank 3: warning: W2\n");

    run_log_init(12, LOG_NORMAL);
    log_all_levels();
    assert_content(fx->out, "");
    assert_content(fx->err, "rank 12: error: E1\nrank 12: warning: W2\n");

    /* Called again as rank 0: back to the rank 0 rules. */
    run_log_init(0, LOG_NORMAL);
    log_all_levels();
    assert_content(fx->out, "warning: W2\nI3\n");
    assert_content(fx->err, "error: E1\n");
}

static void test_log_message_is_one_line(void **state)
{
    struct log_fixture *fx = *state;
    savu_error err = {""};
    assert_int_equal(run_log_open(fx->log_path, &err), 0);
    savu_log(LOG_INFO, "first\nsecond\nthird");
    savu_log(LOG_ERROR, "a\r\nb\tc");
    savu_log(LOG_WARNING, "%s", "ends with a newline\n");
    run_log_close();
    assert_content(fx->out, "first second third\nwarning: ends with a newline\n");
    assert_content(fx->err, "error: a  b c\n");
    char *text = read_path(fx->log_path);
    assert_string_equal(text, "2026-03-01 14:05:09 INFO    first second third\n"
                              "2026-03-01 14:05:09 ERROR   a  b c\n"
                              "2026-03-01 14:05:09 WARNING ends with a newline\n");
    free(text);
}

static void test_log_long_message(void **state)
{
    struct log_fixture *fx = *state;
    char *big = malloc(5001);
    assert_non_null(big);
    memset(big, 'x', 5000);
    big[5000] = '\0';
    savu_log(LOG_INFO, "%s", big);
    char *text = take(fx->out);
    assert_int_equal(strlen(text), 5001);
    assert_memory_equal(text, big, 5000);
    free(text);
    free(big);
}

static void test_log_no_colour_when_not_a_terminal(void **state)
{
    struct log_fixture *fx = *state;
    unsetenv("NO_COLOR");
    log_all_levels();
    assert_content(fx->out, "warning: W2\nI3\n");
    assert_content(fx->err, "error: E1\n");
}

/* Opens a pseudo-terminal in raw mode: *master to read, the slave as a
 * FILE. False when this system has none. */
static bool open_pty(int *master, FILE **slave)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0)
        return false;
    if (grantpt(m) != 0 || unlockpt(m) != 0 || !ptsname(m)) {
        close(m);
        return false;
    }
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    if (s < 0) {
        close(m);
        return false;
    }
    struct termios t;
    assert_int_equal(tcgetattr(s, &t), 0);
    cfmakeraw(&t);
    assert_int_equal(tcsetattr(s, TCSANOW, &t), 0);
    *master = m;
    *slave = fdopen(s, "w");
    assert_non_null(*slave);
    return true;
}

/* Reads exactly strlen(expected) bytes from the master and compares. */
static void assert_pty_reads(int master, const char *expected)
{
    size_t want = strlen(expected), got = 0;
    char buf[512];
    assert_true(want < sizeof buf);
    while (got < want) {
        struct pollfd pfd = {.fd = master, .events = POLLIN};
        if (poll(&pfd, 1, 2000) <= 0)
            break;
        ssize_t n = read(master, buf + got, want - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    assert_string_equal(buf, expected);
    struct pollfd pfd = {.fd = master, .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, 50), 0); /* nothing more */
}

static void test_log_colour_on_a_terminal(void **state)
{
    (void)state;
    int master;
    FILE *slave;
    if (!open_pty(&master, &slave)) {
        print_message("# no pseudo-terminal here: colour on a terminal not tested\n");
        return;
    }
    run_log_set_console(slave, slave);
    unsetenv("NO_COLOR");
    log_all_levels();
    assert_pty_reads(master, "\033[1;31merror:\033[0m E1\n\033[1;33mwarning:\033[0m W2\nI3\n");

    setenv("NO_COLOR", "", 1); /* set but empty: still colour */
    savu_log(LOG_ERROR, "e");
    assert_pty_reads(master, "\033[1;31merror:\033[0m e\n");

    setenv("NO_COLOR", "1", 1);
    log_all_levels();
    assert_pty_reads(master, "error: E1\nwarning: W2\nI3\n");

    run_log_init(0, LOG_VERBOSE);
    unsetenv("NO_COLOR");
    savu_log(LOG_DEBUG, "d"); /* only error: and warning: are coloured */
    assert_pty_reads(master, "debug: d\n");

    run_log_init(2, LOG_NORMAL);
    savu_log(LOG_WARNING, "w");
    assert_pty_reads(master, "rank 2: \033[1;33mwarning:\033[0m w\n");

    run_log_set_console(NULL, NULL);
    fclose(slave);
    close(master);
}

struct thread_arg {
    int id;
};

static void *log_thread(void *arg)
{
    const struct thread_arg *t = arg;
    for (int i = 0; i < 200; i++)
        savu_log(LOG_INFO, "thread %d message %d", t->id, i);
    return NULL;
}

static void test_log_thread_safe(void **state)
{
    struct log_fixture *fx = *state;
    savu_error err = {""};
    assert_int_equal(run_log_open(fx->log_path, &err), 0);
    pthread_t threads[4];
    struct thread_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i].id = i;
        assert_int_equal(pthread_create(&threads[i], NULL, log_thread, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    run_log_close();

    int seen[4][200] = {{0}};
    char *text = read_path(fx->log_path);
    int lines = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        int id, i, n = 0;
        assert_int_equal(sscanf(line, "2026-03-01 14:05:09 INFO    thread %d message %d%n", &id,
                                &i, &n), 2);
        assert_int_equal(line[n], '\0');
        assert_true(id >= 0 && id < 4 && i >= 0 && i < 200);
        seen[id][i]++;
    }
    assert_int_equal(lines, 800);
    for (int id = 0; id < 4; id++)
        for (int i = 0; i < 200; i++)
            assert_int_equal(seen[id][i], 1);
    free(text);

    text = take(fx->out);
    lines = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), lines++)
        assert_int_equal(strncmp(line, "thread ", 7), 0);
    assert_int_equal(lines, 800);
    free(text);
}

/* ---- progress ---- */

static double fake_now;

static double fake_clock(void)
{
    return fake_now;
}

struct progress_fixture {
    FILE *f;
};

static int progress_setup(void **state)
{
    struct progress_fixture *fx = calloc(1, sizeof *fx);
    if (!fx || !(fx->f = tmpfile()))
        return -1;
    fake_now = 100;
    progress_set_clock(fake_clock);
    progress_set_stream(fx->f, false);
    *state = fx;
    return 0;
}

static int progress_teardown(void **state)
{
    struct progress_fixture *fx = *state;
    progress_set_stream(NULL, false);
    progress_set_clock(NULL);
    fclose(fx->f);
    free(fx);
    return 0;
}

static void test_progress_plain_lines(void **state)
{
    struct progress_fixture *fx = *state;
    fake_now = 100;
    progress *p = progress_begin(2, 3, "sinogram", 20, true);
    assert_non_null(p);
    /* The first line at once. */
    assert_content(fx->f, "progress: section 2/3 sinogram: 0% (0/20 blocks), ETA unknown\n");
    fake_now = 101;
    progress_update(p, 2);
    fake_now = 101.99;
    progress_update(p, 3);
    assert_content(fx->f, ""); /* under 2 s since the last line */
    fake_now = 102;
    progress_update(p, 4); /* 2 s: ETA 2 * 16 / 4 */
    assert_content(fx->f, "progress: section 2/3 sinogram: 20% (4/20 blocks), ETA 8 s\n");
    fake_now = 103.5;
    progress_update(p, 10);
    assert_content(fx->f, "");
    fake_now = 121;
    progress_update(p, 12); /* the header's example: 21 s * 8 / 12 */
    assert_content(fx->f, "progress: section 2/3 sinogram: 60% (12/20 blocks), ETA 14 s\n");
    fake_now = 122;
    progress_update(p, 19);
    assert_content(fx->f, "");
    fake_now = 135;
    progress_end(p); /* the last line whatever the time */
    assert_content(fx->f, "progress: section 2/3 sinogram: 100% (20/20 blocks), done in 35 s\n");
}

static void test_progress_final_line_at_once(void **state)
{
    struct progress_fixture *fx = *state;
    fake_now = 50;
    progress *p = progress_begin(1, 1, "projection", 8, true);
    free(take(fx->f));
    fake_now = 51;
    progress_update(p, 3);
    progress_end(p); /* only 1 s after the first line, yet shown */
    assert_content(fx->f, "progress: section 1/1 projection: 100% (8/8 blocks), done in 1 s\n");
}

static void test_progress_rounding_and_eta(void **state)
{
    struct progress_fixture *fx = *state;
    fake_now = 0;
    progress *p = progress_begin(1, 2, "s", 3, true);
    char *first = take(fx->f);
    free(first);
    fake_now = 10;
    progress_update(p, 2); /* 66.7% rounded down; ETA 10 * 1 / 2 */
    assert_content(fx->f, "progress: section 1/2 s: 66% (2/3 blocks), ETA 5 s\n");
    progress_cancel(p);
    assert_content(fx->f, "");

    fake_now = 0;
    p = progress_begin(1, 1, "t", 200, true);
    free(take(fx->f));
    fake_now = 398;
    progress_update(p, 199); /* 99.5% -> 99; ETA 398 * 1 / 199 */
    assert_content(fx->f, "progress: section 1/1 t: 99% (199/200 blocks), ETA 2 s\n");
    fake_now = 430;
    progress_update(p, 25); /* going back is allowed: ETA 430 * 175 / 25 */
    assert_content(fx->f, "progress: section 1/1 t: 12% (25/200 blocks), ETA 3010 s\n");
    progress_cancel(p);
    free(take(fx->f));
}

static void test_progress_clamps_units(void **state)
{
    struct progress_fixture *fx = *state;
    fake_now = 0;
    progress *p = progress_begin(1, 1, "c", 20, true);
    free(take(fx->f));
    fake_now = 2;
    progress_update(p, 999);
    assert_content(fx->f, "progress: section 1/1 c: 100% (20/20 blocks), ETA 0 s\n");
    fake_now = 4;
    progress_update(p, -7);
    assert_content(fx->f, "progress: section 1/1 c: 0% (0/20 blocks), ETA unknown\n");
    progress_cancel(p);
}

static void test_progress_cancel_claims_nothing(void **state)
{
    struct progress_fixture *fx = *state;
    fake_now = 0;
    progress *p = progress_begin(3, 3, "tomo", 10, true);
    fake_now = 2;
    progress_update(p, 5);
    fake_now = 3;
    progress_cancel(p);
    assert_content(fx->f, "progress: section 3/3 tomo: 0% (0/10 blocks), ETA unknown\n"
                          "progress: section 3/3 tomo: 50% (5/10 blocks), ETA 2 s\n");
}

static void test_progress_disabled_prints_nothing(void **state)
{
    struct progress_fixture *fx = *state;
    progress *p = progress_begin(1, 2, "quiet", 10, false);
    assert_non_null(p);
    fake_now += 10;
    progress_update(p, 5);
    progress_end(p);
    p = progress_begin(2, 2, "quiet", 10, false);
    fake_now += 10;
    progress_update(p, 5);
    progress_cancel(p);
    progress_set_stream(fx->f, true);
    p = progress_begin(1, 1, "bar", 10, false);
    fake_now += 10;
    progress_update(p, 5);
    progress_hide();
    progress_show();
    progress_cancel(p);
    p = progress_begin(1, 1, "bar", 10, false);
    progress_end(p);
    assert_content(fx->f, "");
}

static void test_progress_accepts_null(void **state)
{
    struct progress_fixture *fx = *state;
    progress_update(NULL, 3);
    progress_end(NULL);
    progress_cancel(NULL);
    progress_hide();
    progress_show();
    assert_content(fx->f, "");
    progress *p = progress_begin(1, 1, NULL, 0, true);
    assert_non_null(p);
    progress_end(p);
    char *text = take(fx->f);
    assert_non_null(strstr(text, "progress: section 1/1 : "));
    free(text);
}

static void test_progress_terminal_bar(void **state)
{
    struct progress_fixture *fx = *state;
    progress_set_stream(fx->f, true);
    fake_now = 0;
    progress *p = progress_begin(2, 3, "sinogram", 20, true);
    assert_content(fx->f, "\r[2/3] sinogram  [................]   0%  0/20 blocks  ETA -:--\033[K");
    fake_now = 0.2;
    progress_update(p, 1);
    assert_content(fx->f, ""); /* at most every 0.25 s */
    fake_now = 1;
    progress_update(p, 1); /* ETA 1 * 19 / 1 */
    assert_content(fx->f, "\r[2/3] sinogram  [................]   5%  1/20 blocks  ETA 0:19\033[K");
    fake_now = 1.25;
    progress_update(p, 2); /* 1.25 * 18 / 2 = 11.25 */
    assert_content(fx->f, "\r[2/3] sinogram  [#...............]  10%  2/20 blocks  ETA 0:11\033[K");
    fake_now = 21;
    progress_update(p, 12); /* the header's example */
    assert_content(fx->f, "\r[2/3] sinogram  [#########.......]  60%  12/20 blocks  ETA 0:14\033[K");
    fake_now = 35;
    progress_end(p);
    assert_content(fx->f, "\r[2/3] sinogram  [################] 100%  20/20 blocks  done in 0:35"
                          "\033[K\n");
    /* The bar is off the line: the log's hide/show do nothing. */
    progress_hide();
    progress_show();
    assert_content(fx->f, "");
}

static void test_progress_terminal_durations(void **state)
{
    struct progress_fixture *fx = *state;
    progress_set_stream(fx->f, true);
    fake_now = 0;
    progress *p = progress_begin(1, 1, "long", 10, true);
    free(take(fx->f));
    fake_now = 725;
    progress_update(p, 5); /* ETA 725 s */
    assert_content(fx->f, "\r[1/1] long  [########........]  50%  5/10 blocks  ETA 12:05\033[K");
    fake_now = 3725;
    progress_end(p);
    assert_content(fx->f, "\r[1/1] long  [################] 100%  10/10 blocks  done in 1:02:05"
                          "\033[K\n");
}

static void test_progress_terminal_cancel(void **state)
{
    struct progress_fixture *fx = *state;
    progress_set_stream(fx->f, true);
    fake_now = 0;
    progress *p = progress_begin(1, 2, "x", 4, true);
    fake_now = 1;
    progress_update(p, 1);
    progress_cancel(p); /* the line ends where it is */
    assert_content(fx->f, "\r[1/2] x  [................]   0%  0/4 blocks  ETA -:--\033[K"
                          "\r[1/2] x  [####............]  25%  1/4 blocks  ETA 0:03\033[K\n");
    progress_hide();
    assert_content(fx->f, "");
}

/* run_log takes the bar off the line for a message and draws it again. */
static void test_log_hides_progress_bar(void **state)
{
    struct log_fixture *fx = *state;
    FILE *bar = tmpfile();
    assert_non_null(bar);
    progress_set_clock(fake_clock);
    progress_set_stream(bar, true);
    fake_now = 0;
    progress *p = progress_begin(1, 1, "x", 4, true);
    const char *drawn = "\r[1/1] x  [................]   0%  0/4 blocks  ETA -:--\033[K";
    assert_content(bar, drawn);
    savu_log(LOG_INFO, "hello");
    char *expected = NULL;
    assert_true(asprintf(&expected, "\r\033[K%s", drawn) > 0);
    assert_content(bar, expected);
    free(expected);
    assert_content(fx->out, "hello\n");
    savu_log(LOG_DEBUG, "not shown"); /* nothing printed: the bar may stay, or be redrawn */
    char *text = take(bar);
    assert_true(strcmp(text, "") == 0 || strstr(text, drawn));
    free(text);
    /* Other ranks draw no bar and never touch rank 0's. */
    run_log_init(1, LOG_NORMAL);
    savu_log(LOG_WARNING, "w");
    assert_content(bar, "");
    assert_content(fx->err, "rank 1: warning: w\n");
    run_log_init(0, LOG_NORMAL);
    progress_cancel(p);
    assert_content(bar, "\n");
    savu_log(LOG_INFO, "after");
    assert_content(bar, "");
    /* Plain progress lines are not hidden. */
    progress_set_stream(bar, false);
    p = progress_begin(1, 1, "y", 4, true);
    free(take(bar));
    savu_log(LOG_INFO, "between");
    assert_content(bar, "");
    progress_cancel(p);
    assert_content(fx->out, "after\nbetween\n");
    progress_set_stream(NULL, false);
    fclose(bar);
}

/* ---- output folder ---- */

struct folder_fixture {
    char *dir;  /* the real path of a fresh folder */
    char cwd[PATH_MAX];
};

static int folder_setup(void **state)
{
    struct folder_fixture *fx = calloc(1, sizeof *fx);
    if (!fx || !getcwd(fx->cwd, sizeof fx->cwd))
        return -1;
    char tmp[] = "/tmp/test_run_log.XXXXXX";
    if (!mkdtemp(tmp) || !(fx->dir = realpath(tmp, NULL)))
        return -1;
    *state = fx;
    return 0;
}

static int folder_teardown(void **state)
{
    struct folder_fixture *fx = *state;
    if (chdir(fx->cwd) != 0)
        return -1;
    setenv("TZ", "UTC", 1);
    tzset();
    remove_tmpdir(fx->dir);
    free(fx);
    return 0;
}

static void assert_created(char *folder, const char *expected)
{
    assert_non_null(folder);
    assert_string_equal(folder, expected);
    assert_true(is_dir(folder));
    char *run_log = join(folder, RUN_LOG_DIR);
    assert_true(is_dir(run_log));
    assert_int_equal(count_entries(run_log), 0);
    assert_int_equal(count_entries(folder), 1);
    free(run_log);
    free(folder);
}

static void assert_create_fails(const char *out_dir, const char *data, const char *name,
                                const char *expected_fmt, const char *arg)
{
    savu_error err = {""};
    char *expected = NULL;
    assert_true(asprintf(&expected, expected_fmt, arg) >= 0);
    char *folder = output_folder_create(out_dir, data, name, FIXED_TIME, &err);
    if (folder)
        fail_msg("'%s' was created; expected: %s", folder, expected);
    assert_string_equal(err.msg, expected);
    free(expected);
}

static void test_output_folder_timestamp_name(void **state)
{
    struct folder_fixture *fx = *state;
    savu_error err = {""};
    char *expected = join(fx->dir, "20260301140509_phantom");
    assert_created(output_folder_create(fx->dir, "/x/phantom.nxs", NULL, FIXED_TIME, &err),
                   expected);
    free(expected);
    /* Local time of `now`. */
    setenv("TZ", "EST5", 1);
    tzset();
    expected = join(fx->dir, "20260301090509_a.b");
    assert_created(output_folder_create(fx->dir, "data/a.b.nxs", NULL, FIXED_TIME, &err),
                   expected);
    free(expected);
    setenv("TZ", "UTC", 1);
    tzset();
    /* The same second again: the folder exists. */
    char *again = join(fx->dir, "20260301140509_phantom");
    assert_create_fails(fx->dir, "/y/phantom.h5", NULL, "output folder '%s' already exists",
                        again);
    free(again);
    expected = join(fx->dir, "20260301140510_data");
    assert_created(output_folder_create(fx->dir, "/", NULL, FIXED_TIME + 1, &err), expected);
    free(expected);
}

static void test_output_folder_given_name(void **state)
{
    struct folder_fixture *fx = *state;
    savu_error err = {""};
    char *expected = join(fx->dir, "my run");
    assert_created(output_folder_create(fx->dir, "/x/phantom.nxs", "my run", FIXED_TIME, &err),
                   expected);
    assert_create_fails(fx->dir, "/x/phantom.nxs", "my run", "output folder '%s' already exists",
                        expected);
    free(expected);
    /* A trailing '/' on out_dir makes no double slash. */
    char *with_slash = NULL;
    assert_true(asprintf(&with_slash, "%s/", fx->dir) > 0);
    expected = join(fx->dir, "r2");
    assert_created(output_folder_create(with_slash, "p.nxs", "r2", FIXED_TIME, &err), expected);
    assert_create_fails(with_slash, "p.nxs", "r2", "output folder '%s' already exists",
                        expected);
    free(expected);
    free(with_slash);
}

static void test_output_folder_relative_out_dir(void **state)
{
    struct folder_fixture *fx = *state;
    savu_error err = {""};
    assert_int_equal(chdir(fx->dir), 0);
    assert_int_equal(mkdir("out", 0777), 0);
    char *expected = join(fx->dir, "out/r1"); /* an absolute path */
    assert_created(output_folder_create("out", "p.nxs", "r1", FIXED_TIME, &err), expected);
    free(expected);
    /* Messages name the folder as the caller wrote it. */
    assert_create_fails("out", "p.nxs", "r1", "output folder '%s' already exists", "out/r1");
    assert_create_fails("out/", "p.nxs", "r1", "output folder '%s' already exists", "out/r1");
    assert_create_fails("nope", "p.nxs", "r1", "output folder '%s' does not exist", "nope");
    expected = join(fx->dir, "r3");
    assert_created(output_folder_create(".", "p.nxs", "r3", FIXED_TIME, &err), expected);
    free(expected);
}

static void test_output_folder_errors(void **state)
{
    struct folder_fixture *fx = *state;
    char *missing = join(fx->dir, "missing");
    assert_create_fails(missing, "p.nxs", NULL, "output folder '%s' does not exist", missing);
    assert_create_fails(missing, "p.nxs", "r", "output folder '%s' does not exist", missing);
    char *file = join(fx->dir, "file");
    write_path(file, "x");
    assert_create_fails(file, "p.nxs", NULL, "output folder '%s' is not a folder", file);
    char *under_file = join(file, "sub");
    assert_create_fails(under_file, "p.nxs", NULL,
                        "output folder '%s' is not accessible: Not a directory", under_file);
    /* Names must be one name. */
    assert_create_fails(fx->dir, "p.nxs", "a/b", "folder name '%s' must be one name, without '/'",
                        "a/b");
    assert_create_fails(fx->dir, "p.nxs", "/abs", "folder name '%s' must be one name, without '/'",
                        "/abs");
    assert_create_fails(fx->dir, "p.nxs", "..", "folder name '%s' must be one name, without '/'",
                        "..");
    assert_create_fails(fx->dir, "p.nxs", ".", "folder name '%s' must be one name, without '/'",
                        ".");
    assert_create_fails(fx->dir, "p.nxs", "", "folder name '%s' must be one name, without '/'", "");
    /* mkdir itself fails. */
    char name[300];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    char *long_path = join(fx->dir, name);
    assert_create_fails(fx->dir, "p.nxs", name,
                        "cannot create output folder '%s': File name too long", long_path);
    free(long_path);
    /* Nothing was made by the failures. */
    assert_int_equal(count_entries(fx->dir), 1);
    free(under_file);
    free(file);
    free(missing);
}

/* "is not writable": as root, access() grants everything, so the check runs
 * in a child that has become nobody. */
static void test_output_folder_unwritable(void **state)
{
    struct folder_fixture *fx = *state;
    char *ro = join(fx->dir, "read-only");
    assert_int_equal(mkdir(ro, 0755), 0);
    assert_int_equal(chmod(fx->dir, 0755), 0);
    assert_int_equal(chmod(ro, 0555), 0);
    char *expected = NULL;
    assert_true(asprintf(&expected, "output folder '%s' is not writable: Permission denied",
                         ro) > 0);
    int status = 0;
    if (geteuid() != 0) {
        assert_create_fails(ro, "p.nxs", "r", "%s", expected);
    } else {
        fflush(NULL);
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(77);
            savu_error err = {""};
            char *folder = output_folder_create(ro, "p.nxs", "r", FIXED_TIME, &err);
            if (folder || strcmp(err.msg, expected) != 0) {
                fprintf(stderr, "# got '%s'\n", folder ? folder : err.msg);
                _exit(1);
            }
            _exit(0);
        }
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 77)
            print_message("# cannot become nobody: 'is not writable' not tested\n");
        else
            assert_int_equal(WEXITSTATUS(status), 0);
    }
    char *r = join(ro, "r");
    assert_false(exists(r));
    free(r);
    chmod(ro, 0755);
    free(expected);
    free(ro);
}

static void assert_stem(const char *data_file, const char *expected)
{
    char *stem = output_stem(data_file);
    assert_non_null(stem);
    assert_string_equal(stem, expected);
    free(stem);
}

static void test_output_stem(void **state)
{
    (void)state;
    /* The header's cases. */
    assert_stem("/x/phantom.nxs", "phantom");
    assert_stem("a.b.nxs", "a.b");
    assert_stem("/x/scan", "scan");
    assert_stem("/x/tiffs/", "tiffs");
    assert_stem(".hidden", ".hidden");
    assert_stem("", "data");
    assert_stem("/", "data");
    assert_stem("///", "data");
    /* More of the same rules. */
    assert_stem("phantom.nxs", "phantom");
    assert_stem("/x/.hidden", ".hidden");
    assert_stem("/x/.hidden.nxs", ".hidden");
    assert_stem("/x.d/scan", "scan");
    assert_stem("//x//tiffs//", "tiffs");
    assert_stem("/x/tomo.h5/", "tomo");
    assert_stem("rel/dir/file.tar.gz", "file.tar");
}

/* ---- run_command_write ---- */

static char *make_run_folder(const char *parent, const char *name)
{
    char *folder = join(parent, name);
    assert_int_equal(mkdir(folder, 0777), 0);
    char *run_log = join(folder, RUN_LOG_DIR);
    assert_int_equal(mkdir(run_log, 0777), 0);
    free(run_log);
    return folder;
}

static int run_sh(const char *args)
{
    char *cmd = NULL;
    assert_true(asprintf(&cmd, "sh %s", args) > 0);
    int status = system(cmd);
    free(cmd);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_run_command_write(void **state)
{
    struct folder_fixture *fx = *state;
    savu_error err = {""};
    /* A working directory that needs quoting. */
    char *cwd = join(fx->dir, "it's here");
    assert_int_equal(mkdir(cwd, 0777), 0);
    assert_int_equal(chdir(cwd), 0);
    char *folder = make_run_folder(fx->dir, "out");
    char *argv[] = {"savu", "/data/in file.nxs", "it's", "", "--max-memory=4G", "a\nb", "$HOME",
                    "*", "plain-arg_1.nxs", "x=y", "~", NULL};
    int argc = (int)(sizeof argv / sizeof argv[0]) - 1;
    assert_int_equal(run_command_write(folder, argc, argv, &err), 0);
    char *path = join(folder, "run_log/run_command.txt");
    char *text = read_path(path);
    char *expected = NULL;
    assert_true(asprintf(&expected,
                         "# The command that made this folder, run from the directory below.\n"
                         "cd '%s/it'\\''s here'\n"
                         "savu '/data/in file.nxs' 'it'\\''s' '' --max-memory=4G 'a\nb' '$HOME' "
                         "'*' plain-arg_1.nxs x=y '~'\n",
                         fx->dir) > 0);
    assert_string_equal(text, expected);
    free(expected);
    free(text);
    /* sh parses it. */
    char *quoted = NULL;
    assert_true(asprintf(&quoted, "-n '%s'", path) > 0);
    assert_int_equal(run_sh(quoted), 0);
    free(quoted);
    /* Only the file is left in run_log/ (no temporary). */
    char *run_log = join(folder, RUN_LOG_DIR);
    assert_int_equal(count_entries(run_log), 1);

    /* Run by sh, the file goes to the directory and gives back every
     * argument as it was. */
    char *echo_argv[] = {"printf", "[%s]\\n", "/data/in file.nxs", "it's", "", "a\nb", "$HOME",
                         "*", "\"q\" \\ `x`", "--f=1", NULL};
    assert_int_equal(run_command_write(folder, 10, echo_argv, &err), 0); /* replaces the file */
    assert_int_equal(count_entries(run_log), 1);
    char *out = join(fx->dir, "sh.out"), *errs = join(fx->dir, "sh.err");
    char *args = NULL;
    assert_true(asprintf(&args, "'%s' >'%s' 2>'%s'", path, out, errs) > 0);
    assert_int_equal(run_sh(args), 0);
    text = read_path(out);
    assert_string_equal(text, "[/data/in file.nxs]\n[it's]\n[]\n[a\nb]\n[$HOME]\n[*]\n"
                              "[\"q\" \\ `x`]\n[--f=1]\n");
    free(text);
    text = read_path(errs);
    assert_string_equal(text, "");
    free(text);
    free(args);

    /* An '=' in the command word would make it an assignment. */
    char *assign_argv[] = {"A=b", "c=d", NULL};
    assert_int_equal(run_command_write(folder, 2, assign_argv, &err), 0);
    text = read_path(path);
    assert_non_null(strstr(text, "\n'A=b' c=d\n"));
    free(text);
    assert_true(asprintf(&args, "'%s' >'%s' 2>'%s'", path, out, errs) > 0);
    assert_int_equal(run_sh(args), 127); /* command not found, not a quiet assignment */
    free(args);

    free(out);
    free(errs);
    free(run_log);
    free(path);
    free(folder);
    free(cwd);
}

static void test_run_command_write_error(void **state)
{
    struct folder_fixture *fx = *state;
    savu_error err = {""};
    char *argv[] = {"savu", NULL};
    char *no_run_log = join(fx->dir, "bare");
    assert_int_equal(mkdir(no_run_log, 0777), 0);
    assert_int_equal(run_command_write(no_run_log, 1, argv, &err), -1);
    char *expected = NULL;
    assert_true(asprintf(&expected, "cannot write %s/run_log/run_command.txt: "
                                    "No such file or directory", no_run_log) > 0);
    assert_string_equal(err.msg, expected);
    free(expected);
    assert_int_equal(count_entries(no_run_log), 0);
    free(no_run_log);
}

/* ---- bibtex ---- */

static void assert_text(char *got, const char *expected)
{
    if (!expected) {
        if (got)
            fail_msg("expected NULL, got '%s'", got);
        return;
    }
    if (!got)
        fail_msg("expected '%s', got NULL", expected);
    assert_string_equal(got, expected);
    free(got);
}

static const char *const wadeson =
    "@article{wadeson2016savu,\n"
    "title={Savu: A Python-based, MPI Framework for Simultaneous\n"
    "Processing of Multiple, N-dimensional, Large Tomography\n"
    "Datasets},\n"
    "author={Wadeson, Nicola and Basham, Mark},\n"
    "journal={arXiv preprint arXiv:1610.08015},\n"
    "year={2016}\n"
    "}";

static void test_bibtex_key(void **state)
{
    (void)state;
    assert_text(bibtex_key("@article{vo2014reliable, title={x}}"), "vo2014reliable");
    assert_text(bibtex_key(wadeson), "wadeson2016savu");
    assert_text(bibtex_key("\n  @ONLINE{hdf5,\nauthor = {{The HDF Group}}}"), "hdf5");
    assert_text(bibtex_key("@article {  spaced  ,\n year=1}"), "spaced");
    assert_text(bibtex_key("@article(paren, year=1)"), "paren");
    assert_text(bibtex_key("@article{, year=1}"), NULL);
    assert_text(bibtex_key("@article{  , year=1}"), NULL);
    assert_text(bibtex_key("no entry here"), NULL);
    assert_text(bibtex_key("@article"), NULL);
    assert_text(bibtex_key(""), NULL);
    assert_text(bibtex_key(NULL), NULL);
}

static void test_bibtex_field(void **state)
{
    (void)state;
    /* The header's examples. */
    assert_text(bibtex_field("@article{k, year={2014}}", "year"), "2014");
    assert_text(bibtex_field("@article{k, year=2021}", "year"), "2021");
    assert_text(bibtex_field("@article{k, title={A {B}}}", "title"), "A {B}");
    /* Names match case-insensitively. */
    assert_text(bibtex_field("@article{k, YEAR = {2014}}", "year"), "2014");
    assert_text(bibtex_field("@article{k, year = {2014}}", "Year"), "2014");
    /* Quotes, whitespace runs, odd spacing. */
    assert_text(bibtex_field("@article{k, title = \"Quoted {\"} title\" }", "title"),
                "Quoted {\"} title");
    assert_text(bibtex_field(wadeson, "title"),
                "Savu: A Python-based, MPI Framework for Simultaneous Processing of Multiple, "
                "N-dimensional, Large Tomography Datasets");
    assert_text(bibtex_field(wadeson, "author"), "Wadeson, Nicola and Basham, Mark");
    assert_text(bibtex_field(wadeson, "year"), "2016");
    assert_text(bibtex_field("@article{k,\n  year   =\n   {  2014  }  ,\n}", "year"), "2014");
    assert_text(bibtex_field("@article{k,\n  year = 2021\n}", "year"), "2021");
    assert_text(bibtex_field("@article{k,year=2021,pages={1--2},}", "pages"), "1--2");
    assert_text(bibtex_field("@article(k, year = 1999)", "year"), "1999");
    assert_text(bibtex_field("  @ONLINE{hdf5,\nauthor = {{The HDF Group}},\nyear={2014}}",
                             "author"), "{The HDF Group}");
    /* Whole names, and only field names. */
    assert_text(bibtex_field("@book{k, booktitle={X}, title={Y}}", "title"), "Y");
    assert_text(bibtex_field("@book{k, booktitle={X}}", "title"), NULL);
    assert_text(bibtex_field("@book{k, note={year=1999, volume=2}, year=2000}", "year"), "2000");
    assert_text(bibtex_field("@book{k, note={year=1999, volume=2}, year=2000}", "volume"), NULL);
    assert_text(bibtex_field("@book{year, title={T}}", "year"), NULL);
    assert_text(bibtex_field("@book{k, title={unterminated", "title"), "unterminated");
    assert_text(bibtex_field(wadeson, "volume"), NULL);
    assert_text(bibtex_field("not bibtex", "year"), NULL);
    assert_text(bibtex_field(NULL, "year"), NULL);
}

static void test_bibtex_first_surname(void **state)
{
    (void)state;
    /* The header's examples. */
    assert_text(bibtex_first_surname("Vo, Nghia T and Drakopoulos, Michael"), "Vo");
    assert_text(bibtex_first_surname("Nicola Wadeson and Mark Basham"), "Wadeson");
    assert_text(bibtex_first_surname("Ludwig van Beethoven"), "van Beethoven");
    assert_text(bibtex_first_surname("{The HDF Group}"), "The HDF Group");
    /* Odd spacing. */
    assert_text(bibtex_first_surname("  Vo ,  Nghia T   and  Drakopoulos, Michael"), "Vo");
    assert_text(bibtex_first_surname("Nicola\n   Wadeson\nand\tMark Basham"), "Wadeson");
    assert_text(bibtex_first_surname("Van Aarle, Wim and Palenstijn, Willem Jan"), "Van Aarle");
    assert_text(bibtex_first_surname("Jack J. Dongarra"), "Dongarra");
    assert_text(bibtex_first_surname("Plato"), "Plato");
    assert_text(bibtex_first_surname("Sandy Anderson and Ann Other"), "Anderson");
    assert_text(bibtex_first_surname("{Barnes and Noble} and X"), "Barnes and Noble");
    assert_text(bibtex_first_surname("{{The HDF Group}}"), "The HDF Group");
    assert_text(bibtex_first_surname("{Doe, Jr.}, John"), "Doe, Jr.");
    assert_text(bibtex_first_surname(""), NULL);
    assert_text(bibtex_first_surname("   "), NULL);
    assert_text(bibtex_first_surname(NULL), NULL);
}

static void test_endnote_tag(void **state)
{
    (void)state;
    const char *record = "%0 Journal Article\n"
                         "%T Reliable method for calculating the center of rotation\n"
                         "%A Vo, Nghia T\n"
                         "%A Drakopoulos, Michael\n"
                         "%J Optics express\n"
                         "%D 2014";
    assert_text(endnote_tag(record, "%A"), "Vo, Nghia T"); /* the first */
    assert_text(endnote_tag(record, "%D"), "2014");        /* the last line */
    assert_text(endnote_tag(record, "%0"), "Journal Article");
    assert_text(endnote_tag(record, "%V"), NULL);
    assert_text(endnote_tag("%T   spaced    title  \r\n%D 2001\r\n", "%T"), "spaced title");
    assert_text(endnote_tag("%T   spaced    title  \r\n%D 2001\r\n", "%D"), "2001");
    assert_text(endnote_tag("%AB not A\n%A\tTabbed, A", "%A"), "Tabbed, A");
    assert_text(endnote_tag("%A\n%A Second, B", "%A"), "Second, B");
    assert_text(endnote_tag("\n\n%D 1996\n", "%D"), "1996");
    assert_text(endnote_tag("    %0 Journal Article\n    %D 2011\n", "%D"), "2011");
    assert_text(endnote_tag("text %D 2011\n", "%D"), NULL);
    assert_text(endnote_tag("", "%D"), NULL);
    assert_text(endnote_tag(NULL, "%D"), NULL);
}

/* ---- options ---- */

static void test_parse_memory_size(void **state)
{
    (void)state;
    assert_true(parse_memory_size("512M") == 512 * MIB);
    assert_true(parse_memory_size("4G") == 4 * GIB);
    assert_true(parse_memory_size("1.5G") == 1.5 * GIB);
    assert_true(parse_memory_size("1000000") == 1000000);
    assert_true(parse_memory_size("2k") == 2048);
    assert_true(parse_memory_size("2K") == 2048);
    assert_true(parse_memory_size("512m") == 512 * MIB);
    assert_true(parse_memory_size("4g") == 4 * GIB);
    assert_true(parse_memory_size("1T") == 1024 * GIB);
    assert_true(parse_memory_size("4GiB") == 4 * GIB);
    assert_true(parse_memory_size("4GB") == 4 * GIB);
    assert_true(parse_memory_size("512Mi") == 512 * MIB);
    assert_true(parse_memory_size("512mb") == 512 * MIB);
    assert_true(parse_memory_size("100B") == 100);
    assert_true(parse_memory_size(".5G") == 0.5 * GIB);
    assert_true(parse_memory_size("3.G") == 3 * GIB);
    const char *bad[] = {"", "G", "abc", "0", "0M", "0.0G", "-1G", "-5", "4X", "4GG", "4 G",
                         " 4G", "4G ", "+4G", "inf", "INF", "nan", "NaN", "1e3", "1e3M", "0x10",
                         "4iB", "1.2.3", ".", "4Gi B", "4,5G", "99999999999999999999999999999999"
                         "9999999999999999999999999999999999999999999999999999999999999999999999"
                         "9999999999999999999999999999999999999999999999999999999999999999999999"
                         "9999999999999999999999999999999999999999999999999999999999999999999999"
                         "9999999999999999999999999999999999999999999999999999999999999999999999T"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (parse_memory_size(bad[i]) != -1)
            fail_msg("'%s' was accepted as %g", bad[i], parse_memory_size(bad[i]));
}

static int parse(struct engine_options *opt, savu_error *err, int local_ranks, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, local_ranks);
    for (char *a; (a = va_arg(ap, char *));)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    err->msg[0] = '\0';
    return engine_options_parse(argc, argv, local_ranks, opt, err);
}

#define PARSE(opt, err, ...) parse(opt, err, 1, "savu", __VA_ARGS__, (char *)NULL)

static void assert_parse_fails(const char *expected, int result, const savu_error *err)
{
    assert_int_equal(result, -1);
    assert_string_equal(err->msg, expected);
}

static void test_options_positional_and_defaults(void **state)
{
    (void)state;
    struct engine_options o;
    savu_error err;
    assert_int_equal(PARSE(&o, &err, "data.nxs", "list.nxs", "out"), 0);
    assert_string_equal(o.data_file, "data.nxs");
    assert_string_equal(o.process_list, "list.nxs");
    assert_string_equal(o.out_dir, "out");
    assert_null(o.folder_name);
    assert_null(o.tmp_dir);
    assert_true(o.threads >= 1);
    assert_true(o.max_memory > 0);
    assert_true(o.max_memory <= 16 * GIB);
    assert_int_equal(o.reslice, RESLICE_AUTO);
    assert_false(o.keep_intermediate);
    assert_int_equal(o.verbosity, 1);
    assert_false(o.show_help);
    assert_false(o.show_version);

    /* The defaults are shared by the ranks of the node. */
    double one = o.max_memory;
    int threads_one = o.threads;
    char *argv[] = {"savu", "d", "p", "o", NULL};
    assert_int_equal(engine_options_parse(4, argv, 4, &o, &err), 0);
    assert_true(o.max_memory > 0 && o.max_memory <= one);
    assert_true(o.threads >= 1 && o.threads <= threads_one);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores >= 4)
        assert_int_equal(o.threads, cores / 4);
    assert_int_equal(engine_options_parse(4, argv, 100000, &o, &err), 0);
    assert_int_equal(o.threads, 1);
    assert_true(o.max_memory > 0);
    assert_int_equal(engine_options_parse(4, argv, 0, &o, &err), 0);
    assert_int_equal(o.threads, threads_one);
    assert_true(o.max_memory == one);
}

static void test_options_every_option(void **state)
{
    (void)state;
    struct engine_options o;
    savu_error err;
    assert_int_equal(PARSE(&o, &err, "-f", "run1", "-d", "/scratch", "-t", "8", "-v",
                           "--reslice", "file", "--keep-intermediate", "--max-memory", "4G",
                           "data.nxs", "list.nxs", "out"), 0);
    assert_string_equal(o.folder_name, "run1");
    assert_string_equal(o.tmp_dir, "/scratch");
    assert_int_equal(o.threads, 8);
    assert_int_equal(o.verbosity, 2);
    assert_int_equal(o.reslice, RESLICE_FILE);
    assert_true(o.keep_intermediate);
    assert_true(o.max_memory == 4 * GIB);
    assert_string_equal(o.data_file, "data.nxs");
    assert_string_equal(o.process_list, "list.nxs");
    assert_string_equal(o.out_dir, "out");

    /* Long forms, with '=', among the positional arguments. */
    assert_int_equal(PARSE(&o, &err, "data.nxs", "--folder=run2", "list.nxs", "--tmp", "/t",
                           "--threads=3", "--max-memory=512M", "--reslice=memory", "--quiet",
                           "out"), 0);
    assert_string_equal(o.folder_name, "run2");
    assert_string_equal(o.tmp_dir, "/t");
    assert_int_equal(o.threads, 3);
    assert_true(o.max_memory == 512 * MIB);
    assert_int_equal(o.reslice, RESLICE_MEMORY);
    assert_int_equal(o.verbosity, 0);
    assert_false(o.keep_intermediate);
    assert_string_equal(o.data_file, "data.nxs");
    assert_string_equal(o.process_list, "list.nxs");
    assert_string_equal(o.out_dir, "out");

    assert_int_equal(PARSE(&o, &err, "d", "p", "o", "--verbose", "-ft9"), 0);
    assert_string_equal(o.folder_name, "t9");
    assert_int_equal(o.verbosity, 2);
    assert_int_equal(PARSE(&o, &err, "d", "p", "o", "-t4096", "--reslice", "auto"), 0);
    assert_int_equal(o.threads, 4096);
    assert_int_equal(o.reslice, RESLICE_AUTO);
    /* The last of -v and -q counts. */
    assert_int_equal(PARSE(&o, &err, "-v", "-q", "d", "p", "o"), 0);
    assert_int_equal(o.verbosity, 0);
    assert_int_equal(PARSE(&o, &err, "-q", "-v", "d", "p", "o"), 0);
    assert_int_equal(o.verbosity, 2);
    /* After "--" everything is positional. */
    assert_int_equal(PARSE(&o, &err, "-q", "--", "-data.nxs", "-p", "o"), 0);
    assert_string_equal(o.data_file, "-data.nxs");
    assert_string_equal(o.process_list, "-p");
    assert_string_equal(o.out_dir, "o");
}

static void test_options_positional_count(void **state)
{
    (void)state;
    struct engine_options o;
    savu_error err;
    char *argv[] = {"savu", NULL};
    assert_parse_fails("expected DATA PROCESS_LIST OUT_FOLDER, got 0 arguments (see savu --help)",
                       engine_options_parse(1, argv, 1, &o, &err), &err);
    assert_parse_fails("expected DATA PROCESS_LIST OUT_FOLDER, got 1 argument (see savu --help)",
                       PARSE(&o, &err, "d"), &err);
    assert_parse_fails("expected DATA PROCESS_LIST OUT_FOLDER, got 2 arguments (see savu --help)",
                       PARSE(&o, &err, "d", "-v", "p"), &err);
    assert_parse_fails("expected DATA PROCESS_LIST OUT_FOLDER, got 4 arguments (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "extra"), &err);
}

static void test_options_missing_argument(void **state)
{
    (void)state;
    struct engine_options o;
    savu_error err;
    assert_parse_fails("unknown or incomplete option '-f' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "-f"), &err);
    assert_parse_fails("unknown or incomplete option '--folder' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "--folder"), &err);
    assert_parse_fails("unknown or incomplete option '-d' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "-d"), &err);
    assert_parse_fails("unknown or incomplete option '--tmp' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "--tmp"), &err);
    assert_parse_fails("unknown or incomplete option '-t' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "-t"), &err);
    assert_parse_fails("unknown or incomplete option '--threads' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "--threads"), &err);
    assert_parse_fails("unknown or incomplete option '--max-memory' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "--max-memory"), &err);
    assert_parse_fails("unknown or incomplete option '--reslice' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "--reslice"), &err);
}

static void test_options_unknown_option(void **state)
{
    (void)state;
    struct engine_options o;
    savu_error err;
    assert_parse_fails("unknown or incomplete option '-x' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "-x"), &err);
    assert_parse_fails("unknown or incomplete option '-x' (see savu --help)",
                       PARSE(&o, &err, "-vx", "d", "p", "o"), &err);
    assert_parse_fails("unknown or incomplete option '-x' (see savu --help)",
                       PARSE(&o, &err, "--keep-intermediate", "-xv", "d", "p", "o"), &err);
    assert_parse_fails("unknown or incomplete option '--bogus' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "--bogus"), &err);
    assert_parse_fails("unknown or incomplete option '--bogus=1' (see savu --help)",
                       PARSE(&o, &err, "--bogus=1", "d", "p", "o"), &err);
    assert_parse_fails("unknown or incomplete option '--verbose=2' (see savu --help)",
                       PARSE(&o, &err, "--verbose=2", "d", "p", "o"), &err);
    assert_parse_fails("unknown or incomplete option '--keep-intermediate=yes' (see savu --help)",
                       PARSE(&o, &err, "d", "p", "o", "--keep-intermediate=yes"), &err);
    /* --ver could be --verbose or --version. */
    assert_parse_fails("unknown or incomplete option '--ver' (see savu --help)",
                       PARSE(&o, &err, "--ver", "d", "p", "o"), &err);
    /* An unambiguous abbreviation is the option. */
    assert_int_equal(PARSE(&o, &err, "--keep", "--quie", "d", "p", "o"), 0);
    assert_true(o.keep_intermediate);
    assert_int_equal(o.verbosity, 0);
}

static void test_options_bad_values(void **state)
{
    (void)state;
    struct engine_options o;
    savu_error err;
    assert_parse_fails("--max-memory: expected a size such as 512M or 4G, not 'lots'",
                       PARSE(&o, &err, "d", "p", "o", "--max-memory", "lots"), &err);
    assert_parse_fails("--max-memory: expected a size such as 512M or 4G, not '0'",
                       PARSE(&o, &err, "d", "p", "o", "--max-memory=0"), &err);
    assert_parse_fails("--max-memory: expected a size such as 512M or 4G, not 'nan'",
                       PARSE(&o, &err, "d", "p", "o", "--max-memory=nan"), &err);
    assert_parse_fails("--max-memory: expected a size such as 512M or 4G, not '-4G'",
                       PARSE(&o, &err, "--max-memory", "-4G", "d", "p", "o"), &err);
    const char *threads[] = {"0", "-1", "x", "2.5", "4097", "", "8x"};
    for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++) {
        char expected[128];
        snprintf(expected, sizeof expected,
                 "--threads: expected a whole number from 1 to 4096, not '%s'", threads[i]);
        assert_parse_fails(expected, PARSE(&o, &err, "d", "p", "o", "-t", threads[i]), &err);
    }
    assert_parse_fails("--reslice: expected auto, memory or file, not 'disk'",
                       PARSE(&o, &err, "d", "p", "o", "--reslice", "disk"), &err);
    assert_parse_fails("--reslice: expected auto, memory or file, not 'File'",
                       PARSE(&o, &err, "d", "p", "o", "--reslice=File"), &err);
    assert_parse_fails("--reslice: expected auto, memory or file, not ''",
                       PARSE(&o, &err, "d", "p", "o", "--reslice="), &err);
    const char *modes[] = {"auto", "memory", "file"};
    const enum reslice_mode values[] = {RESLICE_AUTO, RESLICE_MEMORY, RESLICE_FILE};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(PARSE(&o, &err, "--reslice", modes[i], "d", "p", "o"), 0);
        assert_int_equal(o.reslice, values[i]);
    }
}

static void test_options_help_and_version(void **state)
{
    (void)state;
    struct engine_options o;
    savu_error err;
    assert_int_equal(PARSE(&o, &err, "--help"), 0);
    assert_true(o.show_help);
    assert_false(o.show_version);
    assert_int_equal(PARSE(&o, &err, "-h"), 0);
    assert_true(o.show_help);
    assert_int_equal(PARSE(&o, &err, "--version"), 0);
    assert_true(o.show_version);
    assert_false(o.show_help);
    /* Needs no positional arguments, and stops there. */
    assert_int_equal(PARSE(&o, &err, "d", "-h", "--bogus"), 0);
    assert_true(o.show_help);
    assert_int_equal(PARSE(&o, &err, "--version", "--max-memory=lots"), 0);
    assert_true(o.show_version);
    /* A cluster left half read (-hq stops at h) does not leak into the
     * next parse. */
    assert_int_equal(PARSE(&o, &err, "-hq"), 0);
    assert_true(o.show_help);
    assert_int_equal(PARSE(&o, &err, "d", "p", "o"), 0);
    assert_false(o.show_help);
    assert_int_equal(o.verbosity, 1);
    assert_string_equal(o.data_file, "d");
    /* A failed parse (stopped inside -vx...) does not leak either. */
    assert_int_equal(PARSE(&o, &err, "-xq", "d", "p", "o"), -1);
    assert_int_equal(PARSE(&o, &err, "d", "p", "o"), 0);
    assert_int_equal(o.verbosity, 1);
    const char *usage = engine_usage();
    assert_int_equal(strncmp(usage, "usage: savu DATA PROCESS_LIST OUT_FOLDER", 40), 0);
    const char *names[] = {"--folder", "--tmp", "--max-memory", "--threads", "--reslice",
                           "--keep-intermediate", "--verbose", "--quiet", "--version", "--help"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strstr(usage, names[i]))
            fail_msg("the usage does not mention %s", names[i]);
}

/* --gpu and --gpu-precision: defaults, each value, and bad values. */
static void test_options_gpu(void **state)
{
    (void)state;
    struct engine_options o;
    savu_error err;
    assert_int_equal(PARSE(&o, &err, "d", "p", "o"), 0);
    assert_int_equal(o.gpu, GPU_AUTO);
    assert_false(o.gpu_fp16);
    assert_int_equal(o.gpu_device, -1);
    const char *modes[] = {"auto", "on", "off"};
    const enum gpu_mode values[] = {GPU_AUTO, GPU_ON, GPU_OFF};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(PARSE(&o, &err, "d", "p", "o", "--gpu", modes[i]), 0);
        assert_int_equal(o.gpu, values[i]);
    }
    assert_int_equal(PARSE(&o, &err, "--gpu-precision=fp16x4", "d", "p", "o"), 0);
    assert_true(o.gpu_fp16);
    assert_int_equal(PARSE(&o, &err, "d", "p", "o", "--gpu-precision", "fp32"), 0);
    assert_false(o.gpu_fp16);
    assert_parse_fails("--gpu: expected auto, on or off, not 'yes'",
                       PARSE(&o, &err, "d", "p", "o", "--gpu", "yes"), &err);
    assert_parse_fails("--gpu-precision: expected fp32 or fp16x4, not 'fp16'",
                       PARSE(&o, &err, "d", "p", "o", "--gpu-precision", "fp16"), &err);
}

/* --io, --io-threads and --output-dtype: defaults (the compute threads, at
 * most 8; float32), each value, and bad values. */
static void test_options_io(void **state)
{
    (void)state;
    struct engine_options o;
    savu_error err;
    assert_int_equal(PARSE(&o, &err, "d", "p", "o", "-t", "3"), 0);
    assert_false(o.io_hdf5);
    assert_int_equal(o.io_threads, 3);
    assert_int_equal(PARSE(&o, &err, "d", "p", "o", "-t", "32"), 0);
    assert_int_equal(o.io_threads, 8);
    assert_int_equal(PARSE(&o, &err, "--io-threads", "12", "-t", "2", "d", "p", "o"), 0);
    assert_int_equal(o.io_threads, 12);
    assert_int_equal(o.threads, 2);
    assert_int_equal(PARSE(&o, &err, "d", "p", "o", "--io", "hdf5"), 0);
    assert_true(o.io_hdf5);
    assert_int_equal(PARSE(&o, &err, "d", "p", "o", "--io=posix"), 0);
    assert_false(o.io_hdf5);
    assert_int_equal(o.output_dtype, OUTPUT_FLOAT32);
    assert_int_equal(PARSE(&o, &err, "d", "p", "o", "--output-dtype", "float16"), 0);
    assert_int_equal(o.output_dtype, OUTPUT_FLOAT16);
    assert_int_equal(PARSE(&o, &err, "d", "p", "o", "--output-dtype=float32"), 0);
    assert_int_equal(o.output_dtype, OUTPUT_FLOAT32);
    assert_int_equal(PARSE(&o, &err, "d", "p", "o", "--output-dtype", "uint16", "--output-range",
                           "-0.5:2e-2"), 0);
    assert_int_equal(o.output_dtype, OUTPUT_UINT16);
    assert_true(o.output_min == -0.5 && o.output_max == 2e-2);
    assert_parse_fails("--output-dtype: expected float32, float16 or uint16, not 'int8'",
                       PARSE(&o, &err, "d", "p", "o", "--output-dtype", "int8"), &err);
    assert_parse_fails("--output-dtype uint16 needs --output-range MIN:MAX (the values stored "
                       "as 0 and 65535)",
                       PARSE(&o, &err, "d", "p", "o", "--output-dtype", "uint16"), &err);
    assert_parse_fails("--output-range applies to --output-dtype uint16 only",
                       PARSE(&o, &err, "d", "p", "o", "--output-range", "0:1"), &err);
    assert_parse_fails("--output-range: expected MIN:MAX, two numbers with MIN < MAX, not '1:1'",
                       PARSE(&o, &err, "d", "p", "o", "--output-dtype", "uint16", "--output-range",
                             "1:1"), &err);
    assert_parse_fails("--output-range: expected MIN:MAX, two numbers with MIN < MAX, not 'nan:1'",
                       PARSE(&o, &err, "d", "p", "o", "--output-dtype", "uint16", "--output-range",
                             "nan:1"), &err);
    assert_parse_fails("--io: expected posix or hdf5, not 'mpiio'",
                       PARSE(&o, &err, "d", "p", "o", "--io", "mpiio"), &err);
    assert_parse_fails("--io-threads: expected a whole number from 1 to 256, not '0'",
                       PARSE(&o, &err, "d", "p", "o", "--io-threads", "0"), &err);
    assert_parse_fails("--io-threads: expected a whole number from 1 to 256, not '4x'",
                       PARSE(&o, &err, "d", "p", "o", "--io-threads", "4x"), &err);
    assert_parse_fails("--threads: expected a whole number from 1 to 4096, not ''",
                       PARSE(&o, &err, "d", "p", "o", "--threads="), &err);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_log_file_line_format, log_setup, log_teardown),
        cmocka_unit_test_setup_teardown(test_log_before_open_goes_to_console_only, log_setup,
                                        log_teardown),
        cmocka_unit_test_setup_teardown(test_log_open_error, log_setup, log_teardown),
        cmocka_unit_test_setup_teardown(test_log_console_by_verbosity, log_setup, log_teardown),
        cmocka_unit_test_setup_teardown(test_log_verbosity_does_not_filter_the_file, log_setup,
                                        log_teardown),
        cmocka_unit_test_setup_teardown(test_log_other_ranks, log_setup, log_teardown),
        cmocka_unit_test_setup_teardown(test_log_message_is_one_line, log_setup, log_teardown),
        cmocka_unit_test_setup_teardown(test_log_long_message, log_setup, log_teardown),
        cmocka_unit_test_setup_teardown(test_log_no_colour_when_not_a_terminal, log_setup,
                                        log_teardown),
        cmocka_unit_test_setup_teardown(test_log_colour_on_a_terminal, log_setup, log_teardown),
        cmocka_unit_test_setup_teardown(test_log_thread_safe, log_setup, log_teardown),
        cmocka_unit_test_setup_teardown(test_log_hides_progress_bar, log_setup, log_teardown),
        cmocka_unit_test_setup_teardown(test_progress_plain_lines, progress_setup,
                                        progress_teardown),
        cmocka_unit_test_setup_teardown(test_progress_final_line_at_once, progress_setup,
                                        progress_teardown),
        cmocka_unit_test_setup_teardown(test_progress_rounding_and_eta, progress_setup,
                                        progress_teardown),
        cmocka_unit_test_setup_teardown(test_progress_clamps_units, progress_setup,
                                        progress_teardown),
        cmocka_unit_test_setup_teardown(test_progress_cancel_claims_nothing, progress_setup,
                                        progress_teardown),
        cmocka_unit_test_setup_teardown(test_progress_disabled_prints_nothing, progress_setup,
                                        progress_teardown),
        cmocka_unit_test_setup_teardown(test_progress_accepts_null, progress_setup,
                                        progress_teardown),
        cmocka_unit_test_setup_teardown(test_progress_terminal_bar, progress_setup,
                                        progress_teardown),
        cmocka_unit_test_setup_teardown(test_progress_terminal_durations, progress_setup,
                                        progress_teardown),
        cmocka_unit_test_setup_teardown(test_progress_terminal_cancel, progress_setup,
                                        progress_teardown),
        cmocka_unit_test_setup_teardown(test_output_folder_timestamp_name, folder_setup,
                                        folder_teardown),
        cmocka_unit_test_setup_teardown(test_output_folder_given_name, folder_setup,
                                        folder_teardown),
        cmocka_unit_test_setup_teardown(test_output_folder_relative_out_dir, folder_setup,
                                        folder_teardown),
        cmocka_unit_test_setup_teardown(test_output_folder_errors, folder_setup, folder_teardown),
        cmocka_unit_test_setup_teardown(test_output_folder_unwritable, folder_setup,
                                        folder_teardown),
        cmocka_unit_test(test_output_stem),
        cmocka_unit_test_setup_teardown(test_run_command_write, folder_setup, folder_teardown),
        cmocka_unit_test_setup_teardown(test_run_command_write_error, folder_setup,
                                        folder_teardown),
        cmocka_unit_test(test_bibtex_key),
        cmocka_unit_test(test_bibtex_field),
        cmocka_unit_test(test_bibtex_first_surname),
        cmocka_unit_test(test_endnote_tag),
        cmocka_unit_test(test_parse_memory_size),
        cmocka_unit_test(test_options_positional_and_defaults),
        cmocka_unit_test(test_options_every_option),
        cmocka_unit_test(test_options_positional_count),
        cmocka_unit_test(test_options_missing_argument),
        cmocka_unit_test(test_options_unknown_option),
        cmocka_unit_test(test_options_bad_values),
        cmocka_unit_test(test_options_help_and_version),
        cmocka_unit_test(test_options_gpu),
        cmocka_unit_test(test_options_io),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
