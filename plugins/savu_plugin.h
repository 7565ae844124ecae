/* savu_plugin.h: the plugin API, one for every kind of plugin. A plugin is
 * one constant descriptor: its Savu name and id, what it does, its parameter
 * table, its citations, the pattern it works in, and its lifecycle:
 * - loaders (`loader`): open the data, declare the loaded dataset and its
 *   metadata, read any run of frames on request;
 * - processing plugins: set-up once, process many blocks (CPU, and GPU
 *   blocks), an optional collective `finish` that reduces per-frame results
 *   over all ranks into metadata for later plugins, tear down;
 * - savers (`saver`): begin, write blocks, finish.
 * The engine names no plugin: built-in plugins are one file each under
 * plugins/<category>/ and one line in plugins/builtin.def; third-party
 * plugins are shared objects that export `savu_plugin_table`, a
 * NULL-terminated array of descriptor pointers, and `savu_plugin_abi`, equal
 * to SAVU_PLUGIN_ABI (see savu-plugin(7)). */
#ifndef SAVU_PLUGIN_H
#define SAVU_PLUGIN_H

#include <stddef.h>
#include <stdbool.h>

#define SAVU_PLUGIN_ABI 4 /* 3: scratch_frames, scratch_fixed_frames; 4: loaders and
                           * savers, finish, metadata, reductions, savu_parallel_for */

enum savu_category {
    SAVU_CAT_LOADER,
    SAVU_CAT_CORRECTION,
    SAVU_CAT_FILTER,
    SAVU_CAT_RING_REMOVAL,
    SAVU_CAT_CENTERING,
    SAVU_CAT_RECONSTRUCTION,
    SAVU_CAT_SAVER,
    SAVU_CAT_OTHER,
    SAVU_CAT_COUNT
};

/* Visibility levels as Savu: a level shows its own and the lower ones. */
enum savu_visibility {
    SAVU_VIS_BASIC,
    SAVU_VIS_INTERMEDIATE,
    SAVU_VIS_ADVANCED,
    SAVU_VIS_DATASETS, /* in_datasets/out_datasets: shown at advanced */
    SAVU_VIS_HIDDEN
};

/* Savu's patterns (savu-engine.md §1.3): each names the core dims a plugin
 * sees as one frame and the slice dims the engine iterates over, per
 * dataset (savu_add_pattern; a 3-D dataset has defaults, see "Datasets"). */
enum savu_pattern {
    SAVU_PATTERN_NONE,
    SAVU_PATTERN_PROJECTION,
    SAVU_PATTERN_SINOGRAM,
    SAVU_PATTERN_VOLUME_XZ,
    SAVU_PATTERN_FROM_PARAMETER, /* the plugin's `pattern` parameter decides */
    SAVU_PATTERN_VOLUME_XY,
    SAVU_PATTERN_VOLUME_YZ,
    SAVU_PATTERN_TANGENTOGRAM,
    SAVU_PATTERN_SPECTRUM,
    SAVU_PATTERN_DIFFRACTION,
    SAVU_PATTERN_TIMESERIES,
    SAVU_PATTERN_COUNT
};

/* The most dimensions a dataset has (tuned parameters add theirs to the
 * saved files, not to what plugins see). */
#define SAVU_MAX_DIMS 6

/* The most datasets a plugin takes or makes (in_datasets, out_datasets). */
#define SAVU_MAX_DATASETS 4

/* One parameter. dtype uses Savu's grammar: int, float, str, bool, filepath,
 * dir, h5path, preview, list, dict, None, list[t], list[t1,t2], dict{k:v} and
 * unions written [t1, t2]. default_json is JSON text ("null", "0.95",
 * "\"ramp\"", "[]"). options, when set, is a NULL-terminated list of the
 * allowed values as they are typed (strings compare as strings, numbers by
 * value). dependency, when set, is JSON {"parent": [values...]}: the parameter
 * is shown and used only while `parent` has one of those values. */
struct savu_param_def {
    const char *name;
    const char *dtype;
    const char *default_json;
    enum savu_visibility visibility;
    const char *summary;
    const char *verbose;               /* may be NULL */
    const char *const *options;        /* may be NULL */
    const char *const *option_descriptions; /* parallel to options, may be NULL */
    const char *dependency;            /* may be NULL */
    const char *range;                 /* human text, may be NULL */
};

/* A citation. dependency, when set, is JSON {"param": [values]}: the citation
 * applies only when the parameter has one of those values. */
