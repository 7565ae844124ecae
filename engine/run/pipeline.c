/* pipeline.c: a whole run over the sections of the plan (see run.h). Every
 * saver begins (its result file or folder created) before any frame is read;
 * between two sections the last output is resliced — in memory by MPI
 * all-to-all when both slabs fit the memory budget (or --reslice memory),
 * else through an intermediate HDF5 file chunked for both patterns. At the
 * end the files are renamed complete, or on failure removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cpu_placement.h"
#include "mpi_agree.h"
#include "output_folder.h"
#include "reslice_memory.h"
#include "cpu/thread_pool.h"
#include "run.h"
#include "run_log.h"

/* Share of the memory budget the slabs may take; blocks use the rest. */
#define SLAB_SHARE 0.75

/* The savers' begin on every rank, one after the other (collective). */
static int create_outputs(struct run *run, savu_error *err)
{
    size_t n = run->plan->n_stages;
    run->files = calloc(n, sizeof *run->files);
    if (mpi_agree(run->comm, run->files ? 0 : savu_error_set(err, "out of memory"), err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct stage *st = &run->plan->stages[i];
        for (size_t k = 0; k < st->n_savers; k++) {
            struct savu_plugin_instance *saver = st->savers[k];
            int rc = saver->plugin->saver->begin(saver) == 0
                         ? 0 : savu_error_set(err, "%s", saver->error[0] ? saver->error
                                                                         : "begin failed");
            if (mpi_agree(run->comm, rc, err) != 0)
                return -1;
        }
    }
    return 0;
}

/* The savers' finish: first the default savers' (the result store's files,
 * closed and synced), then, past a barrier, the others' (e.g. TIFF folders
 * renamed), so that nothing looks complete when a result file failed. */
static int finish_savers(struct run *run, bool default_savers, bool *complete, savu_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < run->plan->n_stages; i++) {
        const struct stage *st = &run->plan->stages[i];
        for (size_t k = 0; k < st->n_savers; k++) {
            struct savu_plugin_instance *saver = st->savers[k];
            if (!(saver->plugin->flags & SAVU_PLUGIN_DEFAULT_SAVER) != !default_savers)
                continue;
            saver->phase = PHASE_FINISH;
            int mine = saver->plugin->saver->finish(saver, *complete) == 0
                           ? 0 : savu_error_set(err, "%s", saver->error[0] ? saver->error
                                                                           : "finish failed");
            if (mpi_agree(run->comm, mine, err) != 0)
                *complete = false, rc = -1;
        }
    }
    return rc;
}

static int settle_outputs(struct run *run, bool complete, savu_error *err)
{
    int rc = complete ? 0 : -1;
    double t0 = MPI_Wtime();
    if (run->files && finish_savers(run, true, &complete, err) != 0)
        rc = -1;
    if (mpi_agree(run->comm, store_finish_extra_files(run, complete, err), err) != 0)
        complete = false, rc = -1;
    if (complete)
        savu_log(LOG_INFO, "result files closed, their data on the device (fdatasync): %.2f s on "
                 "rank %d", MPI_Wtime() - t0, run->rank);
    MPI_Barrier(run->comm);
    if (run->files && finish_savers(run, false, &complete, err) != 0)
        rc = -1;
    return rc;
}

/* After section s: the collective finish of its plugins that have one
 * (reductions over the ranks, metadata for the later plugins). */
static int finish_plugins(struct run *run, size_t s, savu_error *err)
{
    const struct section *sec = &run->plan->sections[s];
    for (size_t i = sec->first; i < sec->first + sec->count; i++) {
        const struct stage *st = &run->plan->stages[i];
        for (size_t c = 0; st->plugin->finish && c < st->n_combos; c++) {
            struct savu_plugin_instance *inst = st->inst[c];
            inst->phase = PHASE_FINISH;
            int rc = st->plugin->finish(inst) == 0
                         ? 0 : savu_error_set(err, "%s", inst->error[0] ? inst->error
                                                                        : "finish failed");
            inst->phase = PHASE_PROCESS;
            if (mpi_agree(run->comm, rc, err) != 0)
                return -1;
        }
    }
    return 0;
}

/* The slab of frames a rank holds at most for the dataset cut in pattern p. */
static double max_slab_bytes(const struct run *run, const struct dataset *ds, enum savu_pattern p)
{
    long frames = frame_range_max(dataset_frames(ds, p), run->ranks);
    return slab_bytes(ds->n_variants, frames, dataset_frame_size(ds, p));
}

/* Neighbouring frames the plugins of a section need each side. */
static long section_pad(const struct plan *plan, const struct section *sec)
{
    long pad = 0;
    for (size_t i = sec->first; i < sec->first + sec->count; i++)
        pad += plan->stages[i].pad_frames;
    return pad;
}

