/* dark_flat_field_correction.c: DarkFlatFieldCorrection, whole (descriptor,
 * set-up, CPU and GPU paths).
 * Normalises each frame with the averaged dark and flat fields:
 * (data - dark) / (flat - dark), with zero denominators set to one and NaNs
 * set to zero; optionally clips the result and warns when much of it was
 * clipped. No logarithm is taken here (the reconstruction does that).
 * Parameters as Savu (reference savu-engine.md §3).
 *
 * On the CPU:
 * (data - dark) / (flat - dark) with the loader's averaged darks and flats,
 * zero denominators taken as 1, NaN and infinities set to 0 (numpy's
 * nan_to_num does the same for NaN), optional clipping to
 * [lower_bound, upper_bound] with a warning when at least warn_proportion of
 * a block was clipped. Works on projections and on sinograms alike, on the
 * rank's threads. On a GPU it takes GPU blocks (savu_plugin.h) with
 * kernels/cuda/cuda_darkflat.h, without bounds (a bound set keeps it on the
 * host); the engine gives it GPU blocks only where the data stay on the
 * device for the next plugin: for a block in host memory alone, copying it
 * to the GPU and back takes longer than correcting it on the CPU's threads. */
#include "builtin_plugin.h"
#include "common_params.h"

static const struct savu_param_def dark_flat_field_correction_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    SAVU_PARAM_FRAME_PATTERN,
    {
        .name = "lower_bound",
        .dtype = "[None,float]",
        .default_json = "null",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Corrected values below this are set to it (None: no lower limit).",
    },
    {
        .name = "upper_bound",
        .dtype = "[None,float]",
        .default_json = "null",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Corrected values above this are set to it (None: no upper limit).",
    },
    {
        .name = "warn_proportion",
        .dtype = "float",
        .default_json = "0.05",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "Warn when at least this fraction of the values was clipped by the bounds "
                   "(0.05 means 5%).",
    },
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <math.h>
#include <stdlib.h>
#include "cpu/parallel_ranges.h"
#ifdef HAVE_CUDA
#include "cuda/cuda_darkflat.h"
#endif
struct dffc_state {
    float *inverse;   /* 1 / (flat - dark), [row][col] */
    double lower, upper, warn_proportion;
    #ifdef HAVE_CUDA
    savu_cuda_darkflat *gpu;  /* for GPU blocks, or NULL */
#endif
};

/* The GPU copy of the dark and flat images, for GPU blocks; none (the host
 * path) when bounds are set or the device refuses. */
static void set_up_gpu(struct savu_plugin_instance *inst, struct dffc_state *st,
                       const long shape[3])
{
    savu_gpu_blocks(inst, false);
#ifdef HAVE_CUDA
    if (savu_gpu_device(inst) < 0 || isfinite(st->lower) || isfinite(st->upper))
        return;
    savu_error err;
    st->gpu = savu_cuda_darkflat_create(savu_gpu_device(inst), (int)shape[1], (int)shape[2],
                                        savu_meta_dark(inst), savu_meta_flat(inst), &err);
    if (st->gpu)
        savu_gpu_blocks(inst, true);
    else
        savu_warn(inst, "correcting on the CPU: %s", err.msg);
#else
    (void)st, (void)shape;
#endif
}

static int dark_flat_field_correction_setup(struct savu_plugin_instance *inst)
{
    const float *dark = savu_meta_dark(inst), *flat = savu_meta_flat(inst);
    if (!flat)
        return savu_fail(inst, "the data have no flat fields (no image key with flats, and "
                               "no flat file in the loader's flat parameter): remove this "
                               "plugin or give the loader the flats");
    long shape[3];
    savu_in_shape(inst, shape);
    long n = shape[1] * shape[2];
    struct dffc_state *st = calloc(1, sizeof *st);
    if (!st || !(st->inverse = malloc(sizeof(float) * n))) {
        free(st);
        return savu_fail(inst, "out of memory");
    }
    if (!dark)
        savu_warn(inst, "no dark fields: taking the dark as 0");
    for (long i = 0; i < n; i++) {
        double d = flat[i] - (dark ? dark[i] : 0.0f);
        st->inverse[i] = (float)(d == 0 ? 1.0 : 1.0 / d);
    }
    st->lower = savu_param_is_none(inst, "lower_bound") ? -INFINITY
                                                          : savu_param_number(inst, "lower_bound");
    st->upper = savu_param_is_none(inst, "upper_bound") ? INFINITY
                                                          : savu_param_number(inst, "upper_bound");
    st->warn_proportion = savu_param_number(inst, "warn_proportion");
    savu_set_private(inst, st);
    set_up_gpu(inst, st, shape);
    return 0;
}

