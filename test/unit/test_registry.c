/* test_registry.c: the plugin registry and the built-in descriptors: sorted
 * listing, exact and case-insensitive lookup, categories, Savu's names, ids,
 * parameters and defaults (compared with the `data` Savu stored in the real
 * lists), every dtype, default and citation valid, and third-party plugins
 * from SAVU_PLUGIN_PATH: the example loaded, each broken one reported by
 * path and reason while the registry keeps working. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "builtin_plugins.h"

/* The built-in descriptors the tests look at (plugins/builtin.am). */
extern const struct savu_plugin savu_nxtomo_loader;
extern const struct savu_plugin savu_dark_flat_field_correction;
extern const struct savu_plugin savu_tomo_recon;
extern const struct savu_plugin savu_hdf5_saver;
extern const struct savu_plugin savu_tiff_saver;
extern const struct savu_plugin savu_distortion_correction;
extern const struct savu_plugin savu_camera_rot_correction;
#include "citations.h"
#include "dtype.h"
#include "json_format.h"
#include "process_list.h"
#include "registry.h"
#include "validate.h"

#define MODULE_DIR TEST_BUILDDIR "/plugins/.libs"

/* Every test starts from built-ins only. */
static int fresh_registry(void **state)
{
    unsetenv("SAVU_PLUGIN_PATH");
    savu_registry_reset();
    return 0;
}

static int forget_registry(void **state)
{
    unsetenv("SAVU_PLUGIN_PATH");
    savu_registry_reset();
    return 0;
}

static void listing(char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < savu_registry_count(); i++) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", i ? " " : "", savu_registry_at(i)->name);
    }
}

static void test_builtins_are_listed_sorted(void **state)
{
    char names[512];
    listing(names, sizeof names);
    assert_string_equal(names, "CameraRotCorrection CcpiRingArtefactFilter Convert360180Sinogram DarkFlatFieldCorrection DataRemoval Dezinger "
                               "DezingerSinogram DistortionCorrection DownsampleFilter FresnelFilter Hdf5Saver MedianFilter MinusLog NxtomoLoader PaganinFilter "
                               "RavenFilter RemoveAllRings RemoveLargeRings RemoveUnresponsiveAndFluctuatingRings "
                               "RingRemovalFiltering RingRemovalSorting RingRemovalWaveletfft Rotate90 TiffSaver TomoRecon");
    assert_null(savu_registry_at(savu_registry_count()));
    assert_int_equal(savu_registry_failure_count(), 0);
    assert_null(savu_registry_failure(0));
}

static void test_lookup_is_exact_or_case_insensitive(void **state)
{
    assert_ptr_equal(savu_registry_find("TomoRecon"), &savu_tomo_recon);
    assert_null(savu_registry_find("tomorecon"));
    assert_null(savu_registry_find("TomoRecon "));
    assert_null(savu_registry_find(NULL));
    assert_null(savu_registry_find("AstraReconGpu"));
    assert_ptr_equal(savu_registry_find_nocase("tomorecon"), &savu_tomo_recon);
    assert_ptr_equal(savu_registry_find_nocase("NXTOMOLOADER"), &savu_nxtomo_loader);
    assert_null(savu_registry_find_nocase("nxtomo"));
    assert_null(savu_registry_find_nocase(NULL));
    assert_null(savu_registry_origin(&savu_tomo_recon));
}

