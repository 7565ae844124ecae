/* test_citations_text.c: run_log/citations.txt and citations.bib
 * (citations_text.c): the framework's citations alone, in Savu's layout
 * (DESCRIPTION with \ref{key}(Surname, Year), BIBTEX, ENDNOTE); the built-in
 * plugins' citations; every real Savu list (each citation of an active entry
 * cited once, keys, surnames and years right); disabled entries skipped;
 * repeats removed by DOI or BibTeX key; the EndNote fallback for authors and
 * years; the files written atomically and the errors naming the path. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test_tmpdir.h"
#include "bibtex.h"
#include "citations.h"
#include "citations_text.h"
#include "nexus.h"
#include "registry.h"

/* ---- helpers ---- */

static int make_tmpdir(void **state)
{
    (void)state;
    return test_tmpdir_make("test_citations_text");
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    return text;
}

static int count_of(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The part of text between the line `from` and the line `to` (NULL: the
 * end), malloc'd. */
static char *section(const char *text, const char *from, const char *to)
{
    const char *start = strstr(text, from);
    assert_non_null(start);
    start += strlen(from);
    const char *end = to ? strstr(start, to) : start + strlen(start);
    assert_non_null(end);
    return strndup(start, (size_t)(end - start));
}

static savu_entry *default_entry(const char *plugin)
{
    const struct savu_plugin *p = savu_registry_find(plugin);
    if (!p)
        fail_msg("no plugin %s in the registry", plugin);
    savu_error err = { "" };
    savu_entry *e = savu_entry_new_default(p, &err);
    if (!e)
        fail_msg("%s", err.msg);
    return e;
}

static void append(savu_process_list *pl, savu_entry *e)
{
    savu_error err = { "" };
    if (savu_plist_insert(pl, e, NULL, &err) != 0)
        fail_msg("%s", err.msg);
}

/* An opaque entry carrying the given citations (a JSON array). */
static savu_entry *cited_entry(const char *name, const char *citations_json)
{
    savu_entry *e = savu_entry_new(name, "test.cited", json_object());
    assert_non_null(e);
    json_error_t jerr;
    e->citations = json_loads(citations_json, 0, &jerr);
    if (!e->citations)
        fail_msg("bad test JSON: %s", jerr.text);
    return e;
}

static savu_process_list *read_list(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SAVU_LISTS_DIR, name);
    savu_error err = { "" };
    savu_process_list *pl = savu_nexus_read(path, savu_registry_catalog(), &err);
    if (!pl)
        fail_msg("reading %s failed: %s", path, err.msg);
    return pl;
}

/* ---- the text ---- */

static const char framework_description[] =
    "DESCRIPTION\n"
    "The Savu online repository \\ref{nicola_wadeson_2021_5095360}(Wadeson, 2021).  "
    "The Savu framework design is described in this paper \\ref{wadeson2016savu}"
    "(Wadeson, 2016).  "
    "Savu uses parallel HDF5 as a backend \\ref{hdf5}(The HDF Group, 1997-2016).  "
    "HDF5 uses the Message Passing Interface standard for interprocess communication "
    "\\ref{walker1996mpi}(Walker, 1996).\n"
    "\nBIBTEX\n";

static void test_framework_citations_alone(void **state)
{
    (void)state;
    savu_process_list *pl = savu_plist_new();
    char *text = citations_text(pl);
    assert_non_null(text);
    assert_int_equal(strncmp(text, framework_description, strlen(framework_description)), 0);
    /* the sections in order, each record once */
    const char *bib = strstr(text, "\nBIBTEX\n"), *end = strstr(text, "\nENDNOTE\n");
    assert_non_null(bib);
    assert_non_null(end);
    assert_true(bib < end);
    assert_int_equal(count_of(text, "@software{nicola_wadeson_2021_5095360,"), 1);
    assert_int_equal(count_of(text, "@article{wadeson2016savu,"), 1);
    assert_int_equal(count_of(text, "@ONLINE{hdf5,"), 1);
    assert_int_equal(count_of(text, "@article{walker1996mpi,"), 1);
    assert_int_equal(count_of(text, "%0 Journal Article"), 3); /* the repository has none */
    assert_int_equal(count_of(text, "\\ref{"), (int)savu_framework_citation_count);
    /* BibTeX records separated by one blank line, the file ends in one newline */
    assert_non_null(strstr(text, "year={2016}\n}\n\n@ONLINE{hdf5,"));
    size_t n = strlen(text);
    assert_true(n > 2 && text[n - 1] == '\n' && text[n - 2] != '\n');
    assert_string_equal(text + n - strlen("%I ASFRA BV\n"), "%I ASFRA BV\n");
    free(text);
    savu_plist_free(pl);
}

