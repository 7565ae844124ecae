/* bad_descriptors_plugin.c: one good plugin among broken descriptors. The
 * registry must accept the good one and report each broken one with the
 * shared object's path and the reason: a dtype that does not parse, a
 * default that is not JSON, no id, a dependency on a parameter that does
 * not exist, the name of a built-in (in other case), and a negative count of
 * working-memory frames. */
#include <savu_plugin.h>

#define PARAM(n, t, d) {.name = (n), .dtype = (t), .default_json = (d), .summary = "A parameter."}

static const struct savu_param_def good_params[] = {PARAM("size", "int", "3")};
static const struct savu_param_def bad_dtype_params[] = {PARAM("size", "lsit[int]", "[]")};
static const struct savu_param_def bad_default_params[] = {PARAM("size", "int", "[1,")};
static const struct savu_param_def bad_dependency_params[] = {
    {.name = "size", .dtype = "int", .default_json = "3", .summary = "A parameter.",
     .dependency = "{\"method\": [\"fast\"]}"},
};

#define PLUGIN(var, n, i, p)                                                                       \
    static const struct savu_plugin var = {                                                        \
        .name = (n), .id = (i), .synopsis = "A test plugin.", .category = SAVU_CAT_FILTER,        \
        .params = (p), .n_params = 1,                                                              \
    }

PLUGIN(good, "GoodNeighbour", "example.plugins.good_neighbour", good_params);
PLUGIN(bad_dtype, "BadDtype", "example.plugins.bad_dtype", bad_dtype_params);
PLUGIN(bad_default, "BadDefault", "example.plugins.bad_default", bad_default_params);
PLUGIN(no_id, "NoId", NULL, good_params);
PLUGIN(bad_dependency, "BadDependency", "example.plugins.bad_dependency", bad_dependency_params);
PLUGIN(builtin_name, "tomorecon", "example.plugins.tomorecon", good_params);
static const struct savu_plugin negative_scratch = {
    .name = "NegativeScratch", .id = "example.plugins.negative_scratch",
    .synopsis = "A test plugin.", .category = SAVU_CAT_FILTER, .params = good_params,
    .n_params = 1, .scratch_frames = -1,
};

const int savu_plugin_abi = SAVU_PLUGIN_ABI;

const struct savu_plugin *const savu_plugin_table[] = {
    &bad_dtype, &good, &bad_default, &no_id, &bad_dependency, &builtin_name, &negative_scratch,
    NULL,
};
