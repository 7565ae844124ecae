/* wrong_abi_plugin.c: a plugin built for another plugin ABI: the registry
 * must refuse it with a failure naming both ABIs, and keep working. */
#include <savu_plugin.h>

static const struct savu_plugin future_plugin = {
    .name = "FuturePlugin",
    .id = "example.plugins.future_plugin",
    .synopsis = "A plugin for a savu that does not exist yet.",
    .category = SAVU_CAT_OTHER,
};

const int savu_plugin_abi = SAVU_PLUGIN_ABI + 1;

const struct savu_plugin *const savu_plugin_table[] = {&future_plugin, NULL};