/* The built-in FBP plugin cites Kak & Slaney once however often it runs,
 * and not at all when every TomoRecon is disabled. */
static void test_builtin_plugins(void **state)
{
    (void)state;
    savu_process_list *pl = savu_plist_new();
    append(pl, default_entry("NxtomoLoader"));
    append(pl, default_entry("DarkFlatFieldCorrection"));
    append(pl, default_entry("TomoRecon"));
    append(pl, default_entry("TomoRecon"));
    append(pl, default_entry("Hdf5Saver"));
    char *text = citations_text(pl);
    assert_int_equal(count_of(text, "used in this reconstruction is described in this work "
                                    "\\ref{kak2001principles}(Kak, 2001)."), 1);
    assert_int_equal(count_of(text, "@book{kak2001principles,"), 1);
    assert_int_equal(count_of(text, "%A Kak, Avinash C.\n"), 1);
    assert_int_equal(count_of(text, "\\ref{"), (int)savu_framework_citation_count + 1);
    /* the plugin's after the framework's */
    assert_true(strstr(text, "kak2001principles") > strstr(text, "walker1996mpi"));
    free(text);

    savu_error err = { "" };
    assert_int_equal(savu_plist_set_active(pl, "3", false, &err), 0);
    text = citations_text(pl);
    assert_int_equal(count_of(text, "kak2001principles"), 2); /* \ref and @book */
    free(text);
    assert_int_equal(savu_plist_set_active(pl, "4", false, &err), 0);
    text = citations_text(pl);
    assert_int_equal(count_of(text, "kak2001principles"), 0);
    assert_int_equal(count_of(text, "Kak"), 0);
    free(text);
    savu_plist_free(pl);
}

static const char *cite_field(const json_t *c, const char *name)
{
    const char *s = json_string_value(json_object_get(c, name));
    return s ? s : "";
}

static const char *doi_without_resolver(const char *doi)
{
    const char *bare = strstr(doi, "10.");
    return bare ? bare : doi;
}

/* Some citation of an active entry of pl with this DOI is cited (its key
 * has a \ref in text). */
static bool doi_cited(const savu_process_list *pl, const char *text, const char *doi)
{
    bool found = false;
    for (size_t i = 0; i < pl->n && !found; i++) {
        json_t *cites = savu_entry_citations(pl->entries[i]);
        size_t k;
        json_t *c;
        json_array_foreach(cites, k, c) {
            if (strcasecmp(doi_without_resolver(cite_field(c, "doi")), doi) != 0)
                continue;
            char *key = bibtex_key(cite_field(c, "bibtex"));
            char ref[256];
            snprintf(ref, sizeof ref, "\\ref{%s}(", key ? key : "?");
            found = found || count_of(text, ref) == 1;
            free(key);
        }
        json_decref(cites);
    }
    return found;
}

/* Every citation of every active entry appears: its key once as a \ref and
 * once as a BibTeX record (unless a citation of the same DOI came first),
 * with the first author's surname and the year from its record. */
