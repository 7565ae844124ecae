/* plugin_instance.h: what the engine keeps for one run of a plugin — one
 * combination of its tuning values — behind the opaque
 * struct savu_plugin_instance of savu_plugin.h, and the block handed to its
 * process function. */
#ifndef SAVU_PLUGIN_INSTANCE_H
#define SAVU_PLUGIN_INSTANCE_H

#include <jansson.h>
#include <mpi.h>
#include "savu_plugin.h"
#include "dataset.h"
#include "options.h"

/* What the engine lends every instance at run time (the plan owns it):
 * the ranks, the output folder and data stem (set before savers begin),
 * and the run, for the store services of savers (run/store_services.c). */
struct instance_host {
    MPI_Comm comm;
    int rank, ranks;
    const char *folder, *stem;
    bool io_hdf5;
    struct run *run;
};

/* Where an instance is in its life: the services check it (reductions are
 * for finish only). */
enum instance_phase { PHASE_SETUP, PHASE_PROCESS, PHASE_FINISH };

struct savu_plugin_instance {
    const struct savu_plugin *plugin;
    char label[64];             /* "plugin 3 TomoRecon" for messages */
    json_t *params;             /* this combination's values, owned */
    json_t *json_texts;         /* savu_param_json's strings, owned */
    json_t *warned;             /* messages already logged */
    const struct dataset *in;
    struct dataset *out;        /* filled by savu_set_output & co. in setup */
    enum savu_pattern pattern;
    int threads;
    int gpu_device;             /* -1: the CPU */
    bool gpu_fp16;
    bool gpu_blocks;            /* process_gpu takes its blocks (savu_gpu_blocks) */
    void *private_data;
    char error[1024];
    /* Added for loaders, savers and finish (ABI 4). */
    const struct instance_host *host;
    struct savu_thread_pool *pool; /* savu_parallel_for's (a loader's read: the
                                * engine's reading threads) */
    struct dataset *meta_out;   /* where savu_meta_set writes: out, then the
                                * stage's output once planned */
    int number;                 /* 1-based position in the list */
    size_t stage;               /* savers: index of the stage they save */
    enum instance_phase phase;
    int pad_frames;             /* the descriptor's, or savu_set_pad_frames' */
    int frame_group;            /* input frames per output frame (savu_set_frame_group) */
    struct meta_numbers *meta_numbers; /* savu_meta_get's copies, owned */
    /* SAVU_PLUGIN_MULTI_DATASETS: datasets 1.. in and out (the stage takes
     * over the outputs after setup, as it does out). */
    int n_extra_in, n_extra_out;
    const struct dataset *extra_in[SAVU_MAX_DATASETS - 1];
    struct dataset *extra_out[SAVU_MAX_DATASETS - 1];
    bool extra_out_borrowed;    /* ... owned by the stage, not freed here */
};

/* A copy of a metadata entry's numbers handed out by savu_meta_get, valid
 * until the same key is read again or the instance is freed. */
struct meta_numbers {
    char *key;
    double *values;
    struct meta_numbers *next;
};
void meta_numbers_free(struct meta_numbers *list);

struct savu_block {
    long frames;
    long first;
    const float *in;
    float *out;
    void *stream;               /* GPU blocks: the cudaStream_t, else NULL */
    float *in_writable;         /* GPU blocks: in, else NULL */
    long variants;              /* 1, or a saver's block: the tuned combinations */
    long in_frame, out_frame;   /* CPU blocks: floats per input and output frame */
    const float *extra_in[SAVU_MAX_DATASETS - 1]; /* datasets 1.. (MULTI_DATASETS) */
    float *extra_out[SAVU_MAX_DATASETS - 1];
};

/* A new instance of `plugin` with its parameter values (a new reference is
 * taken), reading dataset `in` in `pattern` (a loader: in NULL, out blank
 * until it declares its dataset); out starts as a copy of in. */
struct savu_plugin_instance *plugin_instance_new(const struct savu_plugin *plugin,
                                                 const char *label, json_t *params,
                                                 const struct dataset *in,
                                                 enum savu_pattern pattern,
                                                 const struct engine_options *opt);
/* Frees the instance (not its private data: teardown does that) and its
 * output dataset unless *keep_out (then the caller owns inst->out). */
void plugin_instance_free(struct savu_plugin_instance *inst, bool keep_out);

#endif
