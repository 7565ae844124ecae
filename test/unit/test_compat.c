/* test_compat.c: opening Savu's lists. Each of Savu's four wrapped
 * reconstructions becomes TomoRecon with the equivalent algorithm, filter
 * and carried-over parameters and one notice; tuned values are mapped item by
 * item; older parameter names are renamed; outdated ids of known plugins are
 * updated; everything else is left alone. Entries are built from the `data`
 * Savu stored, and the real lists are read and converted too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compat.h"
#include "json_format.h"
#include "nexus.h"
#include "registry.h"
#include "registry_internal.h"
#include "validate.h"

/* ---- notices ---- */

typedef struct notices {
    char lines[8][1024];
    size_t n;
} notices;

static void collect(void *ctx, const char *line)
{
    notices *ns = ctx;
    assert_true(ns->n < 8);
    snprintf(ns->lines[ns->n++], sizeof ns->lines[0], "%s", line);
}

/* ---- building lists ---- */

static void append(savu_process_list *pl, const char *name, const char *id, const char *data)
{
    json_error_t jerr;
    json_t *params = json_loads(data, 0, &jerr);
    if (!params)
        fail_msg("bad test data: %s", jerr.text);
    savu_entry *e = savu_entry_new(name, id, params);
    e->plugin = savu_registry_find(name);
    savu_error err;
    assert_int_equal(savu_plist_insert(pl, e, NULL, &err), 0);
}

static void assert_params(const savu_entry *e, const char *expected)
{
    char *data = savu_json_dumps(e->params);
    assert_string_equal(data, expected);
    free(data);
}

static void assert_is_tomo_recon(const savu_entry *e)
{
    assert_string_equal(e->name, "TomoRecon");
    assert_string_equal(e->id, "savu.plugins.reconstructions.tomo_recon");
    assert_ptr_equal(e->plugin, savu_registry_find("TomoRecon"));
    assert_null(e->citations); /* TomoRecon's own, not ASTRA's */
}

/* Every parameter of a converted entry passes validation. */
static void assert_all_valid(const savu_entry *e)
{
    for (size_t i = 0; i < e->plugin->n_params; i++) {
        const struct savu_param_def *d = &e->plugin->params[i];
        savu_error err;
        if (savu_param_validate(d, json_object_get(e->params, d->name), e->pos, &err) < 0)
            fail_msg("%s", err.msg);
    }
}

/* The `data` of the real lists (see each test). */
#define NXTOMO_DATA                                                                                \
    "{\"preview\": [], \"name\": \"tomo\", \"data_path\": \"entry1/tomo_entry/data/data\", "       \
    "\"image_key_path\": \"entry1/tomo_entry/instrument/detector/image_key\", \"dark\": [null, "   \
    "null, 1], \"flat\": [null, null, 1], \"angles\": null, \"3d_to_4d\": false, "                 \
    "\"ignore_flats\": null}"
#define NXTOMO_ID "savu.plugins.loaders.full_field_loaders.nxtomo_loader"
#define ASTRA_CPU_ID "savu.plugins.reconstructions.astra_recons.astra_recon_cpu"
#define ASTRA_GPU_ID "savu.plugins.reconstructions.astra_recons.astra_recon_gpu"
#define TOMOPY_ID "savu.plugins.reconstructions.tomopy_recon"
#define SKIMAGE_ID "savu.plugins.reconstructions.scikitimage_filter_back_projection"

/* multiple_param_values_test.nxs, plugin 3 */
#define ASTRA_CPU_TUNED_DATA                                                                       \
    "{\"in_datasets\": [], \"out_datasets\": [], \"centre_of_rotation\": \"86;87;88\", "           \
    "\"init_vol\": null, \"log\": true, \"preview\": [], \"force_zero\": [null, null], "           \
    "\"ratio\": 0.95, \"log_func\": \"np.nan_to_num(-np.log(sino))\", \"vol_shape\": \"fixed\", "  \
    "\"n_iterations\": 1, \"outer_pad\": false, \"centre_pad\": true, \"algorithm\": "             \
    "\"FBP;CGLS\", \"projector\": \"line\"}"