/* Corrects n values of one detector row (cols pixels, or one pixel). */
static long correct_row(const float *in, float *out, long cols, const float *dark,
                        const float *inverse, const struct dffc_state *st)
{
    long clipped = 0;
    for (long c = 0; c < cols; c++) {
        float v = (in[c] - (dark ? dark[c] : 0.0f)) * inverse[c];
        if (!isfinite(v))
            v = 0.0f;
        if (v < st->lower) {
            v = (float)st->lower;
            clipped++;
        } else if (v > st->upper) {
            v = (float)st->upper;
            clipped++;
        }
        out[c] = v;
    }
    return clipped;
}

/* A block being corrected, row by row. */
struct dffc_block {
    const struct dffc_state *st;
    const float *dark, *in;
    float *out;
    long cols, frame_rows, first;
    bool sinogram;
    long clipped;     /* summed atomically */
};

static void correct_rows(void *ctx, long begin, long end)
{
    struct dffc_block *b = ctx;
    long clipped = 0;
    for (long i = begin; i < end; i++) {
        long f = i / b->frame_rows, r = i % b->frame_rows;
        long detector_row = b->sinogram ? b->first + f : r;
        clipped += correct_row(b->in + i * b->cols, b->out + i * b->cols, b->cols,
                               b->dark ? b->dark + detector_row * b->cols : NULL,
                               b->st->inverse + detector_row * b->cols, b->st);
    }
    __atomic_fetch_add(&b->clipped, clipped, __ATOMIC_RELAXED);
}

static int dark_flat_field_correction_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    const struct dffc_state *st = savu_private(inst);
    long shape[3];
    savu_in_shape(inst, shape);
    const bool sinogram = savu_in_pattern(inst) != SAVU_PATTERN_PROJECTION;
    const long frame_rows = sinogram ? shape[0] : shape[1];
    struct dffc_block blk = {st, savu_meta_dark(inst), savu_block_in(b), savu_block_out(b),
                             shape[2], frame_rows, savu_block_first(b), sinogram, 0};
    savu_parallel_ranges(savu_instance_pool(inst), savu_block_frames(b) * frame_rows, correct_rows, &blk);
    double total = (double)savu_block_frames(b) * frame_rows * shape[2];
    if (blk.clipped > 0 && total > 0 && blk.clipped / total >= st->warn_proportion)
        savu_warn(inst, "at least %g%% of the values were clipped to [lower_bound, upper_bound]",
                  100 * st->warn_proportion);
    return 0;
}

#ifdef HAVE_CUDA
/* A GPU block: the same correction by the CUDA kernel, queued on the
 * block's stream. */
static int dark_flat_field_correction_process_gpu(struct savu_plugin_instance *inst,
                                           struct savu_block *b)
{
    const struct dffc_state *st = savu_private(inst);
    long shape[3];
    savu_in_shape(inst, shape);
    const int frames = (int)savu_block_frames(b);
    const bool sinogram = savu_in_pattern(inst) != SAVU_PATTERN_PROJECTION;
    savu_error err;
    int rc = sinogram
                 ? savu_cuda_darkflat_apply_device(st->gpu, SAVU_CUDA_SINOGRAMS, savu_block_in(b),
                                                   savu_block_out(b), (int)shape[0], frames,
                                                   (int)savu_block_first(b), 0,
                                                   savu_block_stream(b), &err)
                 : savu_cuda_darkflat_apply_device(st->gpu, SAVU_CUDA_PROJECTIONS,
                                                   savu_block_in(b), savu_block_out(b), frames,
                                                   (int)shape[1], 0, 0, savu_block_stream(b),
                                                   &err);
    return rc == 0 ? 0 : savu_fail(inst, "%s", err.msg);
}
#endif

static void dark_flat_field_correction_teardown(struct savu_plugin_instance *inst)
{
    struct dffc_state *st = savu_private(inst);
    if (st) {
        free(st->inverse);
#ifdef HAVE_CUDA
        savu_cuda_darkflat_destroy(st->gpu);
#endif
    }
    free(st);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_dark_flat_field_correction = {
    .name = "DarkFlatFieldCorrection",
    .id = "savu.plugins.corrections.dark_flat_field_correction",
    .synopsis = "Normalise the data with the dark and flat fields: (data - dark) / (flat - dark).",
    .info = "Uses the darks and flats found by the loader, averaged over their frames. Where "
            "flat equals dark the denominator is taken as 1. Values can be clipped to "
            "[lower_bound, upper_bound].",
    .category = SAVU_CAT_CORRECTION,
    .params = dark_flat_field_correction_params,
    .n_params = SAVU_COUNT_OF(dark_flat_field_correction_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .setup = SAVU_RUN(dark_flat_field_correction_setup),
    .process = SAVU_RUN(dark_flat_field_correction_process),
    .process_gpu = SAVU_GPU_RUN(dark_flat_field_correction_process_gpu),
    .teardown = SAVU_RUN(dark_flat_field_correction_teardown),
};
