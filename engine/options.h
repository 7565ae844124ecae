/* options.h: the command line of `savu` (see man/savu.1). */
#ifndef SAVU_ENGINE_OPTIONS_H
#define SAVU_ENGINE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"

enum reslice_mode { RESLICE_AUTO, RESLICE_MEMORY, RESLICE_FILE };
enum gpu_mode { GPU_AUTO, GPU_ON, GPU_OFF };

struct engine_options {
    const char *data_file;
    const char *process_list;
    const char *out_dir;
    const char *folder_name;   /* -f, or NULL */
    const char *tmp_dir;       /* -d, or NULL: the output folder */
    double max_memory;         /* bytes per rank (default: half the node's memory
                                * shared by its ranks, at most 16 GiB) */
    int threads;               /* per rank, 1..4096 (default: the node's cores
                                * shared by its ranks, at least 1) */
    int io_threads;            /* per rank, 1..256, that read and write data (default:
                                * threads, at most 8) */
    enum output_dtype { OUTPUT_FLOAT32, OUTPUT_FLOAT16, OUTPUT_UINT16 } output_dtype;
                               /* --output-dtype: how results are stored (the
                                * reslice file stays float32) */
    double output_min, output_max; /* --output-range MIN:MAX (uint16 only) */
    bool have_output_range;
    bool io_hdf5;              /* --io hdf5: data through the HDF5 library (default posix:
                                * raw reads and writes where the layout allows) */
    enum reslice_mode reslice;
    bool keep_intermediate;
    enum gpu_mode gpu;         /* --gpu: auto (a GPU when there is one), on, off */
    bool gpu_fp16;             /* --gpu-precision fp16x4 (default fp32) */
    int gpu_device;            /* this rank's CUDA device, -1: none (gpu_select.c) */
    bool cpu_bind_auto;        /* --cpu-bind auto (cpu_placement.h); default none */
    bool balance_off;          /* --balance off: no blocks taken over between
                                * ranks (block_claims.h); default auto */
    int verbosity;             /* 0 quiet, 1 normal, 2 verbose */
    bool show_help, show_version;
};

/* Parses argv. 0 on success; -1 with err set (exit status 2). local_ranks is
 * the number of ranks on this node, for the defaults. */
int engine_options_parse(int argc, char **argv, int local_ranks, struct engine_options *opt,
                         savu_error *err);
/* "512M", "4G", "1.5G", "1000000" (bytes) -> bytes; -1 when malformed or
 * not above 0. A plain decimal number, then K, M, G or T (powers of 1024,
 * either case), optionally followed by "i", then optionally "B" or "b":
 * "4GiB", "512mb", "100B". No sign, spaces, exponent, hex, inf or nan. */
double parse_memory_size(const char *text);
/* The text of savu --help: each option of the table (lists/run_options.h)
 * with its help, wrapped to 79 columns. */
const char *engine_usage(void);

#endif
