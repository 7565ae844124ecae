/* test_completion.c: savu_config's tab completion (shell/completion.c)
 * called directly on a line and cursor: command names, plugin names,
 * positions (lettered ones too), options (run's from the engine's table,
 * and the words of its choice options), parameter names at each level and
 * the preview's parts, parameter values (options, true/false, None,
 * defaults, file names), mod -g, levels, file names, and where the word
 * being completed starts. The list is
 *   1 NxtomoLoader, 2 DarkFlatFieldCorrection, 3 TomoRecon, 4 Hdf5Saver
 * plus, where a test needs it, entries of a test plugin with file
 * parameters, an entry of a plugin not available here, or a lettered one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "command_table.h"
#include "completion.h"
#include "parameters.h"
#include "registry.h"

/* ---- a plugin with file, directory and oddly typed parameters ---- */

static const char *const speed_options[] = {"fast", "Slow", NULL};

static const struct savu_param_def files_params[] = {
    {.name = "input_file", .dtype = "[filepath, None]", .default_json = "null",
     .visibility = SAVU_VIS_BASIC, .summary = "A file."},
    {.name = "out_dir", .dtype = "dir", .default_json = "\"/tmp\"",
     .visibility = SAVU_VIS_BASIC, .summary = "A directory."},
    {.name = "speed", .dtype = "str", .default_json = "\"fast\"", .visibility = SAVU_VIS_BASIC,
     .summary = "Options.", .options = speed_options},
    {.name = "label", .dtype = "str", .default_json = "\"None\"", .visibility = SAVU_VIS_BASIC,
     .summary = "A string that reads as None when bare."},
    {.name = "secret", .dtype = "int", .default_json = "1", .visibility = SAVU_VIS_HIDDEN,
     .summary = "Hidden."},
};

static const struct savu_plugin files_plugin = {
    .name = "FilesPlugin",
    .id = "test.files_plugin",
    .synopsis = "Test plugin.",
    .category = SAVU_CAT_OTHER,
    .params = files_params,
    .n_params = SAVU_COUNT_OF(files_params),
};

/* ---- fixture ---- */

static char tmpdir[] = "/tmp/test_completion_XXXXXX";

static void add_entry(shell_session *s, const struct savu_plugin *p, const char *pos)
{
    savu_error err;
    savu_entry *e = savu_entry_new_default(p, &err);
    assert_non_null(e);
    assert_int_equal(savu_plist_insert(s->list, e, pos, &err), 0);
}

static void add_named(shell_session *s, const char *name, const char *pos)
{
    const struct savu_plugin *p = savu_registry_find(name);
    assert_non_null(p);
    add_entry(s, p, pos);
}

static int setup(void **state)
{
    static shell_session s;
    shell_session_init(&s);
    add_named(&s, "NxtomoLoader", NULL);
    add_named(&s, "DarkFlatFieldCorrection", NULL);
    add_named(&s, "TomoRecon", NULL);
    add_named(&s, "Hdf5Saver", NULL);
    *state = &s;
    return 0;
}

static int teardown(void **state)
{
    shell_session_free(*state);
    return 0;
}

/* ---- checking matches ---- */