#define ASTRA_CPU_TUNED_RESULT                                                                     \
    "{\"in_datasets\": [], \"out_datasets\": [], \"centre_of_rotation\": \"86;87;88\", "           \
    "\"init_vol\": null, \"log\": true, \"preview\": [], \"force_zero\": [null, null], "           \
    "\"ratio\": 0.95, \"vol_shape\": \"fixed\", \"algorithm\": \"FBP;CGLS\", \"filter\": "         \
    "\"ramp\", \"n_iterations\": 1}"
#define ASTRA_CPU_TUNED_NOTICE                                                                     \
    "Plugin 3: AstraReconCpu is replaced by TomoRecon (algorithm FBP;CGLS, filter ramp; not "      \
    "carried over: centre_pad)"

/* astra_fbp_ds.nxs, plugin 5 */
#define ASTRA_GPU_DATA                                                                             \
    "{\"in_datasets\": [], \"out_datasets\": [], \"centre_of_rotation\": 0.0, \"init_vol\": null, " \
    "\"log\": true, \"preview\": [], \"force_zero\": [null, null], \"ratio\": 0.95, \"log_func\": " \
    "\"np.nan_to_num(-np.log(sino))\", \"vol_shape\": \"fixed\", \"n_iterations\": 1, "            \
    "\"outer_pad\": false, \"centre_pad\": false, \"res_norm\": false, \"algorithm\": "            \
    "\"FBP_CUDA\", \"FBP_filter\": \"ram-lak\"}"
#define ASTRA_GPU_RESULT                                                                           \
    "{\"in_datasets\": [], \"out_datasets\": [], \"centre_of_rotation\": 0.0, \"init_vol\": null, " \
    "\"log\": true, \"preview\": [], \"force_zero\": [null, null], \"ratio\": 0.95, "              \
    "\"vol_shape\": \"fixed\", \"algorithm\": \"FBP\", \"filter\": \"ramp\", \"n_iterations\": 1}"
#define ASTRA_GPU_NOTICE "Plugin 5: AstraReconGpu is replaced by TomoRecon (algorithm FBP, filter ramp)"

/* basic_tomo_process.nxs, plugin 5 */
#define SKIMAGE_DATA                                                                               \
    "{\"in_datasets\": [], \"out_datasets\": [], \"centre_of_rotation\": 68, \"init_vol\": null, "  \
    "\"log\": true, \"preview\": [], \"force_zero\": [null, null], \"ratio\": 0.95, \"log_func\": " \
    "\"np.nan_to_num(-np.log(sino))\", \"vol_shape\": \"fixed\", \"output_size\": null, "          \
    "\"filter\": \"ramp\", \"interpolation\": \"linear\", \"circle\": false}"
#define SKIMAGE_RESULT                                                                             \
    "{\"in_datasets\": [], \"out_datasets\": [], \"centre_of_rotation\": 68, \"init_vol\": null, "  \
    "\"log\": true, \"preview\": [], \"force_zero\": [null, null], \"ratio\": 0.95, "              \
    "\"vol_shape\": \"fixed\", \"algorithm\": \"FBP\", \"filter\": \"ramp\", \"n_iterations\": 1}"
#define SKIMAGE_NOTICE                                                                             \
    "Plugin 5: ScikitimageFilterBackProjection is replaced by TomoRecon (algorithm FBP, filter ramp)"

/* i18_sino_test.nxs (Savu 2.x), plugin 2 */
#define I18_DATA                                                                                   \
    "{\"in_datasets\": [\"xrd_spectra\"], \"center_of_rotation\": 56, \"log\": false, "            \
    "\"out_datasets\": [\"xrd_tomo\"], \"number_of_iterations\": 25, \"sino_pad_width\": 0.25, "   \
    "\"reconstruction_type\": \"FBP\"}"
#define I18_RESULT                                                                                 \
    "{\"in_datasets\": [\"xrd_spectra\"], \"out_datasets\": [\"xrd_tomo\"], "                      \
    "\"centre_of_rotation\": 56, \"init_vol\": null, \"log\": false, \"preview\": [], "            \
    "\"force_zero\": [null, null], \"ratio\": 0.95, \"vol_shape\": \"fixed\", \"algorithm\": "     \
    "\"FBP\", \"filter\": \"ramp\", \"n_iterations\": 25}"
