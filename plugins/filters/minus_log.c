/* minus_log.c: MinusLog, whole (descriptor, set-up, CPU path).
 * Turns normalised intensities (after DarkFlatFieldCorrection) into
 * attenuation line integrals, -log(v), value by value, for plugins that
 * work on line integrals (ring removal, phase retrieval) before the
 * reconstruction, whose own `log` is then switched off. Values at or below
 * 1e-6 (noise on an opaque region) give -log(1e-6) and NaN gives 0, exactly
 * as TomoRecon's `log` does (kernels/minus_log.h), so that MinusLog + TomoRecon
 * (log False) equals TomoRecon (log True). Not in Savu 4.2, which takes the
 * logarithm inside its reconstructions; tomopy.minus_log and httomo's
 * minus_log are the same step. Runs on the rank's threads in either
 * pattern, on datasets of any dims. */
#include "builtin_plugin.h"
#include "common_params.h"

static const struct savu_param_def minus_log_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    SAVU_PARAM_FRAME_PATTERN,
};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include "minus_log.h"

/* The values of a block, cut into tasks of equal length. */
struct minus_log_task {
    const float *in;
    float *out;
    long n, per_task;
};

static void minus_log_values(void *ctx, int task, int worker)
{
    (void)worker;
    const struct minus_log_task *t = ctx;
    long begin = task * t->per_task, end = begin + t->per_task < t->n ? begin + t->per_task : t->n;
    for (long i = begin; i < end; i++)
        t->out[i] = minus_log_value(t->in[i]);
}

static int minus_log_process(struct savu_plugin_instance *inst, struct savu_block *b)
{
    struct minus_log_task t = {savu_block_in(b), savu_block_out(b),
                               savu_block_frames(b) * savu_in_frame_size(inst), 0};
    const long tasks = 4L * savu_threads(inst);
    t.per_task = (t.n + tasks - 1) / tasks;
    if (t.per_task > 0)
        savu_parallel_for(inst, (int)((t.n + t.per_task - 1) / t.per_task), minus_log_values, &t);
    return 0;
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_minus_log = {
    .name = "MinusLog",
    .id = "savu.plugins.filters.minus_log",
    .synopsis = "Take minus the logarithm of the data: -log(v).",
    .info = "Turns normalised intensities into attenuation line integrals. Values at or "
            "below 1e-6 give -log(1e-6) and NaN gives 0, as the reconstruction's own log "
            "parameter does: set log to False in the reconstruction after this plugin.",
    .category = SAVU_CAT_FILTER,
    .params = minus_log_params,
    .n_params = SAVU_COUNT_OF(minus_log_params),
    .pattern = SAVU_PATTERN_FROM_PARAMETER,
    .max_frames = 0,
    .process = SAVU_RUN(minus_log_process),
    .flags = SAVU_PLUGIN_ANY_DIMS,
};