/* How the output of section s reaches section s + 1. */
static int choose_output(struct run *run, size_t s, double held_in, struct section_output *out,
                         savu_error *err)
{
    const struct plan *plan = run->plan;
    memset(out, 0, sizeof *out);
    if (s + 1 == plan->n_sections)
        return 0;
    const struct section *sec = &plan->sections[s], *next = &plan->sections[s + 1];
    const struct stage *last = &plan->stages[sec->first + sec->count - 1];
    const struct stage *first = &plan->stages[next->first];
    if (first->source != (long)(sec->first + sec->count - 1) || first->source_out != 0)
        return 0; /* the next section reads another dataset (section_source) */
    const struct dataset *ds = last->out;
    double out_bytes = max_slab_bytes(run, ds, last->out->pattern);
    double next_bytes = max_slab_bytes(run, ds, first->pattern);
    double need = out_bytes + (held_in > next_bytes ? held_in : next_bytes);
    enum reslice_mode mode = run->opt->reslice;
    if (mode == RESLICE_AUTO)
        mode = need <= SLAB_SHARE * (run->opt->max_memory - run->baseline_bytes) ? RESLICE_MEMORY
                                                                                  : RESLICE_FILE;
    if (mode == RESLICE_MEMORY && (!dataset_simple_3d(ds, last->out->pattern) ||
                                   !dataset_simple_3d(ds, first->pattern))) {
        savu_log(LOG_INFO, "section %zu takes %s frames of a %d-D dataset: reslicing through a "
                 "file", s + 2, pattern_name(first->pattern), ds->ndim);
        mode = RESLICE_FILE;
    }
    if (mode == RESLICE_MEMORY && plan_stage_has_extras(first)) {
        savu_log(LOG_INFO, "section %zu reads several datasets: its input through a file", s + 2);
        mode = RESLICE_FILE;
    }
    if (mode == RESLICE_MEMORY && first->frame_group > 1) {
        savu_log(LOG_INFO, "section %zu groups %d frames to one: its input through a file",
                 s + 2, first->frame_group);
        mode = RESLICE_FILE;
    }
    if (mode == RESLICE_MEMORY && section_pad(plan, next) > 0) {
        savu_log(LOG_INFO, "section %zu needs neighbouring frames of other ranks: reslicing "
                 "through a file", s + 2);
        mode = RESLICE_FILE;
    }
    savu_log(LOG_INFO, "reslice %s -> %s frames %s (%.1f MiB per rank, budget %.1f MiB)",
             pattern_name(last->out->pattern), pattern_name(first->pattern),
             mode == RESLICE_MEMORY ? "in memory" : "through an HDF5 file",
             need / 1048576.0, run->opt->max_memory / 1048576.0);
    if (mode == RESLICE_MEMORY) {
        out->kind = OUTPUT_SLAB;
        struct frame_range r = frame_range_of(dataset_frames(ds, last->out->pattern), run->rank,
                                              run->ranks);
        int rc = slab_alloc(&out->slab, ds->n_variants, r,
                            dataset_frame_size(ds, last->out->pattern));
        return mpi_agree(run->comm, rc ? savu_error_set(err, "out of memory for the reslice") : 0,
                         err);
    }
    out->kind = OUTPUT_FILE;
    char name[512];
    snprintf(name, sizeof name, "%s_reslice_%zu.h5", ds->name, s + 1);
    char *path = output_path(run->opt->tmp_dir ? run->opt->tmp_dir : run->folder, name);
    struct result_file_spec spec = {path, "reslice", ds, last->out->pattern, first->pattern,
                                    run->opt->io_hdf5, run->io_pool, RESULT_STORE_FLOAT32, 0, 0,
                                    false};
    out->file = path ? result_file_create(run->comm, &spec, err) : NULL;
    free(path);
    return out->file ? 0 : -1;
}

static void release_input(struct run *run, struct section_input *in)
{
    if (in->kind == INPUT_SLAB)
        slab_free(&in->slab);
    if (in->kind == INPUT_FILE && !in->kept) {
        if (run->opt->keep_intermediate) {
            savu_error ignored;
            result_file_finish(in->file, &ignored);
        } else {
            result_file_abort(in->file);
        }
    }
    memset(in, 0, sizeof *in);
}

/* Section s's output made the next section's input. */
static int hand_over(struct run *run, size_t s, struct section_output *out, struct section_input *in,
                     savu_error *err)
{
    memset(in, 0, sizeof *in);
    if (out->kind == OUTPUT_FILE) {
        in->kind = INPUT_FILE;
        in->file = out->file;
        return result_file_sync(in->file, err);
    }
    const struct section *sec = &run->plan->sections[s], *next = sec + 1;
    const struct dataset *ds = run->plan->stages[sec->first + sec->count - 1].out;
    in->kind = INPUT_SLAB;
    double t0 = MPI_Wtime();
    const char *how = "";
    int rc = 0;
    if (dataset_slice_dim(ds, ds->pattern) == next->slice_dim) { /* the same frames */
        in->slab = out->slab;
        memset(&out->slab, 0, sizeof out->slab);
        how = "the same frames: handed over";
    } else {
        rc = reslice_memory(run->comm, &out->slab, dataset_frames(ds, ds->pattern), ds->shape[2],
                            run->opt->threads, &in->slab, &how, err);
    }
    if (rc == 0)
        savu_log(LOG_INFO, "reslice in memory (%s): %.2f s on rank %d", how, MPI_Wtime() - t0,
                 run->rank);
    slab_free(&out->slab);
    if (rc != 0)
        in->kind = INPUT_LOADER;
    return mpi_agree(run->comm, rc, err);
}

