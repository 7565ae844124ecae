/* missing_table_plugin.c: a shared object that says it is a savu plugin
 * (it exports savu_plugin_abi) but has no savu_plugin_table: the registry
 * must report it. */
#include <savu_plugin.h>

const int savu_plugin_abi = SAVU_PLUGIN_ABI;
