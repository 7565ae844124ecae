/* run_log.h: the engine's log. One logger per process. Rank 0 writes every
 * message to run_log/log.txt, one line each:
 *     2026-03-01 14:05:09 INFO    section 2/3 (sinogram): TomoRecon
 * and to the console by verbosity: quiet: errors only; normal: errors,
 * warnings and info; verbose: debug too. Errors go to standard error as
 * "error: MESSAGE"; warnings ("warning: MESSAGE"), info (the message alone)
 * and debug ("debug: MESSAGE") go to standard output, so that a scripted
 * caller reads progress and news on one stream. Other ranks write no file
 * and print only their warnings and errors, to standard error, prefixed
 * "rank N: ". On a terminal the "error:" and "warning:" labels are coloured
 * unless NO_COLOR is set and not empty. A message is always one line:
 * newlines (and tabs) in it become spaces; trailing ones are dropped. Before run_log_open (and after
 * run_log_close) messages go only to the console. Thread-safe. */
#ifndef SAVU_RUN_LOG_H
#define SAVU_RUN_LOG_H

#include <stdio.h>
#include <time.h>
#include "error.h"

enum log_level { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
enum log_verbosity { LOG_QUIET, LOG_NORMAL, LOG_VERBOSE };

/* Sets this process's rank and the console verbosity (may be called again). */
void run_log_init(int rank, enum log_verbosity v);

/* Rank 0: opens (appends to) the log file. Other ranks: does nothing.
 * Error: "cannot write log file 'PATH': <reason>". */
int run_log_open(const char *log_path, savu_error *err);

/* Logs one message (printf format). */
void savu_log(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Closes the log file; later messages go only to the console. */
void run_log_close(void);

/* For tests: the console streams (NULL: stdout / stderr again) and the clock
 * of the file's timestamps (NULL: time()). */
void run_log_set_console(FILE *out, FILE *err);
void run_log_set_clock(time_t (*now)(void));

#endif