struct savu_citation {
    const char *label;       /* short name, e.g. "Vo2014" */
    const char *description;
    const char *doi;
    const char *bibtex;
    const char *endnote;
    const char *dependency;  /* may be NULL */
};

/* Engine-side types, defined by the engine (opaque here). */
struct savu_plugin_instance;
struct savu_block;

typedef int (*savu_setup_fn)(struct savu_plugin_instance *inst);
typedef int (*savu_process_fn)(struct savu_plugin_instance *inst, struct savu_block *block);
typedef void (*savu_teardown_fn)(struct savu_plugin_instance *inst);
typedef int (*savu_finish_fn)(struct savu_plugin_instance *inst);

/* A loader's lifecycle. The engine makes one instance of the list's loader
 * (parameters as any plugin's) on every rank and calls: */
struct savu_loader_ops {
    /* Opens data_file (the DATA argument of savu), declares the loaded
     * dataset (savu_loader_dataset) and sets its metadata (savu_meta_set_*).
     * Every rank calls it; nothing is read from the frames yet. */
    int (*open)(struct savu_plugin_instance *inst, const char *data_file);
    /* Frames [first, first + count) of the loaded dataset in `pattern` (one
     * the dataset has), float32, frame after frame, each frame laid out as
     * "Datasets" below says. Called on the engine's reading
     * thread; savu_parallel_for then runs on the engine's reading threads. */
    int (*read)(struct savu_plugin_instance *inst, enum savu_pattern pattern, long first,
                long count, float *out);
    /* A loader that declares several datasets reads dataset k (0, 1, ... in
     * the order it declared them) here, as read does; NULL: one dataset. */
    int (*read_dataset)(struct savu_plugin_instance *inst, int dataset,
                        enum savu_pattern pattern, long first, long count, float *out);
    /* Optional: true when read makes no HDF5 or MPI call, so that it may run
     * beside the engine's writes. NULL: false. */
    bool (*reads_beside_writes)(struct savu_plugin_instance *inst);
    /* Optional: bytes of frame data read from files so far (the run's
     * summary). NULL: not counted. */
    double (*bytes_read)(struct savu_plugin_instance *inst);
    /* Closes the data (after the last read). */
    void (*close)(struct savu_plugin_instance *inst);
};

/* A saver's lifecycle. A saver saves the dataset of the plugin before it in
 * the list; the final result is always saved by the default saver
 * (SAVU_PLUGIN_DEFAULT_SAVER: Hdf5Saver) as well, which the engine adds when
 * the list has none there. The saver's setup runs when the run is planned
 * (check parameters there; savu_in_shape and savu_in_pattern describe the
 * saved dataset), then: */
struct savu_saver_ops {
    /* Before the first block, on every rank (collective): create the output
     * under savu_output_folder, not yet looking complete. */
    int (*begin)(struct savu_plugin_instance *inst);
    /* One block of the saved dataset on the engine's I/O thread: frames
     * savu_block_first .. + savu_block_frames of its pattern, for every
     * variant (savu_block_variants: one per combination of tuned values),
     * laid out [variant][frame][core] in savu_block_in. Every rank calls it
     * for every step of the block loop, with 0 frames when it has none, so
     * that a saver may write collectively (unless writes_any_frames). */
    int (*write)(struct savu_plugin_instance *inst, const struct savu_block *block);
    /* Optional: true when a rank may write any frames alone, in any order
     * (no collective call), so that ranks may take over each other's
     * blocks. NULL: false. */
    bool (*writes_any_frames)(struct savu_plugin_instance *inst);
    /* After the last block (collective): complete, make the output final;
     * else remove what begin and write made. */
    int (*finish)(struct savu_plugin_instance *inst, bool complete);
};

/* Flags of a descriptor. */
enum {
    SAVU_PLUGIN_DEFAULT_SAVER = 1 << 0, /* the saver added where the list has none */
    SAVU_PLUGIN_ANY_DIMS = 1 << 1,      /* process takes frames of datasets of any
                                         * number of dims (it reads savu_in_dims and
                                         * savu_in_frame_size, not the 3-D
                                         * savu_in_shape); without it the engine
                                         * refuses, at plan time, a dataset that
                                         * is not 3-D */
    SAVU_PLUGIN_MULTI_DATASETS = 1 << 2, /* takes several datasets (the names in
                                         * in_datasets) and makes several
                                         * (out_datasets): see "Several
                                         * datasets" below; without it one of
                                         * each */
};

