/* cpu_placement.h: each rank's compute threads on CPUs of their own.
 *
 * Under `mpirun -np N` with N > 2, Open MPI binds each process to a whole
 * socket (or nothing), so the node's compute threads wander between CPUs
 * and two of them can share one for a while: the slowest rank then sets
 * the pace of all. When the ranks of a node and their threads fit the CPUs
 * this process may use (local ranks x threads <= those CPUs), the engine
 * gives local rank r the r-th run of `threads` CPUs of that set: its main
 * thread and the compute threads it creates stay there. The I/O threads
 * leave it (cpu_placement_leave) and run on every CPU the process may use,
 * so that reading and writing go on beside the compute. A binding by the
 * launcher narrower than that (e.g. --bind-to core) is left as it is. Asked
 * for with `--cpu-bind auto` (the default, none, leaves the threads to the
 * system: on the 16-core GPU host placing them made no difference). */
#ifndef SAVU_CPU_PLACEMENT_H
#define SAVU_CPU_PLACEMENT_H

#include <stdbool.h>

/* The CPUs of local rank local_rank out of local_size, `threads` each,
 * taken in order from the n_allowed CPU numbers `allowed` (ascending):
 * true with mine[0 .. threads) set, or false when they do not fit. */
bool cpu_placement_choose(const int *allowed, int n_allowed, int local_rank, int local_size,
                          int threads, int *mine);

/* On the main thread, before it creates threads: places it (and the
 * threads it will create) as cpu_placement_choose says. Returns the number
 * of CPUs it was placed on (0: not placed). */
int cpu_placement_apply(int local_rank, int local_size, int threads);

/* The calling thread back on every CPU the process may use, and back on
 * its rank's own CPUs; both do nothing when the rank was not placed. */
void cpu_placement_leave(void);
void cpu_placement_return(void);

/* "first-last" (or "a,b,...") of the rank's CPUs, for the log. */
void cpu_placement_describe(char *out, int size);

#endif
