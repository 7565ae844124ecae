/* test_nexus.c: reading and writing process lists as Savu's NeXus files:
 * every real Savu list opens and survives a save and re-read unchanged;
 * iterate groups, lettered sub-positions, opaque plugins and citation
 * dependencies round trip; the legacy 2.x layout reads; the saved file has
 * Savu's HDF5 types; a failed save leaves the old file byte for byte;
 * every kind of broken input gives its one-line error; and plugins are
 * looked up in the catalog the reader is handed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test_tmpdir.h"
#include "nexus.h"
#include "nexus_hdf5.h"
#include "registry.h"
#include "savu_plugin.h"
#include "list_assert.h"

/* ---- helpers ---- */

static int make_tmpdir(void **state)
{
    (void)state;
    return test_tmpdir_make("test_nexus");
}

static void list_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", SAVU_LISTS_DIR, name);
}

static savu_process_list *read_ok(const char *path)
{
    savu_error err = { "" };
    savu_process_list *pl = savu_nexus_read(path, savu_registry_catalog(), &err);
    if (!pl)
        fail_msg("reading %s failed: %s", path, err.msg);
    return pl;
}

static void write_ok(const savu_process_list *pl, const char *path)
{
    savu_error err = { "" };
    if (savu_nexus_write(pl, path, &err) != 0)
        fail_msg("writing %s failed: %s", path, err.msg);
}

static savu_process_list *read_list(const char *name)
{
    char path[512];
    list_path(path, sizeof path, name);
    return read_ok(path);
}


static void assert_json_equal(const json_t *a, const json_t *b)
{
    if (!json_equal(a, b)) {
        char *ta = json_dumps(a, JSON_ENCODE_ANY), *tb = json_dumps(b, JSON_ENCODE_ANY);
        fprintf(stderr, "# expected %s\n# got      %s\n", ta ? ta : "(null)", tb ? tb : "(null)");
        free(ta);
        free(tb);
        fail_msg("JSON values differ");
    }
}

static void assert_same_lists(const savu_process_list *a, const savu_process_list *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const savu_entry *x = a->entries[i], *y = b->entries[i];
        assert_string_equal(x->pos, y->pos);
        assert_string_equal(x->name, y->name);
        assert_string_equal(x->id, y->id);
        assert_int_equal(x->active, y->active);
        assert_ptr_equal(x->plugin, y->plugin);
        assert_json_equal(x->params, y->params);
        json_t *cx = savu_entry_citations(x), *cy = savu_entry_citations(y);
        assert_json_equal(cx, cy);
        json_decref(cx);
        json_decref(cy);
    }
    assert_int_equal(a->n_groups, b->n_groups);
    for (size_t g = 0; g < a->n_groups; g++) {
        assert_int_equal(a->groups[g].start, b->groups[g].start);
        assert_int_equal(a->groups[g].end, b->groups[g].end);
        assert_int_equal(a->groups[g].iterations, b->groups[g].iterations);
    }
}

/* Saves pl to a temporary file, reads it back. */
static savu_process_list *save_and_reread(const savu_process_list *pl, const char *name)
{
    char path[512];
    test_tmpdir_path(path, sizeof path, name);
    write_ok(pl, path);
    savu_process_list *back = read_ok(path);
    assert_non_null(back->version);
    assert_string_equal(back->version, SAVU_NEXUS_VERSION);
    return back;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Calls fn with each *.nxs name of the Savu lists directory; returns how many. */
static int for_each_savu_list(void (*fn)(const char *name))
{
    DIR *d = opendir(SAVU_LISTS_DIR);
    assert_non_null(d);
    int count = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!has_suffix(de->d_name, ".nxs"))
            continue;
        fn(de->d_name);
        count++;
    }
    closedir(d);
    return count;
}

static json_t *json(const char *text)
{
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    return v;
}

/* ---- every real list ---- */

static void opens(const char *name)
{
    savu_process_list *pl = read_list(name);
    assert_true(pl->n >= 2);
    for (size_t i = 0; i < pl->n; i++) {
        assert_true(json_is_object(pl->entries[i]->params));
        assert_true(pl->entries[i]->name[0] != '\0');
        assert_true(pl->entries[i]->id[0] != '\0');
    }
    savu_plist_free(pl);
}

static void test_every_savu_list_opens(void **state)
{
    (void)state;
    assert_int_equal(for_each_savu_list(opens), 12);
}

