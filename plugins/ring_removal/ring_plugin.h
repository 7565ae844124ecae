/* ring_plugin.h: what the ring-removal plugins (plugins/ring_removal/)
 * share: the checks of their parameters at plan time and the block loops
 * that run one sinogram per task on the rank's threads. Those of Vo et al.
 * 2018 (RingRemovalSorting, RingRemovalFiltering, RemoveLargeRings,
 * RemoveUnresponsiveAndFluctuatingRings, RemoveAllRings) run the kernels
 * of kernels/cpu/ring_removal.h with per-thread workspaces made here; the
 * Fourier-space ones (RingRemovalWaveletfft, RavenFilter) run a plan of
 * kernels/cpu/stripe_fft.h that their setup makes. Each plugin file holds
 * its descriptor and says which method and parameters it uses. */
#ifndef SAVU_RING_PLUGIN_H
#define SAVU_RING_PLUGIN_H

#include <stdbool.h>
#include "savu_plugin.h"

enum ring_method { RING_SORTING, RING_FILTERING, RING_LARGE, RING_DEAD, RING_ALL };

/* What one instance runs: sizes are median-filter widths along the detector
 * (size; la_size and sm_size for RING_ALL are size and small_size). */
struct ring_settings {
    enum ring_method method;
    int size, small_size;
    double snr, sigma;
    bool residual;
};

/* The working memory, in sinograms (the descriptors' scratch_fixed_frames):
 * each thread's workspace holds about four (ring_removal.h); counted for 16
 * threads, as TomoRecon counts its own. */
#define RING_SCRATCH_FRAMES 64

/* The citation of every one of them: Vo, Atwood and Drakopoulos 2018, with
 * the sentence saying which of its algorithms the plugin implements. */
#define RING_VO2018_CITATION(what)                                                                 \
    {                                                                                              \
        .label = "Vo2018", .description = (what), .doi = "10.1364/OE.26.028396",                   \
        .bibtex = "@article{Vo:18,\n"                                                              \
                  "title={Superior techniques for eliminating ring artifacts in X-ray "            \
                  "micro-tomography},\n"                                                           \
                  "author={Vo, Nghia T. and Atwood, Robert C. and Drakopoulos, Michael},\n"        \
                  "journal={Optics Express},\n"                                                    \
                  "volume={26},\n"                                                                 \
                  "number={22},\n"                                                                 \
                  "pages={28396--28412},\n"                                                        \
                  "year={2018},\n"                                                                 \
                  "publisher={Optica Publishing Group},\n"                                         \
                  "doi={10.1364/OE.26.028396}\n"                                                   \
                  "}\n",                                                                           \
        .endnote = "%0 Journal Article\n"                                                          \
                   "%T Superior techniques for eliminating ring artifacts in X-ray "               \
                   "micro-tomography\n"                                                            \
                   "%A Vo, Nghia T.\n"                                                             \
                   "%A Atwood, Robert C.\n"                                                        \
                   "%A Drakopoulos, Michael\n"                                                     \
                   "%J Optics Express\n"                                                           \
                   "%V 26\n"                                                                       \
                   "%N 22\n"                                                                       \
                   "%P 28396-28412\n"                                                              \
                   "%D 2018\n"                                                                     \
                   "%R 10.1364/OE.26.028396\n",                                                    \
    }

/* In setup: the parameter `name` as an odd whole number from 1 to the
 * sinogram's width, into *size; else savu_fail naming plugin and parameter. */
int ring_param_size(struct savu_plugin_instance *inst, const char *name, int *size);
/* In setup: the parameter `name` as a number above 0, into *value. */
int ring_param_positive(struct savu_plugin_instance *inst, const char *name, double *value);
/* In setup: the parameter `name` as a whole number of at least `min`, into
 * *value; else savu_fail naming plugin and parameter. */
int ring_param_whole(struct savu_plugin_instance *inst, const char *name, long min, long *value);
/* In setup, after the checks: the workspaces (and the FFT plan) of s. */
int ring_setup(struct savu_plugin_instance *inst, const struct ring_settings *s);
/* A block of sinograms, one task each on the rank's threads. */
int ring_process(struct savu_plugin_instance *inst, struct savu_block *block);
void ring_teardown(struct savu_plugin_instance *inst);

/* The Fourier-space ones: in setup, the plan made by savu_wavelet_fft_create
 * or savu_raven_create (NULL: savu_fail with err's message) becomes the
 * instance's state; each block runs one sinogram per task through it. */
struct savu_stripe_fft;
struct savu_error;
int ring_fft_start(struct savu_plugin_instance *inst, struct savu_stripe_fft *plan,
                   const struct savu_error *err);
int ring_fft_process(struct savu_plugin_instance *inst, struct savu_block *block);
void ring_fft_teardown(struct savu_plugin_instance *inst);

#endif