static void check_list_citations(const char *name)
{
    savu_process_list *pl = read_list(name);
    char *text = citations_text(pl);
    assert_non_null(text);
    char *bib = section(text, "\nBIBTEX\n", "\nENDNOTE\n");
    for (size_t i = 0; i < pl->n; i++) {
        json_t *cites = savu_entry_citations(pl->entries[i]);
        size_t k;
        json_t *c;
        json_array_foreach(cites, k, c) {
            char *key = bibtex_key(cite_field(c, "bibtex"));
            assert_non_null(key);
            char ref[256], record[256];
            snprintf(ref, sizeof ref, "\\ref{%s}(", key);
            snprintf(record, sizeof record, "{%s,", key);
            int refs = count_of(text, ref);
            if (refs == 0) { /* a repeat of an earlier DOI: the DOI's record is there */
                const char *doi = cite_field(c, "doi");
                assert_true(*doi);
                assert_true(doi_cited(pl, text, doi_without_resolver(doi)));
                assert_int_equal(count_of(bib, record), 0);
            } else {
                assert_int_equal(refs, 1);
                assert_int_equal(count_of(bib, record), 1);
                char *authors = bibtex_field(cite_field(c, "bibtex"), "author");
                char *surname = bibtex_first_surname(authors);
                char *year = bibtex_field(cite_field(c, "bibtex"), "year");
                char full[512];
                snprintf(full, sizeof full, "\\ref{%s}(%s, %s).", key, surname, year);
                if (!strstr(text, full))
                    fail_msg("%s: no '%s' in\n%s", name, full, text);
                free(authors);
                free(surname);
                free(year);
            }
            free(key);
        }
        json_decref(cites);
    }
    free(bib);
    free(text);
    savu_plist_free(pl);
}

static void test_every_savu_list(void **state)
{
    (void)state;
    DIR *d = opendir(SAVU_LISTS_DIR);
    assert_non_null(d);
    int lists = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n > 4 && strcmp(de->d_name + n - 4, ".nxs") == 0) {
            check_list_citations(de->d_name);
            lists++;
        }
    }
    closedir(d);
    assert_true(lists >= 10);
}

/* Surnames and years of the real lists' plugins, by hand. */
static void test_real_list_references(void **state)
{
    (void)state;
    static const struct { const char *list, *reference; } cases[] = {
        { "vo_centering_test.nxs", "described in this work \\ref{vo2014reliable}(Vo, 2014)." },
        { "ring_removal_sorting_test.nxs", "\\ref{vo2018superior}(Vo, 2018)." },
        { "basic_tomo_process.nxs", "\\ref{raven1998numerical}(Raven, 1998)." },
        { "basic_tomo_process.nxs", "\\ref{paganin2002simultaneous}(Paganin, 2002)." },
        { "basic_tomo_process.nxs", "\\ref{kak2002principles}(Kak, 2002)." },
        { "astra_fbp_ds.nxs", "ASTRA Toolbox \\ref{van2016fast}(Van Aarle, 2016)." },
        { "astra_fbp_ds.nxs", "\\ref{palenstijn2011performance}(Palenstijn, 2011)." },
        { "iterate_one_median_filter.nxs", "\\ref{kazantsev2018tomophantom}(Kazantsev, 2018)." },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        savu_process_list *pl = read_list(cases[i].list);
        char *text = citations_text(pl);
        if (count_of(text, cases[i].reference) != 1)
            fail_msg("%s: expected '%s' once in\n%s", cases[i].list, cases[i].reference, text);
        free(text);
        savu_plist_free(pl);
    }
    /* two plugins citing TomoPhantom: one record; van2015astra repeats
     * van2016fast's DOI in Savu's records: cited once */
    savu_process_list *pl = read_list("iterate_one_median_filter.nxs");
    char *text = citations_text(pl);
    assert_int_equal(count_of(text, "@article{kazantsev2018tomophantom,"), 1);
    free(text);
    savu_plist_free(pl);
    pl = read_list("astra_fbp_ds.nxs");
    text = citations_text(pl);
    assert_int_equal(count_of(text, "van2015astra"), 0);
    free(text);
    savu_plist_free(pl);
}

static void test_disabled_entries_are_skipped(void **state)
{
    (void)state;
    savu_process_list *pl = read_list("basic_tomo_process.nxs");
    savu_error err = { "" };
    assert_int_equal(savu_plist_set_active(pl, "3", false, &err), 0); /* RavenFilter */
    char *text = citations_text(pl);
    assert_int_equal(count_of(text, "raven1998numerical"), 0);
    assert_int_equal(count_of(text, "Raven, Carsten"), 0);
    assert_int_equal(count_of(text, "\\ref{paganin2002simultaneous}"), 1);
    assert_int_equal(count_of(text, "\\ref{kak2002principles}"), 1);
    free(text);
    savu_plist_free(pl);
}

