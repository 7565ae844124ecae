/* bench_cores.c: how fast one core runs when 1, 2, 4, ... N cores are busy.
 * Each of K threads runs the same chain of dependent integer multiply-adds
 * (registers only: no memory traffic) for a fixed count, and the figure is
 * the chain's rate per thread against the rate of one thread alone. On a
 * machine whose all-core clock is below its one-core clock, this ratio is
 * the ceiling of any parallel efficiency: it bounds the engine's 1 -> N rank
 * figures from above without any memory or communication involved.
 *
 *   bench_cores [MAX_THREADS]       (default: all online CPUs)
 *
 * Not run by make check (results in test/bench/RESULTS.md). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define STEPS 400000000ULL

struct worker {
    pthread_t thread;
    pthread_barrier_t *start;
    uint64_t result;
    double seconds;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *spin(void *arg)
{
    struct worker *w = arg;
    pthread_barrier_wait(w->start);
    double t0 = now();
    uint64_t x = (uint64_t)(uintptr_t)w | 1u;
    for (uint64_t i = 0; i < STEPS; i++)
        x = x * 6364136223846793005ULL + i; /* one dependent multiply-add per step */
    w->seconds = now() - t0;
    w->result = x;
    return NULL;
}

/* Mean steps per second per thread with k threads running at once. */
static double rate_with(int k)
{
    struct worker *w = calloc((size_t)k, sizeof *w);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)k);
    for (int i = 0; i < k; i++) {
        w[i].start = &start;
        pthread_create(&w[i].thread, NULL, spin, &w[i]);
    }
    double sum = 0;
    uint64_t check = 0;
    for (int i = 0; i < k; i++) {
        pthread_join(w[i].thread, NULL);
        sum += (double)STEPS / w[i].seconds;
        check ^= w[i].result;
    }
    pthread_barrier_destroy(&start);
    free(w);
    return check == 42 ? 0 : sum / k; /* the check keeps the loop from being optimised away */
}

int main(int argc, char **argv)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    int max = argc > 1 ? atoi(argv[1]) : (int)online;
    if (max < 1) {
        fprintf(stderr, "usage: bench_cores [MAX_THREADS >= 1]\n");
        return 2;
    }
    printf("dependent multiply-add chain, %llu steps per thread; %ld online CPUs\n",
           (unsigned long long)STEPS, online);
    double one = rate_with(1);
    printf("threads %3d: %.3e steps/s per thread (100.0 %% of one alone)\n", 1, one);
    for (int k = 2; k <= max; k = k * 2 > max && k < max ? max : k * 2) {
        double r = rate_with(k);
        printf("threads %3d: %.3e steps/s per thread (%.1f %% of one alone)\n", k, r,
               100.0 * r / one);
    }
    return 0;
}
