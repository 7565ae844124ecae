/* fftw_planner.h: the one lock around FFTW's planner. FFTW's execute calls are
 * thread-safe but its planner (fftwf_plan_*, fftwf_destroy_plan,
 * fftwf_plan_with_nthreads) is not, so every CPU kernel that makes or destroys
 * FFTW plans (single precision, and the double-precision ones of
 * ring_removal.c) does so between savu_fftw_planner_lock and
 * savu_fftw_planner_unlock. The first lock also calls fftwf_init_threads. */
#ifndef SAVU_FFTW_PLANNER_H
#define SAVU_FFTW_PLANNER_H

void savu_fftw_planner_lock(void);
void savu_fftw_planner_unlock(void);

/* With the lock held: the number of threads the next plans will use (FFTW's
 * fftwf_plan_with_nthreads; ignored when FFTW's threads failed to start). */
void savu_fftw_plan_with_nthreads(int n_threads);

#endif