#define I18_NOTICE                                                                                 \
    "Plugin 2: AstraReconCpu is replaced by TomoRecon (algorithm FBP, filter ramp; not carried "   \
    "over: sino_pad_width)"

/* TomopyRecon with Savu 4's defaults, except the filter. */
#define TOMOPY_DATA(algorithm, filter)                                                             \
    "{\"in_datasets\": [], \"out_datasets\": [\"recon\"], \"centre_of_rotation\": 80.5, "          \
    "\"init_vol\": null, \"centre_pad\": false, \"outer_pad\": false, \"log\": true, \"preview\": " \
    "[\":\", \"mid\", \":\"], \"force_zero\": [0, 1], \"ratio\": 0.9, \"log_func\": "              \
    "\"np.nan_to_num(-np.log(sino))\", \"vol_shape\": 512, \"algorithm\": \"" algorithm "\", "     \
    "\"filter_name\": \"" filter "\", \"reg_par\": 0.0, \"n_iterations\": 1}"
#define TOMOPY_RESULT(algorithm, filter)                                                           \
    "{\"in_datasets\": [], \"out_datasets\": [\"recon\"], \"centre_of_rotation\": 80.5, "          \
    "\"init_vol\": null, \"log\": true, \"preview\": [\":\", \"mid\", \":\"], \"force_zero\": "    \
    "[0, 1], \"ratio\": 0.9, \"vol_shape\": 512, \"algorithm\": \"" algorithm "\", \"filter\": \"" \
    filter "\", \"n_iterations\": 1}"

static int fresh_registry(void **state)
{
    unsetenv("SAVU_PLUGIN_PATH");
    savu_registry_reset();
    savu_registry_init();
    return 0;
}

/* ---- the four reconstructions, from their stored data ---- */

static void test_astra_cpu_tuned_values_are_kept_item_by_item(void **state)
{
    savu_process_list *pl = savu_plist_new();
    append(pl, "NxtomoLoader", NXTOMO_ID, NXTOMO_DATA);
    append(pl, "DarkFlatFieldCorrection", "savu.plugins.corrections.dark_flat_field_correction",
           "{\"in_datasets\": [], \"out_datasets\": [], \"pattern\": \"PROJECTION\", "
           "\"lower_bound\": null, \"upper_bound\": null, \"warn_proportion\": 0.05}");
    append(pl, "AstraReconCpu", ASTRA_CPU_ID, ASTRA_CPU_TUNED_DATA);
    notices ns = {.n = 0};
    savu_compat_apply(pl, savu_registry_catalog(), collect, &ns);

    assert_int_equal(ns.n, 1);
    assert_string_equal(ns.lines[0], ASTRA_CPU_TUNED_NOTICE);
    assert_int_equal(pl->n, 3);
    assert_string_equal(pl->entries[2]->pos, "3");
    assert_is_tomo_recon(pl->entries[2]);
    assert_params(pl->entries[2], ASTRA_CPU_TUNED_RESULT);
    assert_string_equal(pl->entries[0]->name, "NxtomoLoader");
    assert_params(pl->entries[0], NXTOMO_DATA);

    /* CGLS is kept by name, so that it is reported rather than silently run as FBP. */
    savu_error err;
    const struct savu_param_def *algorithm = savu_param_find(pl->entries[2]->plugin, "algorithm");
    assert_int_equal(savu_param_validate(algorithm, json_object_get(pl->entries[2]->params,
                                                                    "algorithm"), "3", &err), -1);
    assert_non_null(strstr(err.msg, "CGLS"));
    savu_plist_free(pl);
}

static void test_astra_gpu_becomes_fbp_with_ramp(void **state)
{
    savu_process_list *pl = savu_plist_new();
    for (int i = 0; i < 4; i++)
        append(pl, "NxtomoLoader", NXTOMO_ID, NXTOMO_DATA);
    append(pl, "AstraReconGpu", ASTRA_GPU_ID, ASTRA_GPU_DATA);
    pl->entries[4]->active = false;
    notices ns = {.n = 0};
    savu_compat_apply(pl, savu_registry_catalog(), collect, &ns);

    assert_int_equal(ns.n, 1);
    assert_string_equal(ns.lines[0], ASTRA_GPU_NOTICE);
    assert_is_tomo_recon(pl->entries[4]);
    assert_false(pl->entries[4]->active);
    assert_params(pl->entries[4], ASTRA_GPU_RESULT);
    assert_all_valid(pl->entries[4]);
    savu_plist_free(pl);
}

