/* builtin_runs.h: the run functions (setup, process, teardown) of the
 * built-in plugins. They live apart from the descriptors because only the
 * engine runs plugins: the shell links the descriptors alone. The engine finds
 * them with builtin_run_for(). */
#ifndef SAVU_BUILTIN_RUNS_H
#define SAVU_BUILTIN_RUNS_H

#include "savu_plugin.h"

struct plugin_run {
    savu_setup_fn setup;
    savu_process_fn process;
    savu_teardown_fn teardown;
    savu_process_fn process_gpu;  /* GPU blocks (savu_plugin.h), or NULL */
};

/* The run functions of a built-in plugin, or those of the descriptor itself
 * (third-party plugins); NULL process means the engine cannot run it. */
struct plugin_run builtin_run_for(const struct savu_plugin *plugin);

int dark_flat_field_correction_setup(struct savu_plugin_instance *inst);
int dark_flat_field_correction_process(struct savu_plugin_instance *inst, struct savu_block *b);
int dark_flat_field_correction_process_gpu(struct savu_plugin_instance *inst,
                                           struct savu_block *b);
void dark_flat_field_correction_teardown(struct savu_plugin_instance *inst);

int tomo_recon_setup(struct savu_plugin_instance *inst);
int tomo_recon_process(struct savu_plugin_instance *inst, struct savu_block *b);
int tomo_recon_process_gpu(struct savu_plugin_instance *inst, struct savu_block *b);
void tomo_recon_teardown(struct savu_plugin_instance *inst);

#endif