static void test_names_ids_and_categories_are_savus(void **state)
{
    static const struct {
        const char *name, *id, *category;
        enum savu_pattern pattern;
    } expected[] = {
        {"NxtomoLoader", "savu.plugins.loaders.full_field_loaders.nxtomo_loader", "loader",
         SAVU_PATTERN_NONE},
        {"DarkFlatFieldCorrection", "savu.plugins.corrections.dark_flat_field_correction",
         "correction", SAVU_PATTERN_FROM_PARAMETER},
        {"DistortionCorrection", "savu.plugins.corrections.distortion_correction", "correction",
         SAVU_PATTERN_PROJECTION},
        {"CameraRotCorrection", "savu.plugins.corrections.camera_rot_correction", "correction",
         SAVU_PATTERN_PROJECTION},
        {"Dezinger", "savu.plugins.filters.dezingers.dezinger", "filter", SAVU_PATTERN_PROJECTION},
        {"DezingerSinogram", "savu.plugins.filters.dezingers.dezinger_sinogram", "filter",
         SAVU_PATTERN_SINOGRAM},
        {"MedianFilter", "savu.plugins.filters.denoising.median_filter", "filter",
         SAVU_PATTERN_FROM_PARAMETER},
        {"MinusLog", "savu.plugins.filters.minus_log", "filter", SAVU_PATTERN_FROM_PARAMETER},
        {"FresnelFilter", "savu.plugins.filters.fresnel_filter", "filter",
         SAVU_PATTERN_FROM_PARAMETER},
        {"RingRemovalSorting", "savu.plugins.ring_removal.ring_removal_sorting", "ring_removal",
         SAVU_PATTERN_SINOGRAM},
        {"CcpiRingArtefactFilter", "savu.plugins.ring_removal.ccpi_ring_artefact_filter",
         "ring_removal", SAVU_PATTERN_SINOGRAM},
        {"Rotate90", "savu.plugins.basic_operations.rotate_90", "other",
         SAVU_PATTERN_FROM_PARAMETER},
        {"RemoveAllRings", "savu.plugins.ring_removal.remove_all_rings", "ring_removal",
         SAVU_PATTERN_SINOGRAM},
        {"RingRemovalWaveletfft", "savu.plugins.ring_removal.ring_removal_waveletfft",
         "ring_removal", SAVU_PATTERN_SINOGRAM},
        {"RavenFilter", "savu.plugins.ring_removal.raven_filter", "ring_removal",
         SAVU_PATTERN_SINOGRAM},
        {"TomoRecon", "savu.plugins.reconstructions.tomo_recon", "reconstruction",
         SAVU_PATTERN_SINOGRAM},
        {"Hdf5Saver", "savu.plugins.savers.hdf5_saver", "saver", SAVU_PATTERN_FROM_PARAMETER},
        {"TiffSaver", "savu.plugins.savers.tiff_saver", "saver", SAVU_PATTERN_FROM_PARAMETER},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const struct savu_plugin *p = savu_registry_find(expected[i].name);
        assert_non_null(p);
        assert_string_equal(p->id, expected[i].id);
        assert_string_equal(savu_category_name(p->category), expected[i].category);
        assert_int_equal(p->pattern, expected[i].pattern);
        assert_null(p->process);
    }
    assert_string_equal(savu_category_name(SAVU_CAT_RING_REMOVAL), "ring_removal");
    assert_string_equal(savu_category_name(SAVU_CAT_CENTERING), "centering");
    assert_string_equal(savu_category_name(SAVU_CAT_FILTER), "filter");
    assert_string_equal(savu_category_name(SAVU_CAT_OTHER), "other");
    assert_string_equal(savu_category_name(SAVU_CAT_COUNT), "unknown");
}

/* The parameters with their defaults, as Savu writes them to `data`. */
static void assert_defaults(const struct savu_plugin *p, const char *expected)
{
    savu_error err;
    savu_entry *e = savu_entry_new_default(p, &err);
    assert_non_null(e);
    char *data = savu_json_dumps(e->params);
    assert_string_equal(data, expected);
    free(data);
    savu_entry_free(e);
}

