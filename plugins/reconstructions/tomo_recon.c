/* tomo_recon.c: the TomoRecon descriptor, savu's own reconstruction plugin
 * (not a Savu plugin: Savu's AstraReconCpu/Gpu, TomopyRecon and
 * ScikitimageFilterBackProjection become TomoRecon when a Savu list is
 * opened, see lists/compat.c). Reconstructs each sinogram into a horizontal
 * slice of the volume. The parameters shared with Savu's reconstructions
 * keep Savu's names, types and defaults (base recon, reference
 * savu-engine.md §3).
 *
 * Savu's outer_pad and centre_pad are left out: they only pad the sinogram
 * so that the picture fills the volume "for aesthetic purposes", and our
 * filtered back-projection already pads each row for the filter. log_func
 * (a numpy expression) has no meaning here either. */
#include "common_params.h"

static const char *const algorithm_options[] = {"FBP", NULL};
static const char *const algorithm_option_descriptions[] = {
    "Filtered back-projection: fast and exact for many, evenly spaced angles.",
    NULL,
};

static const char *const filter_options[] = {
    "ramp", "shepp-logan", "cosine", "hamming", "hann", "parzen", NULL,
};
static const char *const filter_option_descriptions[] = {
    "Ram-Lak (ramp) filter: the sharpest result and the most noise.",
    "Ramp times a sinc function: slightly smoother than ramp.",
    "Ramp times a cosine: smoother, less high-frequency noise.",
    "Ramp times a Hamming window: smooth, suppresses noise strongly.",
    "Ramp times a Hann window: smoother still.",
    "Ramp times a Parzen window: the smoothest of these.",
    NULL,
};

static const struct savu_param_def tomo_recon_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {
        .name = "centre_of_rotation",
        .dtype = "[float, dict{int:float}]",
        .default_json = "0.0",
        .visibility = SAVU_VIS_BASIC,
        .summary = "Centre of rotation in detector pixels, counted from 0 at the first column.",
        .verbose = "0.0 uses the middle of the detector, unless a centring plugin such as "
                   "VoCentering ran before, whose value is then used. A dictionary "
                   "{slice: centre, ...} of two or more slices fits a straight line through "
                   "them and uses it for every slice, e.g. for a tilted rotation axis.",
    },
    {
        /* Only iterative algorithms start from a volume, and FBP is the only
         * algorithm for now: hidden, but kept so that values carried over
         * from Savu lists survive. Becomes advanced, with a dependency on the
         * iterative algorithms, when those exist. */
        .name = "init_vol",
        .dtype = "[None, str]",
        .default_json = "null",
        .visibility = SAVU_VIS_HIDDEN,
        .summary = "Dataset to start an iterative reconstruction from (not used by FBP).",
    },
    {
        .name = "log",
        .dtype = "bool",
        .default_json = "true",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Take minus the logarithm of the data before reconstructing.",
        .verbose = "Set it to False when PaganinFilter ran before: its output is already "
                   "logarithmic.",
    },
    {
        .name = "preview",
        .dtype = "preview",
        .default_json = "[]",
        .visibility = SAVU_VIS_ADVANCED,
        .summary = "The part of the data to reconstruct, one entry per dimension.",
        .verbose = "Same form as the loader's preview: [angles, detector y, detector x], "
                   "e.g. [':', 'mid', ':'] for the middle slice only. Empty: everything.",
    },
    {
        .name = "force_zero",
        .dtype = "[list[float,float],list[None,None]]",
        .default_json = "[null, null]",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Values of the reconstruction outside [low, high] are set to zero.",
        .verbose = "[None, None] keeps every value.",
    },
    {
        .name = "ratio",
        .dtype = "float",
        .default_json = "0.95",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Diameter of the circular mask on each slice, as a fraction of its width.",
        .verbose = "Outside the circle, where the sample was not seen at every angle, values are "
                   "set to zero.",
    },
    {
        .name = "vol_shape",
        .dtype = "[str, int]",
        .default_json = "\"fixed\"",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Size of each reconstructed slice.",
        .verbose = "'fixed': a square as wide as the detector; an integer n: an n x n square.",
    },
    {
        .name = "algorithm",
        .dtype = "str",
        .default_json = "\"FBP\"",
        .visibility = SAVU_VIS_BASIC,
        .summary = "The reconstruction method.",
        .options = algorithm_options,
        .option_descriptions = algorithm_option_descriptions,
    },
    {
        .name = "filter",
        .dtype = "str",
        .default_json = "\"ramp\"",
        .visibility = SAVU_VIS_BASIC,
        .summary = "The filter of filtered back-projection: sharper (ramp) or smoother (hann).",
        .options = filter_options,
        .option_descriptions = filter_option_descriptions,
        .dependency = "{\"algorithm\": [\"FBP\"]}",
    },
    {
        /* Only iterative algorithms iterate, and FBP is the only algorithm
         * for now. A dependency on values that do not exist yet would never
         * show it, so it is hidden instead: Savu lists' n_iterations are
         * carried over and kept. Becomes basic, with a dependency on the
         * iterative algorithms, when those exist. */
        .name = "n_iterations",
        .dtype = "int",
        .default_json = "1",
        .visibility = SAVU_VIS_HIDDEN,
        .summary = "Number of iterations of an iterative algorithm (not used by FBP).",
    },
};

static const struct savu_citation tomo_recon_citations[] = {
    {
        .label = "Kak2001",
        .description = "The filtered back-projection used in this reconstruction is described "
                       "in this work.",
        .doi = "10.1137/1.9780898719277",
        .bibtex = "@book{kak2001principles,\n"
                  "title={Principles of Computerized Tomographic Imaging},\n"
                  "author={Kak, Avinash C. and Slaney, Malcolm},\n"
                  "series={Classics in Applied Mathematics},\n"
                  "volume={33},\n"
                  "publisher={Society for Industrial and Applied Mathematics},\n"
                  "address={Philadelphia},\n"
                  "year={2001},\n"
                  "doi={10.1137/1.9780898719277}\n"
                  "}\n",
        .endnote = "%0 Book\n"
                   "%T Principles of Computerized Tomographic Imaging\n"
                   "%A Kak, Avinash C.\n"
                   "%A Slaney, Malcolm\n"
                   "%S Classics in Applied Mathematics\n"
                   "%V 33\n"
                   "%I Society for Industrial and Applied Mathematics\n"
                   "%C Philadelphia\n"
                   "%D 2001\n"
                   "%R 10.1137/1.9780898719277\n",
        .dependency = "{\"algorithm\": [\"FBP\"]}",
    },
};

const struct savu_plugin savu_tomo_recon = {
    .name = "TomoRecon",
    .id = "savu.plugins.reconstructions.tomo_recon",
    .synopsis = "Reconstruct horizontal slices from sinograms by filtered back-projection.",
    .info = "Takes minus the logarithm of the normalised data (unless log is False), filters "
            "each sinogram row and back-projects it over all angles. Replaces Savu's "
            "AstraReconCpu, AstraReconGpu, TomopyRecon and ScikitimageFilterBackProjection, "
            "which are converted when a Savu process list is opened.",
    .category = SAVU_CAT_RECONSTRUCTION,
    .params = tomo_recon_params,
    .n_params = SAVU_COUNT_OF(tomo_recon_params),
    .citations = tomo_recon_citations,
    .n_citations = SAVU_COUNT_OF(tomo_recon_citations),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .max_frames = 0,
    .scratch_frames = 2,        /* the block after minus-log, then filtered */
    .scratch_fixed_frames = 34, /* two groups of 16 interleaved, padded sinograms */
};
