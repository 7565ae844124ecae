/* tomo_recon.c: TomoRecon, whole (descriptor, set-up, CPU and GPU paths), savu's own reconstruction plugin
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
 * (a numpy expression) has no meaning here either.
 *
 * On the CPU, setup works out the centre of
 * rotation of every row (the parameter in whole-detector pixels, a straight
 * line fitted through a {row: centre} dictionary, the value a centring plugin
 * left in the metadata, or the middle of the data) and plans the filtered
 * back-projection (kernels/cpu/fbp.h); process takes minus the logarithm
 * (parameter log), reconstructs each sinogram into a voxel_x x voxel_z slice
 * and applies force_zero. With a GPU (savu_gpu_device) the filtered
 * back-projection runs there (kernels/cuda/cuda_fbp.h, fp32 or fp16x4);
 * the minus logarithm is then taken by the CPU threads as they copy each
 * chunk into the GPU plan's staging buffer (one pass over the data, not
 * two), and the slices come back through the same threads. It also takes
 * GPU blocks (savu_plugin.h: the sinograms already on the device, after a
 * GPU plugin before it), taking the logarithm there too; not with
 * force_zero, which runs on the host. */
#include "builtin_plugin.h"
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

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "geometry.h"
#include "cpu/fbp.h"
#include "cpu/parallel_ranges.h"
#include "minus_log.h"
#ifdef HAVE_CUDA
#include "cuda/cuda_darkflat.h"
#include "cuda/cuda_fbp.h"
#endif
/* Slices a GPU plan holds at a time (its buffers; blocks may be larger). */
#define GPU_MAX_SLICES 64

struct tomo_recon_state {
    savu_thread_pool *pool;       /* the rank's (savu_instance_pool): the minus logarithm */
    float *logged;                /* its output, kept from block to block */
    long logged_size;
    savu_fbp_plan *plan;          /* on the CPU, or NULL */
#ifdef HAVE_CUDA
    savu_cuda_fbp_plan *gpu_plan; /* on the GPU, or NULL */
#endif
    double *cor;          /* per row of the input, in its own pixels */
    bool take_log;
    double zero_low, zero_high;
    bool force_zero;
};

static const char *const volume_labels[3] = {"voxel_x", "voxel_y", "voxel_z"};
static const char *const volume_units[3] = {"pixel", "pixel", "pixel"};

/* Least-squares line centre = a + b * row through a {"row": centre} dict. */
static int fit_cor_line(struct savu_plugin_instance *inst, const json_t *dict, double *a,
                        double *b)
{
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)dict, key, value) {
        char *end;
        double x = strtod(key, &end);
        if (*end || !json_is_number(value))
            return savu_fail(inst, "centre_of_rotation: expected {row: centre, ...} with "
                                   "numbers, found the entry '%s'", key);
        double y = json_number_value(value);
        n++, sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    if (n == 0)
        return savu_fail(inst, "centre_of_rotation: the dictionary is empty");
    double det = n * sxx - sx * sx;
    *b = (n > 1 && det != 0) ? (n * sxy - sx * sy) / det : 0.0;
    *a = (sy - *b * sx) / n;
    return 0;
}

/* The centre of each of the rows, in the input's own (previewed) pixels. */
static int rows_cor(struct savu_plugin_instance *inst, long rows, long cols, double *cor)
{
    long x0, dx, y0, dy;
    savu_meta_detector_offsets(inst, &x0, &dx, &y0, &dy);
    json_t *value = json_loads(savu_param_json(inst, "centre_of_rotation"),
                               JSON_DECODE_ANY, NULL);
    int rc = 0;
    if (json_is_object(value)) {
        double a = 0, b = 0;
        rc = fit_cor_line(inst, value, &a, &b);
        for (long r = 0; rc == 0 && r < rows; r++)
            cor[r] = (a + b * (double)(y0 + r * dy) - x0) / dx;
    } else if (json_is_number(value) && json_number_value(value) != 0.0) {
        for (long r = 0; r < rows; r++)
            cor[r] = (json_number_value(value) - x0) / dx;
    } else if (json_is_number(value) || json_is_null(value)) {
        const double *meta = savu_meta_centre_of_rotation(inst);
        for (long r = 0; r < rows; r++)
            cor[r] = meta ? meta[r] : savu_default_cor((int)cols);
    } else {
        rc = savu_fail(inst, "centre_of_rotation: expected a number or {row: centre, ...}");
    }
    json_decref(value);
    return rc;
}

