/* run_options.c: the one table of the `savu` engine's command-line options
 * (see run_options.h), which the engine's parser and usage text and
 * savu_config's `run` are built from, and the check of a choice's word. The
 * details of each option are in man/savu.1. C library only. */
#include "run_options.h"

#include <stdio.h>
#include <string.h>

#define CHOICES(...) ((const char *const[]){__VA_ARGS__, NULL})

static const savu_run_option options[SAVU_RUN_OPTION_COUNT] = {
    [SAVU_OPT_FOLDER] = {"--folder", "-f", "NAME", NULL,
                         "Name of the output folder (default YYYYmmddHHMMSS_<stem>, stem: the "
                         "data file's name without its extension)."},
    [SAVU_OPT_TMP] = {"--tmp", "-d", "DIR", NULL,
                      "Folder for the intermediate reslice file (default: the output folder)."},
    [SAVU_OPT_MAX_MEMORY] = {"--max-memory", NULL, "SIZE", NULL,
                             "Memory budget per process, e.g. 512M or 4G (default: half the "
                             "node's memory shared by its processes, at most 16G)."},
    [SAVU_OPT_THREADS] = {"--threads", "-t", "N", NULL,
                          "Compute threads per process (default: the node's cores shared by its "
                          "processes)."},
    [SAVU_OPT_CPU_BIND] = {"--cpu-bind", NULL, "MODE", CHOICES("auto", "none"),
                           "none (default) or auto (on the CPU, each process's compute threads "
                           "on CPUs of their own when they fit)."},
    [SAVU_OPT_BALANCE] = {"--balance", NULL, "MODE", CHOICES("auto", "off"),
                          "auto (default: the ranks of one node take the last section's blocks "
                          "as they go) or off (each its own)."},
    [SAVU_OPT_IO] = {"--io", NULL, "MODE", CHOICES("posix", "hdf5"),
                     "posix (default: data read and written straight from and to the files on "
                     "several threads) or hdf5."},
    [SAVU_OPT_IO_THREADS] = {"--io-threads", NULL, "N", NULL,
                             "Threads per process that read the input, and as many that write "
                             "(default: the compute threads, at most 8)."},
    [SAVU_OPT_OUTPUT_DTYPE] = {"--output-dtype", NULL, "T", CHOICES("float32", "float16", "uint16"),
                               "float32 (default), float16 or uint16 results (half the bytes); "
                               "uint16 needs --output-range MIN:MAX."},
    [SAVU_OPT_OUTPUT_RANGE] = {"--output-range", NULL, "MIN:MAX", NULL,
                               "The values stored as 0 and 65535 in uint16 results."},
    [SAVU_OPT_RESLICE] = {"--reslice", NULL, "MODE", CHOICES("auto", "memory", "file"),
                          "auto (default: in memory when it fits), memory or file: how the data "
                          "are resliced between sections."},
    [SAVU_OPT_KEEP_INTERMEDIATE] = {"--keep-intermediate", NULL, NULL, NULL,
                                    "Keep every plugin's output and the reslice file."},
    [SAVU_OPT_GPU] = {"--gpu", NULL, "MODE", CHOICES("auto", "on", "off"),
                      "auto (default: a GPU when there is one), on or off."},
    [SAVU_OPT_GPU_PRECISION] = {"--gpu-precision", NULL, "P", CHOICES("fp32", "fp16x4"),
                                "fp32 (default) or fp16x4 (4 slices per half4 texel)."},
    [SAVU_OPT_VERBOSE] = {"--verbose", "-v", NULL, NULL, "More messages."},
    [SAVU_OPT_QUIET] = {"--quiet", "-q", NULL, NULL, "Errors only."},
    [SAVU_OPT_VERSION] = {"--version", NULL, NULL, NULL, "Print the version."},
    [SAVU_OPT_HELP] = {"--help", "-h", NULL, NULL, "Print this help."},
};

const savu_run_option *savu_run_option_at(savu_run_option_id id)
{
    return id >= 0 && id < SAVU_RUN_OPTION_COUNT ? &options[id] : NULL;
}

int savu_run_option_choice(const savu_run_option *o, const char *text, char *message,
                           size_t size)
{
    int n = 0;
    for (; o->choices && o->choices[n]; n++)
        if (strcmp(text, o->choices[n]) == 0)
            return n;
    size_t used = (size_t)snprintf(message, size, "%s: expected ", o->long_name);
    for (int i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(message + used, size - used, "%s%s",
                                 i == 0 ? "" : i + 1 == n ? " or " : ", ", o->choices[i]);
    if (used < size)
        snprintf(message + used, size - used, ", not '%s'", text);
    return -1;
}