static void test_defaults_match_savus_stored_data(void **state)
{
    /* multiple_param_values_test.nxs, plugins 1 and 2; vo_centering_test.nxs, plugin 3. */
    assert_defaults(&savu_nxtomo_loader,
                    "{\"preview\": [], \"name\": \"tomo\", \"data_path\": "
                    "\"entry1/tomo_entry/data/data\", \"image_key_path\": "
                    "\"entry1/tomo_entry/instrument/detector/image_key\", \"dark\": [null, null, 1], "
                    "\"flat\": [null, null, 1], \"angles\": null, \"3d_to_4d\": false, "
                    "\"ignore_flats\": null}");
    assert_defaults(&savu_dark_flat_field_correction,
                    "{\"in_datasets\": [], \"out_datasets\": [], \"pattern\": \"PROJECTION\", "
                    "\"lower_bound\": null, \"upper_bound\": null, \"warn_proportion\": 0.05}");
    /* Savu's own tools' defaults (distortion_correction_tools.py), as it dumps them. */
    assert_defaults(&savu_distortion_correction,
                    "{\"in_datasets\": [], \"out_datasets\": [], \"polynomial_coeffs\": [1.0, 0.0, "
                    "0.0, 0.0, 0.0], \"center_from_top\": 1080.0, \"center_from_left\": 1280.0, "
                    "\"file_path\": null, \"crop_edges\": 0}");
    /* camera_rot_corr_test.nxs, plugin 3 (its angle 0 as 0.0). */
    assert_defaults(&savu_camera_rot_correction,
                    "{\"in_datasets\": [], \"out_datasets\": [], \"angle\": 0.0, \"crop_edges\": 0, "
                    "\"auto_crop\": false, \"use_auto_centre\": true, \"center_x\": 1279.5, "
                    "\"centre_y\": 1079.5}");
    assert_defaults(&savu_hdf5_saver,
                    "{\"in_datasets\": [], \"out_datasets\": [], \"pattern\": \"optimum\"}");
    assert_defaults(&savu_tiff_saver, "{\"in_datasets\": [], \"out_datasets\": [], "
                                      "\"pattern\": \"VOLUME_XZ\", \"prefix\": null}");
    assert_defaults(&savu_tomo_recon,
                    "{\"in_datasets\": [], \"out_datasets\": [], \"centre_of_rotation\": 0.0, "
                    "\"init_vol\": null, \"log\": true, \"preview\": [], \"force_zero\": [null, null], "
                    "\"ratio\": 0.95, \"vol_shape\": \"fixed\", \"algorithm\": \"FBP\", "
                    "\"filter\": \"ramp\", \"n_iterations\": 1}");
}

static void test_visibility_and_options(void **state)
{
    const struct savu_plugin *dffc = &savu_dark_flat_field_correction;
    assert_int_equal(savu_param_find(dffc, "in_datasets")->visibility, SAVU_VIS_DATASETS);
    assert_int_equal(savu_param_find(dffc, "out_datasets")->visibility, SAVU_VIS_DATASETS);
    assert_int_equal(savu_param_find(dffc, "pattern")->visibility, SAVU_VIS_BASIC);
    assert_int_equal(savu_param_find(dffc, "warn_proportion")->visibility, SAVU_VIS_INTERMEDIATE);
    const char *const *pattern = savu_param_find(dffc, "pattern")->options;
    assert_string_equal(pattern[0], "SINOGRAM");
    assert_string_equal(pattern[1], "PROJECTION");
    assert_null(pattern[2]);

    assert_int_equal(savu_param_find(&savu_hdf5_saver, "out_datasets")->visibility, SAVU_VIS_HIDDEN);
    assert_int_equal(savu_param_find(&savu_tiff_saver, "out_datasets")->visibility, SAVU_VIS_HIDDEN);
    assert_int_equal(savu_param_find(&savu_tiff_saver, "prefix")->visibility, SAVU_VIS_INTERMEDIATE);
    assert_int_equal(savu_param_find(&savu_nxtomo_loader, "preview")->visibility, SAVU_VIS_BASIC);
    assert_int_equal(savu_param_find(&savu_nxtomo_loader, "name")->visibility, SAVU_VIS_INTERMEDIATE);
    assert_null(savu_param_find(&savu_nxtomo_loader, "in_datasets"));

    const struct savu_plugin *recon = &savu_tomo_recon;
    const char *const *filters = savu_param_find(recon, "filter")->options;
    const char *expected[] = {"ramp", "shepp-logan", "cosine", "hamming", "hann", "parzen"};
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(filters[i], expected[i]);
    assert_null(filters[6]);
    assert_string_equal(savu_param_find(recon, "algorithm")->options[0], "FBP");
    assert_null(savu_param_find(recon, "algorithm")->options[1]);
    assert_int_equal(savu_param_find(recon, "n_iterations")->visibility, SAVU_VIS_HIDDEN);
    assert_int_equal(savu_param_find(recon, "centre_of_rotation")->visibility, SAVU_VIS_BASIC);
    assert_null(savu_param_find(recon, "outer_pad"));
}