static void test_astra_list_contents(void **state)
{
    (void)state;
    savu_process_list *pl = read_list("astra_fbp_ds.nxs");
    assert_list(pl, "1:NxtomoLoader 2:DarkFlatFieldCorrection 3:MedianFilter 4:PaganinFilter "
                    "5:AstraReconGpu");
    assert_string_equal(pl->version, "4.2");
    assert_int_equal(pl->n_groups, 0);
    assert_string_equal(pl->entries[0]->id, "savu.plugins.loaders.full_field_loaders.nxtomo_loader");
    assert_true(pl->entries[0]->active);
    json_t *preview = json("[\":\", \"mid\", \":\"]");
    assert_json_equal(preview, json_object_get(pl->entries[0]->params, "preview"));
    json_decref(preview);
    /* Citations as read, in citation1, citation2, citation3 order. */
    assert_null(pl->entries[0]->citations);
    assert_int_equal(json_array_size(pl->entries[3]->citations), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(pl->entries[3]->citations, 0), "doi")),
                        "10.1046/j.1365-2818.2002.01010.x");
    json_t *cites = pl->entries[4]->citations;
    assert_int_equal(json_array_size(cites), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cites, 0), "doi")), "10.1364/OE.24.025129");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cites, 2), "doi")),
                        "10.1016/j.jsb.2011.07.017");
    assert_true(strncmp(json_string_value(json_object_get(json_array_get(cites, 1), "bibtex")),
                        "@article{van2015astra,", 22) == 0);
    savu_plist_free(pl);
}

static void round_trips(const char *name)
{
    savu_process_list *pl = read_list(name);
    savu_process_list *back = save_and_reread(pl, name);
    assert_same_lists(pl, back);
    savu_plist_free(back);
    savu_plist_free(pl);
}

static void test_every_savu_list_round_trips(void **state)
{
    (void)state;
    assert_int_equal(for_each_savu_list(round_trips), 12);
}

static void test_iterate_groups_round_trip(void **state)
{
    (void)state;
    savu_process_list *pl = read_list("iterate_one_median_filter.nxs");
    assert_list(pl, "1:TomoPhantomLoader 2:TomoPhantomArtifacts 3:MedianFilter");
    assert_int_equal(pl->n_groups, 1);
    assert_int_equal(pl->groups[0].start, 3);
    assert_int_equal(pl->groups[0].end, 3);
    assert_int_equal(pl->groups[0].iterations, 2);
    savu_error err;
    assert_int_equal(savu_plist_add_iterate(pl, 1, 2, 5, &err), 0);
    savu_process_list *back = save_and_reread(pl, "iterate.nxs");
    assert_int_equal(back->n_groups, 2);
    assert_int_equal(back->groups[1].start, 1);
    assert_int_equal(back->groups[1].end, 2);
    assert_int_equal(back->groups[1].iterations, 5);
    assert_same_lists(pl, back);
    savu_plist_free(back);
    savu_plist_free(pl);
}

static void test_legacy_layout(void **state)
{
    (void)state;
    savu_process_list *pl = read_list("i18_sino_test.nxs");
    /* Group names "   1 " and "   2 " become positions 1 and 2. */
    assert_list(pl, "1:PyfaiAzimuthalIntegrator 2:AstraReconCpu");
    assert_null(pl->version);
    assert_int_equal(pl->n_groups, 0);
    assert_string_equal(pl->entries[1]->id, "savu.plugins.reconstructions.astra_recons.astra_recon_cpu");
    json_t *in = json("[\"xrd\"]");
    assert_json_equal(in, json_object_get(pl->entries[0]->params, "in_datasets"));
    json_decref(in);
    assert_int_equal(json_integer_value(json_object_get(pl->entries[1]->params, "center_of_rotation")), 56);
    assert_false(json_is_true(json_object_get(pl->entries[1]->params, "log")));
    /* desc, user and hide are not parameters. */
    assert_null(json_object_get(pl->entries[0]->params, "desc"));
    assert_null(pl->entries[0]->citations);
    savu_plist_free(pl);
}

/* ---- lists built here ---- */

static savu_entry *entry(const char *pos, const char *name, const char *params)
{
    savu_entry *e = savu_entry_new(name, "test.plugins.thing", json(params));
    snprintf(e->pos, sizeof e->pos, "%s", pos);
    return e;
}

