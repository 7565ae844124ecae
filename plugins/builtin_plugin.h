/* builtin_plugin.h: what every built-in plugin file includes. A built-in
 * plugin is one file (plugins/<category>/<name>.c, one line in
 * plugins/builtin.am) holding its descriptor `savu_<name>`, its set-up, its
 * CPU process and its GPU entry point. The file is compiled twice: into the
 * engine whole, and for the shell and the tests with
 * SAVU_PLUGIN_DESCRIPTOR_ONLY defined (the descriptor alone: the shell
 * links neither the kernels nor the engine). Its run code sits in one
 * `#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY` block, and the descriptor names its
 * functions through SAVU_RUN (NULL in the descriptor-only build) and
 * SAVU_GPU_RUN (NULL as well in a build without CUDA). */
#ifndef SAVU_BUILTIN_PLUGIN_H
#define SAVU_BUILTIN_PLUGIN_H

#include "config.h"
#include "savu_plugin.h"

#ifdef SAVU_PLUGIN_DESCRIPTOR_ONLY
#define SAVU_RUN(fn) NULL
#else
#define SAVU_RUN(fn) fn
#endif

#if defined(HAVE_CUDA) && !defined(SAVU_PLUGIN_DESCRIPTOR_ONLY)
#define SAVU_GPU_RUN(fn) fn
#else
#define SAVU_GPU_RUN(fn) NULL
#endif

/* The rank's pool of compute threads (a loader's read: the engine's reading
 * threads), for built-in code that drives kernels taking a pool
 * (kernels/cpu/thread_pool.h); third-party plugins use savu_parallel_for. */
struct savu_thread_pool;
struct savu_thread_pool *savu_instance_pool(const struct savu_plugin_instance *inst);

#endif
