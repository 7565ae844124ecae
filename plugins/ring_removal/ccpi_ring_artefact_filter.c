/* ccpi_ring_artefact_filter.c: CcpiRingArtefactFilter, whole (descriptor,
 * set-up, CPU path). The regularisation-based ring removal of Titarenko et
 * al. 2010, which Savu takes from the CCPi reconstruction library (the
 * method of Diamond's tomo_recon software), on each sinogram
 * (kernels/cpu/ring_regularised.h): the stripes are each column's mean
 * (and, with num_series above 1, its low angular harmonics) less their
 * smoothed profile across the detector, removed in -log space. */
#include "builtin_plugin.h"
#include "common_params.h"

static const struct savu_param_def ccpi_ring_artefact_filter_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {.name = "param_r", .dtype = "float", .default_json = "0.005", .visibility = SAVU_VIS_BASIC,
     .summary = "The correction strength - decrease (typically in order of magnitude steps) to "
                "increase ring supression, or increase to reduce ring supression.",
     .verbose = "The regularisation weight: each column's stripe is its mean less that mean "
                "smoothed across the detector by (I + L / param_r)^-1, L the second "
                "difference, so a smaller value smooths more and removes wider stripes.",
     .range = "1e-8 or more"},
    {.name = "num_series", .dtype = "int", .default_json = "1", .visibility = SAVU_VIS_BASIC,
     .summary = "High aspect ration compensation (for plate-like objects only).",
     .verbose = "The number of angular terms whose stripes are removed: 1 takes each column's "
                "mean over all angles; n adds the sine and cosine of k pi i / (number of "
                "angles), i the angle's index, for k up to n - 1: stripes whose strength "
                "varies with the angle.",
     .range = "1 to 100"},
    {.name = "param_n", .dtype = "int", .default_json = "0", .visibility = SAVU_VIS_INTERMEDIATE,
     .summary = "Unknown description (for plate-like objects only).",
     .verbose = "A second regularisation weight, on the stripe's size rather than its "
                "roughness (0 by default: stripes are found from roughness alone); larger "
                "removes less.",
     .range = "0 or more"},
};

static const struct savu_citation ccpi_ring_artefact_filter_citations[] = {{
    .label = "Titarenko2010",
    .description = "The ring artefact removal algorithm used in this processing chain is taken "
                   "from this work.",
    .doi = "10.1117/12.860260",
    .bibtex = "@inproceedings{titarenko2010regularization,\n"
              "title={Regularization methods for inverse problems in x-ray tomography},\n"
              "author={Titarenko, Valeriy and Bradley, Robert and Martin, Christopher and "
              "Withers, Philip J and Titarenko, Sofya},\n"
              "booktitle={Developments in X-Ray Tomography VII},\nvolume={7804},\n"
              "pages={78040Z},\nyear={2010},\n"
              "organization={International Society for Optics and Photonics}\n}",
    .endnote = "%0 Conference Proceedings\n%T Regularization methods for inverse problems in "
               "x-ray tomography\n%A Titarenko, Valeriy\n%A Bradley, Robert\n"
               "%A Martin, Christopher\n%A Withers, Philip J\n%A Titarenko, Sofya\n"
               "%B Developments in X-Ray Tomography VII\n%V 7804\n%P 78040Z\n%D 2010\n"
               "%I International Society for Optics and Photonics",
}};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <math.h>
#include "cpu/ring_regularised.h"

static void regularised_frame(void *ctx, const float *in, float *out, int worker)
{
    savu_ring_regularised_apply(ctx, worker, in, out);
}

static int ccpi_ring_artefact_filter_setup(struct savu_plugin_instance *inst)
{
    const double r = savu_param_number(inst, "param_r"), n = savu_param_number(inst, "param_n");
    const double series = savu_param_number(inst, "num_series");
    if (!(r >= 1e-8))
        return savu_fail(inst, "parameter param_r: %g is below 1e-8", r);
    if (!(n >= 0))
        return savu_fail(inst, "parameter param_n: %g is negative (0 or more)", n);
    if (!(series >= 1 && series <= 100) || series != floor(series))
        return savu_fail(inst, "parameter num_series: %g is not a whole number from 1 to 100",
                         series);
    long shape[3];
    savu_in_shape(inst, shape);
    savu_error err;
    savu_ring_regularised *plan = savu_ring_regularised_create(shape[0], shape[2], n, r,
                                                               (int)series, savu_threads(inst),
                                                               &err);
    if (!plan)
        return savu_fail(inst, "%s", err.msg);
    savu_set_private(inst, plan);
    return 0;
}

static int ccpi_ring_artefact_filter_process(struct savu_plugin_instance *inst,
                                             struct savu_block *b)
{
    savu_for_each_frame(inst, b, regularised_frame, savu_private(inst));
    return 0;
}

static void ccpi_ring_artefact_filter_teardown(struct savu_plugin_instance *inst)
{
    savu_ring_regularised_destroy(savu_private(inst));
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_ccpi_ring_artefact_filter = {
    .name = "CcpiRingArtefactFilter",
    .id = "savu.plugins.ring_removal.ccpi_ring_artefact_filter",
    .synopsis = "Regularization-based method for removing ring artifacts.",
    .info = "The method of Diamond's tomo_recon software (Titarenko et al. 2010), as the CCPi "
            "library computes it for Savu: on -log of each sinogram, every column's mean "
            "(and its low angular harmonics with num_series above 1) less that mean "
            "smoothed across the detector is taken as the stripe and removed; the result is "
            "transmission again.",
    .category = SAVU_CAT_RING_REMOVAL,
    .params = ccpi_ring_artefact_filter_params,
    .n_params = SAVU_COUNT_OF(ccpi_ring_artefact_filter_params),
    .citations = ccpi_ring_artefact_filter_citations,
    .n_citations = SAVU_COUNT_OF(ccpi_ring_artefact_filter_citations),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    .setup = SAVU_RUN(ccpi_ring_artefact_filter_setup),
    .process = SAVU_RUN(ccpi_ring_artefact_filter_process),
    .teardown = SAVU_RUN(ccpi_ring_artefact_filter_teardown),
};
