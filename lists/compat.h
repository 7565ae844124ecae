/* compat.h: opening lists written by Savu: renamed plugins and parameters of
 * older versions, and Savu's reconstruction plugins that wrap other libraries
 * (AstraReconCpu, AstraReconGpu, TomopyRecon,
 * ScikitimageFilterBackProjection) mapped to our native reconstruction plugin
 * with equivalent parameters. Each change is reported as a notice. */
#ifndef SAVU_COMPAT_H
#define SAVU_COMPAT_H

#include "plugin_catalog.h"
#include "process_list.h"

typedef void (*savu_notice_fn)(void *ctx, const char *line);

/* Applies the table to every entry; calls notice once per change, e.g.
 * "Plugin 3: AstraReconCpu is replaced by TomoRecon (algorithm FBP, ...)".
 * catalog holds the plugins there are (TomoRecon among them for the
 * conversion; NULL: none, so nothing is converted). */
void savu_compat_apply(savu_process_list *pl, const savu_plugin_catalog *catalog,
                       savu_notice_fn notice, void *ctx);

#endif
