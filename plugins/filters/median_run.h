/* median_run.h: what MedianFilter, Dezinger and DezingerSinogram share (all
 * three are Savu's larix-based median filters): their kernel_size,
 * outlier_mu and kernel_dimension parameters with Savu's names, defaults and
 * wording, the checks of them when the run is planned, and the process that
 * runs kernels/cpu/median.h over a block on the rank's threads. A 3-D kernel
 * reaches (kernel_size - 1) / 2 frames each side, which the engine pads
 * (savu_set_pad_frames). The dezingers' threshold is outlier_mu times the
 * standard deviation of the frame being cleaned (Savu takes that of its
 * block of frames, which would tie the result to the block sizes: the
 * frame's own keeps 1 rank and 3 ranks equal). Included by those plugins'
 * files alone. */
#ifndef SAVU_MEDIAN_RUN_H
#define SAVU_MEDIAN_RUN_H

#include "savu_plugin.h"

#define MEDIAN_PARAM_KERNEL_SIZE                                                                   \
    {                                                                                              \
        .name = "kernel_size", .dtype = "int", .default_json = "3",                                \
        .visibility = SAVU_VIS_BASIC, .summary = "Kernel size of the median filter.",              \
        .verbose = "The side of the neighbourhood whose median is taken: kernel_size x "          \
                   "kernel_size in a frame (2D), kernel_size x kernel_size x kernel_size "         \
                   "across neighbouring frames (3D). Odd, at least 1 and no larger than the "      \
                   "frame (Savu rounds an even size up; here it is refused).",                     \
        .range = "odd, 1 to the frame's smaller side",                                             \
    }

#define MEDIAN_PARAM_OUTLIER_MU                                                                    \
    {                                                                                              \
        .name = "outlier_mu", .dtype = "float", .default_json = "0.1",                             \
        .visibility = SAVU_VIS_BASIC,                                                              \
        .summary = "A threshold for detecting and removing outliers in data.",                     \
        .verbose = "A value is replaced by the median of its neighbourhood where it departs "      \
                   "from that median by at least outlier_mu times the standard deviation of "      \
                   "its frame; others are kept. If set too small, dezinger acts like a median "    \
                   "filter (0: the median filter itself).",                                        \
        .range = "0 or more",                                                                      \
    }

#define MEDIAN_PARAM_KERNEL_DIMENSION                                                              \
    {                                                                                              \
        .name = "kernel_dimension", .dtype = "str", .default_json = "\"3D\"",                      \
        .visibility = SAVU_VIS_INTERMEDIATE,                                                       \
        .summary = "Select between 2D or 3D kernel for filtering.",                                \
        .verbose = "2D: the neighbourhood lies in the frame. 3D: it also takes the "               \
                   "neighbouring frames, (kernel_size - 1) / 2 each side, the first or last "      \
                   "repeated where the data end.",                                                 \
        .options = (const char *const[]){"2D", "3D", NULL},                                        \
        .option_descriptions = (const char *const[]){"kernel_size x kernel_size in a frame.",     \
                                                     "kernel_size cubed, across frames.", NULL},   \
    }

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "cpu/median.h"

struct median_run {
    int k;
    bool three_d, dezing;
    double mu;          /* dezingers: outlier_mu */
    long rows, cols;    /* of a frame */
    int n_scratch;
    float **scratch;    /* one per worker */
};

/* Rows and columns of a frame of the instance's pattern: the two dims of the
 * 3-D input that the pattern does not slice, in the dataset's order. */
static void median_frame_dims(const struct savu_plugin_instance *inst, long *rows, long *cols)
{
    long shape[3];
    savu_in_shape(inst, shape);
    int slice;
    switch (savu_in_pattern(inst)) {
    case SAVU_PATTERN_PROJECTION:
    case SAVU_PATTERN_VOLUME_YZ:
        slice = 0;
        break;
    case SAVU_PATTERN_TANGENTOGRAM:
    case SAVU_PATTERN_VOLUME_XY:
        slice = 2;
        break;
    default:
        slice = 1;
    }
    *rows = shape[slice == 0 ? 1 : 0];
    *cols = shape[slice == 2 ? 1 : 2];
}

/* Reads and checks the parameters and makes the state; -1 (savu_fail) on
 * a bad parameter. */