static void append(savu_process_list *pl, savu_entry *e)
{
    pl->entries = realloc(pl->entries, (pl->n + 1) * sizeof *pl->entries);
    pl->cap = pl->n + 1;
    pl->entries[pl->n++] = e;
}

static void test_sub_positions_and_opaque_entries_round_trip(void **state)
{
    (void)state;
    static const char *const positions[] = { "1", "2", "3a", "3b", "3c", "4", "5", "6",
                                             "7", "8", "9", "10", "11" };
    savu_process_list *pl = savu_plist_new();
    for (size_t i = 0; i < SAVU_COUNT_OF(positions); i++) {
        char name[16];
        snprintf(name, sizeof name, "Thing%c", (char)('A' + i));
        append(pl, entry(positions[i], name, "{\"value\": 1.5, \"list\": [1, \"a\", null], \"s\": \"\"}"));
    }
    savu_entry *opaque = pl->entries[3];
    opaque->active = false;
    opaque->citations = json("[{\"description\": \"Why\", \"doi\": \"10.1/x\", \"bibtex\": \"@b{}\", "
                             "\"endnote\": \"\"}, {\"description\": \"\", \"doi\": \"\", "
                             "\"bibtex\": \"\", \"endnote\": \"%0 E\"}]");
    free(opaque->id);
    opaque->id = strdup(""); /* an empty string is stored with size 1 */
    savu_process_list *back = save_and_reread(pl, "subpositions.nxs");
    assert_list(back, "1:ThingA 2:ThingB 3a:ThingC 3b:ThingD 3c:ThingE 4:ThingF 5:ThingG 6:ThingH "
                      "7:ThingI 8:ThingJ 9:ThingK 10:ThingL 11:ThingM");
    assert_false(back->entries[3]->active);
    assert_true(back->entries[4]->active);
    assert_null(back->entries[3]->plugin);
    assert_json_equal(opaque->citations, back->entries[3]->citations);
    assert_null(back->entries[0]->citations); /* none in the file: the plugin's own (none) */
    assert_same_lists(pl, back);
    savu_plist_free(back);
    savu_plist_free(pl);
}

static const struct savu_citation cited_citations[] = {
    { .label = "Always", .description = "Always cited.", .doi = "10.1/always", .bibtex = "@a{}",
      .endnote = "%0 A" },
    { .label = "FbpOnly", .description = "Cited for FBP.", .doi = "10.1/fbp", .bibtex = "@f{}",
      .endnote = "%0 F", .dependency = "{\"algorithm\": [\"FBP\"]}" },
};

static const struct savu_plugin cited_plugin = {
    .name = "CitedThing",
    .id = "test.plugins.cited_thing",
    .citations = cited_citations,
    .n_citations = SAVU_COUNT_OF(cited_citations),
};

static void assert_dois(const json_t *cites, const char *expected)
{
    char got[256] = "";
    size_t i;
    json_t *c;
    json_array_foreach(cites, i, c) {
        size_t len = strlen(got);
        snprintf(got + len, sizeof got - len, "%s%s", i ? " " : "",
                 json_string_value(json_object_get(c, "doi")));
    }
    assert_string_equal(got, expected);
}

static void test_citation_dependency(void **state)
{
    (void)state;
    savu_entry *e = entry("1", "CitedThing", "{\"algorithm\": \"CGLS\"}");
    e->plugin = &cited_plugin;
    json_t *cites = savu_entry_citations(e);
    assert_dois(cites, "10.1/always");
    json_decref(cites);
    json_object_set_new(e->params, "algorithm", json_string("CGLS;FBP")); /* tuned: any value */
    cites = savu_entry_citations(e);
    assert_dois(cites, "10.1/always 10.1/fbp");
    json_decref(cites);
    json_object_set_new(e->params, "algorithm", json_string("FBP"));
    savu_process_list *pl = savu_plist_new();
    append(pl, e);
    savu_process_list *back = save_and_reread(pl, "cited.nxs");
    /* The file holds the citations that applied when it was saved. */
    assert_dois(back->entries[0]->citations, "10.1/always 10.1/fbp");
    json_t *second = json_array_get(back->entries[0]->citations, 1);
    assert_string_equal(json_string_value(json_object_get(second, "description")), "Cited for FBP.");
    assert_string_equal(json_string_value(json_object_get(second, "bibtex")), "@f{}");
    assert_string_equal(json_string_value(json_object_get(second, "endnote")), "%0 F");
    savu_plist_free(back);
    savu_plist_free(pl);
}

