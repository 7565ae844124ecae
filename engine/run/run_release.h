/* run_release.h: what a run no longer needs once its last section has
 * computed — that section's buffers, threads and pinned memory, the
 * plugins' state (FFT plans, GPU buffers) and this process's CUDA context —
 * freed on a thread of its own while the run finishes (the preview,
 * closing and naming the output files). Tearing a GPU context down takes
 * 0.06 s alone and up to 0.13 s when two processes do it at once, and a
 * run's wall time ends only when every rank has exited. */
#ifndef SAVU_RUN_RELEASE_H
#define SAVU_RUN_RELEASE_H

struct run;

/* Starts the release: free_section(section) first (may be NULL), then the
 * plugins' teardown (plan_teardown_plugins), then, when the run computes on
 * a GPU, the CUDA context. Done at once, on this thread, when no thread can
 * be started. Once per run. */
void run_release_start(struct run *run, void (*free_section)(void *), void *section);

/* Waits until the release has finished (nothing when none was started). */
void run_release_wait(struct run *run);

#endif