static int read_force_zero(struct savu_plugin_instance *inst, struct tomo_recon_state *st)
{
    json_t *fz = json_loads(savu_param_json(inst, "force_zero"), JSON_DECODE_ANY, NULL);
    int rc = 0;
    if (json_is_array(fz) && json_array_size(fz) == 2 &&
        json_is_number(json_array_get(fz, 0)) && json_is_number(json_array_get(fz, 1))) {
        st->force_zero = true;
        st->zero_low = json_number_value(json_array_get(fz, 0));
        st->zero_high = json_number_value(json_array_get(fz, 1));
    } else if (!(json_is_array(fz) && json_is_null(json_array_get(fz, 0)))) {
        rc = savu_fail(inst, "force_zero: expected [low, high] or [None, None]");
    }
    json_decref(fz);
    return rc;
}

static int check_shape(struct savu_plugin_instance *inst, const long shape[3])
{
    long n_angles;
    savu_meta_angles(inst, &n_angles);
    if (n_angles != shape[0])
        return savu_fail(inst, "%ld rotation angles for %ld projections", n_angles, shape[0]);
    const char *vol = savu_param_string(inst, "vol_shape");
    if (!vol) {
        double n = savu_param_number(inst, "vol_shape");
        if (n != (double)shape[2])
            return savu_fail(inst, "vol_shape: only 'fixed' (or the detector width, %ld) is "
                                   "supported, not %g", shape[2], n);
    } else if (strcmp(vol, "fixed") != 0) {
        return savu_fail(inst, "vol_shape: expected 'fixed' or an integer, not '%s'", vol);
    }
    const char *algorithm = savu_param_string(inst, "algorithm");
    if (!algorithm || strcmp(algorithm, "FBP") != 0)
        return savu_fail(inst, "algorithm: '%s' is not available; use FBP",
                         algorithm ? algorithm : "None");
    return 0;
}

struct copy_task {
    const float *in;
    float *out;
    bool log;      /* minus the logarithm, else as it is */
};

/* -log of the normalised intensities (minus_log_value), or a plain copy. */
static void copy_range(void *ctx, long begin, long end)
{
    const struct copy_task *t = ctx;
    if (!t->log) {
        memcpy(t->out + begin, t->in + begin, sizeof(float) * (size_t)(end - begin));
        return;
    }
    for (long i = begin; i < end; i++)
        t->out[i] = minus_log_value(t->in[i]);
}

#ifdef HAVE_CUDA
/* The GPU plan's copies to and from its staging buffers, on the threads;
 * the logarithm on the way in. */
static void gpu_host_copy(void *ctx, float *dst, const float *src, size_t n, int to_device)
{
    const struct tomo_recon_state *st = ctx;
    struct copy_task task = {src, dst, to_device && st->take_log};
    savu_parallel_ranges(st->pool, (long)n, copy_range, &task);
}
#endif

/* The FBP plan: on the instance's GPU when it has one, else on the CPU. */
static int create_fbp(struct savu_plugin_instance *inst, struct tomo_recon_state *st,
                      const long shape[3])
{
    savu_error err;
    const double *angles = savu_meta_angles(inst, NULL);
    const char *filter = savu_param_string(inst, "filter");
    const double ratio = savu_param_number(inst, "ratio");
#ifdef HAVE_CUDA
    int device = savu_gpu_device(inst);
    if (device >= 0) {
        int fit = savu_cuda_fbp_max_slices(device, (int)shape[2], (int)shape[0]);
        int slices = fit < GPU_MAX_SLICES ? fit : GPU_MAX_SLICES;
        if (slices < 1)
            slices = 1;
        st->gpu_plan = savu_cuda_fbp_create(device, (int)shape[2], (int)shape[0], angles, filter,
                                            ratio, savu_gpu_fp16(inst) ? SAVU_CUDA_FP16X4
                                                                       : SAVU_CUDA_FP32,
                                            slices, &err);
        return st->gpu_plan ? 0 : savu_fail(inst, "%s", err.msg);
    }
#endif
    st->plan = savu_fbp_create((int)shape[2], (int)shape[0], angles, filter, ratio,
                               savu_threads(inst), &err);
    return st->plan ? 0 : savu_fail(inst, "%s", err.msg);
}

/* Filtered back-projection of `frames` sinograms, on the GPU or the CPU. */
static int run_fbp(struct tomo_recon_state *st, const float *sino, int frames, const double *cor,
                   float *out, savu_error *err)
{
#ifdef HAVE_CUDA
    if (st->gpu_plan)
        return savu_cuda_fbp_execute(st->gpu_plan, sino, frames, cor, out, err);
#endif
    return savu_fbp_execute(st->plan, sino, frames, cor, out, err);
}