/* ---- the saved file's HDF5 types (the h5py test compares all of them) ---- */

static void assert_fixed_string(hid_t file, const char *path, size_t size)
{
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t t = H5Dget_type(d), s = H5Dget_space(d);
    assert_int_equal(H5Tget_class(t), H5T_STRING);
    assert_int_equal(H5Tis_variable_str(t), 0);
    assert_int_equal(H5Tget_strpad(t), H5T_STR_NULLPAD);
    assert_int_equal(H5Tget_cset(t), H5T_CSET_ASCII);
    assert_int_equal(H5Tget_size(t), size);
    hsize_t dims[2] = { 0, 0 };
    assert_int_equal(H5Sget_simple_extent_ndims(s), 1);
    H5Sget_simple_extent_dims(s, dims, NULL);
    assert_int_equal(dims[0], 1);
    H5Sclose(s);
    H5Tclose(t);
    H5Dclose(d);
}

static void test_saved_types(void **state)
{
    (void)state;
    savu_process_list *pl = savu_plist_new();
    append(pl, entry("1", "Thing", "{\"a\": 1}"));
    free(pl->entries[0]->id);
    pl->entries[0]->id = strdup("");
    char path[512];
    test_tmpdir_path(path, sizeof path, "types.nxs");
    write_ok(pl, path);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    assert_fixed_string(file, "/entry/plugin/1/name", 5);
    assert_fixed_string(file, "/entry/plugin/1/id", 1);
    assert_fixed_string(file, "/entry/plugin/1/data", strlen("{\"a\": 1}"));
    hid_t d = H5Dopen2(file, "/entry/plugin/1/active", H5P_DEFAULT);
    hid_t t = H5Dget_type(d);
    assert_int_equal(H5Tget_class(t), H5T_ENUM);
    assert_int_equal(H5Tget_size(t), 1);
    int8_t value = -1;
    char member[16];
    assert_true(H5Tenum_nameof(t, &value, member, sizeof member) < 0);
    value = 1;
    H5Tenum_nameof(t, &value, member, sizeof member);
    assert_string_equal(member, "TRUE");
    H5Tclose(t);
    H5Dclose(d);
    d = H5Dopen2(file, "/entry/savu_notes/version", H5P_DEFAULT);
    t = H5Dget_type(d);
    assert_true(H5Tis_variable_str(t) > 0);
    assert_int_equal(H5Tget_cset(t), H5T_CSET_UTF8);
    H5Tclose(t);
    H5Dclose(d);
    assert_true(H5Lexists(file, "/entry/iterate_plugin_groups", H5P_DEFAULT) > 0);
    assert_true(H5Lexists(file, "/entry/framework_citations/Savu", H5P_DEFAULT) > 0);
    H5Fclose(file);
    savu_plist_free(pl);
}

/* ---- atomic saving ---- */

static unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static void spit(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, size, f), size);
    fclose(f);
}

/* A write that fails half-way (the file-size limit, which holds for root
 * too) leaves the old file byte for byte and no temporary behind. */
static void test_failed_save_keeps_old_file(void **state)
{
    (void)state;
    char dir[512], path[600];
    test_tmpdir_path(dir, sizeof dir, "atomic");
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/list.nxs", dir);
    savu_process_list *small = savu_plist_new();
    append(small, entry("1", "Small", "{}"));
    write_ok(small, path);
    size_t old_size;
    unsigned char *old = slurp(path, &old_size);

    savu_process_list *big = read_list("basic_tomo_process.nxs");
    test_fsize limit;
    test_fsize_limit(&limit, 8192);
    savu_error err = { "" };
    int rc = savu_nexus_write(big, path, &err);
    test_fsize_unlimit(&limit);
    assert_int_equal(rc, -1);
    char expected[700];
    snprintf(expected, sizeof expected, "cannot write %s: File too large", path);
    assert_string_equal(err.msg, expected);

    size_t new_size;
    unsigned char *now = slurp(path, &new_size);
    assert_int_equal(new_size, old_size);
    assert_memory_equal(now, old, old_size);
    assert_int_equal(test_tmpdir_entries(dir), 1);
    savu_process_list *still = read_ok(path);
    assert_list(still, "1:Small");
    savu_plist_free(still);
    free(now);
    free(old);
    savu_plist_free(big);
    savu_plist_free(small);
}

