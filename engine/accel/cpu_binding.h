/* cpu_binding.h: a process bound to fewer CPUs than the threads it runs.
 * mpirun binds each process to one core by default when it starts one or
 * two (Open MPI), so `mpirun -np 1 savu` would run all its compute and I/O
 * threads on a single core. When the CPUs this process may run on are
 * fewer than its compute threads, the engine lets it run on every CPU the
 * node allows instead (what `mpirun --bind-to none` does), and says so. A
 * binding that leaves a CPU per thread (e.g. --map-by ...:PE=N) is kept. */
#ifndef SAVU_CPU_BINDING_H
#define SAVU_CPU_BINDING_H

/* Widens this thread's CPU mask (the threads it creates inherit it) when
 * it holds fewer than `threads` CPUs. Returns the number of CPUs it held
 * when it widened it, else 0. Call before creating threads. */
int cpu_binding_widen(int threads);

#endif
