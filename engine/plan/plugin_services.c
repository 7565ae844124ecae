/* plugin_services.c: the engine services of savu_plugin.h added with
 * loaders, savers and finish (ABI 4): the rank's thread pool, the metadata
 * dictionary, reductions over the ranks, what a loader declares, and what a
 * saver needs to know (plugin_instance.c has the services of set-up and
 * process, run/store_services.c the result store). */
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plugin_instance.h"
#include "builtin_plugin.h"
#include "cpu/thread_pool.h"
#include "run_log.h"

struct savu_thread_pool *savu_instance_pool(const struct savu_plugin_instance *inst)
{
    return inst->pool;
}

void savu_parallel_for(struct savu_plugin_instance *inst, int n_tasks, savu_task_fn fn,
                       void *ctx)
{
    savu_thread_pool_run(inst->pool, n_tasks, fn, ctx);
}

struct frame_job {
    savu_frame_fn fn;
    void *ctx;
    const float *in;
    float *out;
    size_t in_frame, out_frame;
};

static void frame_task(void *ctx, int task, int worker)
{
    const struct frame_job *job = ctx;
    job->fn(job->ctx, job->in + (size_t)task * job->in_frame,
            job->out + (size_t)task * job->out_frame, worker);
}

void savu_for_each_frame(struct savu_plugin_instance *inst, struct savu_block *block,
                         savu_frame_fn fn, void *ctx)
{
    struct frame_job job = {fn, ctx, block->in, block->out, (size_t)block->in_frame,
                            (size_t)block->out_frame};
    savu_parallel_for(inst, (int)savu_block_frames(block), frame_task, &job);
}

bool savu_io_through_hdf5(const struct savu_plugin_instance *inst)
{
    return inst->host && inst->host->io_hdf5;
}

/* ---- Metadata ---- */

static bool key_ok(const char *key)
{
    if (!key || !*key)
        return false;
    for (const char *c = key; *c; c++)
        if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9')))
            return false;
    return true;
}

static int set_entry(struct savu_plugin_instance *inst, const char *key, json_t *value)
{
    if (!key_ok(key)) {
        json_decref(value);
        return savu_fail(inst, "metadata key '%s': expected letters, digits and '_'",
                         key ? key : "(null)");
    }
    if (!value || !inst->meta_out || json_object_set_new(inst->meta_out->meta, key, value) != 0)
        return savu_fail(inst, "out of memory for metadata '%s'", key);
    return 0;
}

int savu_meta_set(struct savu_plugin_instance *inst, const char *key, const double *values,
                  long n)
{
    json_t *array = json_array();
    for (long i = 0; array && i < n; i++)
        if (json_array_append_new(array, json_real(values[i])) != 0) {
            json_decref(array);
            array = NULL;
        }
    return set_entry(inst, key, array);
}

int savu_meta_set_text(struct savu_plugin_instance *inst, const char *key, const char *text)
{
    return set_entry(inst, key, json_string(text ? text : ""));
}

void meta_numbers_free(struct meta_numbers *list)
{
    while (list) {
        struct meta_numbers *next = list->next;
        free(list->key);
        free(list->values);
        free(list);
        list = next;
    }
}

/* The instance's copy for `key`, made if it has none. */
static struct meta_numbers *meta_numbers_slot(struct savu_plugin_instance *inst, const char *key)
{
    for (struct meta_numbers *m = inst->meta_numbers; m; m = m->next)
        if (strcmp(m->key, key) == 0)
            return m;
    struct meta_numbers *m = calloc(1, sizeof *m);
    if (!m || !(m->key = strdup(key))) {
        free(m);
        return NULL;
    }
    m->next = inst->meta_numbers;
    inst->meta_numbers = m;
    return m;
}

/* An entry's numbers, copied into the instance so that the pointer stays
 * valid until the entry is read again. */
const double *savu_meta_get(const struct savu_plugin_instance *inst, const char *key, long *n)
{
    if (n)
        *n = 0;
    const struct dataset *from = inst->in ? inst->in : inst->meta_out;
    const json_t *v = from ? dataset_meta(from, key) : NULL;
    if (!json_is_array(v))
        return NULL;
    /* The copies are the instance's bookkeeping, not what a plugin sees. */
    struct meta_numbers *m = meta_numbers_slot((struct savu_plugin_instance *)inst, key);
    size_t len = json_array_size(v);
    double *values = m ? malloc(sizeof(double) * (len ? len : 1)) : NULL;
    if (!values)
        return NULL;
    for (size_t i = 0; i < len; i++)
        values[i] = json_number_value(json_array_get(v, i));
    free(m->values);
    m->values = values;
    if (n)
        *n = (long)len;
    return values;
}

const char *savu_meta_text(const struct savu_plugin_instance *inst, const char *key)
{
    const struct dataset *from = inst->in ? inst->in : inst->meta_out;
    return json_string_value(from ? dataset_meta(from, key) : NULL);
}

/* ---- Reductions ---- */

static int reduce(struct savu_plugin_instance *inst, const char *what, double *values, long n,
                  MPI_Op op)
{
    if (inst->phase != PHASE_FINISH)
        return savu_fail(inst, "%s is for finish only (all ranks take part there)", what);
    if (n < 0 || n > INT32_MAX)
        return savu_fail(inst, "%s of %ld values", what, n);
    if (n > 0)
        MPI_Allreduce(MPI_IN_PLACE, values, (int)n, MPI_DOUBLE, op, inst->host->comm);
    return 0;
}

int savu_reduce_sum(struct savu_plugin_instance *inst, double *values, long n)
{
    return reduce(inst, "savu_reduce_sum", values, n, MPI_SUM);
}