static void test_save_errors_name_the_path(void **state)
{
    (void)state;
    savu_process_list *pl = savu_plist_new();
    append(pl, entry("1", "Small", "{}"));
    char path[600], expected[700];
    savu_error err = { "" };

    test_tmpdir_path(path, sizeof path, "no/such/dir/list.nxs");
    assert_int_equal(savu_nexus_write(pl, path, &err), -1);
    snprintf(expected, sizeof expected, "cannot write %s: No such file or directory", path);
    assert_string_equal(err.msg, expected);

    /* The target is a directory: the directory stays, no temporary is left. */
    char parent[512];
    test_tmpdir_path(parent, sizeof parent, "over_dir");
    assert_int_equal(mkdir(parent, 0755), 0);
    snprintf(path, sizeof path, "%s/target.nxs", parent);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(savu_nexus_write(pl, path, &err), -1);
    snprintf(expected, sizeof expected, "cannot write %s: Is a directory", path);
    assert_string_equal(err.msg, expected);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(test_tmpdir_entries(parent), 1);

    /* Positions out of order or repeated are refused (the reader sorts). */
    append(pl, entry("1", "Again", "{}"));
    test_tmpdir_path(path, sizeof path, "twice.nxs");
    assert_int_equal(savu_nexus_write(pl, path, &err), -1);
    snprintf(expected, sizeof expected,
             "cannot write %s: plugin 2 has position '1', which does not come after '1'", path);
    assert_string_equal(err.msg, expected);
    assert_int_equal(access(path, F_OK), -1);

    /* A bad position in the model is refused before anything is replaced. */
    snprintf(pl->entries[0]->pos, sizeof pl->entries[0]->pos, "x");
    test_tmpdir_path(path, sizeof path, "badpos.nxs");
    assert_int_equal(savu_nexus_write(pl, path, &err), -1);
    snprintf(expected, sizeof expected, "cannot write %s: plugin 1 has a bad position 'x'", path);
    assert_string_equal(err.msg, expected);
    assert_int_equal(access(path, F_OK), -1);
    savu_plist_free(pl);
}

/* ---- broken input ---- */

static void assert_read_fails(const char *path, const char *expected_after_path)
{
    savu_error err = { "" };
    savu_process_list *pl = savu_nexus_read(path, savu_registry_catalog(), &err);
    assert_null(pl);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: %s", path, expected_after_path);
    assert_string_equal(err.msg, expected);
}

/* Writes an HDF5 file whose /entry/plugin has the given groups; each group
 * spec is "groupname|name|data" (a missing part: no such dataset; name ''
 * an empty one). */