/* Every built-in: accepted by the check, every dtype parses, every default is
 * JSON that passes validation, every option list holds its default. */
static void test_every_builtin_definition_is_valid(void **state)
{
    for (size_t i = 0; savu_builtin_plugins[i]; i++) {
        const struct savu_plugin *p = savu_builtin_plugins[i];
        savu_error err = {""};
        if (savu_plugin_check(p, &err) < 0)
            fail_msg("%s", err.msg);
        for (size_t k = 0; k < p->n_params; k++) {
            const struct savu_param_def *d = &p->params[k];
            savu_dtype *t = savu_dtype_parse(d->dtype, &err);
            if (!t)
                fail_msg("%s.%s: %s", p->name, d->name, err.msg);
            savu_dtype_free(t);
            json_t *def = json_loads(d->default_json, JSON_DECODE_ANY, NULL);
            assert_non_null(def);
            if (savu_param_validate(d, def, "1", &err) < 0)
                fail_msg("%s.%s default: %s", p->name, d->name, err.msg);
            if (d->options) {
                bool found = false;
                for (size_t o = 0; d->options[o]; o++)
                    found |= json_is_string(def) && strcmp(json_string_value(def), d->options[o]) == 0;
                assert_true(found);
                assert_non_null(d->option_descriptions);
            }
            json_decref(def);
        }
    }
}

