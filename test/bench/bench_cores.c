/* bench_cores.c: how fast one core runs when 1, 2, 4, ... N cores are busy,
 * with no memory traffic at all (registers only), in two kinds of work:
 *  - chain: one chain of dependent integer multiply-adds. It waits on each
 *    result, so it leaves most of a core's units idle: two hardware threads
 *    sharing a core run it at full speed. Its rate with N threads against
 *    one alone shows the clock (an all-core clock below the one-core one).
 *  - throughput: independent float multiply-adds in vector registers, enough
 *    of them to keep the core's floating-point units busy, as the
 *    backprojection does. Two threads that share a core's units (SMT
 *    siblings, which a virtual machine may show as separate cores) get about
 *    half each.
 * Either ratio bounds every parallel efficiency of that kind of work from
 * above, before any memory or communication is involved.
 *
 *   bench_cores [--pairs] [MAX_THREADS]    (default: all online CPUs)
 *
 * --pairs also runs the throughput work on every pair of CPUs (each thread
 * pinned to one) and lists the pairs at which a thread keeps less than 75 %
 * of its rate alone: the CPUs that share a core.
 *
 * Not run by make check (results in test/bench/RESULTS.md). */
#define _GNU_SOURCE /* CPU_SET, pthread_setaffinity_np */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHAIN_STEPS 400000000ULL
#define THROUGHPUT_STEPS 100000000ULL
#define PAIR_STEPS 20000000ULL
#define LANES 4       /* floats per vector register (SSE: every x86-64) */
#define ACCUMULATORS 12 /* independent vectors (EACH): more than latency x ports */

typedef float vec __attribute__((vector_size(LANES * sizeof(float))));

enum work { CHAIN, THROUGHPUT };

struct worker {
    pthread_t thread;
    pthread_barrier_t *start;
    enum work work;
    uint64_t steps;
    int cpu; /* pinned to this CPU, or -1 */
    double result;
    double seconds;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double chain(uint64_t steps, uint64_t seed)
{
    uint64_t x = seed | 1u;
    for (uint64_t i = 0; i < steps; i++)
        x = x * 6364136223846793005ULL + i; /* one dependent multiply-add per step */
    return (double)(x & 0xffff);
}

/* ACCUMULATORS independent multiply-adds of LANES floats per step, each
 * accumulator a variable of its own so that all stay in registers. */
#define EACH(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
static double throughput(uint64_t steps, uint64_t seed)
{
    vec mul, add;
    for (int l = 0; l < LANES; l++) { /* x -> x / 2 + 1 tends to 2: never a subnormal,
                                        * whose slow handling would be measured instead */
        mul[l] = 0.5f;
        add[l] = 1.0f + 1e-3f * (float)(seed % 7);
    }
#define START(k) vec acc##k = add + (float)(k);
#define STEP(k) acc##k = acc##k * mul + add;
#define SUM(k) + acc##k
    EACH(START)
    for (uint64_t i = 0; i < steps; i++) {
        EACH(STEP)
        __asm__ volatile("" : "+x"(acc0), "+x"(acc1), "+x"(acc2), "+x"(acc3), "+x"(acc4),
                         "+x"(acc5), "+x"(acc6), "+x"(acc7), "+x"(acc8), "+x"(acc9),
                         "+x"(acc10), "+x"(acc11));
    }
    vec total = add EACH(SUM);
    double sum = 0;
    for (int l = 0; l < LANES; l++)
        sum += total[l];
    return sum;
}

static void *run(void *arg)
{
    struct worker *w = arg;
    if (w->cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(w->cpu, &set);
        pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    }
    pthread_barrier_wait(w->start);
    double t0 = now();
    w->result = w->work == CHAIN ? chain(w->steps, (uint64_t)(uintptr_t)w)
                                 : throughput(w->steps, (uint64_t)(uintptr_t)w);
    w->seconds = now() - t0;
    return NULL;
}

/* Mean steps per second per thread with k threads running at once (pinned
 * to cpus[i] when cpus is not NULL); the slowest thread's rate in *slowest. */
static double rate_with(int k, enum work work, uint64_t steps, const int *cpus, double *slowest)
{
    struct worker *w = calloc((size_t)k, sizeof *w);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)k);
    for (int i = 0; i < k; i++) {
        w[i] = (struct worker){.start = &start, .work = work, .steps = steps,
                               .cpu = cpus ? cpus[i] : -1};
        pthread_create(&w[i].thread, NULL, run, &w[i]);
    }
    double sum = 0, check = 0, low = 0;
    for (int i = 0; i < k; i++) {
        pthread_join(w[i].thread, NULL);
        double r = (double)steps / w[i].seconds;
        sum += r;
        low = i == 0 || r < low ? r : low;
        check += w[i].result;
    }
    pthread_barrier_destroy(&start);
    free(w);
    if (slowest)
        *slowest = low;
    return check == 42.5 ? 0 : sum / k; /* the check keeps the loops from being optimised away */
}

static void scaling(enum work work, int max)
{
    uint64_t steps = work == CHAIN ? CHAIN_STEPS : THROUGHPUT_STEPS;
    printf("%s:\n", work == CHAIN ? "dependent integer multiply-add chain (the clock)"
                                  : "independent float multiply-adds (a core's units)");
    double one = rate_with(1, work, steps, NULL, NULL);
    printf("  threads %3d: %.3e steps/s per thread (100.0 %% of one alone)\n", 1, one);
    for (int k = 2; k <= max; k = k * 2 > max && k < max ? max : k * 2) {
        double low, r = rate_with(k, work, steps, NULL, &low);
        printf("  threads %3d: %.3e steps/s per thread (%.1f %% of one alone, slowest %.1f %%)\n",
               k, r, 100.0 * r / one, 100.0 * low / one);
    }
}

/* The throughput work on every pair of the process's CPUs. */
static void pairs(void)
{
    cpu_set_t mine;
    if (sched_getaffinity(0, sizeof mine, &mine) != 0)
        return;
    int cpus[CPU_SETSIZE], n = 0;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &mine))
            cpus[n++] = c;
    double *alone = calloc((size_t)n, sizeof *alone);
    for (int i = 0; i < n; i++)
        alone[i] = rate_with(1, THROUGHPUT, PAIR_STEPS, &cpus[i], NULL);
    printf("pairs of CPUs (throughput work, both pinned): %d CPUs\n", n);
    int shared = 0;
    double worst = 1;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            int pair[2] = {cpus[i], cpus[j]}, keep = 0;
            double low, mean = rate_with(2, THROUGHPUT, PAIR_STEPS, pair, &low);
            double ratio = mean / ((alone[i] + alone[j]) / 2);
            worst = ratio < worst ? ratio : worst;
            keep = ratio < 0.75;
            if (keep) {
                printf("  CPUs %d and %d share a core: %.1f %% each of alone\n", cpus[i], cpus[j],
                       100 * ratio);
                shared++;
            }
        }
    printf("  %d of %d pairs share a core; the worst pair keeps %.1f %%\n", shared,
           n * (n - 1) / 2, 100 * worst);
    free(alone);
}

int main(int argc, char **argv)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    int max = (int)online, with_pairs = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pairs") == 0)
            with_pairs = 1;
        else if ((max = atoi(argv[i])) < 1) {
            fprintf(stderr, "usage: bench_cores [--pairs] [MAX_THREADS >= 1]\n");
            return 2;
        }
    }
    printf("%ld online CPUs\n", online);
    scaling(CHAIN, max);
    scaling(THROUGHPUT, max);
    if (with_pairs)
        pairs();
    return 0;
}
