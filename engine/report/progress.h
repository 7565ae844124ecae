/* progress.h: the progress of one section of a run, shown on rank 0.
 * On a terminal, one bar line redrawn in place (at most every 0.25 s):
 *     [2/3] sinogram  [#########.......]  60%  12/20 blocks  ETA 0:14
 * ending as "... 100%  20/20 blocks  done in 0:35" and a newline. Elsewhere
 * (a pipe, a file: what a calling program such as savu_config's `run`
 * reads), plain lines, the first at once, then at most one every 2 s:
 *     progress: section 2/3 sinogram: 60% (12/20 blocks), ETA 14 s
 * and a last one "progress: section 2/3 sinogram: 100% (20/20 blocks),
 * done in 35 s". The percentage is rounded down; the ETA is the elapsed time
 * times the units left over the units done ("ETA -:--" / "ETA unknown"
 * before the first). A disabled progress (other ranks, --quiet) prints
 * nothing. Every function accepts NULL. */
#ifndef SAVU_PROGRESS_H
#define SAVU_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

typedef struct progress progress;

/* Starts a section (section_index counts from 1) and shows 0%. NULL only
 * when out of memory. */
progress *progress_begin(int section_index, int n_sections, const char *section_name,
                         long total_units, bool enabled);
/* Records the units done so far (clamped to 0..total) and shows them when
 * it is time to. */
void progress_update(progress *p, long units_done);
/* The section is complete: shows the final 100% line with the elapsed time
 * and frees p. */
void progress_end(progress *p);
/* The section stops early (an error, a kill signal): ends a bar line where
 * it is, claims nothing, and frees p. */
void progress_cancel(progress *p);

/* For the log (run_log.c): takes the bar off the terminal line before a
 * message is printed, and draws it again after. No-ops without a bar. */
void progress_hide(void);
void progress_show(void);

/* For tests: the clock in seconds (NULL: the monotonic clock) and the stream
 * with whether it is a terminal (NULL: stdout and isatty(stdout)). */
void progress_set_clock(double (*now_seconds)(void));
void progress_set_stream(FILE *f, bool is_terminal);

#endif
