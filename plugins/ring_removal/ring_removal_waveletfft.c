/* ring_removal_waveletfft.c: RingRemovalWaveletfft, Savu's plugin of the
 * combined wavelet-Fourier stripe removal of Münch et al. 2009
 * (descriptor; the method is kernels/cpu/stripe_fft.c, the block loop
 * plugins/ring_removal/ring_plugin.c). Each padded sinogram is decomposed
 * with a Daubechies wavelet; stripes, constant along the angles, sit in
 * the vertical-detail bands near zero angular frequency, where a Gaussian
 * notch in Fourier space damps them; the sinogram is then rebuilt. */
#include "builtin_plugin.h"
#include "common_params.h"
#include "ring_removal/ring_plugin.h"

static const struct savu_param_def ring_removal_waveletfft_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {
        .name = "sigma",
        .dtype = "int",
        .default_json = "1",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Damping parameter. Larger is stronger.",
        .verbose = "Standard deviation, in angular frequency samples, of the Gaussian notch "
                   "1 - exp(-y^2 / (2 sigma^2)) applied along the angles to the Fourier "
                   "transform of every level's vertical-detail band. Larger damps more "
                   "frequencies around zero: wider or weaker stripes go, and more of the "
                   "sample's vertical structure with them.",
        .range = "above 0",
    },
    {
        .name = "level",
        .dtype = "int",
        .default_json = "4",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Wavelet decomposition level.",
        .verbose = "The number of wavelet levels whose vertical-detail band is damped; each "
                   "level halves the sinogram, so higher levels reach wider stripes.",
        .range = "1 to log2 of the padded sinogram's smaller side",
    },
    {
        .name = "nvalue",
        .dtype = "int",
        .default_json = "8",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Order of the Daubechies (DB) wavelets.",
        .verbose = "The wavelet is db<nvalue> (pywt's name), with 2 x nvalue coefficients.",
        .range = "1 to 38",
    },
    {
        .name = "padFT",
        .dtype = "int",
        .default_json = "20",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Padding for Fourier transform",
        .verbose = "Rows added above and below each sinogram (each column's mean) and "
                   "columns added left and right (the edge columns repeated) before the "
                   "decomposition; cut off after.",
        .range = "0 or more",
    },
};

static const struct savu_citation ring_removal_waveletfft_citations[] = {{
    .label = "Munch2009",
    .description = "The ring artefact removal algorithm used in this processing chain is "
                   "taken from this work.",
    .doi = "10.1364/OE.17.008567",
    .bibtex = "@article{munch2009stripe,\n"
              "title={Stripe and ring artifact removal with combined wavelet--Fourier "
              "filtering},\n"
              "author={M{\\\"u}nch, Beat and Trtik, Pavel and Marone, Federica and "
              "Stampanoni, Marco},\n"
              "journal={Optics Express},\n"
              "volume={17},\n"
              "number={10},\n"
              "pages={8567--8591},\n"
              "year={2009},\n"
              "publisher={Optica Publishing Group},\n"
              "doi={10.1364/OE.17.008567}\n"
              "}\n",
    .endnote = "%0 Journal Article\n"
               "%T Stripe and ring artifact removal with combined wavelet-Fourier filtering\n"
               "%A Münch, Beat\n"
               "%A Trtik, Pavel\n"
               "%A Marone, Federica\n"
               "%A Stampanoni, Marco\n"
               "%J Optics Express\n"
               "%V 17\n"
               "%N 10\n"
               "%P 8567-8591\n"
               "%D 2009\n"
               "%I Optica Publishing Group\n"
               "%R 10.1364/OE.17.008567\n",
}};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include "cpu/stripe_fft.h"
#include "cpu/wavelet.h"

static int ring_removal_waveletfft_setup(struct savu_plugin_instance *inst)
{
    long shape[3], sigma, level, order, pad;
    savu_in_shape(inst, shape);
    if (ring_param_whole(inst, "sigma", 1, &sigma) || ring_param_whole(inst, "level", 1, &level) ||
        ring_param_whole(inst, "nvalue", 1, &order) || ring_param_whole(inst, "padFT", 0, &pad))
        return -1;
    if (order > SAVU_DAUBECHIES_MAX)
        return savu_fail(inst, "nvalue: expected a Daubechies order from 1 to %d (wavelets db1 "
                               "to db%d), not %ld", SAVU_DAUBECHIES_MAX, SAVU_DAUBECHIES_MAX,
                         order);
    int max = savu_wavelet_fft_max_level(shape[0], shape[2], (int)pad);
    if (level > max)
        return savu_fail(inst, "level: %ld is too large for the %ld x %ld padded sinogram (at "
                               "most %d: each level halves it)", level, shape[0] + 2 * pad,
                         shape[2] + 2 * pad, max);
    struct savu_wavelet_fft_params p = {(double)sigma, (int)level, (int)order, (int)pad};
    savu_error err;
    return ring_fft_start(inst,
                          savu_wavelet_fft_create(shape[0], shape[2], &p, savu_threads(inst), &err),
                          &err);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_ring_removal_waveletfft = {
    .name = "RingRemovalWaveletfft",
    .id = "savu.plugins.ring_removal.ring_removal_waveletfft",
    .synopsis = "Remove stripes in sinograms (rings) by wavelet decomposition and damping in "
                "Fourier space.",
    .info = "The combined wavelet-Fourier filter of Münch et al. 2009, as Savu computes it: "
            "the sinogram is padded by padFT (rows of each column's mean, then edge columns), "
            "decomposed over `level` levels with the Daubechies wavelet db<nvalue> (pywt's "
            "conventions, symmetric edges); each level's vertical-detail band is damped along "
            "the angles in Fourier space by 1 - exp(-y^2 / (2 sigma^2)), y Savu's centred "
            "frequency; the sinogram is rebuilt and the padding cut off.",
    .category = SAVU_CAT_RING_REMOVAL,
    .params = ring_removal_waveletfft_params,
    .n_params = SAVU_COUNT_OF(ring_removal_waveletfft_params),
    .citations = ring_removal_waveletfft_citations,
    .n_citations = SAVU_COUNT_OF(ring_removal_waveletfft_citations),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    /* each thread's workspace: about 6 sinograms (doubles, padded), for 16 threads */
    .scratch_fixed_frames = 96,
    .setup = SAVU_RUN(ring_removal_waveletfft_setup),
    .process = SAVU_RUN(ring_fft_process),
    .teardown = SAVU_RUN(ring_fft_teardown),
};