static void test_repeats_removed_by_doi_or_key(void **state)
{
    (void)state;
    savu_process_list *pl = savu_plist_new();
    append(pl, cited_entry("A", "[{\"description\": \"First.\", \"doi\": \"10.1/ABC\","
                                " \"bibtex\": \"@article{first2000, author={One, A}, year={2000}}\","
                                " \"endnote\": \"%A One, A\\n%D 2000\\n\"}]"));
    /* the same DOI through a resolver, in other case: a repeat */
    append(pl, cited_entry("B", "[{\"description\": \"Again.\", \"doi\": \"https://doi.org/10.1/abc\","
                                " \"bibtex\": \"@article{other2000, author={Two, B}, year={2000}}\","
                                " \"endnote\": \"\"}]"));
    /* the same key, no DOI: a repeat */
    append(pl, cited_entry("C", "[{\"description\": \"Key.\", \"doi\": \"\","
                                " \"bibtex\": \"@misc{ first2000 , author={Three, C}}\","
                                " \"endnote\": \"\"}]"));
    /* another work */
    append(pl, cited_entry("D", "[{\"description\": \"New.\", \"doi\": \"10.1/xyz\","
                                " \"bibtex\": \"@article{new2001, author={Four, D}, year=2001}\","
                                " \"endnote\": \"\"}]"));
    char *text = citations_text(pl);
    assert_non_null(strstr(text, "First \\ref{first2000}(One, 2000).  New \\ref{new2001}(Four, "
                                 "2001).\n"));
    assert_int_equal(count_of(text, "first2000"), 2);
    assert_int_equal(count_of(text, "other2000"), 0);
    assert_int_equal(count_of(text, "Three"), 0);
    assert_int_equal(count_of(text, "%A One, A"), 1);
    free(text);
    savu_plist_free(pl);
}

/* A BibTeX record without author or year takes them from the EndNote
 * record; a citation with no BibTeX record has no \ref and no BibTeX. */
static void test_endnote_fallback(void **state)
{
    (void)state;
    savu_process_list *pl = savu_plist_new();
    append(pl, cited_entry("E", "[{\"description\": \"Fields from EndNote.\", \"doi\": \"\","
                                " \"bibtex\": \"@misc{bare2010, title={T}}\","
                                " \"endnote\": \"%0 Generic\\n%A van Doe, Jane\\n%A Roe, R\\n"
                                "%D 1999\\n\"},"
                                " {\"description\": \"EndNote only\", \"doi\": \"10.9/only\","
                                " \"bibtex\": \"\", \"endnote\": \"%A Smith, J\\n%D 2005\\n\"},"
                                " {\"description\": \"Nothing known\", \"doi\": \"10.9/none\","
                                " \"bibtex\": \"\", \"endnote\": \"\"}]"));
    char *text = citations_text(pl);
    assert_non_null(strstr(text, "  Fields from EndNote \\ref{bare2010}(van Doe, 1999).  "
                                 "EndNote only (Smith, 2005).  Nothing known.\n"));
    char *bib = section(text, "\nBIBTEX\n", "\nENDNOTE\n");
    assert_int_equal(count_of(bib, "@"), 5); /* the framework's four and bare2010 */
    free(bib);
    char *endnote = section(text, "\nENDNOTE\n", NULL);
    assert_non_null(strstr(endnote, "%D 1999\n\n%A Smith, J\n%D 2005\n"));
    assert_int_equal(endnote[strlen(endnote) - 1], '\n');
    assert_int_not_equal(endnote[strlen(endnote) - 2], '\n');
    free(endnote);
    free(text);
    savu_plist_free(pl);
}

/* ---- the files ---- */