static int median_run_setup(struct savu_plugin_instance *inst, bool dezing, bool three_d)
{
    double k = savu_param_number(inst, "kernel_size");
    long rows, cols;
    median_frame_dims(inst, &rows, &cols);
    if (!(k >= 1) || k != floor(k))
        return savu_fail(inst, "parameter kernel_size: %g is not a positive integer", k);
    if (fmod(k, 2) == 0)
        return savu_fail(inst, "parameter kernel_size: %g is even (give an odd size, e.g. %g)",
                         k, k + 1);
    if (k > rows || k > cols)
        return savu_fail(inst, "parameter kernel_size: %g is larger than the %ld x %ld frame", k,
                         rows, cols);
    double mu = dezing ? savu_param_number(inst, "outlier_mu") : 0.0;
    if (!(mu >= 0))
        return savu_fail(inst, "parameter outlier_mu: %g is negative (0 or more)", mu);
    struct median_run *st = calloc(1, sizeof *st);
    if (!st)
        return savu_fail(inst, "out of memory");
    *st = (struct median_run){(int)k, three_d, dezing, mu, rows, cols, savu_threads(inst), NULL};
    savu_set_private(inst, st);
    st->scratch = calloc((size_t)st->n_scratch, sizeof *st->scratch);
    if (!st->scratch)
        return savu_fail(inst, "out of memory");
    size_t n = median_scratch_floats(st->k, three_d ? st->k : 1);
    for (int w = 0; w < st->n_scratch; w++)
        if (!(st->scratch[w] = malloc(sizeof(float) * n)))
            return savu_fail(inst, "out of memory");
    return three_d ? savu_set_pad_frames(inst, st->k / 2) : 0;
}

/* The same, 2-D or 3-D as the kernel_dimension parameter says. */
static inline int median_run_setup_by_dimension(struct savu_plugin_instance *inst, bool dezing)
{
    const char *dim = savu_param_string(inst, "kernel_dimension");
    return median_run_setup(inst, dezing, !dim || strcmp(dim, "2D") != 0);
}

/* One block: per frame its threshold, then its rows in chunks. */
struct median_block {
    const struct median_run *st;
    const float *in;    /* the block's input, with pad frames each side */
    float *out;
    long pad, frames, chunk_rows, chunks;
    float *threshold;   /* per frame */
};

static void median_frame_threshold(void *ctx, int task, int worker)
{
    (void)worker;
    struct median_block *b = ctx;
    const long fs = b->st->rows * b->st->cols;
    b->threshold[task] =
        b->st->dezing ? (float)(b->st->mu * median_frame_std(b->in + (b->pad + task) * fs, fs))
                      : 0.0f;
}

static void median_chunk(void *ctx, int task, int worker)
{
    const struct median_block *b = ctx;
    const struct median_run *st = b->st;
    const long fs = st->rows * st->cols, f = task / b->chunks, c = task % b->chunks;
    const int np = st->three_d ? st->k : 1;
    const float *planes[np];
    for (int p = 0; p < np; p++)
        planes[p] = b->in + (b->pad + f - np / 2 + p) * fs;
    struct median_frame mf = {planes, np, st->rows, st->cols, st->k, b->threshold[f],
                              b->out + f * fs};
    long r0 = c * b->chunk_rows, r1 = r0 + b->chunk_rows < st->rows ? r0 + b->chunk_rows : st->rows;
    median_rows(&mf, r0, r1, st->scratch[worker]);
}

static int median_run_process(struct savu_plugin_instance *inst, struct savu_block *blk)
{
    const struct median_run *st = savu_private(inst);
    struct median_block b = {st, savu_block_in(blk), savu_block_out(blk), savu_pad_frames(inst),
                             savu_block_frames(blk), 0, 0, NULL};
    if (b.frames <= 0)
        return 0;
    if (!(b.threshold = malloc(sizeof(float) * b.frames)))
        return savu_fail(inst, "out of memory");
    savu_parallel_for(inst, (int)b.frames, median_frame_threshold, &b);
    long want = (4L * savu_threads(inst) + b.frames - 1) / b.frames;
    b.chunks = want < st->rows ? want : st->rows;
    b.chunk_rows = (st->rows + b.chunks - 1) / b.chunks;
    b.chunks = (st->rows + b.chunk_rows - 1) / b.chunk_rows;
    savu_parallel_for(inst, (int)(b.frames * b.chunks), median_chunk, &b);
    free(b.threshold);
    return 0;
}

static void median_run_teardown(struct savu_plugin_instance *inst)
{
    struct median_run *st = savu_private(inst);
    if (!st)
        return;
    for (int w = 0; st->scratch && w < st->n_scratch; w++)
        free(st->scratch[w]);
    free(st->scratch);
    free(st);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

#endif
