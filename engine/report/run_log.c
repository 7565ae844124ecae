/* run_log.c: the engine's log (run_log.h): one line per message to
 * run_log/log.txt on rank 0 and to the console by level and verbosity. */
#define _GNU_SOURCE /* vasprintf */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "console.h"
#include "progress.h"
#include "run_log.h"

static struct {
    int rank;
    enum log_verbosity verbosity;
    FILE *file;
    FILE *out, *err;          /* NULL: stdout, stderr */
    time_t (*now)(void);      /* NULL: time() */
} logger = { .verbosity = LOG_NORMAL };

static pthread_mutex_t logger_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const file_labels[] = {
    [LOG_ERROR] = "ERROR", [LOG_WARNING] = "WARNING", [LOG_INFO] = "INFO", [LOG_DEBUG] = "DEBUG",
};

void run_log_init(int rank, enum log_verbosity v)
{
    pthread_mutex_lock(&logger_lock);
    logger.rank = rank;
    logger.verbosity = v;
    pthread_mutex_unlock(&logger_lock);
}

int run_log_open(const char *log_path, savu_error *err)
{
    pthread_mutex_lock(&logger_lock);
    int rank = logger.rank;
    pthread_mutex_unlock(&logger_lock);
    if (rank != 0)
        return 0;
    FILE *f = fopen(log_path, "a");
    if (!f)
        return savu_error_set(err, "cannot write log file '%s': %s", log_path, strerror(errno));
    setvbuf(f, NULL, _IOLBF, 0); /* every line reaches the file at once */
    pthread_mutex_lock(&logger_lock);
    if (logger.file)
        fclose(logger.file);
    logger.file = f;
    pthread_mutex_unlock(&logger_lock);
    return 0;
}

void run_log_close(void)
{
    pthread_mutex_lock(&logger_lock);
    if (logger.file)
        fclose(logger.file);
    logger.file = NULL;
    pthread_mutex_unlock(&logger_lock);
}

void run_log_set_console(FILE *out, FILE *err)
{
    pthread_mutex_lock(&logger_lock);
    logger.out = out;
    logger.err = err;
    pthread_mutex_unlock(&logger_lock);
}

void run_log_set_clock(time_t (*now)(void))
{
    pthread_mutex_lock(&logger_lock);
    logger.now = now;
    pthread_mutex_unlock(&logger_lock);
}

/* Trailing whitespace dropped, other line breaks and tabs made spaces. */
static void make_one_line(char *msg)
{
    size_t n = strlen(msg);
    while (n > 0 && strchr(" \t\r\n", msg[n - 1]))
        msg[--n] = '\0';
    for (char *c = msg; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
}

static void write_file_line(enum log_level level, const char *msg)
{
    time_t now = logger.now ? logger.now() : time(NULL);
    struct tm local;
    char stamp[32] = "";
    if (localtime_r(&now, &local))
        strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
    fprintf(logger.file, "%s %-7s %s\n", stamp, file_labels[level], msg);
}

static bool console_shown(enum log_level level)
{
    if (logger.rank != 0)
        return level <= LOG_WARNING;
    switch (logger.verbosity) {
    case LOG_QUIET: return level == LOG_ERROR;
    case LOG_NORMAL: return level <= LOG_INFO;
    default: return true;
    }
}

static bool use_colour(FILE *stream)
{
    const char *no_colour = getenv("NO_COLOR");
    return console_is_terminal(fileno(stream)) && !(no_colour && *no_colour);
}

/* "error: " etc., coloured on a terminal; empty for info. */
static const char *console_label(enum log_level level, bool colour)
{
    switch (level) {
    case LOG_ERROR: return colour ? "\033[1;31merror:\033[0m " : "error: ";
    case LOG_WARNING: return colour ? "\033[1;33mwarning:\033[0m " : "warning: ";
    case LOG_DEBUG: return "debug: ";
    default: return "";
    }
}

static void write_console_line(enum log_level level, const char *msg)
{
    bool to_err = level == LOG_ERROR || logger.rank != 0;
    FILE *stream = to_err ? (logger.err ? logger.err : stderr)
                          : (logger.out ? logger.out : stdout);
    if (logger.rank == 0)
        progress_hide();
    char rank[32] = "";
    if (logger.rank != 0)
        snprintf(rank, sizeof rank, "rank %d: ", logger.rank);
    /* One call, one write (glibc buffers an unbuffered stream's call): the
     * ranks' lines do not interleave. */
    fprintf(stream, "%s%s%s\n", rank, console_label(level, use_colour(stream)), msg);
    fflush(stream);
    if (logger.rank == 0)
        progress_show();
}

void savu_log(enum log_level level, const char *fmt, ...)
{
    if (level < LOG_ERROR || level > LOG_DEBUG)
        level = LOG_ERROR;
    char fallback[1024];
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    if (!msg) { /* out of memory: the message cut to what fits */
        va_start(ap, fmt);
        vsnprintf(fallback, sizeof fallback, fmt, ap);
        va_end(ap);
    }
    char *text = msg ? msg : fallback;
    make_one_line(text);
    pthread_mutex_lock(&logger_lock);
    if (logger.file && logger.rank == 0)
        write_file_line(level, text);
    if (console_shown(level))
        write_console_line(level, text);
    pthread_mutex_unlock(&logger_lock);
    free(msg);
}