static void test_files_written(void **state)
{
    (void)state;
    char dir[512], txt[600], bibpath[600];
    test_tmpdir_path(dir, sizeof dir, "run_log");
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(txt, sizeof txt, "%s/citations.txt", dir);
    snprintf(bibpath, sizeof bibpath, "%s/citations.bib", dir);
    savu_process_list *small = savu_plist_new();
    savu_error err = { "" };
    assert_int_equal(citations_text_write(dir, small, &err), 0);

    savu_process_list *pl = read_list("astra_fbp_ds.nxs");
    assert_int_equal(citations_text_write(dir, pl, &err), 0); /* over the old ones */
    assert_int_equal(test_tmpdir_entries(dir), 2);
    char *expected = citations_text(pl), *got = slurp(txt), *bib = slurp(bibpath);
    assert_string_equal(got, expected);
    char *bib_section = section(expected, "\nBIBTEX\n", "\nENDNOTE\n");
    assert_string_equal(bib, bib_section);
    assert_int_equal(bib[0], '@');
    assert_int_equal(count_of(bib, "%A"), 0);
    free(bib_section);
    free(bib);
    free(got);
    free(expected);
    savu_plist_free(pl);
    savu_plist_free(small);
}

static void test_write_errors(void **state)
{
    (void)state;
    savu_process_list *pl = savu_plist_new();
    savu_error err = { "" };
    char dir[512], expected[700];
    test_tmpdir_path(dir, sizeof dir, "no/such/run_log");
    assert_int_equal(citations_text_write(dir, pl, &err), -1);
    snprintf(expected, sizeof expected, "cannot write %s/citations.txt: No such file or directory",
             dir);
    assert_string_equal(err.msg, expected);

    /* citations.bib is a directory: the error names it */
    test_tmpdir_path(dir, sizeof dir, "bib_is_dir");
    assert_int_equal(mkdir(dir, 0755), 0);
    char bib[600];
    snprintf(bib, sizeof bib, "%s/citations.bib", dir);
    assert_int_equal(mkdir(bib, 0755), 0);
    assert_int_equal(citations_text_write(dir, pl, &err), -1);
    snprintf(expected, sizeof expected, "cannot write %s: Is a directory", bib);
    assert_string_equal(err.msg, expected);
    assert_int_equal(test_tmpdir_entries(dir), 2); /* citations.txt and the directory */
    savu_plist_free(pl);
}

/* A write failing half-way (the file-size limit, which holds for root too)
 * leaves the old file as it was and no temporary. */
static void test_failed_write_keeps_old_file(void **state)
{
    (void)state;
    char dir[512], txt[600];
    test_tmpdir_path(dir, sizeof dir, "atomic");
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(txt, sizeof txt, "%s/citations.txt", dir);
    savu_process_list *small = savu_plist_new();
    savu_error err = { "" };
    assert_int_equal(citations_text_write(dir, small, &err), 0);
    char *old = slurp(txt);

    savu_process_list *big = read_list("astra_fbp_ds.nxs");
    test_fsize limit;
    test_fsize_limit(&limit, strlen(old) + 16);
    int rc = citations_text_write(dir, big, &err);
    test_fsize_unlimit(&limit);
    assert_int_equal(rc, -1);
    char expected[700];
    snprintf(expected, sizeof expected, "cannot write %s: File too large", txt);
    assert_string_equal(err.msg, expected);
    char *now = slurp(txt);
    assert_string_equal(now, old);
    assert_int_equal(test_tmpdir_entries(dir), 2);
    free(now);
    free(old);
    savu_plist_free(big);
    savu_plist_free(small);
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    savu_registry_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framework_citations_alone),
        cmocka_unit_test(test_builtin_plugins),
        cmocka_unit_test(test_every_savu_list),
        cmocka_unit_test(test_real_list_references),
        cmocka_unit_test(test_disabled_entries_are_skipped),
        cmocka_unit_test(test_repeats_removed_by_doi_or_key),
        cmocka_unit_test(test_endnote_fallback),
        cmocka_unit_test(test_files_written),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_failed_write_keeps_old_file),
    };
    int failed = cmocka_run_group_tests(tests, make_tmpdir, test_tmpdir_teardown);
    savu_registry_reset();
    return failed;
}
