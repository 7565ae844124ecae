/* run_outputs.h: what rank 0 writes around a run besides the results: the
 * copy of the process list and the command in run_log/, and at the end
 * either the files that describe a complete run (<stem>_processed.nxs,
 * run_log/citations.txt and .bib; the preview PNG is preview_slices.h's)
 * or run_log/FAILED with the error line. */
#ifndef SAVU_RUN_OUTPUTS_H
#define SAVU_RUN_OUTPUTS_H

#include <time.h>
#include "run.h"

/* Before the run: run_log/run_command.txt and run_log/<list file name>. */
int run_outputs_begin(const struct run *run, int argc, char **argv, savu_error *err);

/* After a successful run. started: when the run began. */
int run_outputs_complete(const struct run *run, int argc, char **argv, time_t started,
                         savu_error *err);

/* After a failed or stopped run: run_log/FAILED holding the message. */
void run_outputs_failed(const struct run *run, const char *message);

#endif
