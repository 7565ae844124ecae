/* plugin_instance.c: the engine services of savu_plugin.h — parameter
 * values, shapes, metadata, warnings and failures — for one plugin instance,
 * and the block accessors. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plugin_instance.h"
#include "run_log.h"

struct savu_plugin_instance *plugin_instance_new(const struct savu_plugin *plugin,
                                                 const char *label, json_t *params,
                                                 const struct dataset *in,
                                                 enum savu_pattern pattern,
                                                 const struct engine_options *opt)
{
    struct savu_plugin_instance *inst = calloc(1, sizeof *inst);
    if (!inst)
        return NULL;
    inst->plugin = plugin;
    snprintf(inst->label, sizeof inst->label, "%s", label);
    inst->params = json_incref(params);
    inst->json_texts = json_object();
    inst->warned = json_object();
    inst->in = in;
    inst->out = dataset_new(in ? in->name : NULL, in);
    inst->meta_out = inst->out;
    inst->pattern = pattern;
    inst->out->pattern = pattern;
    inst->pad_frames = plugin->pad_frames > 0 ? plugin->pad_frames : 0;
    inst->frame_group = 1;
    inst->threads = opt->threads > 0 ? opt->threads : 1;
    inst->gpu_device = opt->gpu_device;
    inst->gpu_fp16 = opt->gpu_fp16;
    if (!inst->params || !inst->json_texts || !inst->warned || !inst->out) {
        plugin_instance_free(inst, false);
        return NULL;
    }
    return inst;
}

void plugin_instance_free(struct savu_plugin_instance *inst, bool keep_out)
{
    if (!inst)
        return;
    json_decref(inst->params);
    json_decref(inst->json_texts);
    meta_numbers_free(inst->meta_numbers);
    json_decref(inst->warned);
    if (!keep_out) {
        dataset_free(inst->out);
        for (int k = 0; k < inst->n_extra_out && !inst->extra_out_borrowed; k++)
            dataset_free(inst->extra_out[k]);
    }
    free(inst);
}

static const json_t *param(const struct savu_plugin_instance *inst, const char *name)
{
    return json_object_get(inst->params, name);
}

bool savu_param_is_none(const struct savu_plugin_instance *inst, const char *name)
{
    const json_t *v = param(inst, name);
    return !v || json_is_null(v);
}

double savu_param_number(const struct savu_plugin_instance *inst, const char *name)
{
    const json_t *v = param(inst, name);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

bool savu_param_bool(const struct savu_plugin_instance *inst, const char *name)
{
    const json_t *v = param(inst, name);
    if (json_is_boolean(v))
        return json_is_true(v);
    return json_is_number(v) && json_number_value(v) != 0;
}

const char *savu_param_string(const struct savu_plugin_instance *inst, const char *name)
{
    const json_t *v = param(inst, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *savu_param_json(const struct savu_plugin_instance *inst, const char *name)
{
    const json_t *cached = json_object_get(inst->json_texts, name);
    if (cached)
        return json_string_value(cached);
    const json_t *v = param(inst, name);
    char *text = json_dumps(v ? v : json_null(), JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text)
        return NULL;
    json_object_set_new(inst->json_texts, name, json_string(text));
    free(text);
    return json_string_value(json_object_get(inst->json_texts, name));
}

void savu_in_shape(const struct savu_plugin_instance *inst, long shape[3])
{
    memcpy(shape, inst->in->shape, 3 * sizeof(long));
}

enum savu_pattern savu_in_pattern(const struct savu_plugin_instance *inst)
{
    return inst->pattern;
}

long savu_in_frame_size(const struct savu_plugin_instance *inst)
{
    return dataset_frame_size(inst->in, inst->pattern);
}

int savu_in_dims(const struct savu_plugin_instance *inst, long shape[SAVU_MAX_DIMS])
{
    memcpy(shape, inst->in->shape, sizeof(long) * SAVU_MAX_DIMS);
    return inst->in->ndim;
}

/* Output ds of inst: a new geometry (savu_plugin.h, savu_set_output_dims). */
static int set_output(struct savu_plugin_instance *inst, struct dataset *ds, int ndim,
                      const long *shape, const char *const *labels, const char *const *units,
                      enum savu_pattern pattern)
{
    if (ndim < 1 || ndim > SAVU_MAX_DIMS)
        return savu_fail(inst, "an output of %d dims; datasets have 1 to %d", ndim, SAVU_MAX_DIMS);
    for (int d = 0; d < ndim; d++)
        if (shape[d] < 1)
            return savu_fail(inst, "output dimension %d has size %ld", d, shape[d]);
    dataset_set_shape(ds, ndim, shape);
    for (int d = 0; d < ndim; d++) {
        if (labels)
            ds->labels[d] = labels[d];
        if (units)
            ds->units[d] = units[d];
    }
    ds->pattern = pattern;
    return 0;
}

int savu_set_output_dims(struct savu_plugin_instance *inst, int ndim, const long *shape,
                         const char *const *labels, const char *const *units,
                         enum savu_pattern pattern)
{
    return set_output(inst, inst->out, ndim, shape, labels, units, pattern);
}

int savu_n_in_datasets(const struct savu_plugin_instance *inst)
{
    return 1 + inst->n_extra_in;
}

int savu_n_out_datasets(const struct savu_plugin_instance *inst)
{
    return 1 + inst->n_extra_out;
}

/* Input k (0 .. n), NULL past them. */
static const struct dataset *input_of(const struct savu_plugin_instance *inst, int k)
{
    return k == 0 ? inst->in : k > 0 && k <= inst->n_extra_in ? inst->extra_in[k - 1] : NULL;
}