struct savu_plugin {
    const char *name;        /* Savu class name, e.g. "DarkFlatFieldCorrection" */
    const char *id;          /* Savu module path, e.g. "savu.plugins.corrections.dark_flat_field_correction" */
    const char *synopsis;    /* one line */
    const char *info;        /* a paragraph, may be NULL */
    const char *warning;     /* may be NULL */
    enum savu_category category;
    const struct savu_param_def *params;   /* table of n_params entries */
    size_t n_params;
    const struct savu_citation *citations; /* table of n_citations entries */
    size_t n_citations;
    enum savu_pattern pattern;
    int max_frames;          /* frames per call: 1 = single, 0 = framework chooses */
    int pad_frames;          /* neighbouring frames needed each side (see
                              * savu_block_in) */
    int scratch_frames;      /* buffers of one input frame that process holds
                              * per frame of a block (each instance), and */
    int scratch_fixed_frames; /* ... whatever the block's size: the engine
                              * counts both in the --max-memory budget */
    savu_setup_fn setup;
    savu_process_fn process;
    savu_process_fn process_gpu; /* NULL when there is no GPU path; see
                                  * "GPU blocks" below */
    savu_teardown_fn teardown; /* after the last block, maybe on another
                                * thread while the engine writes its files:
                                * frees the instance's state, no MPI or HDF5 */
    savu_finish_fn finish;   /* optional, processing plugins: after the last
                              * block of its section, on every rank
                              * (collective): reduce per-frame results over the
                              * ranks (savu_reduce_*) and set metadata for
                              * later plugins (savu_meta_set). A plugin with
                              * finish ends its section, so that the plugins
                              * after it see the metadata when they process. */
    const struct savu_loader_ops *loader; /* loaders only */
    const struct savu_saver_ops *saver;   /* savers only */
    unsigned flags;          /* SAVU_PLUGIN_* */
};

#define SAVU_COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Engine services ----
 * Called by a plugin's setup, process and teardown; the `savu` engine defines
 * them (plugins resolve them when the engine runs them; the shell loads
 * plugins without running them).
 *
 * Datasets have 1 to SAVU_MAX_DIMS dims, each with a label and units:
 * loaded tomography data (rotation_angle, detector_y, detector_x), a time
 * series with a fourth (scan), a reconstruction (voxel_x, voxel_y,
 * voxel_z). A pattern cuts a dataset into frames: its core dims make one
 * frame, laid out in the dataset's own dim order (the slice dims left
 * out); its slice dims are iterated, the first fastest, and frames are
 * numbered in that order (frame f of slice dims (0, 3) of a dataset of
 * shape (n0, n1, n2, n3) is index f % n0 of dim 0 and f / n0 of dim 3).
 * A 3-D dataset has, unless its loader or plugin declares others, Savu's
 * six 3-D patterns: PROJECTION and VOLUME_YZ slice dim 0, SINOGRAM and
 * VOLUME_XZ slice dim 1, TANGENTOGRAM and VOLUME_XY slice dim 2, the other
 * two dims core: PROJECTION frames are [detector_y][detector_x] and
 * SINOGRAM frames [rotation_angle][detector_x]. Datasets of other dims
 * have the patterns their loader declares (savu_add_pattern), and run only
 * through plugins flagged SAVU_PLUGIN_ANY_DIMS. Parameter tuning is the
 * engine's business: each instance sees one value of every parameter. */

/* Parameters of this instance. A parameter that is None (JSON null) or
 * absent: savu_param_is_none is true, numbers read as NaN, strings as NULL. */
bool savu_param_is_none(const struct savu_plugin_instance *inst, const char *name);
double savu_param_number(const struct savu_plugin_instance *inst, const char *name);
bool savu_param_bool(const struct savu_plugin_instance *inst, const char *name);
const char *savu_param_string(const struct savu_plugin_instance *inst, const char *name);
/* Any value as compact JSON text (lists, dicts); owned by the instance. */
const char *savu_param_json(const struct savu_plugin_instance *inst, const char *name);

/* The input dataset's shape (3-D datasets) and the pattern this instance
 * runs in. */
void savu_in_shape(const struct savu_plugin_instance *inst, long shape[3]);
/* The input dataset's number of dims, and its shape in shape[0 .. ndim). */
int savu_in_dims(const struct savu_plugin_instance *inst, long shape[SAVU_MAX_DIMS]);
enum savu_pattern savu_in_pattern(const struct savu_plugin_instance *inst);
/* Floats in one input frame of the instance's pattern (the product of the
 * pattern's core dims): a block's input holds savu_block_frames of them. */
