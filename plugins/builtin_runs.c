/* builtin_runs.c: which run functions belong to which built-in plugin
 * descriptor (see builtin_runs.h). */
#include "builtin_runs.h"
#include "config.h"
#include "builtin_plugins.h"

/* The built-in GPU paths exist in builds with CUDA only. */
#ifdef HAVE_CUDA
#define GPU_PATH(fn) fn
#else
#define GPU_PATH(fn) NULL
#endif

struct plugin_run builtin_run_for(const struct savu_plugin *plugin)
{
    if (plugin == &savu_dark_flat_field_correction)
        return (struct plugin_run){dark_flat_field_correction_setup,
                                   dark_flat_field_correction_process,
                                   dark_flat_field_correction_teardown,
                                   GPU_PATH(dark_flat_field_correction_process_gpu)};
    if (plugin == &savu_tomo_recon)
        return (struct plugin_run){tomo_recon_setup, tomo_recon_process, tomo_recon_teardown,
                                   GPU_PATH(tomo_recon_process_gpu)};
    return (struct plugin_run){plugin->setup, plugin->process, plugin->teardown,
                               plugin->process_gpu};
}
