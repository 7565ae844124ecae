/* savu_plugin.h: the plugin API. A plugin is one constant descriptor: its
 * Savu name and id, what it does, its parameter table, its citations, the
 * pattern it works in, and its lifecycle functions (set-up once, process
 * many blocks, tear down). Third-party plugins are shared objects that export
 * `savu_plugin_table`, a NULL-terminated array of descriptor pointers, and
 * `savu_plugin_abi`, equal to SAVU_PLUGIN_ABI (see savu-plugin(7)). */
#ifndef SAVU_PLUGIN_H
#define SAVU_PLUGIN_H

#include <stddef.h>
#include <stdbool.h>

#define SAVU_PLUGIN_ABI 3 /* 3: scratch_frames, scratch_fixed_frames */

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

enum savu_pattern {
    SAVU_PATTERN_NONE,
    SAVU_PATTERN_PROJECTION,
    SAVU_PATTERN_SINOGRAM,
    SAVU_PATTERN_VOLUME_XZ,
    SAVU_PATTERN_FROM_PARAMETER /* the plugin's `pattern` parameter decides */
};

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
};

#define SAVU_COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Engine services ----
 * Called by a plugin's setup, process and teardown; the `savu` engine defines
 * them (plugins resolve them when the engine runs them; the shell loads
 * plugins without running them).
 *
 * Datasets are 3-D in their own axes: loaded data (rotation_angle,
 * detector_y, detector_x); a reconstruction (voxel_x, voxel_y, voxel_z).
 * A plugin sees frames of its pattern: PROJECTION frames are
 * [detector_y][detector_x] and the frames run along rotation_angle (dim 0);
 * SINOGRAM frames are [rotation_angle][detector_x] and VOLUME_XZ frames
 * [voxel_x][voxel_z], both running along dim 1. Parameter tuning is the
 * engine's business: each instance sees one value of every parameter. */

/* Parameters of this instance. A parameter that is None (JSON null) or
 * absent: savu_param_is_none is true, numbers read as NaN, strings as NULL. */
bool savu_param_is_none(const struct savu_plugin_instance *inst, const char *name);
double savu_param_number(const struct savu_plugin_instance *inst, const char *name);
bool savu_param_bool(const struct savu_plugin_instance *inst, const char *name);
const char *savu_param_string(const struct savu_plugin_instance *inst, const char *name);
/* Any value as compact JSON text (lists, dicts); owned by the instance. */
const char *savu_param_json(const struct savu_plugin_instance *inst, const char *name);

/* The input dataset's shape and the pattern this instance runs in. */
void savu_in_shape(const struct savu_plugin_instance *inst, long shape[3]);
enum savu_pattern savu_in_pattern(const struct savu_plugin_instance *inst);
/* In setup: the output dataset. Without this call the output has the input's
 * shape, axes and pattern. labels/units may be NULL to keep the input's. */
int savu_set_output(struct savu_plugin_instance *inst, const long shape[3],
                    const char *const labels[3], const char *const units[3],
                    enum savu_pattern pattern);

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
 * and likewise for detector_y rows. */
void savu_meta_detector_offsets(const struct savu_plugin_instance *inst, long *x_start,
                                long *x_step, long *y_start, long *y_step);

/* The CUDA device this instance may compute on, or -1: run on the CPU
 * (no GPU, a build without CUDA, or --gpu off). Ranks sharing a node share
 * its devices. */
int savu_gpu_device(const struct savu_plugin_instance *inst);
/* Whether reduced precision was asked for (--gpu-precision fp16x4). */
bool savu_gpu_fp16(const struct savu_plugin_instance *inst);

/* Compute threads this instance may use, and its private state. */
int savu_threads(const struct savu_plugin_instance *inst);
void savu_set_private(struct savu_plugin_instance *inst, void *data);
void *savu_private(const struct savu_plugin_instance *inst);

/* A warning in the run log, naming the plugin (each distinct message once). */
void savu_warn(struct savu_plugin_instance *inst, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Records why setup or process failed (one line); returns -1. */
int savu_fail(struct savu_plugin_instance *inst, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A block: consecutive frames of the instance's pattern. */
long savu_block_frames(const struct savu_block *block);
/* Index along the slice dimension of the block's first frame. */
long savu_block_first(const struct savu_block *block);
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

/* What a third-party shared object exports. */
extern const struct savu_plugin *const savu_plugin_table[];
extern const int savu_plugin_abi;

#endif
