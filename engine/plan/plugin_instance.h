/* plugin_instance.h: what the engine keeps for one run of a plugin — one
 * combination of its tuning values — behind the opaque
 * struct savu_plugin_instance of savu_plugin.h, and the block handed to its
 * process function. */
#ifndef SAVU_PLUGIN_INSTANCE_H
#define SAVU_PLUGIN_INSTANCE_H

#include <jansson.h>
#include "savu_plugin.h"
#include "dataset.h"
#include "options.h"

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
};

struct savu_block {
    long frames;
    long first;
    const float *in;
    float *out;
    void *stream;               /* GPU blocks: the cudaStream_t, else NULL */
    float *in_writable;         /* GPU blocks: in, else NULL */
};

/* A new instance of `plugin` with its parameter values (a new reference is
 * taken), reading dataset `in` in `pattern`; out starts as a copy of in. */
struct savu_plugin_instance *plugin_instance_new(const struct savu_plugin *plugin,
                                                 const char *label, json_t *params,
                                                 const struct dataset *in,
                                                 enum savu_pattern pattern,
                                                 const struct engine_options *opt);
/* Frees the instance (not its private data: teardown does that) and its
 * output dataset unless *keep_out (then the caller owns inst->out). */
void plugin_instance_free(struct savu_plugin_instance *inst, bool keep_out);

#endif