long savu_in_frame_size(const struct savu_plugin_instance *inst);
/* In setup: the output dataset. Without this call the output has the input's
 * shape, axes and pattern. labels/units may be NULL to keep the input's. */
int savu_set_output(struct savu_plugin_instance *inst, const long shape[3],
                    const char *const labels[3], const char *const units[3],
                    enum savu_pattern pattern);
/* The same for a dataset of ndim dims (1 .. SAVU_MAX_DIMS). Either call
 * makes a new geometry: the output has the default patterns of a 3-D
 * dataset, or those declared with savu_add_pattern after it; without
 * either call it keeps the input's. */
int savu_set_output_dims(struct savu_plugin_instance *inst, int ndim, const long *shape,
                         const char *const *labels, const char *const *units,
                         enum savu_pattern pattern);
/* In a loader's open or a plugin's setup, after the dataset is declared:
 * pattern p of the output dataset, its core dims and its slice dims (each a
 * dim index, all dims once between them; slice dims first-fastest). A
 * dataset declared with patterns has those alone. 0, or -1 (savu_fail has
 * said why). */
int savu_add_pattern(struct savu_plugin_instance *inst, enum savu_pattern p, const int *core,
                     int n_core, const int *slice, int n_slice);

/* Metadata of the input dataset. Angles in degrees, one per rotation_angle
 * index; darks and flats averaged, [detector_y][detector_x] of the input
 * (NULL when there are none); centre of rotation per detector_y row (NULL
 * when no plugin set one). */
const double *savu_meta_angles(const struct savu_plugin_instance *inst, long *n);
const float *savu_meta_dark(const struct savu_plugin_instance *inst);
const float *savu_meta_flat(const struct savu_plugin_instance *inst);
const double *savu_meta_centre_of_rotation(const struct savu_plugin_instance *inst);
/* In setup: record the centre of rotation of each of the n rows in the
 * output's metadata (centring plugins; reconstructions say what they used). */
int savu_meta_set_centre_of_rotation(struct savu_plugin_instance *inst, const double *cor, long n);

/* Where the input's pixels sit on the whole detector (the loader's preview
 * may crop it): index i of detector_x is detector pixel x_start + i * x_step,
 * and likewise for detector_y rows. The whole detector's size, where the
 * loader knows it, is the dictionary entry "detector_shape" (rows, columns;
 * NxtomoLoader sets it). */
void savu_meta_detector_offsets(const struct savu_plugin_instance *inst, long *x_start,
                                long *x_step, long *y_start, long *y_step);

/* The CUDA device this instance may compute on, or -1: run on the CPU
 * (no GPU, a build without CUDA, or --gpu off). Ranks sharing a node share
 * its devices. */
int savu_gpu_device(const struct savu_plugin_instance *inst);
/* Whether the data should go through the HDF5 library alone (--io hdf5),
 * with no raw reads or writes of the files' bytes. */
bool savu_io_through_hdf5(const struct savu_plugin_instance *inst);
/* Whether reduced precision was asked for (--gpu-precision fp16x4). */
bool savu_gpu_fp16(const struct savu_plugin_instance *inst);

/* Compute threads this instance may use, and its private state. */
int savu_threads(const struct savu_plugin_instance *inst);
/* Runs fn(ctx, task, worker) for every task in [0, n_tasks) on the rank's
 * one pool of savu_threads threads (shared by all plugins; the caller takes
 * part) and returns when all are done; worker, in [0, savu_threads), names
 * the thread (for per-thread scratch). A loader's read runs it on the
 * engine's reading threads instead. Not re-entrant: a task must not call it. */
typedef void (*savu_task_fn)(void *ctx, int task, int worker);
void savu_parallel_for(struct savu_plugin_instance *inst, int n_tasks, savu_task_fn fn,
                       void *ctx);
/* The common case of it: fn(ctx, in, out, worker) for each frame of the
 * block, in and out that frame's input and output (savu_in_frame_size and
 * the output's frame size apart), on the rank's pool; in process (CPU). */
typedef void (*savu_frame_fn)(void *ctx, const float *in, float *out, int worker);
void savu_for_each_frame(struct savu_plugin_instance *inst, struct savu_block *block,
                         savu_frame_fn fn, void *ctx);
void savu_set_private(struct savu_plugin_instance *inst, void *data);
void *savu_private(const struct savu_plugin_instance *inst);

