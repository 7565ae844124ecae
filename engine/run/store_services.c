/* store_services.c: the engine's result store offered to savers
 * (savu_plugin.h, savu_store_*): for the stage a saver instance saves, a
 * result file (result_file.h: HDF5 in Savu's layout, raw writes or one file
 * per rank as the options choose) named <dataset>_p<N>_<module>.h5 with its
 * NXdata group <N>-<Plugin>-<dataset>, created before any frame is read and
 * finished (made complete) or removed at the end. */
#include <stdio.h>
#include <stdlib.h>
#include "mpi_agree.h"
#include "output_folder.h"
#include "run.h"

void stage_result_names(const struct stage *st, const struct dataset *ds, char *file,
                        size_t file_size, char *group, size_t group_size)
{
    snprintf(file, file_size, "%s_p%d_%s.h5", ds->name, st->number, st->module);
    snprintf(group, group_size, "%d-%s-%s", st->number, st->plugin->name, ds->name);
}

/* How --output-dtype stores the result of stage i: float16 every result,
 * uint16 (whose range is in the final volume's units) the last stage's
 * only, the others staying float32. */
static enum result_store store_of(const struct run *run, size_t i)
{
    switch (run->opt->output_dtype) {
    case OUTPUT_FLOAT16: return RESULT_STORE_FLOAT16;
    case OUTPUT_UINT16:
        return i + 1 == run->plan->n_stages ? RESULT_STORE_UINT16 : RESULT_STORE_FLOAT32;
    default: return RESULT_STORE_FLOAT32;
    }
}

/* The store's messages are the result file's own (they name the file). */
static int store_fail(struct savu_plugin_instance *inst, const savu_error *err)
{
    snprintf(inst->error, sizeof inst->error, "%s", err->msg);
    return -1;
}

int savu_store_begin(struct savu_plugin_instance *inst)
{
    struct run *run = inst->host->run;
    struct stage *st = &run->plan->stages[inst->stage];
    if (run->files[inst->stage]) /* a second saver of the same stage shares it */
        return 0;
    char name[512], group[256];
    stage_result_names(st, st->out, name, sizeof name, group, sizeof group);
    char *path = output_path(run->folder, name);
    /* An output that a later stage reads back is kept readable in its
     * pattern (and float32); the others are written only. */
    struct result_file_spec spec = {path, group, st->out, st->out->pattern,
                                    st->read_later ? st->read_pattern : st->out->pattern,
                                    run->opt->io_hdf5, run->io_pool,
                                    st->read_later ? RESULT_STORE_FLOAT32
                                                   : store_of(run, inst->stage),
                                    run->opt->output_min, run->opt->output_max,
                                    !st->read_later};
    savu_error err = {""};
    run->files[inst->stage] = path ? result_file_create(run->comm, &spec, &err) : NULL;
    if (!path)
        savu_error_set(&err, "out of memory");
    free(path);
    if (!run->files[inst->stage])
        return store_fail(inst, &err);
    st->stored = true;
    return 0;
}

int savu_store_write(struct savu_plugin_instance *inst, const struct savu_block *block)
{
    struct run *run = inst->host->run;
    savu_error err;
    if (result_file_write(run->files[inst->stage], block->first, block->frames, block->in,
                          &err) != 0)
        return store_fail(inst, &err);
    return 0;
}

bool savu_store_writes_any_frames(struct savu_plugin_instance *inst)
{
    const result_file *rf = inst->host->run->files[inst->stage];
    return rf && result_file_writes_any_frames(rf);
}

int savu_store_finish(struct savu_plugin_instance *inst, bool complete)
{
    struct run *run = inst->host->run;
    result_file *rf = run->files[inst->stage];
    run->files[inst->stage] = NULL;
    if (!rf)
        return 0;
    if (!complete) {
        result_file_abort(rf);
        return 0;
    }
    savu_error err;
    return result_file_finish(rf, &err) == 0 ? 0 : store_fail(inst, &err);
}

int store_create_extra_files(struct run *run, savu_error *err)
{
    const struct plan *plan = run->plan;
    run->extra_files = calloc(plan->n_stages * (SAVU_MAX_DATASETS - 1), sizeof *run->extra_files);
    if (mpi_agree(run->comm, run->extra_files ? 0 : savu_error_set(err, "out of memory"),
                  err) != 0)
        return -1;
    for (size_t i = 0; i < plan->n_stages; i++) {
        const struct stage *st = &plan->stages[i];
        for (int k = 1; k <= st->n_extra_out; k++) {
            const struct stage_output *o = &st->extra_out[k - 1];
            char name[512], group[256];
            stage_result_names(st, o->ds, name, sizeof name, group, sizeof group);
            char *path = output_path(run->folder, name);
            struct result_file_spec spec = {path, group, o->ds, o->ds->pattern,
                                            o->read_later ? o->read_pattern : o->ds->pattern,
                                            run->opt->io_hdf5, run->io_pool, RESULT_STORE_FLOAT32,
                                            0, 0, !o->read_later};
            result_file **slot = run_extra_file(run, i, k);
            *slot = path ? result_file_create(run->comm, &spec, err) : NULL;
            if (!path)
                savu_error_set(err, "out of memory");
            free(path);
            if (mpi_agree(run->comm, *slot ? 0 : -1, err) != 0)
                return -1;
        }
    }
    return 0;
}

int store_finish_extra_files(struct run *run, bool complete, savu_error *err)
{
    int rc = 0;
    for (size_t i = 0; run->extra_files && i < run->plan->n_stages; i++)
        for (int k = 1; k <= run->plan->stages[i].n_extra_out; k++) {
            result_file **slot = run_extra_file(run, i, k);
            if (*slot && complete && result_file_finish(*slot, err) != 0)
                rc = -1;
            else if (*slot && !complete)
                result_file_abort(*slot);
            *slot = NULL;
        }
    free(run->extra_files);
    run->extra_files = NULL;
    return rc;
}