static struct dataset *output_of(const struct savu_plugin_instance *inst, int k)
{
    return k == 0 ? inst->out : k > 0 && k <= inst->n_extra_out ? inst->extra_out[k - 1] : NULL;
}

int savu_in_dims_of(const struct savu_plugin_instance *inst, int k, long shape[SAVU_MAX_DIMS])
{
    const struct dataset *ds = input_of(inst, k);
    if (!ds)
        return 0;
    memcpy(shape, ds->shape, sizeof(long) * SAVU_MAX_DIMS);
    return ds->ndim;
}

long savu_in_frame_size_of(const struct savu_plugin_instance *inst, int k)
{
    const struct dataset *ds = input_of(inst, k);
    return ds ? dataset_frame_size(ds, inst->pattern) : 0;
}

long savu_out_frame_size_of(const struct savu_plugin_instance *inst, int k)
{
    const struct dataset *ds = output_of(inst, k);
    return ds ? dataset_frame_size(ds, ds->pattern) : 0;
}

int savu_set_output_of(struct savu_plugin_instance *inst, int k, int ndim, const long *shape,
                       const char *const *labels, const char *const *units,
                       enum savu_pattern pattern)
{
    struct dataset *ds = output_of(inst, k);
    if (!ds)
        return savu_fail(inst, "there is no output %d (out_datasets names %d)", k,
                         1 + inst->n_extra_out);
    return set_output(inst, ds, ndim, shape, labels, units, pattern);
}

const float *savu_block_in_of(const struct savu_block *block, int k)
{
    return k == 0 ? block->in : k > 0 && k < SAVU_MAX_DATASETS ? block->extra_in[k - 1] : NULL;
}

float *savu_block_out_of(struct savu_block *block, int k)
{
    return k == 0 ? block->out : k > 0 && k < SAVU_MAX_DATASETS ? block->extra_out[k - 1] : NULL;
}

int savu_set_output(struct savu_plugin_instance *inst, const long shape[3],
                    const char *const labels[3], const char *const units[3],
                    enum savu_pattern pattern)
{
    return savu_set_output_dims(inst, 3, shape, labels, units, pattern);
}

const double *savu_meta_angles(const struct savu_plugin_instance *inst, long *n)
{
    if (n)
        *n = inst->in->n_angles;
    return inst->in->angles;
}

const float *savu_meta_dark(const struct savu_plugin_instance *inst)
{
    return inst->in->dark;
}

const float *savu_meta_flat(const struct savu_plugin_instance *inst)
{
    return inst->in->flat;
}

const double *savu_meta_centre_of_rotation(const struct savu_plugin_instance *inst)
{
    return inst->in->cor;
}

int savu_meta_set_centre_of_rotation(struct savu_plugin_instance *inst, const double *cor, long n)
{
    double *copy = malloc(sizeof(double) * (n > 0 ? n : 1));
    if (!copy)
        return savu_fail(inst, "out of memory");
    memcpy(copy, cor, sizeof(double) * n);
    free(inst->out->cor);
    inst->out->cor = copy;
    inst->out->n_cor = n;
    return 0;
}

void savu_meta_detector_offsets(const struct savu_plugin_instance *inst, long *x_start,
                                long *x_step, long *y_start, long *y_step)
{
    *x_start = inst->in->x_start;
    *x_step = inst->in->x_step;
    *y_start = inst->in->y_start;
    *y_step = inst->in->y_step;
}

int savu_gpu_device(const struct savu_plugin_instance *inst)
{
    return inst->gpu_device;
}

bool savu_gpu_fp16(const struct savu_plugin_instance *inst)
{
    return inst->gpu_fp16;
}

int savu_set_pad_frames(struct savu_plugin_instance *inst, int pad)
{
    if (inst->phase != PHASE_SETUP || pad < 0)
        return savu_fail(inst, "savu_set_pad_frames: %d frames, outside setup or negative", pad);
    inst->pad_frames = pad;
    return 0;
}

int savu_set_frame_group(struct savu_plugin_instance *inst, int n)
{
    if (inst->phase != PHASE_SETUP || n < 1)
        return savu_fail(inst, "savu_set_frame_group: %d frames, outside setup or below 1", n);
    inst->frame_group = n;
    return 0;
}

int savu_pad_frames(const struct savu_plugin_instance *inst)
{
    return inst->pad_frames;
}

void savu_gpu_blocks(struct savu_plugin_instance *inst, bool accept)
{
    inst->gpu_blocks = accept && inst->gpu_device >= 0;
}

void *savu_block_stream(const struct savu_block *block)
{
    return block->stream;
}

float *savu_block_in_writable(struct savu_block *block)
{
    return block->in_writable;
}

int savu_threads(const struct savu_plugin_instance *inst)
{
    return inst->threads;
}

void savu_set_private(struct savu_plugin_instance *inst, void *data)
{
    inst->private_data = data;
}

void *savu_private(const struct savu_plugin_instance *inst)
{
    return inst->private_data;
}

void savu_warn(struct savu_plugin_instance *inst, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (json_object_get(inst->warned, msg))
        return;
    json_object_set_new(inst->warned, msg, json_true());
    savu_log(LOG_WARNING, "%s: %s", inst->label, msg);
}

int savu_fail(struct savu_plugin_instance *inst, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(inst->error, sizeof inst->error, "%s: %s", inst->label, msg);
    return -1;
}

long savu_block_frames(const struct savu_block *block)
{
    return block->frames;
}

long savu_block_first(const struct savu_block *block)
{
    return block->first;
}

const float *savu_block_in(const struct savu_block *block)
{
    return block->in;
}

float *savu_block_out(struct savu_block *block)
{
    return block->out;
}
