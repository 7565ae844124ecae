/* projection_stats_plugin.c: two third-party plugins for the engine's tests
 * of finish, reductions and metadata (savu_plugin.h, ABI 4):
 * - ProjectionStats (PROJECTION) passes its data on and records each
 *   projection's mean and largest value; its finish sums the means and takes
 *   the largest of the maxima over the ranks (each rank holds its own frames,
 *   zeros or -inf elsewhere), gathers the frames each rank computed (which
 *   must add up to all of them), and sets the metadata projection_mean and
 *   projection_max of its output;
 * - SubtractProjectionMean (SINOGRAM, a later section) reads projection_mean
 *   from the metadata and subtracts each angle's mean from its row of every
 *   sinogram; it fails when the metadata is missing.
 * A reduction called outside finish must fail (checked in process). */
#include <math.h>
#include <stdlib.h>
#include <savu_plugin.h>

static const struct savu_param_def dataset_params[] = {
    {.name = "in_datasets", .dtype = "list[str]", .default_json = "[]",
     .visibility = SAVU_VIS_DATASETS, .summary = "A list of the dataset(s) to process."},
    {.name = "out_datasets", .dtype = "list[str]", .default_json = "[]",
     .visibility = SAVU_VIS_DATASETS, .summary = "A list of the dataset(s) to create."},
};

struct stats {
    long n;                  /* projections */
    double *mean, *max;      /* per projection; this rank's frames only */
    double computed;         /* frames this rank computed */
};

static int stats_setup(struct savu_plugin_instance *inst)
{
    long shape[3];
    savu_in_shape(inst, shape);
    struct stats *s = calloc(1, sizeof *s);
    if (!s || !(s->mean = calloc(shape[0], sizeof(double))) ||
        !(s->max = malloc(sizeof(double) * shape[0]))) {
        if (s)
            free(s->mean);
        free(s);
        return savu_fail(inst, "out of memory");
    }
    s->n = shape[0];
    for (long i = 0; i < s->n; i++)
        s->max[i] = -INFINITY;
    savu_set_private(inst, s);
    return 0;
}

static int stats_process(struct savu_plugin_instance *inst, struct savu_block *block)
{
    struct stats *s = savu_private(inst);
    double probe = 0;
    if (savu_reduce_sum(inst, &probe, 1) == 0)
        return savu_fail(inst, "savu_reduce_sum worked outside finish");
    long shape[3];
    savu_in_shape(inst, shape);
    const long frame = shape[1] * shape[2];
    const float *in = savu_block_in(block);
    float *out = savu_block_out(block);
    for (long f = 0; f < savu_block_frames(block); f++) {
        double sum = 0, most = -INFINITY;
        for (long i = 0; i < frame; i++) {
            float v = in[f * frame + i];
            out[f * frame + i] = v;
            sum += v;
            most = v > most ? v : most;
        }
        s->mean[savu_block_first(block) + f] = sum / frame;
        s->max[savu_block_first(block) + f] = most;
    }
    s->computed += (double)savu_block_frames(block);
    return 0;
}

static int stats_finish(struct savu_plugin_instance *inst)
{
    struct stats *s = savu_private(inst);
    int ranks = savu_ranks(inst);
    double *counts = malloc(sizeof(double) * ranks), total = 0;
    if (!counts)
        return savu_fail(inst, "out of memory");
    int rc = savu_reduce_sum(inst, s->mean, s->n) || savu_reduce_max(inst, s->max, s->n) ||
             savu_gather(inst, &s->computed, 1, counts);
    for (int r = 0; rc == 0 && r < ranks; r++)
        total += counts[r];
    free(counts);
    if (rc != 0)
        return -1;
    if (total != (double)s->n)
        return savu_fail(inst, "the ranks computed %g projections of %ld", total, s->n);
    return savu_meta_set(inst, "projection_mean", s->mean, s->n) ||
           savu_meta_set(inst, "projection_max", s->max, s->n);
}

static void stats_teardown(struct savu_plugin_instance *inst)
{
    struct stats *s = savu_private(inst);
    if (s) {
        free(s->mean);
        free(s->max);
    }
    free(s);
}

static int subtract_process(struct savu_plugin_instance *inst, struct savu_block *block)
{
    long n = 0, shape[3];
    const double *mean = savu_meta_get(inst, "projection_mean", &n);
    savu_in_shape(inst, shape);
    if (!mean || n != shape[0])
        return savu_fail(inst, "no projection_mean of %ld values in the metadata", shape[0]);
    const float *in = savu_block_in(block);
    float *out = savu_block_out(block);
    for (long f = 0; f < savu_block_frames(block); f++)
        for (long a = 0; a < shape[0]; a++)
            for (long x = 0; x < shape[2]; x++) {
                long i = (f * shape[0] + a) * shape[2] + x;
                out[i] = (float)(in[i] - mean[a]);
            }
    return 0;
}

static const struct savu_plugin projection_stats = {
    .name = "ProjectionStats",
    .id = "savu_tests.projection_stats",
    .synopsis = "Per-projection mean and maximum, reduced over the ranks into metadata.",
    .category = SAVU_CAT_OTHER,
    .params = dataset_params,
    .n_params = SAVU_COUNT_OF(dataset_params),
    .pattern = SAVU_PATTERN_PROJECTION,
    .setup = stats_setup,
    .process = stats_process,
    .finish = stats_finish,
    .teardown = stats_teardown,
};

static const struct savu_plugin subtract_projection_mean = {
    .name = "SubtractProjectionMean",
    .id = "savu_tests.subtract_projection_mean",
    .synopsis = "Subtract each angle's projection_mean (metadata) from the sinograms.",
    .category = SAVU_CAT_OTHER,
    .params = dataset_params,
    .n_params = SAVU_COUNT_OF(dataset_params),
    .pattern = SAVU_PATTERN_SINOGRAM,
    .process = subtract_process,
};

const struct savu_plugin *const savu_plugin_table[] = {&projection_stats,
                                                      &subtract_projection_mean, NULL};
const int savu_plugin_abi = SAVU_PLUGIN_ABI;