static void test_scikit_image_keeps_its_centre_and_filter(void **state)
{
    savu_process_list *pl = savu_plist_new();
    for (int i = 0; i < 4; i++)
        append(pl, "NxtomoLoader", NXTOMO_ID, NXTOMO_DATA);
    append(pl, "ScikitimageFilterBackProjection", SKIMAGE_ID, SKIMAGE_DATA);
    notices ns = {.n = 0};
    savu_compat_apply(pl, savu_registry_catalog(), collect, &ns);

    assert_int_equal(ns.n, 1);
    assert_string_equal(ns.lines[0], SKIMAGE_NOTICE);
    assert_is_tomo_recon(pl->entries[4]);
    assert_params(pl->entries[4], SKIMAGE_RESULT);
    assert_all_valid(pl->entries[4]);
    savu_plist_free(pl);
}

static void test_tomopy_algorithms_and_filters_are_mapped(void **state)
{
    static const struct {
        const char *data, *result, *notice;
    } cases[] = {
        {TOMOPY_DATA("gridrec", "shepp"), TOMOPY_RESULT("FBP", "shepp-logan"),
         "Plugin 1: TomopyRecon is replaced by TomoRecon (algorithm FBP, filter shepp-logan)"},
        {TOMOPY_DATA("fbp", "ramlak"), TOMOPY_RESULT("FBP", "ramp"),
         "Plugin 1: TomopyRecon is replaced by TomoRecon (algorithm FBP, filter ramp)"},
        {TOMOPY_DATA("gridrec;sirt", "ramlak; parzen;'shepp'"),
         TOMOPY_RESULT("FBP;sirt", "ramp;parzen;shepp-logan"),
         "Plugin 1: TomopyRecon is replaced by TomoRecon (algorithm FBP;sirt, filter "
         "ramp;parzen;shepp-logan)"},
        {TOMOPY_DATA("fbp", "butterworth"), TOMOPY_RESULT("FBP", "butterworth"),
         "Plugin 1: TomopyRecon is replaced by TomoRecon (algorithm FBP, filter butterworth)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        savu_process_list *pl = savu_plist_new();
        append(pl, "TomopyRecon", TOMOPY_ID, cases[i].data);
        notices ns = {.n = 0};
        savu_compat_apply(pl, savu_registry_catalog(), collect, &ns);
        assert_int_equal(ns.n, 1);
        assert_string_equal(ns.lines[0], cases[i].notice);
        assert_is_tomo_recon(pl->entries[0]);
        assert_params(pl->entries[0], cases[i].result);
        if (i < 2)
            assert_all_valid(pl->entries[0]);
        savu_plist_free(pl);
    }
}

static void test_astra_filters_other_than_ram_lak_keep_their_names(void **state)
{
    savu_process_list *pl = savu_plist_new();
    append(pl, "AstraReconCpu", ASTRA_CPU_ID,
           "{\"algorithm\": \"SIRT\", \"FBP_filter\": \"hann\", \"n_iterations\": 50}");
    append(pl, "AstraReconGpu", ASTRA_GPU_ID,
           "{\"algorithm\": \"FBP_CUDA;SIRT_CUDA\", \"FBP_filter\": \"ram-lak;hamming\"}");
    notices ns = {.n = 0};
    savu_compat_apply(pl, savu_registry_catalog(), collect, &ns);
    assert_int_equal(ns.n, 2);
    assert_string_equal(ns.lines[0],
                        "Plugin 1: AstraReconCpu is replaced by TomoRecon (algorithm SIRT, filter hann)");
    assert_string_equal(ns.lines[1], "Plugin 2: AstraReconGpu is replaced by TomoRecon (algorithm "
                                     "FBP;SIRT_CUDA, filter ramp;hamming)");
    assert_int_equal(json_integer_value(json_object_get(pl->entries[0]->params, "n_iterations")), 50);
    assert_string_equal(json_string_value(json_object_get(pl->entries[1]->params, "filter")),
                        "ramp;hamming");
    savu_plist_free(pl);
}

static void test_legacy_names_are_renamed_then_converted(void **state)
{
    savu_process_list *pl = savu_plist_new();
    append(pl, "PyfaiAzimuthalIntegrator", "savu.plugins.filters.pyfai_azimuthal_integrator",
           "{\"in_datasets\": [\"xrd\"], \"out_datasets\": [\"xrd_spectra\"], \"use_mask\": false, "
           "\"num_bins\": 4150}");
    append(pl, "AstraReconCpu", ASTRA_CPU_ID, I18_DATA);
    notices ns = {.n = 0};
    savu_compat_apply(pl, savu_registry_catalog(), collect, &ns);

    assert_int_equal(ns.n, 1);
    assert_string_equal(ns.lines[0], I18_NOTICE);
    assert_is_tomo_recon(pl->entries[1]);
    assert_params(pl->entries[1], I18_RESULT);
    assert_all_valid(pl->entries[1]);
    assert_null(pl->entries[0]->plugin);
    assert_string_equal(pl->entries[0]->name, "PyfaiAzimuthalIntegrator");
    savu_plist_free(pl);
}

/* ---- other changes, and what is left alone ---- */

static void test_other_reconstructions_only_get_renamed_parameters(void **state)
{
    savu_process_list *pl = savu_plist_new();
    append(pl, "TomobarRecon", "savu.plugins.reconstructions.tomobar.tomobar_recon",
           "{\"in_datasets\": [], \"center_of_rotation\": 86, \"number_of_iterations\": 5, "
           "\"reconstruction_type\": \"FISTA\"}");
    append(pl, "MedianFilter", "savu.plugins.filters.denoising.median_filter",
           "{\"center_of_rotation\": 1}");
    notices ns = {.n = 0};
    savu_compat_apply(pl, savu_registry_catalog(), collect, &ns);

    assert_int_equal(ns.n, 1);
    assert_string_equal(ns.lines[0], "Plugin 1: TomobarRecon parameters renamed as in newer Savu: "
                                     "center_of_rotation -> centre_of_rotation, "
                                     "number_of_iterations -> n_iterations, "
                                     "reconstruction_type -> algorithm");
    assert_string_equal(pl->entries[0]->name, "TomobarRecon");
    assert_params(pl->entries[0], "{\"in_datasets\": [], \"centre_of_rotation\": 86, "
                                  "\"n_iterations\": 5, \"algorithm\": \"FISTA\"}");
    assert_params(pl->entries[1], "{\"center_of_rotation\": 1}");
    savu_plist_free(pl);
}

static void test_outdated_id_of_a_known_plugin_is_updated(void **state)
{
    savu_process_list *pl = savu_plist_new();
    append(pl, "NxtomoLoader", "savu.plugins.loaders.nxtomo_loader", NXTOMO_DATA);
    append(pl, "NxtomoLoader", NXTOMO_ID, NXTOMO_DATA);
    notices ns = {.n = 0};
    savu_compat_apply(pl, savu_registry_catalog(), collect, &ns);
    assert_int_equal(ns.n, 1);
    assert_string_equal(ns.lines[0], "Plugin 1: NxtomoLoader id savu.plugins.loaders.nxtomo_loader "
                                     "is updated to " NXTOMO_ID);
    assert_string_equal(pl->entries[0]->id, NXTOMO_ID);

    /* Applying it again changes nothing; a NULL notice function is allowed. */
    ns.n = 0;
    savu_compat_apply(pl, savu_registry_catalog(), collect, &ns);
    assert_int_equal(ns.n, 0);
    savu_compat_apply(pl, savu_registry_catalog(), NULL, NULL);
    savu_compat_apply(NULL, savu_registry_catalog(), collect, &ns);
    assert_int_equal(ns.n, 0);
    savu_plist_free(pl);
}

static void test_a_registered_plugin_of_that_name_is_not_replaced(void **state)
{
    static const struct savu_param_def params[] = {
        {.name = "algorithm", .dtype = "str", .default_json = "\"FBP_CUDA\"", .summary = "a"},
    };
    static const struct savu_plugin real_astra = {
        .name = "AstraReconGpu", .id = ASTRA_GPU_ID, .synopsis = "The real thing.",
        .category = SAVU_CAT_RECONSTRUCTION, .params = params, .n_params = 1,
    };
    savu_error err;
    assert_int_equal(savu_registry_add(&real_astra, "/opt/astra/astra.so", &err), 0);
    savu_process_list *pl = savu_plist_new();
    append(pl, "AstraReconGpu", ASTRA_GPU_ID, ASTRA_GPU_DATA);
    notices ns = {.n = 0};
    savu_compat_apply(pl, savu_registry_catalog(), collect, &ns);
    assert_int_equal(ns.n, 0);
    assert_string_equal(pl->entries[0]->name, "AstraReconGpu");
    assert_params(pl->entries[0], ASTRA_GPU_DATA);
    savu_plist_free(pl);
}

/* ---- the real lists ---- */

static savu_process_list *read_and_convert(const char *file, notices *ns)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SAVU_LISTS_DIR, file);
    savu_error err;
    savu_process_list *pl = savu_nexus_read(path, savu_registry_catalog(), &err);
    if (!pl)
        fail_msg("%s", err.msg);
    ns->n = 0;
    savu_compat_apply(pl, savu_registry_catalog(), collect, ns);
    return pl;
}

