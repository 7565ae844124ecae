/* plan.h: the plan of a run, made before any output exists: the loader
 * instance and the dataset it declared, the chain of plugin stages (one
 * instance per combination of tuning values, each set up), the datasets
 * between them, the saver instances of each stage, and the sections
 * (consecutive stages whose frames run along the same dimension, which a
 * block goes through in memory). The plan names no plugin: loaders, savers
 * and processing plugins all come through savu_plugin.h. */
#ifndef SAVU_ENGINE_PLAN_H
#define SAVU_ENGINE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include "dataset.h"
#include "options.h"
#include "plugin_instance.h"
#include "process_list.h"

/* A stage's input beyond the first (SAVU_PLUGIN_MULTI_DATASETS): the
 * dataset, and output `out` of stage `stage` that made it (-1: the loader). */
struct stage_input {
    const struct dataset *ds;
    long stage;
    int out;
};

/* A stage's output beyond the first, and what becomes of it (as the first
 * output's final / read_later / read_pattern). */
struct stage_output {
    struct dataset *ds;          /* owned */
    bool final, read_later;
    enum savu_pattern read_pattern;
};

struct stage {
    const savu_entry *entry;
    const struct savu_plugin *plugin;
    int number;                  /* 1-based index in the list: Savu's p<N> */
    char label[64];              /* "plugin 3 TomoRecon" */
    char module[64];             /* last part of the id: "tomo_recon" */
    enum savu_pattern pattern;
    int pad_frames;              /* neighbouring frames each side: the most any
                                  * instance asked for (savu_set_pad_frames) */
    int frame_group;             /* input frames per output frame (1: one each;
                                  * savu_set_frame_group): a section of its own */
    const struct dataset *in;    /* the dataset in_datasets names (by default the
                                  * previous stage's out, or the loaded data) */
    long source;                 /* the stage that made `in`, -1: the loader */
    int source_out;              /* ... and which of its outputs (0: its out; the
                                  * loader's: which dataset it declared) */
    int n_extra_in, n_extra_out; /* SAVU_PLUGIN_MULTI_DATASETS: datasets 1.. */
    struct stage_input extra_in[SAVU_MAX_DATASETS - 1];
    struct stage_output extra_out[SAVU_MAX_DATASETS - 1];
    struct dataset *out;         /* owned; named by out_datasets (default: in's name) */
    size_t n_combos;             /* instances: one per tuning combination */
    struct savu_plugin_instance **inst;
    bool torn_down;              /* its instances' teardown has run */
    bool final;                  /* the last of its name: a result of the run
                                  * (final_result_<name>), saved by default */
    bool last;                   /* the list's last stage: the preview PNG shows
                                  * its output */
    bool read_later;             /* a stage after the next reads its output
                                  * back from its result file, in read_pattern */
    enum savu_pattern read_pattern;
    bool stored;                 /* the result store holds its output (savu_store_begin) */
    size_t n_savers;             /* savers of its output, in list order */
    struct savu_plugin_instance **savers;
};

/* Loaded dataset k (0: plan->loaded), NULL past them. */
#define plan_loaded(plan, k)                                                                       \
    ((k) == 0 ? (plan)->loaded : (k) <= (plan)->n_loaded_more ? (plan)->loaded_more[(k) - 1] : NULL)

/* Whether the stage takes or makes more than one dataset. */
static inline bool plan_stage_has_extras(const struct stage *st)
{
    return st->n_extra_in + st->n_extra_out > 0;
}

struct section {
    size_t first, count;         /* stages */
    int slice_dim;               /* the first slice dim of its first stage's pattern */
};

struct plan {
    savu_process_list *pl;
    struct instance_host host;   /* lent to every instance */
    struct savu_thread_pool *pool; /* the rank's compute threads (savu_parallel_for) */
    struct savu_plugin_instance *loader; /* the list's loader, its data open */
    struct dataset *loaded;      /* the (first) dataset it declared */
    struct dataset *loaded_more[SAVU_MAX_DATASETS - 1]; /* the others, in order */
    int n_loaded_more;
    struct stage *stages;
    size_t n_stages;
    struct section *sections;
    size_t n_sections;
    size_t after_loader;         /* list index of the entry after the loader */
};

/* Planning comes in two steps, so that the data can be opened (and the
 * darks and flats read) while the GPU starts: plan_open reads the list and
 * opens the loader's data (no GPU needed); plan_add_plugins, once
 * opt->gpu_device is known, sets every plugin up and makes the sections. All
 * ranks build the same plan. -1 with err naming the plugin position and
 * parameter at fault (plan_open frees what it made; after plan_add_plugins
 * fails, plan_free the plan). */
int plan_open(const struct engine_options *opt, struct plan **out, savu_error *err);
int plan_add_plugins(struct plan *plan, const struct engine_options *opt, savu_error *err);
void plan_free(struct plan *plan);

/* The loader's read of frames [first, first + n) of its dataset `dataset`
 * in `pattern`, and whether it may run beside the engine's writes. */
int plan_read(const struct plan *plan, int dataset, enum savu_pattern pattern, long first, long n,
              float *out, savu_error *err);
bool plan_reads_beside_writes(const struct plan *plan);
/* Frame bytes the loader has read so far (0 when it does not count). */
double plan_bytes_read(const struct plan *plan);

/* Tears every plugin instance's state down (its FFT plans, threads and GPU
 * buffers) once no more frames will be processed; plan_free then does not
 * do it again. The plan's datasets and list stay. */
void plan_teardown_plugins(struct plan *plan);
/* Logs the plan (info level). */
void plan_log(const struct plan *plan);

#endif