static void write_plugin_file(const char *path, const char *const *groups, size_t n)
{
    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t entry = H5Gcreate2(file, "entry", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t plugins = H5Gcreate2(entry, "plugin", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    for (size_t i = 0; i < n; i++) {
        char spec[512];
        snprintf(spec, sizeof spec, "%s", groups[i]);
        char *rest = spec;
        char *group_name = strsep(&rest, "|");
        char *name = strsep(&rest, "|");
        char *data = strsep(&rest, "|");
        hid_t g = H5Gcreate2(plugins, group_name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        assert_true(g >= 0);
        if (name && *name)
            assert_int_equal(savu_h5_write_fixed_string(g, "name", strcmp(name, "''") ? name : ""), 0);
        if (data)
            assert_int_equal(savu_h5_write_fixed_string(g, "data", data), 0);
        H5Gclose(g);
    }
    H5Gclose(plugins);
    H5Gclose(entry);
    H5Fclose(file);
}

static void test_missing_empty_and_non_hdf5_files(void **state)
{
    (void)state;
    char path[512];
    test_tmpdir_path(path, sizeof path, "missing.nxs");
    assert_read_fails(path, "no such file");
    test_tmpdir_path(path, sizeof path, "text.nxs");
    spit(path, "this is a text file\n", 20);
    assert_read_fails(path, "not an HDF5 file");
    test_tmpdir_path(path, sizeof path, "empty.nxs");
    spit(path, "", 0);
    assert_read_fails(path, "empty file, not an HDF5 file");
    assert_read_fails(test_tmpdir(), "is a directory, not a process list");
}

static void test_truncated_file(void **state)
{
    (void)state;
    char real[512], path[512];
    list_path(real, sizeof real, "astra_fbp_ds.nxs");
    size_t size;
    unsigned char *bytes = slurp(real, &size);
    test_tmpdir_path(path, sizeof path, "half.nxs");
    spit(path, bytes, size / 2);
    savu_error err = { "" };
    assert_null(savu_nexus_read(path, savu_registry_catalog(), &err));
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: corrupt or truncated HDF5 file (truncated file: eof = %zu,",
             path, size / 2);
    assert_true(strncmp(err.msg, expected, strlen(expected)) == 0);
    assert_null(strchr(err.msg, '\n'));
    /* The same bytes as an in-memory image. */
    assert_null(savu_nexus_read_image(bytes, size / 2, "image", savu_registry_catalog(), &err));
    assert_true(strncmp(err.msg, "image: corrupt or truncated HDF5 file (", 39) == 0);
    savu_process_list *pl =
        savu_nexus_read_image(bytes, size, "image", savu_registry_catalog(), &err);
    assert_non_null(pl);
    assert_int_equal(pl->n, 5);
    savu_plist_free(pl);
    free(bytes);
}

static void test_hdf5_file_that_is_not_a_list(void **state)
{
    (void)state;
    char path[512];
    test_tmpdir_path(path, sizeof path, "noplugin.nxs");
    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(H5Gcreate2(file, "entry", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Fclose(file);
    assert_read_fails(path, "no /entry/plugin group (not a Savu process list)");
    test_tmpdir_path(path, sizeof path, "noentry.nxs");
    file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(file);
    assert_read_fails(path, "no /entry/plugin group (not a Savu process list)");
}

static void test_bad_plugin_groups(void **state)
{
    (void)state;
    char path[512];
    test_tmpdir_path(path, sizeof path, "bad.nxs");
    static const char *const bad_json[] = { "1|A|{}", "2|B|{\"a\": [1, 2}" };
    write_plugin_file(path, bad_json, 2);
    assert_read_fails(path, "plugin 2: data is not valid JSON: ']' expected near '}'");

    static const char *const not_object[] = { "1|A|[1, 2]" };
    write_plugin_file(path, not_object, 1);
    assert_read_fails(path, "plugin 1: data is not a JSON object");

    static const char *const no_name[] = { "1|A|{}", "2||{}" };
    write_plugin_file(path, no_name, 2);
    assert_read_fails(path, "plugin 2: no name dataset");

    static const char *const no_data[] = { "3a|A" };
    write_plugin_file(path, no_data, 1);
    assert_read_fails(path, "plugin 3a: no data dataset");

    static const char *const bad_position[] = { "1|A|{}", "one|B|{}" };
    write_plugin_file(path, bad_position, 2);
    assert_read_fails(path, "/entry/plugin has a group 'one' that is not a plugin position");

    static const char *const empty_name[] = { "1|A|{}", "2|''|{}" };
    write_plugin_file(path, empty_name, 2);
    assert_read_fails(path, "plugin 2: name is empty");

    static const char *const control_characters[] = { "x\ny|A|{}" };
    write_plugin_file(path, control_characters, 1);
    assert_read_fails(path, "/entry/plugin has a group 'x\\ny' that is not a plugin position");

    static const char *const twice[] = { "  2 |A|{}", "2|B|{}" };
    write_plugin_file(path, twice, 2);
    assert_read_fails(path, "/entry/plugin: groups '  2 ' and '2' are the same position");

    /* Natural order after stripping spaces: 2 < 3a < 10. */
    static const char *const ordered[] = { " 10|C|{}", "3a|B|{}", "   2 |A|{}" };
    write_plugin_file(path, ordered, 3);
    savu_process_list *pl = read_ok(path);
    assert_list(pl, "2:A 3a:B 10:C");
    assert_true(pl->entries[0]->active); /* no active dataset: active */
    assert_string_equal(pl->entries[0]->id, "");
    savu_plist_free(pl);
}

/* h5py's other ways: variable-length strings, an integer active flag. */
static void test_variable_strings_and_integer_active(void **state)
{
    (void)state;
    char path[512];
    test_tmpdir_path(path, sizeof path, "vlen.nxs");
    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t entry = H5Gcreate2(file, "entry", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t plugins = H5Gcreate2(entry, "plugin", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t g = H5Gcreate2(plugins, "1", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    assert_int_equal(savu_h5_write_variable_string(g, "name", "Thing", H5T_CSET_UTF8), 0);
    assert_int_equal(savu_h5_write_variable_string(g, "id", "x.y", H5T_CSET_ASCII), 0);
    assert_int_equal(savu_h5_write_variable_string(g, "data", "{\"k\": \"v\"}", H5T_CSET_UTF8), 0);
    assert_int_equal(savu_h5_write_int32(g, "active", 0), 0);
    H5Gclose(g);
    hid_t iterate = H5Gcreate2(entry, "iterate_plugin_groups", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    g = H5Gcreate2(iterate, "0", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    assert_int_equal(savu_h5_write_int32(g, "start", 1), 0);
    assert_int_equal(savu_h5_write_int32(g, "end", 4), 0);
    assert_int_equal(savu_h5_write_int32(g, "iterations", 2), 0);
    H5Gclose(g);
    H5Gclose(iterate);
    H5Gclose(plugins);
    H5Gclose(entry);
    H5Fclose(file);
    savu_error err = { "" };
    assert_null(savu_nexus_read(path, savu_registry_catalog(), &err));
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: iterate group 0: ", path);
    assert_true(strncmp(err.msg, expected, strlen(expected)) == 0);

    file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    H5Ldelete(file, "/entry/iterate_plugin_groups/0", H5P_DEFAULT);
    H5Fclose(file);
    savu_process_list *pl = read_ok(path);
    assert_list(pl, "1:Thing");
    assert_string_equal(pl->entries[0]->id, "x.y");
    assert_false(pl->entries[0]->active);
    assert_string_equal(json_string_value(json_object_get(pl->entries[0]->params, "k")), "v");
    savu_plist_free(pl);
}

/* ---- the plugin catalog the reader is handed ---- */

/* A catalog of one plugin: ctx. */
static const struct savu_plugin *find_only(void *ctx, const char *name)
{
    const struct savu_plugin *only = ctx;
    return strcmp(only->name, name) == 0 ? only : NULL;
}

/* The reader knows the plugins of its catalog and no others (no registry):
 * a known one gets its definition and, with no id in the file, its id. */
static void test_plugins_come_from_the_catalog(void **state)
{
    (void)state;
    char path[512];
    test_tmpdir_path(path, sizeof path, "catalog.nxs");
    static const char *const groups[] = { "1|CitedThing|{}", "2|NxtomoLoader|{}" };
    write_plugin_file(path, groups, 2);
    const savu_plugin_catalog only_cited = { find_only, (void *)&cited_plugin };
    savu_error err = { "" };
    savu_process_list *pl = savu_nexus_read(path, &only_cited, &err);
    assert_non_null(pl);
    assert_ptr_equal(pl->entries[0]->plugin, &cited_plugin);
    assert_string_equal(pl->entries[0]->id, cited_plugin.id);
    assert_null(pl->entries[1]->plugin);
    assert_string_equal(pl->entries[1]->id, "");
    savu_plist_free(pl);
    pl = savu_nexus_read(path, NULL, &err);
    assert_non_null(pl);
    assert_null(pl->entries[0]->plugin);
    assert_null(pl->entries[1]->plugin);
    savu_plist_free(pl);
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* the tests provoke HDF5 errors on purpose */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_savu_list_opens),
        cmocka_unit_test(test_astra_list_contents),
        cmocka_unit_test(test_every_savu_list_round_trips),
        cmocka_unit_test(test_iterate_groups_round_trip),
        cmocka_unit_test(test_legacy_layout),
        cmocka_unit_test(test_sub_positions_and_opaque_entries_round_trip),
        cmocka_unit_test(test_citation_dependency),
        cmocka_unit_test(test_saved_types),
        cmocka_unit_test(test_failed_save_keeps_old_file),
        cmocka_unit_test(test_save_errors_name_the_path),
        cmocka_unit_test(test_missing_empty_and_non_hdf5_files),
        cmocka_unit_test(test_truncated_file),
        cmocka_unit_test(test_hdf5_file_that_is_not_a_list),
        cmocka_unit_test(test_bad_plugin_groups),
        cmocka_unit_test(test_variable_strings_and_integer_active),
        cmocka_unit_test(test_plugins_come_from_the_catalog),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, test_tmpdir_teardown);
}