static int tomo_recon_setup(struct savu_plugin_instance *inst)
{
    long shape[3];
    savu_in_shape(inst, shape);
    if (check_shape(inst, shape) != 0)
        return -1;
    struct tomo_recon_state *st = calloc(1, sizeof *st);
    if (!st || !(st->cor = malloc(sizeof(double) * shape[1]))) {
        free(st);
        return savu_fail(inst, "out of memory");
    }
    savu_set_private(inst, st);
    st->pool = savu_instance_pool(inst);
    st->take_log = savu_param_bool(inst, "log");
    if (rows_cor(inst, shape[1], shape[2], st->cor) != 0 || read_force_zero(inst, st) != 0)
        return -1;
    if (create_fbp(inst, st, shape) != 0)
        return -1;
#ifdef HAVE_CUDA
    if (st->gpu_plan)
        savu_cuda_fbp_set_host_copy(st->gpu_plan, gpu_host_copy, st);
    savu_gpu_blocks(inst, st->gpu_plan && !st->force_zero);
#endif
    const long out_shape[3] = {shape[2], shape[1], shape[2]};
    if (savu_set_output(inst, out_shape, volume_labels, volume_units, SAVU_PATTERN_VOLUME_XZ))
        return -1;
    return savu_meta_set_centre_of_rotation(inst, st->cor, shape[1]);
}

static int tomo_recon_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    struct tomo_recon_state *st = savu_private(inst);
    long shape[3];
    savu_in_shape(inst, shape);
    const long frames = savu_block_frames(b), n = frames * shape[0] * shape[2];
    const float *sino = savu_block_in(b);
    if (st->take_log && st->plan) {
        if (n > st->logged_size) {
            free(st->logged);
            st->logged_size = 0;
            if (!(st->logged = malloc(sizeof(float) * n)))
                return savu_fail(inst, "out of memory for %ld sinograms", frames);
            st->logged_size = n;
        }
        struct copy_task task = {sino, st->logged, true};
        savu_parallel_ranges(st->pool, n, copy_range, &task);
        sino = st->logged;
    }
    savu_error err;
    float *out = savu_block_out(b);
    int rc = run_fbp(st, sino, (int)frames, st->cor + savu_block_first(b), out, &err);
    if (rc != 0)
        return savu_fail(inst, "%s", err.msg);
    if (st->force_zero) {
        const long m = frames * shape[2] * shape[2];
        for (long i = 0; i < m; i++)
            if (out[i] < st->zero_low || out[i] > st->zero_high)
                out[i] = 0.0f;
    }
    return 0;
}

#ifdef HAVE_CUDA
/* A GPU block: minus the logarithm in place, then the plan's device path,
 * both queued on the block's stream. */
static int tomo_recon_process_gpu(struct savu_plugin_instance *inst, struct savu_block *b)
{
    struct tomo_recon_state *st = savu_private(inst);
    long shape[3];
    savu_in_shape(inst, shape);
    const long frames = savu_block_frames(b);
    float *sino = savu_block_in_writable(b);
    savu_error err;
    if (st->take_log &&
        savu_cuda_minus_log_device(savu_gpu_device(inst), sino,
                                   (size_t)frames * shape[0] * shape[2], savu_block_stream(b),
                                   &err) != 0)
        return savu_fail(inst, "%s", err.msg);
    if (savu_cuda_fbp_execute_device(st->gpu_plan, sino, (int)frames,
                                     st->cor + savu_block_first(b), savu_block_out(b),
                                     savu_block_stream(b), &err) != 0)
        return savu_fail(inst, "%s", err.msg);
    return 0;
}
#endif

static void tomo_recon_teardown(struct savu_plugin_instance *inst)
{
    struct tomo_recon_state *st = savu_private(inst);
    if (!st)
        return;
    savu_fbp_destroy(st->plan);
    free(st->logged);
#ifdef HAVE_CUDA
    savu_cuda_fbp_destroy(st->gpu_plan);
#endif
    free(st->cor);
    free(st);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

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
    .setup = SAVU_RUN(tomo_recon_setup),
    .process = SAVU_RUN(tomo_recon_process),
    .process_gpu = SAVU_GPU_RUN(tomo_recon_process_gpu),
    .teardown = SAVU_RUN(tomo_recon_teardown),
};
