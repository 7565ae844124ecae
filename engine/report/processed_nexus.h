/* processed_nexus.h: <folder>/<stem>_processed.nxs, the NeXus file that
 * describes a run (reference savu-engine.md §1.6): the process list as
 * savu_config writes it (/entry/plugin etc., through savu_nexus_write_with),
 * and beside it in /entry:
 *   final_result_<name>/   NXdata: `data` an ExternalLink to the final
 *                          result file's data, the axes (values, units)
 *                          and NXdata attributes, meta_data/ (rotation_angle,
 *                          centre_of_rotation when known)
 *   intermediate/<N>-<Plugin>-<name>/  likewise, for kept intermediate results
 *   input_data/<name>/     the input file and data path (ExternalLink),
 *                          the shape after preview
 *   savu_run/              start and end time, ranks, command line, status
 * Written by rank 0 alone, atomically (temporary + rename), at the end of a
 * successful run. */
#ifndef SAVU_PROCESSED_NEXUS_H
#define SAVU_PROCESSED_NEXUS_H

#include <stdbool.h>
#include <stddef.h>
#include "dataset.h"
#include "error.h"
#include "process_list.h"

struct processed_result {
    const char *file;            /* result file name, relative to the folder */
    const char *data_path;       /* data inside it ("/1-TomoRecon-tomo/data") */
    const char *group;           /* "1-TomoRecon-tomo" */
    const struct dataset *ds;
    bool final;                  /* final_result_<ds->name>, else intermediate */
};

struct processed_run {
    const char *input_file;      /* as given on the command line */
    const char *input_data_path; /* "/entry1/tomo_entry/data/data" */
    const struct dataset *loaded;/* the loaded data (shape after preview) */
    const char *command_line;    /* one line */
    const char *started, *finished; /* "2026-11-30 10:03:29" */
    int ranks;
    const struct dataset *const *loaded_more; /* the loader's other datasets, each */
    int n_loaded_more;                        /* linked by its own data_path metadata */
};

/* Writes path. Error: "cannot write <path>: <reason>". */
int processed_nexus_write(const char *path, const savu_process_list *pl,
                          const struct processed_result *results, size_t n_results,
                          const struct processed_run *run, savu_error *err);

#endif