static void test_citations_have_dois(void **state)
{
    for (size_t i = 0; savu_builtin_plugins[i]; i++) {
        const struct savu_plugin *p = savu_builtin_plugins[i];
        for (size_t c = 0; c < p->n_citations; c++) {
            assert_true(strncmp(p->citations[c].doi, "10.", 3) == 0);
            assert_true(p->citations[c].bibtex[0] == '@');
            assert_true(strncmp(p->citations[c].endnote, "%0 ", 3) == 0);
        }
    }
    assert_int_equal(savu_tomo_recon.n_citations, 1);
    assert_string_equal(savu_tomo_recon.citations[0].doi, "10.1137/1.9780898719277");
    assert_non_null(strstr(savu_tomo_recon.citations[0].bibtex, "Kak, Avinash C. and Slaney, Malcolm"));

    assert_int_equal(savu_framework_citation_count, 4);
    const char *labels[] = {"Savu repository", "Savu", "Hdf5", "MPI"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(savu_framework_citations[i].label, labels[i]);
    assert_string_equal(savu_framework_citations[0].doi, "10.5281/zenodo.5095360");
    assert_string_equal(savu_framework_citations[0].description, "The Savu online repository");
    assert_non_null(strstr(savu_framework_citations[1].bibtex, "arXiv:1610.08015"));
    assert_string_equal(savu_framework_citations[2].description,
                        "Savu uses parallel HDF5 as a backend.");
    assert_string_equal(savu_framework_citations[3].endnote,
                        "%0 Journal Article\n%T MPI: a standard message passing interface\n"
                        "%A Walker, David W\n%A Dongarra, Jack J\n%J Supercomputer\n%V 12\n"
                        "%P 56-68\n%@ 0168-7875\n%D 1996\n%I ASFRA BV\n");
}

static void test_check_reports_broken_descriptors(void **state)
{
    static const struct savu_param_def twice[] = {
        {.name = "size", .dtype = "int", .default_json = "1", .summary = "s"},
        {.name = "size", .dtype = "int", .default_json = "2", .summary = "s"},
    };
    struct savu_plugin p = {.name = "Twice", .id = "x.twice", .synopsis = "s",
                            .params = twice, .n_params = 2};
    savu_error err;
    assert_int_equal(savu_plugin_check(&p, &err), -1);
    assert_string_equal(err.msg, "plugin Twice: parameter size is defined twice");

    p.n_params = 1;
    p.pattern = SAVU_PATTERN_FROM_PARAMETER;
    assert_int_equal(savu_plugin_check(&p, &err), -1);
    assert_string_equal(err.msg, "plugin Twice: its pattern comes from a parameter, but it has no "
                                 "parameter named pattern");

    p.pattern = SAVU_PATTERN_NONE;
    p.name = "Two words";
    assert_int_equal(savu_plugin_check(&p, &err), -1);
    assert_string_equal(err.msg, "plugin name 'Two words' is not one word of letters, digits and _");

    p.name = "Twice";
    static const struct savu_citation no_doi[] = {{.description = "d"}};
    p.citations = no_doi;
    p.n_citations = 1;
    assert_int_equal(savu_plugin_check(&p, &err), -1);
    assert_string_equal(err.msg, "plugin Twice: citation 1 has neither a DOI nor BibTeX");

    p.n_citations = 0;
    assert_int_equal(savu_plugin_check(&p, &err), 0);
}

static const char *failure_containing(const char *needle)
{
    for (size_t i = 0; i < savu_registry_failure_count(); i++)
        if (strstr(savu_registry_failure(i), needle))
            return savu_registry_failure(i);
    return NULL;
}

static void test_plugin_path_loads_the_example_and_reports_broken_ones(void **state)
{
    setenv("SAVU_PLUGIN_PATH", "/nonexistent/savu-plugins::" MODULE_DIR, 1);
    savu_registry_init();

    char names[512];
    listing(names, sizeof names);
    assert_string_equal(names, "CameraRotCorrection CcpiRingArtefactFilter Convert360180Sinogram DarkFlatFieldCorrection DataRemoval Dezinger "
                               "DezingerSinogram DistortionCorrection DownsampleFilter ExampleScale FresnelFilter GoodNeighbour Hdf5Saver MedianFilter MinusLog "
                               "NxtomoLoader PaganinFilter RavenFilter RemoveAllRings RemoveLargeRings "
                               "RemoveUnresponsiveAndFluctuatingRings RingRemovalFiltering "
                               "RingRemovalSorting RingRemovalWaveletfft Rotate90 TiffSaver TomoRecon");
    const struct savu_plugin *example = savu_registry_find("ExampleScale");
    assert_non_null(example);
    assert_string_equal(example->id, "example.plugins.example_scale");
    assert_string_equal(savu_registry_origin(example), MODULE_DIR "/example_plugin.so");
    assert_ptr_equal(savu_registry_find_nocase("examplescale"), example);
    assert_int_equal(example->n_params, 4);
    assert_null(savu_registry_find("FuturePlugin"));
    assert_null(savu_registry_find("BadDtype"));

    const char *expected[] = {
        "/nonexistent/savu-plugins: cannot read the plugin directory: No such file or directory",
        MODULE_DIR "/bad_descriptors_plugin.so: plugin BadDtype: parameter size: bad dtype 'lsit[int]'",
        MODULE_DIR "/bad_descriptors_plugin.so: plugin BadDefault: parameter size: default '[1,' "
                   "is not JSON: ",
        MODULE_DIR "/bad_descriptors_plugin.so: plugin NoId has no id",
        MODULE_DIR "/bad_descriptors_plugin.so: plugin BadDependency: parameter size: dependency "
                   "on method, which is not a parameter of BadDependency",
        MODULE_DIR "/bad_descriptors_plugin.so: plugin tomorecon has the name of the built-in "
                   "plugin TomoRecon",
        MODULE_DIR "/bad_descriptors_plugin.so: plugin NegativeScratch: scratch_frames and "
                   "scratch_fixed_frames must not be negative",
        MODULE_DIR "/missing_table_plugin.so: does not export savu_plugin_table",
        MODULE_DIR "/wrong_abi_plugin.so: built for plugin ABI 5 but this savu needs ABI 4: "
                   "rebuild it against this savu's savu_plugin.h",
    };
    size_t n = sizeof expected / sizeof expected[0];
    assert_int_equal(savu_registry_failure_count(), n);
    for (size_t i = 0; i < n; i++) {
        const char *got = savu_registry_failure(i);
        if (strncmp(got, expected[i], strlen(expected[i])) != 0)
            fail_msg("failure %zu:\n  got      %s\n  expected %s...", i, got, expected[i]);
    }
    /* The messages that end here end exactly. */
    assert_string_equal(savu_registry_failure(3), expected[3]);
    assert_string_equal(savu_registry_failure(6), expected[6]);
    assert_string_equal(savu_registry_failure(7), expected[7]);
    assert_string_equal(savu_registry_failure(8), expected[8]);

    /* Loading the directory again adds nothing from the objects in use. */
    savu_registry_load_dir(MODULE_DIR);
    assert_int_equal(savu_registry_count(), 27);
    assert_null(failure_containing("already loaded"));
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

static void test_unloadable_and_duplicate_objects_are_reported(void **state)
{
    char dir[] = "/tmp/savu-test-plugins-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char garbage[256], copy[256], ignored[256];
    snprintf(garbage, sizeof garbage, "%s/garbage.so", dir);
    snprintf(copy, sizeof copy, "%s/copy_of_example.so", dir);
    snprintf(ignored, sizeof ignored, "%s/notes.txt", dir);
    FILE *f = fopen(garbage, "w");
    fputs("this is not a shared object\n", f);
    fclose(f);
    f = fopen(ignored, "w");
    fclose(f);
    copy_file(MODULE_DIR "/example_plugin.so", copy);

    savu_registry_load_dir(MODULE_DIR "/../../plugins/.libs"); /* the same directory again */
    savu_registry_load_dir(dir);

    char expected_copy[512], garbage_prefix[512];
    snprintf(expected_copy, sizeof expected_copy,
             "%s: plugin ExampleScale has the name of plugin ExampleScale, already loaded from "
             "%s/example_plugin.so", copy, MODULE_DIR "/../../plugins/.libs");
    snprintf(garbage_prefix, sizeof garbage_prefix, "%s: ", garbage);
    const char *got_copy = failure_containing("copy_of_example.so");
    const char *got_garbage = failure_containing("garbage.so");
    assert_non_null(got_copy);
    assert_string_equal(got_copy, expected_copy);
    assert_non_null(got_garbage);
    assert_true(strncmp(got_garbage, garbage_prefix, strlen(garbage_prefix)) == 0);
    assert_true(strlen(got_garbage) > strlen(garbage_prefix));
    assert_null(strstr(got_garbage + strlen(garbage_prefix), garbage)); /* path named once */
    assert_null(failure_containing("notes.txt"));

    /* The registry still works. */
    assert_ptr_equal(savu_registry_find("TomoRecon"), &savu_tomo_recon);
    assert_non_null(savu_registry_find("ExampleScale"));

    unlink(garbage);
    unlink(copy);
    unlink(ignored);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_builtins_are_listed_sorted, fresh_registry),
        cmocka_unit_test_setup(test_lookup_is_exact_or_case_insensitive, fresh_registry),
        cmocka_unit_test_setup(test_names_ids_and_categories_are_savus, fresh_registry),
        cmocka_unit_test_setup(test_defaults_match_savus_stored_data, fresh_registry),
        cmocka_unit_test_setup(test_visibility_and_options, fresh_registry),
        cmocka_unit_test_setup(test_every_builtin_definition_is_valid, fresh_registry),
        cmocka_unit_test_setup(test_citations_have_dois, fresh_registry),
        cmocka_unit_test_setup(test_check_reports_broken_descriptors, fresh_registry),
        cmocka_unit_test_setup(test_plugin_path_loads_the_example_and_reports_broken_ones,
                               fresh_registry),
        cmocka_unit_test_setup(test_unloadable_and_duplicate_objects_are_reported, fresh_registry),
    };
    return cmocka_run_group_tests(tests, NULL, forget_registry);
}