static void test_real_lists_are_converted(void **state)
{
    static const struct {
        const char *file;
        size_t index;
        const char *result, *notice;
    } cases[] = {
        {"multiple_param_values_test.nxs", 2, ASTRA_CPU_TUNED_RESULT, ASTRA_CPU_TUNED_NOTICE},
        {"astra_fbp_ds.nxs", 4, ASTRA_GPU_RESULT, ASTRA_GPU_NOTICE},
        {"basic_tomo_process.nxs", 4, SKIMAGE_RESULT, SKIMAGE_NOTICE},
        {"i18_sino_test.nxs", 1, I18_RESULT, I18_NOTICE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        notices ns;
        savu_process_list *pl = read_and_convert(cases[i].file, &ns);
        assert_int_equal(ns.n, 1);
        assert_string_equal(ns.lines[0], cases[i].notice);
        assert_true(cases[i].index < pl->n);
        assert_is_tomo_recon(pl->entries[cases[i].index]);
        assert_params(pl->entries[cases[i].index], cases[i].result);
        savu_plist_free(pl);
    }
}

static void test_real_lists_without_wrapped_plugins_are_unchanged(void **state)
{
    const char *files[] = {"vo_centering_test.nxs", "tiff_saver_test.nxs", "dezinger_test.nxs",
                           "ring_removal_sorting_test.nxs", "paganin_filter_test.nxs",
                           "iterate_one_median_filter.nxs", "distortion_correction_test.nxs",
                           "camera_rot_corr_test.nxs"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        notices ns;
        savu_process_list *pl = read_and_convert(files[i], &ns);
        if (ns.n)
            fail_msg("%s: unexpected notice %s", files[i], ns.lines[0]);
        savu_plist_free(pl);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_astra_cpu_tuned_values_are_kept_item_by_item, fresh_registry),
        cmocka_unit_test_setup(test_astra_gpu_becomes_fbp_with_ramp, fresh_registry),
        cmocka_unit_test_setup(test_scikit_image_keeps_its_centre_and_filter, fresh_registry),
        cmocka_unit_test_setup(test_tomopy_algorithms_and_filters_are_mapped, fresh_registry),
        cmocka_unit_test_setup(test_astra_filters_other_than_ram_lak_keep_their_names,
                               fresh_registry),
        cmocka_unit_test_setup(test_legacy_names_are_renamed_then_converted, fresh_registry),
        cmocka_unit_test_setup(test_other_reconstructions_only_get_renamed_parameters,
                               fresh_registry),
        cmocka_unit_test_setup(test_outdated_id_of_a_known_plugin_is_updated, fresh_registry),
        cmocka_unit_test_setup(test_a_registered_plugin_of_that_name_is_not_replaced,
                               fresh_registry),
        cmocka_unit_test_setup(test_real_lists_are_converted, fresh_registry),
        cmocka_unit_test_setup(test_real_lists_without_wrapped_plugins_are_unchanged,
                               fresh_registry),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    savu_registry_reset();
    return failed;
}
