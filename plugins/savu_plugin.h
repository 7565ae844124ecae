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

#define SAVU_PLUGIN_ABI 1

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
    int pad_frames;          /* neighbouring frames needed each side */
    savu_setup_fn setup;
    savu_process_fn process;
    savu_process_fn process_gpu; /* NULL when there is no GPU path */
    savu_teardown_fn teardown;
};

#define SAVU_COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* What a third-party shared object exports. */
extern const struct savu_plugin *const savu_plugin_table[];
extern const int savu_plugin_abi;

#endif
