/* fftw_planner.c: the process-wide FFTW planner lock of fftw_planner.h. */
#include "fftw_planner.h"

#include <fftw3.h>
#include <pthread.h>

static pthread_mutex_t planner_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t threads_once = PTHREAD_ONCE_INIT;

static int threads_ready;

static void init_fftw_threads(void)
{
    /* Failure only means FFTW runs its plans single-threaded. */
    threads_ready = fftwf_init_threads() != 0;
}

void savu_fftw_planner_lock(void)
{
    pthread_once(&threads_once, init_fftw_threads);
    pthread_mutex_lock(&planner_mutex);
}

void savu_fftw_planner_unlock(void)
{
    pthread_mutex_unlock(&planner_mutex);
}

void savu_fftw_plan_with_nthreads(int n_threads)
{
    if (threads_ready)
        fftwf_plan_with_nthreads(n_threads < 1 ? 1 : n_threads);
}