/* A warning in the run log, naming the plugin (each distinct message once). */
void savu_warn(struct savu_plugin_instance *inst, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Records why setup or process failed (one line); returns -1. */
int savu_fail(struct savu_plugin_instance *inst, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- Several datasets (SAVU_PLUGIN_MULTI_DATASETS) ----
 * A plugin so flagged takes as many datasets as its in_datasets names (one
 * when it names none) and makes as many as its out_datasets names (by
 * default one per input, named as the inputs). Dataset 0 of each is the one
 * the functions above describe; all take frames of the instance's pattern,
 * and all inputs and outputs must have as many frames, so a block holds the
 * same frames of each. Dataset k of a block is savu_block_in_of(b, k) and
 * savu_block_out_of(b, k) (0: savu_block_in, savu_block_out). The engine
 * runs such a plugin in a section of its own, on the CPU, untuned, without
 * pad_frames. */
int savu_n_in_datasets(const struct savu_plugin_instance *inst);
int savu_n_out_datasets(const struct savu_plugin_instance *inst);
/* Input k's dims (returned) and shape; the floats in one of its frames. */
int savu_in_dims_of(const struct savu_plugin_instance *inst, int k, long shape[SAVU_MAX_DIMS]);
long savu_in_frame_size_of(const struct savu_plugin_instance *inst, int k);
/* In setup: output k as savu_set_output_dims (without it: a copy of input
 * k's shape, axes and patterns, or of input 0's when there are fewer
 * inputs). */
int savu_set_output_of(struct savu_plugin_instance *inst, int k, int ndim, const long *shape,
                       const char *const *labels, const char *const *units,
                       enum savu_pattern pattern);
long savu_out_frame_size_of(const struct savu_plugin_instance *inst, int k);
const float *savu_block_in_of(const struct savu_block *block, int k);
float *savu_block_out_of(struct savu_block *block, int k);

/* ---- Metadata dictionary ----
 * Every dataset has a dictionary of named arrays of numbers and of texts,
 * which flows down the chain: a plugin reads its input's entries (and those
 * of every dataset before it), and sets entries of its output, which later
 * plugins read and <stem>_processed.nxs keeps (under the dataset's
 * meta_data group). An entry set in finish is seen by the plugins of later
 * sections (from their first process call). Keys are names of letters,
 * digits and '_'. */
int savu_meta_set(struct savu_plugin_instance *inst, const char *key, const double *values,
                  long n);
int savu_meta_set_text(struct savu_plugin_instance *inst, const char *key, const char *text);
/* The entry `key` of the input (NULL when there is none); *n gets its
 * length. Valid until this instance reads the same key again. */
const double *savu_meta_get(const struct savu_plugin_instance *inst, const char *key, long *n);
const char *savu_meta_text(const struct savu_plugin_instance *inst, const char *key);

/* ---- Reductions over all ranks (finish only) ----
 * In place over n values: each becomes the sum, least or most of that value
 * on every rank. gather: each rank's n values, rank after rank, into all
 * (ranks x n values; savu_ranks tells how many). Every rank must make the
 * same calls. 0, or -1 (savu_fail has said why). */
int savu_reduce_sum(struct savu_plugin_instance *inst, double *values, long n);
int savu_reduce_min(struct savu_plugin_instance *inst, double *values, long n);
int savu_reduce_max(struct savu_plugin_instance *inst, double *values, long n);
int savu_gather(struct savu_plugin_instance *inst, const double *values, long n, double *all);
/* This process's rank and the number of ranks. */
int savu_rank(const struct savu_plugin_instance *inst);
int savu_ranks(const struct savu_plugin_instance *inst);

/* ---- Loaders ----
 * In open: the loaded dataset, its name (the loader's `name`), its ndim
 * and shape (rotation_angle, detector_y, detector_x for tomography), axis
 * labels and units (strings that live as long as the plugin), and the
 * pattern it is read in best; then savu_add_pattern for each pattern it
 * can be read in, unless it is 3-D with the default ones. Calling it again
 * declares another dataset (at most SAVU_MAX_DATASETS, each of its own
 * name; multimodal data), which the services after it describe; such a
 * loader has read_dataset. Then its metadata: angles (one
 * per rotation_angle index, degrees), darks and flats averaged
 * ([detector_y][detector_x], copied), where its pixels sit on the detector. */
int savu_loader_dataset(struct savu_plugin_instance *inst, const char *name, int ndim,
                        const long *shape, const char *const *labels,
                        const char *const *units, enum savu_pattern pattern);
int savu_meta_set_angles(struct savu_plugin_instance *inst, const double *degrees, long n);
int savu_meta_set_dark_flat(struct savu_plugin_instance *inst, const float *dark,
                            const float *flat);
void savu_meta_set_detector_offsets(struct savu_plugin_instance *inst, long x_start,
                                    long x_step, long y_start, long y_step);
/* A line in the run log (info level), naming the plugin. */
void savu_info(struct savu_plugin_instance *inst, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- Savers ----
 * The run's output folder, the stem of the data file's name (for file
 * names), and the saver's position in the list (1-based, Savu's p<N>). */
const char *savu_output_folder(const struct savu_plugin_instance *inst);
const char *savu_data_stem(const struct savu_plugin_instance *inst);
int savu_plugin_number(const struct savu_plugin_instance *inst);
/* The engine's own result store for the saved dataset: an HDF5 file in
 * Savu's layout (or its faster raw and per-rank forms, as the engine's
 * options choose), linked from <stem>_processed.nxs. A saver may hand its
 * ops straight to these (Hdf5Saver does). */
int savu_store_begin(struct savu_plugin_instance *inst);
int savu_store_write(struct savu_plugin_instance *inst, const struct savu_block *block);
bool savu_store_writes_any_frames(struct savu_plugin_instance *inst);
int savu_store_finish(struct savu_plugin_instance *inst, bool complete);

/* A block: consecutive frames of the instance's pattern. */
long savu_block_frames(const struct savu_block *block);
/* Index along the slice dimension of the block's first frame. */
long savu_block_first(const struct savu_block *block);
/* Variants in the block: 1 for a plugin's block; a saver's block holds one
 * per combination of tuned values before it. */
long savu_block_variants(const struct savu_block *block);
/* Frames in and out, each frame contiguous; out has the output's frames.
 * For a plugin with pad_frames = p, in holds frames + 2p frames: the p
 * frames before the block's first, its own, and the p after it; beyond the
 * ends of the data the first or last frame is repeated. */
const float *savu_block_in(const struct savu_block *block);
float *savu_block_out(struct savu_block *block);

/* ---- GPU blocks ----
 * Where two or more consecutive plugins of a section take GPU blocks, the
 * engine keeps the data on the device between them: it copies chunks of
 * each block to the GPU once, calls process_gpu of each plugin in turn and
 * copies back only what the host needs. In a process_gpu call,
 * savu_block_in and savu_block_out are pointers on the device
 * savu_gpu_device(inst) and the work is queued on savu_block_stream (a
 * cudaStream_t): the call may return before it is done. The input is the
 * engine's own device copy, which the plugin may overwrite through
 * savu_block_in_writable. For host blocks (process) both return NULL. */
void *savu_block_stream(const struct savu_block *block);
float *savu_block_in_writable(struct savu_block *block);
/* In setup: whether process_gpu can take this instance's blocks. True by
 * default when the plugin has process_gpu and savu_gpu_device is a device;
 * a plugin whose GPU path lacks something the parameters ask for says
 * false, and its blocks go to process on the host. */
void savu_gpu_blocks(struct savu_plugin_instance *inst, bool accept);

/* In setup: the neighbouring frames this instance needs each side, in place
 * of the descriptor's pad_frames, for a plugin whose reach depends on its
 * parameters (a 3-D median's kernel_size). Tuned instances get the most any
 * of them asks for. 0, or -1 outside setup or for a negative count. */
int savu_set_pad_frames(struct savu_plugin_instance *inst, int pad);
/* In setup: each output frame is made from n consecutive input frames (a
 * reduction across frames: DownsampleFilter's VOLUME_XZ binning). The
 * plugin sets its output's shape with ceil(frames / n) frames; a block
 * of k output frames then brings k * n input frames, savu_block_in's frames
 * being groups of n (the last group's missing frames are zeros, as
 * skimage's block_reduce pads). Such a plugin runs in a section of its own,
 * on the CPU, with no padding. 0, or -1 outside setup or for n < 1. */
int savu_set_frame_group(struct savu_plugin_instance *inst, int n);
/* In process: the neighbouring frames each side that this instance's blocks
 * hold (savu_block_in), which may exceed what it asked for when tuned. */
int savu_pad_frames(const struct savu_plugin_instance *inst);

/* What a third-party shared object exports. */
extern const struct savu_plugin *const savu_plugin_table[];
extern const int savu_plugin_abi;

#endif
