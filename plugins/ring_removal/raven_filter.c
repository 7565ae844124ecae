/* raven_filter.c: RavenFilter, Savu's plugin of Raven's stripe removal
 * (Raven 1998; descriptor; the method is kernels/cpu/stripe_fft.c, the
 * block loop plugins/ring_removal/ring_plugin.c). Stripes are constant
 * along the angles: in the 2-D Fourier transform of the padded sinogram
 * they sit in the rows of lowest angular frequency, where a Butterworth
 * low-pass across the detector removes their sharp part. */
#include "builtin_plugin.h"
#include "common_params.h"
#include "ring_removal/ring_plugin.h"

static const struct savu_param_def raven_filter_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {
        .name = "uvalue",
        .dtype = "int",
        .default_json = "20",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Cut-off frequency. To control the strength of filter, e.g. strong=10, "
                   "moderate=20, weak=50.",
        .verbose = "The Butterworth window 1 / (1 + (x / uvalue)^(2 nvalue)) across the "
                   "detector frequencies x (samples of the padded sinogram's transform from "
                   "its centre): smaller removes more of each stripe, and more of the "
                   "sample's vertical edges.",
        .range = "1 or more",
    },
    {
        .name = "vvalue",
        .dtype = "int",
        .default_json = "1",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Number of image-rows around the zero-frequency to be applied the filter.",
        .verbose = "The filter applies to the 2 x vvalue + 1 rows of lowest angular "
                   "frequency of the padded sinogram's transform (vvalue each side of the "
                   "centre); the others are kept.",
        .range = "0 to half the padded angles, less one",
    },
    {
        .name = "nvalue",
        .dtype = "int",
        .default_json = "8",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "To define the shape of filter",
        .verbose = "The order of the Butterworth window: larger cuts more sharply at uvalue.",
        .range = "1 or more",
    },
    {
        .name = "padFT",
        .dtype = "int",
        .default_json = "50",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Padding for Fourier transform.",
        .verbose = "Rows and columns added each side of the sinogram before the transform "
                   "(the edge values repeated, as Savu pads a frame); cut off after.",
        .range = "0 or more",
    },
};

static const struct savu_citation raven_filter_citations[] = {{
    .label = "Raven1998",
    .description = "The ring artefact removal algorithm used in this processing chain is "
                   "taken from this work.",
    .doi = "10.1063/1.1149043",
    .bibtex = "@article{raven1998numerical,\n"
              "title={Numerical removal of ring artifacts in microtomography},\n"
              "author={Raven, Carsten},\n"
              "journal={Review of scientific instruments},\n"
              "volume={69},\n"
              "number={8},\n"
              "pages={2978--2980},\n"
              "year={1998},\n"
              "publisher={American Institute of Physics}\n"
              "}\n",
    .endnote = "%0 Journal Article\n"
               "%T Numerical removal of ring artifacts in microtomography\n"
               "%A Raven, Carsten\n"
               "%J Review of scientific instruments\n"
               "%V 69\n"
               "%N 8\n"
               "%P 2978-2980\n"
               "%@ 0034-6748\n"
               "%D 1998\n"
               "%I American Institute of Physics\n",
}};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include "cpu/stripe_fft.h"

static int raven_filter_setup(struct savu_plugin_instance *inst)
{
    long shape[3], u, v, n, pad;
    savu_in_shape(inst, shape);
    if (ring_param_whole(inst, "uvalue", 1, &u) || ring_param_whole(inst, "vvalue", 0, &v) ||
        ring_param_whole(inst, "nvalue", 1, &n) || ring_param_whole(inst, "padFT", 0, &pad))
        return -1;
    long max = savu_raven_max_v(shape[0], (int)pad);
    if (v > max)
        return savu_fail(inst, "vvalue: %ld rows each side of the zero frequency do not fit in "
                               "the %ld padded angles (at most %ld)", v, shape[0] + 2 * pad, max);
    struct savu_raven_params p = {(double)u, (int)v, (int)n, (int)pad};
    savu_error err;
    return ring_fft_start(inst, savu_raven_create(shape[0], shape[2], &p, savu_threads(inst), &err),
                          &err);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_raven_filter = {
    .name = "RavenFilter",
    .id = "savu.plugins.ring_removal.raven_filter",
    .synopsis = "Remove stripes in sinograms (rings) with Raven's filter in Fourier space.",
    .info = "Raven's method as Savu computes it: the sinogram is padded by padFT (edge values "
            "repeated), transformed in 2-D, and its 2 vvalue + 1 rows of lowest angular "
            "frequency are multiplied by Savu's filter, (1 + i) / (1 + (x / uvalue)^(2 "
            "nvalue)) across the detector frequencies x; then transformed back, the real part "
            "kept and the padding cut off. With an odd number of padded angles and pixels this "
            "is algotom's remove_stripe_based_fft; otherwise Savu's centre, one sample off, "
            "and its factor 1 + i change the result slightly, as in Savu.",
    .category = SAVU_CAT_RING_REMOVAL,
    .params = raven_filter_params,
    .n_params = SAVU_COUNT_OF(raven_filter_params),
    .citations = raven_filter_citations,
    .n_citations = SAVU_COUNT_OF(raven_filter_citations),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    /* each thread's workspace: about 2 sinograms (doubles, padded), for 16 threads */
    .scratch_fixed_frames = 40,
    .setup = SAVU_RUN(raven_filter_setup),
    .process = SAVU_RUN(ring_fft_process),
    .teardown = SAVU_RUN(ring_fft_teardown),
};
