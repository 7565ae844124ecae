/* run_release.c: freeing a run's last section, plugins and GPU context
 * beside its finishing (see run_release.h). */
#include <pthread.h>
#include <stdlib.h>
#include "config.h"
#include "plan.h"
#include "run.h"
#include "run_release.h"
#ifdef HAVE_CUDA
#include "cuda/cuda_device.h"
#endif

struct run_release {
    pthread_t thread;
    struct run *run;
    void (*free_section)(void *);
    void *section;
};

static void *release(void *arg)
{
    struct run_release *r = arg;
    if (r->free_section)
        r->free_section(r->section);
    plan_teardown_plugins(r->run->plan);
#ifdef HAVE_CUDA
    if (r->run->opt->gpu_device >= 0)
        savu_cuda_release(r->run->opt->gpu_device);
#endif
    return NULL;
}

void run_release_start(struct run *run, void (*free_section)(void *), void *section)
{
    struct run_release *r = malloc(sizeof *r);
    if (r) {
        *r = (struct run_release){.run = run, .free_section = free_section, .section = section};
        if (pthread_create(&r->thread, NULL, release, r) == 0) {
            run->release = r;
            return;
        }
    }
    release(&(struct run_release){.run = run, .free_section = free_section, .section = section});
    free(r);
}

void run_release_wait(struct run *run)
{
    if (!run->release)
        return;
    pthread_join(run->release->thread, NULL);
    free(run->release);
    run->release = NULL;
}