int savu_reduce_min(struct savu_plugin_instance *inst, double *values, long n)
{
    return reduce(inst, "savu_reduce_min", values, n, MPI_MIN);
}

int savu_reduce_max(struct savu_plugin_instance *inst, double *values, long n)
{
    return reduce(inst, "savu_reduce_max", values, n, MPI_MAX);
}

int savu_gather(struct savu_plugin_instance *inst, const double *values, long n, double *all)
{
    if (inst->phase != PHASE_FINISH)
        return savu_fail(inst, "savu_gather is for finish only (all ranks take part there)");
    if (n < 0 || n > INT32_MAX / (inst->host->ranks > 0 ? inst->host->ranks : 1))
        return savu_fail(inst, "savu_gather of %ld values", n);
    MPI_Allgather(values, (int)n, MPI_DOUBLE, all, (int)n, MPI_DOUBLE, inst->host->comm);
    return 0;
}

int savu_rank(const struct savu_plugin_instance *inst)
{
    return inst->host ? inst->host->rank : 0;
}

int savu_ranks(const struct savu_plugin_instance *inst)
{
    return inst->host ? inst->host->ranks : 1;
}

/* ---- Loaders ---- */

int savu_loader_dataset(struct savu_plugin_instance *inst, const char *name, int ndim,
                        const long *shape, const char *const *labels,
                        const char *const *units, enum savu_pattern pattern)
{
    if (ndim < 1 || ndim > SAVU_MAX_DIMS)
        return savu_fail(inst, "declares a %d-D dataset; datasets have 1 to %d dims", ndim,
                         SAVU_MAX_DIMS);
    for (int d = 0; d < ndim; d++)
        if (shape[d] < 1)
            return savu_fail(inst, "loaded dimension %d has size %ld", d, shape[d]);
    if (inst->out->ndim > 0) { /* another dataset: the one declared so far is kept */
        struct dataset *next = inst->n_extra_out < SAVU_MAX_DATASETS - 1 ? dataset_new(NULL, NULL)
                                                                         : NULL;
        if (!next)
            return savu_fail(inst, "declares more than %d datasets", SAVU_MAX_DATASETS);
        inst->extra_out[inst->n_extra_out++] = inst->out;
        inst->out = inst->meta_out = next;
    }
    char *copy = strdup(name && *name ? name : "tomo");
    if (!copy)
        return savu_fail(inst, "out of memory");
    free(inst->out->name);
    inst->out->name = copy;
    dataset_set_shape(inst->out, ndim, shape);
    for (int d = 0; d < ndim; d++) {
        inst->out->labels[d] = labels ? labels[d] : "";
        inst->out->units[d] = units ? units[d] : "";
    }
    inst->out->pattern = pattern;
    return 0;
}

int savu_add_pattern(struct savu_plugin_instance *inst, enum savu_pattern p, const int *core,
                     int n_core, const int *slice, int n_slice)
{
    char why[160];
    if (inst->phase != PHASE_SETUP)
        return savu_fail(inst, "savu_add_pattern is for a loader's open or a plugin's setup");
    if (dataset_add_pattern(inst->out, p, core, n_core, slice, n_slice, why) != 0)
        return savu_fail(inst, "%s", why);
    return 0;
}

int savu_meta_set_angles(struct savu_plugin_instance *inst, const double *degrees, long n)
{
    double *copy = malloc(sizeof(double) * (n > 0 ? n : 1));
    if (!copy)
        return savu_fail(inst, "out of memory");
    memcpy(copy, degrees, sizeof(double) * (n > 0 ? n : 0));
    free(inst->out->own_angles);
    inst->out->own_angles = copy;
    inst->out->angles = copy;
    inst->out->n_angles = n;
    return 0;
}

static float *copy_image(const struct dataset *ds, const float *image)
{
    size_t n = (size_t)ds->shape[1] * ds->shape[2];
    float *copy = image ? malloc(sizeof(float) * n) : NULL;
    if (copy)
        memcpy(copy, image, sizeof(float) * n);
    return copy;
}

int savu_meta_set_dark_flat(struct savu_plugin_instance *inst, const float *dark,
                            const float *flat)
{
    struct dataset *ds = inst->out;
    float *d = copy_image(ds, dark), *f = copy_image(ds, flat);
    if ((dark && !d) || (flat && !f)) {
        free(d);
        free(f);
        return savu_fail(inst, "out of memory for the darks and flats");
    }
    free(ds->own_dark);
    free(ds->own_flat);
    ds->dark = ds->own_dark = d;
    ds->flat = ds->own_flat = f;
    return 0;
}

void savu_meta_set_detector_offsets(struct savu_plugin_instance *inst, long x_start,
                                    long x_step, long y_start, long y_step)
{
    inst->out->x_start = x_start;
    inst->out->x_step = x_step;
    inst->out->y_start = y_start;
    inst->out->y_step = y_step;
}

void savu_info(struct savu_plugin_instance *inst, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    savu_log(LOG_INFO, "%s: %s", inst->label, msg);
}

/* ---- Savers ---- */

const char *savu_output_folder(const struct savu_plugin_instance *inst)
{
    return inst->host ? inst->host->folder : NULL;
}

const char *savu_data_stem(const struct savu_plugin_instance *inst)
{
    return inst->host ? inst->host->stem : NULL;
}

int savu_plugin_number(const struct savu_plugin_instance *inst)
{
    return inst->number;
}

long savu_block_variants(const struct savu_block *block)
{
    return block->variants > 0 ? block->variants : 1;
}
