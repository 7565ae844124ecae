/* builtin_plugins.c: the table of plugins compiled into savu. A new
 * built-in plugin is one file plugins/<name>.c with its descriptor, one
 * declaration in builtin_plugins.h and one line here. */
#include "builtin_plugins.h"

const struct savu_plugin *const savu_builtin_plugins[] = {
    &savu_nxtomo_loader,
    &savu_dark_flat_field_correction,
    &savu_tomo_recon,
    &savu_hdf5_saver,
    &savu_tiff_saver,
    NULL,
};
