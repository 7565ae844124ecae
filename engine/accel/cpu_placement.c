/* cpu_placement.c: a rank's compute threads on CPUs of their own (see
 * cpu_placement.h). */
#define _GNU_SOURCE
#include "cpu_placement.h"
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static bool placed;
static cpu_set_t process_cpus, rank_cpus;

bool cpu_placement_choose(const int *allowed, int n_allowed, int local_rank, int local_size,
                          int threads, int *mine)
{
    if (local_rank < 0 || local_size < 1 || local_rank >= local_size || threads < 1 ||
        (long)local_size * threads > n_allowed)
        return false;
    for (int i = 0; i < threads; i++)
        mine[i] = allowed[local_rank * threads + i];
    return true;
}

int cpu_placement_apply(int local_rank, int local_size, int threads)
{
    if (threads < 1 || threads > CPU_SETSIZE ||
        sched_getaffinity(0, sizeof process_cpus, &process_cpus) != 0)
        return 0;
    int allowed[CPU_SETSIZE], n = 0, mine[CPU_SETSIZE];
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &process_cpus))
            allowed[n++] = c;
    if (n == threads || !cpu_placement_choose(allowed, n, local_rank, local_size, threads, mine))
        return 0; /* already a CPU per thread, or they do not fit */
    CPU_ZERO(&rank_cpus);
    for (int i = 0; i < threads; i++)
        CPU_SET(mine[i], &rank_cpus);
    placed = pthread_setaffinity_np(pthread_self(), sizeof rank_cpus, &rank_cpus) == 0;
    return placed ? threads : 0;
}

void cpu_placement_leave(void)
{
    if (placed)
        pthread_setaffinity_np(pthread_self(), sizeof process_cpus, &process_cpus);
}

void cpu_placement_return(void)
{
    if (placed)
        pthread_setaffinity_np(pthread_self(), sizeof rank_cpus, &rank_cpus);
}

void cpu_placement_describe(char *out, int size)
{
    int used = 0;
    out[0] = '\0';
    for (int c = 0; placed && c < CPU_SETSIZE && used < size; c++) {
        if (!CPU_ISSET(c, &rank_cpus) || (c > 0 && CPU_ISSET(c - 1, &rank_cpus)))
            continue;
        int last = c;
        while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &rank_cpus))
            last++;
        used += last > c ? snprintf(out + used, (size_t)(size - used), "%s%d-%d", used ? "," : "",
                                    c, last)
                         : snprintf(out + used, (size_t)(size - used), "%s%d", used ? "," : "", c);
    }
}