static void check(const shell_session *s, const char *line, int point, int word_start,
                  char append, const char *const *expected)
{
    shell_completion c;
    assert_int_equal(shell_complete(s, line, point, &c), 0);
    size_t n_expected = 0;
    while (expected[n_expected])
        n_expected++;
    char got[2048] = "", want[2048] = "";
    for (size_t i = 0; i < c.n; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s|", c.matches[i]);
    for (size_t i = 0; i < n_expected; i++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s|", expected[i]);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "line '%s': got %s want %s\n", line, got, want);
    assert_string_equal(got, want);
    assert_null(c.matches[c.n]);
    if (n_expected) {
        assert_int_equal(c.word_start, word_start);
        assert_int_equal(c.append, append);
    }
    assert_int_equal(c.word_start, shell_completion_word_start(line, point));
    shell_completion_free(&c);
}

/* Completes at the end of the line; the matches replace from word_start. */
#define EXPECT_AT(s, line, word_start, ...)                                                        \
    check((s), (line), (int)strlen(line), (word_start), ' ', (const char *const[]){__VA_ARGS__, NULL})
/* The word being completed starts after the last space. */
#define EXPECT(s, line, ...) EXPECT_AT(s, line, word_after_space(line), __VA_ARGS__)
#define EXPECT_NONE(s, line) check((s), (line), (int)strlen(line), 0, ' ', (const char *const[]){NULL})

static int word_after_space(const char *line)
{
    const char *space = strrchr(line, ' ');
    return space ? (int)(space - line) + 1 : 0;
}

/* ---- commands and options ---- */

static void test_command_names(void **state)
{
    const shell_session *s = *state;
    EXPECT(s, "ad", "add");
    EXPECT(s, "RE", "redo", "ref", "rem", "replace");
    EXPECT_AT(s, "  di", 2, "disp");
    EXPECT(s, "e", "exit", "expand");
    EXPECT_NONE(s, "xyz");
    /* an empty line: every command, in the table's order */
    shell_completion c;
    assert_int_equal(shell_complete(s, "", 0, &c), 0);
    assert_int_equal(c.n, shell_command_count());
    for (size_t i = 0; i < c.n; i++)
        assert_string_equal(c.matches[i], shell_command_at(i)->name);
    shell_completion_free(&c);
    /* the cursor in the middle of the line: only the text before it counts */
    check(s, "ad NxtomoLoader", 2, 0, ' ', (const char *const[]){"add", NULL});
    /* commands without arguments, and unknown ones, offer nothing */
    EXPECT_NONE(s, "exit ");
    EXPECT_NONE(s, "foo ");
    EXPECT_NONE(s, "coll c");
}

static void test_options(void **state)
{
    const shell_session *s = *state;
    EXPECT(s, "disp -", "-h", "--help", "-q", "--quiet", "-v", "--verbose", "-vv", "--vverbose",
           "-a", "--all", "-l", "--level", "-d", "--datasets");
    EXPECT(s, "mod --g", "--globalpar");
    EXPECT(s, "level -", "-h", "--help");
    EXPECT(s, "open -", "-h", "--help", "-s", "--skip");
    /* after "--" a word starting with '-' is an argument */
    EXPECT_NONE(s, "disp -- -");
}

/* run's options are the engine's (lists/run_options.h): their names, then
 * the words of a choice option; nothing for other values. */
static void test_run_options(void **state)
{
    const shell_session *s = *state;
    EXPECT(s, "run d o --bal", "--balance");
    EXPECT(s, "run d o --balance ", "auto", "off");
    EXPECT(s, "run d o --balance O", "off");
    EXPECT(s, "run --cpu-bind ", "auto", "none");
    EXPECT(s, "run --gpu-precision f", "fp32", "fp16x4");
    EXPECT(s, "run d o --output-dtype ", "float32", "float16", "uint16");
    EXPECT(s, "run --c", "--cpu-bind");
    EXPECT(s, "run --io", "--io", "--io-threads");
    EXPECT_NONE(s, "run d o --threads ");
    EXPECT_NONE(s, "run -n ");
    EXPECT_NONE(s, "run --version");
    EXPECT_NONE(s, "iterate --set ");
}

/* ---- plugin names ---- */

static void test_plugin_names(void **state)
{
    const shell_session *s = *state;
    EXPECT(s, "add ", "CameraRotCorrection", "CcpiRingArtefactFilter", "Convert360180Sinogram", "DarkFlatFieldCorrection", "DataRemoval", "Dezinger", "DezingerSinogram", "DistortionCorrection", "DownsampleFilter", "FresnelFilter",
           "Hdf5Saver", "MedianFilter", "MinusLog", "NxtomoLoader", "PaganinFilter", "RavenFilter",
           "RemoveAllRings", "RemoveLargeRings", "RemoveUnresponsiveAndFluctuatingRings",
           "RingRemovalFiltering", "RingRemovalSorting", "RingRemovalWaveletfft", "Rotate90", "TiffSaver",
           "TomoRecon");
    EXPECT(s, "add ring", "RingRemovalFiltering", "RingRemovalSorting", "RingRemovalWaveletfft");
    EXPECT(s, "add nxto", "NxtomoLoader");
    EXPECT(s, "add t", "TiffSaver", "TomoRecon");
    EXPECT(s, "add TOMO", "TomoRecon");
    EXPECT(s, "list da", "DarkFlatFieldCorrection", "DataRemoval");
    EXPECT(s, "list dar", "DarkFlatFieldCorrection");
    EXPECT(s, "list -q h", "Hdf5Saver");
    EXPECT(s, "replace 2 hd", "Hdf5Saver");
    EXPECT_NONE(s, "add zzz");
    EXPECT_NONE(s, "list Hdf5Saver ");
    /* add's second argument is a position */
    EXPECT(s, "add NxtomoLoader ", "1", "2", "3", "4");
}

/* ---- positions ---- */

static void test_positions(void **state)
{
    const shell_session *s = *state;
    EXPECT(s, "disp ", "1", "2", "3", "4");
    EXPECT(s, "disp 1 ", "1", "2", "3", "4");
    EXPECT(s, "disp -q 3", "3");
    EXPECT(s, "replace ", "1", "2", "3", "4");
    EXPECT(s, "move 2 ", "1", "2", "3", "4");
    EXPECT(s, "dupl ", "1", "2", "3", "4");
    EXPECT(s, "cite 1 ", "1", "2", "3", "4");
    /* positions already given are not offered again */
    EXPECT(s, "rem 1 3 ", "2", "4");
    EXPECT(s, "ref -d 2 ", "1", "3", "4");
    EXPECT(s, "set ", "1", "2", "3", "4");
    EXPECT(s, "set 2 ", "1", "3", "4", "on", "off");
    EXPECT(s, "set 2 4 O", "on", "off");
    EXPECT(s, "set 1 of", "off");
    /* expand: only plugins with a preview */
    EXPECT(s, "expand ", "1", "3");
    EXPECT(s, "expand --off 3", "3");
    EXPECT_NONE(s, "expand 1 ");
    /* mod: the position and its dot, with nothing appended */
    check(s, "mod ", 4, 4, '\0', (const char *const[]){"1.", "2.", "3.", "4.", NULL});
    check(s, "mod 2", 5, 4, '\0', (const char *const[]){"2.", NULL});
    EXPECT_NONE(s, "disp 7");
    EXPECT_NONE(s, "move 1 2 ");
}

static void test_lettered_positions(void **state)
{
    shell_session *s = *state;
    add_named(s, "TomoRecon", "3a"); /* 1, 2, 3a (new), 3b (old 3), 4 */
    EXPECT(s, "disp 3", "3a", "3b");
    EXPECT(s, "rem 3", "3a", "3b");
    EXPECT(s, "rem 3B", "3b");
    check(s, "mod 3a", 6, 4, '\0', (const char *const[]){"3a.", NULL});
    EXPECT_AT(s, "mod 3a.al", 7, "algorithm");
    EXPECT_AT(s, "disp 3b.fi", 8, "filter");
    EXPECT(s, "mod 3b.filter h", "hamming", "hann");
    EXPECT_NONE(s, "mod 3c.al");
    assert_int_equal(savu_plist_remove(s->list, "3a", NULL), 0);
}

/* ---- parameter names ---- */

static void test_parameter_names(void **state)
{
    shell_session *s = *state;
    EXPECT_AT(s, "mod 1.", 6, "preview", "preview.dim1", "preview.dim2", "preview.dim3",
              "data_path", "dark", "flat");
    EXPECT_AT(s, "disp 1.da", 7, "data_path", "dark");
    EXPECT_AT(s, "mod 1.PR", 6, "preview", "preview.dim1", "preview.dim2", "preview.dim3");
    EXPECT_AT(s, "mod 3.", 6, "centre_of_rotation", "algorithm", "filter");
    EXPECT_AT(s, "mod 2.", 6, "pattern");
    s->level = SAVU_VIS_INTERMEDIATE;
    EXPECT_AT(s, "mod 2.", 6, "pattern", "lower_bound", "upper_bound", "warn_proportion");
    EXPECT_AT(s, "disp 3.", 7, "centre_of_rotation", "algorithm", "filter", "log", "force_zero",
              "ratio", "vol_shape");
    s->level = SAVU_VIS_ADVANCED;
    EXPECT_AT(s, "mod 2.", 6, "pattern", "lower_bound", "upper_bound", "warn_proportion",
              "in_datasets", "out_datasets");
    EXPECT_AT(s, "mod 3.p", 6, "preview", "preview.dim1", "preview.dim2", "preview.dim3");
    EXPECT_AT(s, "mod 4.", 6, "pattern", "in_datasets"); /* out_datasets is hidden */
    s->level = SAVU_VIS_BASIC;
    /* hidden parameters and unknown positions offer nothing */
    EXPECT_NONE(s, "mod 3.init");
    EXPECT_NONE(s, "mod 9.");
    EXPECT_NONE(s, "disp .");
    EXPECT_NONE(s, "mod 123456789012345678901234567890.");
}

static void test_dependency_hides_names(void **state)
{
    shell_session *s = *state;
    json_t *params = s->list->entries[2]->params;
    json_object_set_new(params, "algorithm", json_string("SIRT"));
    EXPECT_NONE(s, "mod 3.fil"); /* filter is used only with FBP */
    EXPECT_NONE(s, "mod 3.filter ");
    json_object_set_new(params, "algorithm", json_string("FBP"));
    EXPECT_AT(s, "mod 3.fil", 6, "filter");
}

static void test_preview_parts(void **state)
{
    shell_session *s = *state;
    EXPECT_AT(s, "mod 1.preview.", 14, "dim1", "dim2", "dim3");
    EXPECT_AT(s, "disp 1.preview.d", 15, "dim1", "dim2", "dim3");
    EXPECT_AT(s, "mod 1.preview.dim2.", 19, "start", "stop", "step", "chunk");
    EXPECT_AT(s, "mod 1.preview.dim2.ST", 19, "start", "stop", "step");
    /* the advanced-level preview of TomoRecon can be addressed at basic */
    EXPECT_AT(s, "mod 3.preview.", 14, "dim1", "dim2", "dim3");
    EXPECT_NONE(s, "mod 1.preview.dim40.");
    EXPECT_NONE(s, "mod 1.preview.dim2.start.");
    EXPECT_NONE(s, "mod 1.preview.x.");
    EXPECT_NONE(s, "mod 1.data_path.");
    /* as many dimensions as the preview has, at least three */
    savu_error err;
    bool tuned = false;
    assert_int_equal(savu_entry_modify(s->list->entries[0], "preview", "[:, :, :, :, 0]", &tuned, &err), 0);
    EXPECT_AT(s, "mod 1.preview.", 14, "dim1", "dim2", "dim3", "dim4", "dim5");
    EXPECT_AT(s, "mod 1.preview.dim", 14, "dim1", "dim2", "dim3", "dim4", "dim5");
    assert_int_equal(savu_entry_restore_default(s->list->entries[0], "preview", &err), 0);
}

/* ---- values ---- */

static void test_values(void **state)
{
    const shell_session *s = *state;
    EXPECT(s, "mod 2.pattern ", "SINOGRAM", "PROJECTION");
    EXPECT(s, "mod 2.pattern s", "SINOGRAM");
    EXPECT(s, "mod 2.1 ", "SINOGRAM", "PROJECTION"); /* by number */
    EXPECT(s, "mod 3.filter ", "ramp", "shepp-logan", "cosine", "hamming", "hann", "parzen");
    EXPECT(s, "mod 3.algorithm ", "FBP");
    EXPECT(s, "mod 3.log ", "true", "false");
    EXPECT(s, "mod 1.3d_to_4d ", "true", "false");
    EXPECT(s, "mod 1.3d_to_4d F", "false");
    EXPECT(s, "mod 2.lower_bound ", "None");
    EXPECT(s, "mod 1.angles ", "None");
    EXPECT(s, "mod 3.ratio ", "0.95");
    EXPECT(s, "mod 3.centre_of_rotation ", "0.0");
    EXPECT(s, "mod 1.name ", "tomo");
    EXPECT(s, "mod 1.data_path ", "entry1/tomo_entry/data/data");
    EXPECT(s, "mod 1.dark ", "[null, null, 1]");
    EXPECT(s, "mod 3.force_zero ", "[null, null]");
    /* no value for: -d, a second value word, a hidden parameter, a preview
     * part, a value starting with '-' (not an option of mod) */
    EXPECT_NONE(s, "mod -d 2.pattern ");
    EXPECT_NONE(s, "mod 2.pattern SINOGRAM ");
    EXPECT_NONE(s, "mod 3.init_vol ");
    EXPECT_NONE(s, "mod 1.preview.dim1 ");
    EXPECT_NONE(s, "mod 2.pattern -");
    EXPECT_NONE(s, "mod 2.nothing ");
    EXPECT_NONE(s, "mod 2 ");
    EXPECT_NONE(s, "disp 2.pattern "); /* one parameter: no stop position */
}

static void test_global(void **state)
{
    const shell_session *s = *state;
    EXPECT(s, "mod -g ", "preview", "data_path", "dark", "flat", "pattern", "centre_of_rotation",
           "algorithm", "filter");
    EXPECT(s, "mod -g pa", "pattern");
    EXPECT(s, "mod --globalpar pa", "pattern");
    EXPECT_NONE(s, "mod -g 3.");
    /* values: those of the first plugin that has the parameter */
    EXPECT(s, "mod -g pattern ", "SINOGRAM", "PROJECTION");
    EXPECT(s, "mod -g ratio ", "0.95");
    EXPECT_NONE(s, "mod -g nothing ");
}

static void test_levels(void **state)
{
    const shell_session *s = *state;
    EXPECT(s, "level ", "basic", "intermediate", "advanced");
    EXPECT(s, "level A", "advanced");
    EXPECT_NONE(s, "level basic ");
}

/* ---- files ---- */

static void make_files(void)
{
    assert_non_null(mkdtemp(tmpdir));
    char path[256];
    snprintf(path, sizeof path, "%s/alps", tmpdir);
    assert_int_equal(mkdir(path, 0700), 0);
    const char *files[] = {"alpha.nxs", "beta.txt", "Alpha2.nxs"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fclose(f);
    }
}

static void remove_files(void)
{
    const char *names[] = {"alpha.nxs", "beta.txt", "Alpha2.nxs"};
    char path[256];
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/alps", tmpdir);
    rmdir(path);
    rmdir(tmpdir);
}

/* Checks the matches of "<command> <tmpdir>/<typed>" against names in the
 * directory, and that they are marked as file names. */
static void check_files(const shell_session *s, const char *command, const char *typed,
                        const char *const *names)
{
    char line[512], full[8][256];
    const char *expected[9];
    snprintf(line, sizeof line, "%s %s/%s", command, tmpdir, typed);
    size_t n = 0;
    for (; names[n]; n++) {
        if (names[n][0] == '=') /* a value, not a file name */
            snprintf(full[n], sizeof full[n], "%s", names[n] + 1);
        else
            snprintf(full[n], sizeof full[n], "%s/%s", tmpdir, names[n]);
        expected[n] = full[n];
    }
    expected[n] = NULL;
    check(s, line, (int)strlen(line), word_after_space(line), ' ', expected);
    shell_completion c;
    assert_int_equal(shell_complete(s, line, (int)strlen(line), &c), 0);
    assert_true(c.filenames);
    shell_completion_free(&c);
}

static void test_file_names(void **state)
{
    shell_session *s = *state;
    make_files();
    check_files(s, "open", "al", (const char *const[]){"alpha.nxs", "alps", NULL});
    check_files(s, "open -s", "", (const char *const[]){"Alpha2.nxs", "alpha.nxs", "alps", "beta.txt", NULL});
    check_files(s, "save -i", "b", (const char *const[]){"beta.txt", NULL});
    check_files(s, "run", "A", (const char *const[]){"Alpha2.nxs", NULL});
    check_files(s, "run --balance off", "A", (const char *const[]){"Alpha2.nxs", NULL});
    /* filepath and dir parameters: file names after the other values */
    add_entry(s, &files_plugin, NULL); /* position 5 */
    EXPECT_AT(s, "mod 5.", 6, "input_file", "out_dir", "speed", "label");
    EXPECT(s, "mod 5.speed ", "fast", "Slow");
    EXPECT(s, "mod 5.label ", "\"None\"");
    EXPECT_NONE(s, "mod 5.secret ");
    check_files(s, "mod 5.input_file", "a", (const char *const[]){"alpha.nxs", "alps", NULL});
    check_files(s, "mod 5.out_dir", "b", (const char *const[]){"beta.txt", NULL});
    char line[300];
    snprintf(line, sizeof line, "mod 5.input_file %s/nothing", tmpdir);
    EXPECT_NONE(s, line);
    /* a word that is not a parameter's value is not a file name */
    shell_completion c;
    assert_int_equal(shell_complete(s, "mod 5.speed ", 12, &c), 0);
    assert_false(c.filenames);
    shell_completion_free(&c);
    assert_int_equal(savu_plist_remove(s->list, "5", NULL), 0);
    remove_files();
}

/* ---- an entry of a plugin not available here ---- */

static void test_unavailable_plugin(void **state)
{
    shell_session *s = *state;
    json_t *params = json_pack("{s:i, s:[]}", "alpha", 1, "preview");
    savu_entry *e = savu_entry_new("Elsewhere", "other.elsewhere", params);
    assert_non_null(e);
    assert_int_equal(savu_plist_insert(s->list, e, NULL, NULL), 0);
    EXPECT_AT(s, "mod 5.", 6, "alpha", "preview", "preview.dim1", "preview.dim2", "preview.dim3");
    EXPECT_AT(s, "mod 5.preview.", 14, "dim1", "dim2", "dim3");
    EXPECT_NONE(s, "mod 5.alpha ");
    EXPECT_NONE(s, "mod -g alp"); /* mod -g sets only available plugins */
    assert_int_equal(savu_plist_remove(s->list, "5", NULL), 0);
}

/* ---- where words start ---- */

static void test_word_start(void **state)
{
    (void)state;
    assert_int_equal(shell_completion_word_start("mod 3.preview.d", 15), 14);
    assert_int_equal(shell_completion_word_start("mod 3.preview.d", 4), 4);
    assert_int_equal(shell_completion_word_start("open /a/b.nxs", 13), 5);
    assert_int_equal(shell_completion_word_start("mod -g a.b", 10), 7);
    assert_int_equal(shell_completion_word_start("mod 3.ratio 0.9", 15), 12);
    assert_int_equal(shell_completion_word_start("disp 1", 6), 5);
    assert_int_equal(shell_completion_word_start("open 'my fi", 11), 6);
    assert_int_equal(shell_completion_word_start("ad", 99), 0); /* point clamped */
    assert_int_equal(shell_completion_word_start("ad", -3), 0);
}

static void test_long_lines(void **state)
{
    const shell_session *s = *state;
    /* more words than are looked at: nothing offered, nothing broken */
    size_t len = 300 * 2 + 8;
    char *line = malloc(len);
    assert_non_null(line);
    strcpy(line, "rem");
    for (int i = 0; i < 300; i++)
        strcat(line, " 1");
    strcat(line, " ");
    EXPECT_NONE(s, line);
    free(line);
    /* an unclosed quote */
    EXPECT_NONE(s, "mod 1.data_path 'a b");
}

int main(void)
{
    savu_registry_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_command_names),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_run_options),
        cmocka_unit_test(test_plugin_names),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_lettered_positions),
        cmocka_unit_test(test_parameter_names),
        cmocka_unit_test(test_dependency_hides_names),
        cmocka_unit_test(test_preview_parts),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_global),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_file_names),
        cmocka_unit_test(test_unavailable_plugin),
        cmocka_unit_test(test_word_start),
        cmocka_unit_test(test_long_lines),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    savu_registry_reset();
    return failed;
}
