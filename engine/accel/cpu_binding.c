/* cpu_binding.c: widening a CPU binding too narrow for the threads (see
 * cpu_binding.h). */
#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>
#include "cpu_binding.h"

int cpu_binding_widen(int threads)
{
    cpu_set_t mask;
    if (sched_getaffinity(0, sizeof mask, &mask) != 0)
        return 0;
    int held = CPU_COUNT(&mask);
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    if (held >= threads || online <= held)
        return 0;
    cpu_set_t all;
    CPU_ZERO(&all);
    for (long c = 0; c < online && c < CPU_SETSIZE; c++)
        CPU_SET((int)c, &all);
    /* The kernel keeps the CPUs the process's cpuset allows. */
    if (sched_setaffinity(0, sizeof all, &all) != 0)
        return 0;
    cpu_set_t now;
    return sched_getaffinity(0, sizeof now, &now) == 0 && CPU_COUNT(&now) > held ? held : 0;
}