/* The input of section s when the section before did not hand its output
 * over: the loaded data, or the kept result file of the stage that made the
 * dataset its first plugin reads (in_datasets), made consistent first. */
static int section_source(struct run *run, size_t s, struct section_input *in, savu_error *err)
{
    const struct stage *first = &run->plan->stages[run->plan->sections[s].first];
    memset(in, 0, sizeof *in);
    if (first->source < 0) {
        in->kind = INPUT_LOADER;
        return 0;
    }
    in->kind = INPUT_FILE;
    in->kept = true;
    in->file = run_output_file(run, (size_t)first->source, first->source_out);
    savu_log(LOG_INFO, "section %zu reads '%s' back from %s", s + 1, first->in->name,
             result_file_path(in->file));
    return result_file_sync(in->file, err);
}

/* The files that the first stage of section s reads its inputs 1.. from,
 * made consistent first (collective). */
static int sync_extra_inputs(struct run *run, size_t s, savu_error *err)
{
    const struct stage *st = &run->plan->stages[run->plan->sections[s].first];
    for (int k = 0; k < st->n_extra_in; k++) {
        const struct stage_input *in = &st->extra_in[k];
        if (in->stage >= 0 &&
            result_file_sync(run_output_file(run, (size_t)in->stage, in->out), err) != 0)
            return -1;
    }
    return 0;
}

static int run_sections(struct run *run, savu_error *err)
{
    struct section_input in = {INPUT_LOADER};
    bool handed_over = true; /* the first section reads the loader */
    int rc = 0;
    for (size_t s = 0; s < run->plan->n_sections && rc == 0; s++) {
        if (!handed_over && (rc = section_source(run, s, &in, err)) != 0)
            break;
        if ((rc = sync_extra_inputs(run, s, err)) != 0)
            break;
        struct section_output out;
        double held_in = in.kind == INPUT_SLAB
                             ? slab_bytes(in.slab.variants, in.slab.range.count, in.slab.frame_size)
                             : 0;
        rc = choose_output(run, s, held_in, &out, err);
        if (rc != 0)
            break;
        double held = held_in + (out.kind == OUTPUT_SLAB ? slab_bytes(out.slab.variants,
                                     out.slab.range.count, out.slab.frame_size) : 0);
        rc = section_run(run, s, &in, &out, held, err);
        if (rc == 0)
            rc = finish_plugins(run, s, err);
        release_input(run, &in);
        handed_over = out.kind != OUTPUT_NONE;
        if (rc == 0 && out.kind != OUTPUT_NONE)
            rc = hand_over(run, s, &out, &in, err);
        else if (out.kind == OUTPUT_SLAB)
            slab_free(&out.slab);
        else if (out.kind == OUTPUT_FILE)
            result_file_abort(out.file);
    }
    release_input(run, &in);
    return rc;
}

/* The rank's I/O threads: one pool for the result files, one for the input. */
static int start_io_threads(struct run *run, savu_error *err)
{
    savu_error why = { "" };
    cpu_placement_leave(); /* their threads run beside the compute threads */
    run->io_pool = savu_thread_pool_create(run->opt->io_threads, &why);
    if (run->io_pool)
        run->read_pool = savu_thread_pool_create(run->opt->io_threads, &why);
    cpu_placement_return();
    int rc = mpi_agree(run->comm, run->read_pool ? 0 : -1, &why);
    if (rc == 0)
        run->plan->loader->pool = run->read_pool;
    else
        savu_error_set(err, "cannot start the I/O threads: %s", why.msg);
    return rc;
}

/* This process's resident bytes now (/proc/self/statm), 0 when unknown. */
static double resident_bytes(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f && fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
    if (f)
        fclose(f);
    return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

int pipeline_run(struct run *run, savu_error *err)
{
    /* The most any rank holds: the same figure everywhere, so that the
     * ranks' choices from the budget agree. */
    run->baseline_bytes = resident_bytes();
    MPI_Allreduce(MPI_IN_PLACE, &run->baseline_bytes, 1, MPI_DOUBLE, MPI_MAX, run->comm);
    run->plan->host.run = run;
    run->plan->host.folder = run->folder;
    run->plan->host.stem = run->stem;
    int rc = start_io_threads(run, err);
    if (rc == 0)
        rc = create_outputs(run, err);
    if (rc == 0)
        rc = store_create_extra_files(run, err);
    if (rc == 0)
        rc = run_sections(run, err);
    savu_error finish_err = {""};
    if (settle_outputs(run, rc == 0, &finish_err) != 0 && rc == 0) {
        *err = finish_err;
        rc = -1;
    }
    free(run->files);
    run->files = NULL;
    run->plan->loader->pool = NULL;
    savu_thread_pool_destroy(run->io_pool);
    savu_thread_pool_destroy(run->read_pool);
    run->io_pool = run->read_pool = NULL;
    return rc;
}
