/* run.h: one run of the engine on this MPI rank — the plan, where the output
 * goes, the result file of every stage that is saved — and the steps that
 * carry it out: pipeline.c runs the sections in order with the reslices
 * between them; section_run.c takes one section through its frames block by
 * block; run_agree.c keeps the ranks in step after every block (an error on
 * any rank, or a `killsignal` file, stops them all at the same point). */
#ifndef SAVU_ENGINE_RUN_H
#define SAVU_ENGINE_RUN_H

#include <stdbool.h>
#include <mpi.h>
#include "plan.h"
#include "preview_slices.h"
#include "result_file.h"
#include "slab.h"

struct run {
    MPI_Comm comm;
    int rank, ranks;
    const struct engine_options *opt;
    struct plan *plan;
    const char *folder;        /* the output folder */
    const char *stem;          /* of the data file: names of TIFFs and the preview */
    char *kill_path;           /* <folder>/killsignal */
    result_file **files;       /* per stage: its result file in the store
                                * (store_services.c), or NULL */
    result_file **extra_files; /* per stage, its outputs 1.. (several datasets):
                                * run_extra_file */
    preview_slices *preview;   /* the final volume's central slices, or NULL */
    struct savu_thread_pool *io_pool; /* the I/O threads (pipeline_run) that write
                                * results and read reslice files */
    struct savu_thread_pool *read_pool; /* the threads that read the input data: a
                                * pool of their own, so a read can run beside a
                                * write (block_io.h) */
    bool killed;               /* stopped by the kill signal */
    double baseline_bytes;     /* resident before the sections, the most of any
                                * rank: libraries, the plan, darks and flats
                                * (taken off the budget) */
    struct run_release *release; /* the last section's release, while it runs
                                * (run_release.h) */
    double clock[6];           /* monotonic seconds at the start of main, after
                                * MPI_Init, after opening the data, after choosing
                                * the GPU, after setting the plugins up, after
                                * creating the output folder's files */
};

/* Where a section's frames come from. */
struct section_input {
    enum { INPUT_LOADER, INPUT_SLAB, INPUT_FILE } kind;
    struct slab slab;          /* INPUT_SLAB: this rank's frames */
    result_file *file;         /* INPUT_FILE: the reslice file, or ... */
    bool kept;                 /* ... a stage's result file (run->files), which
                                * its saver finishes, not the section */
};

/* Where a section's last output goes besides its result file. */
struct section_output {
    enum { OUTPUT_NONE, OUTPUT_SLAB, OUTPUT_FILE } kind;
    struct slab slab;          /* OUTPUT_SLAB: filled with this rank's frames */
    result_file *file;         /* OUTPUT_FILE: the reslice file, written collectively */
};

/* pipeline.c: creates the result files, runs every section, finishes the
 * files (renamed complete) or removes them. 0; -1 with err (the same on
 * every rank); 1 when stopped by the kill signal. Collective. */
int pipeline_run(struct run *run, savu_error *err);

/* store_services.c: the result file of dataset ds that stage st made,
 * "<name>_p<N>_<module>.h5", and its NXdata group, "<N>-<Plugin>-<name>"
 * (Savu's names). */
void stage_result_names(const struct stage *st, const struct dataset *ds, char *file,
                        size_t file_size, char *group, size_t group_size);
/* store_services.c: the files of the outputs 1.. of stages with several
 * datasets, created (collective; readable in read_pattern where a later
 * stage reads them back) and finished or removed with the result store's. */
int store_create_extra_files(struct run *run, savu_error *err);
int store_finish_extra_files(struct run *run, bool complete, savu_error *err);

/* Where output k >= 1 of stage i keeps its file. */
static inline result_file **run_extra_file(const struct run *run, size_t i, int k)
{
    return &run->extra_files[i * (SAVU_MAX_DATASETS - 1) + (size_t)(k - 1)];
}

/* The result file that keeps output k (0: its first, in the result store)
 * of stage i, for a later stage that reads it back. */
static inline result_file *run_output_file(const struct run *run, size_t i, int k)
{
    return k == 0 ? run->files[i] : *run_extra_file(run, i, k);
}

/* section_run.c: section s over this rank's frames. 0, -1 (err), 1 (kill).
 * memory_held: bytes of slabs alive meanwhile (input and output). */
int section_run(struct run *run, size_t s, struct section_input *in, struct section_output *out,
                double memory_held, savu_error *err);

/* run_agree.c: after a block: 0 when every rank succeeded, -1 with the
 * first failing rank's message, 1 when rank 0 found the kill signal.
 * Collective. */
int run_agree(struct run *run, int rc, savu_error *err);

#endif
