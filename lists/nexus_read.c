/* nexus_read.c: reading a process list from Savu's NeXus/HDF5 file (reference
 * savu-config.md §6): versions 4.0 and 4.2 and the legacy 2.x/3.0 layout
 * (padded group names, extra desc/user/hide datasets, no savu_notes). Plugins
 * are looked up in the catalog the caller hands in (plugin_catalog.h);
 * unknown ones stay opaque. Every problem is one line naming the file and
 * what is wrong; nothing in a file can crash the reader. Savu compatibility
 * renames (compat.h) are the caller's job. */
#include "nexus.h"
#include "nexus_hdf5.h"
#include "savu_plugin.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A child group of /entry/plugin or /entry/iterate_plugin_groups. */
typedef struct child_group {
    char *name;       /* as stored: "   1 ", "3a", "0" */
    savu_pos pos;     /* plugin groups: the parsed position */
    long number;      /* citation and iterate groups: the numeric part */
} child_group;

typedef struct child_list {
    child_group *items;
    size_t n, cap;
} child_list;

static void child_list_free(child_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].name);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static int child_list_add(child_list *l, const char *name)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        child_group *grown = realloc(l->items, cap * sizeof *grown);
        if (!grown)
            return -1;
        l->items = grown;
        l->cap = cap;
    }
    child_group *c = &l->items[l->n];
    memset(c, 0, sizeof *c);
    c->name = strdup(name);
    if (!c->name)
        return -1;
    l->n++;
    return 0;
}

static herr_t collect_child_group(hid_t group, const char *name, const H5L_info_t *info, void *data)
{
    if (info->type != H5L_TYPE_HARD || !savu_h5_has(group, name, H5O_TYPE_GROUP))
        return 0;
    return child_list_add(data, name) < 0 ? -1 : 0;
}

/* Names of the hard-linked child groups of `group`. */
static int list_child_groups(hid_t group, child_list *out)
{
    hsize_t idx = 0;
    return H5Literate(group, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, collect_child_group, out) < 0 ? -1 : 0;
}

static void sort_children(child_list *l, int (*compare)(const void *, const void *))
{
    if (l->n > 1)
        qsort(l->items, l->n, sizeof *l->items, compare);
}

static int compare_by_position(const void *a, const void *b)
{
    return savu_pos_compare(((const child_group *)a)->pos, ((const child_group *)b)->pos);
}

static int compare_by_number(const void *a, const void *b)
{
    const child_group *x = a, *y = b;
    if (x->number != y->number)
        return x->number < y->number ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The number at the end of a name ("citation12" -> 12), or -1 when none. */
static long trailing_number(const char *name)
{
    size_t len = strlen(name), start = len;
    while (start > 0 && name[start - 1] >= '0' && name[start - 1] <= '9')
        start--;
    if (start == len || len - start > 9)
        return -1;
    return strtol(name + start, NULL, 10);
}

/* ---- one plugin entry ---- */

typedef struct reader {
    const char *path;   /* for messages */
    const savu_plugin_catalog *catalog;
    savu_error *err;
} reader;

/* "<path>: plugin <pos>: <why>" */
static int entry_error(const reader *r, const char *pos, const savu_error *why)
{
    return savu_error_set(r->err, "%s: plugin %s: %s", r->path, pos, why->msg);
}

static json_t *read_citation(hid_t group, savu_error *why)
{
    static const char *const fields[] = { "description", "doi", "bibtex", "endnote" };
    json_t *cite = json_object();
    if (!cite) {
        savu_error_set(why, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < SAVU_COUNT_OF(fields); i++) {
        char *text = NULL;
        if (savu_h5_has(group, fields[i], H5O_TYPE_DATASET)) {
            text = savu_h5_read_string(group, fields[i], why);
            if (!text) {
                json_decref(cite);
                return NULL;
            }
        }
        /* Kept byte for byte, as Savu does, even when not valid UTF-8. */
        json_t *value = json_string_nocheck(text ? text : "");
        free(text);
        if (!value || json_object_set_new(cite, fields[i], value) < 0) {
            json_decref(cite);
            savu_error_set(why, "out of memory");
            return NULL;
        }
    }
    return cite;
}

/* The entry's citation groups (citation1, citation2, ... in number order) as
 * an array, or NULL in *out when it has none (then the plugin's own apply). */
static int read_citations(hid_t entry_group, json_t **out, savu_error *why)
{
    *out = NULL;
    child_list groups = { 0 };
    if (list_child_groups(entry_group, &groups) < 0) {
        child_list_free(&groups);
        return savu_error_set(why, "cannot list its citation groups");
    }
    size_t kept = 0;
    for (size_t i = 0; i < groups.n; i++) {
        if (!strstr(groups.items[i].name, "citation")) {
            free(groups.items[i].name);
            continue;
        }
        groups.items[kept] = groups.items[i];
        groups.items[kept].number = trailing_number(groups.items[i].name);
        kept++;
    }
    groups.n = kept;
    sort_children(&groups, compare_by_number);
    json_t *list = groups.n ? json_array() : NULL;
    int rc = 0;
    for (size_t i = 0; i < groups.n && rc == 0; i++) {
        hid_t g = H5Gopen2(entry_group, groups.items[i].name, H5P_DEFAULT);
        json_t *cite = g >= 0 ? read_citation(g, why) : NULL;
        if (g < 0)
            savu_error_set(why, "cannot open its group %s", groups.items[i].name);
        else if (!cite)
            savu_error_prefix(why, "%s/", groups.items[i].name);
        if (g >= 0)
            H5Gclose(g);
        if (!cite)
            rc = -1;
        else if (json_array_append_new(list, cite) < 0) /* takes cite, also on failure */
            rc = savu_error_set(why, "out of memory");
    }
    child_list_free(&groups);
    if (rc < 0) {
        json_decref(list);
        return -1;
    }
    *out = list;
    return 0;
}

static json_t *parse_parameters(const char *text, savu_error *why)
{
    json_error_t jerr;
    json_t *params = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!params) {
        savu_error_set(why, "data is not valid JSON: %s", jerr.text);
        return NULL;
    }
    if (!json_is_object(params)) {
        json_decref(params);
        savu_error_set(why, "data is not a JSON object");
        return NULL;
    }
    return params;
}

/* Reads the entry in group `g`; pos is its normalised position. */
static savu_entry *read_entry(const reader *r, hid_t g, const char *pos)
{
    savu_error why = { "" };
    savu_entry *e = NULL;
    json_t *params = NULL, *citations = NULL;
    char *id = NULL, *data = NULL;
    bool active = true;
    char *name = savu_h5_read_string(g, "name", &why);
    if (!name)
        goto fail;
    if (!*name) {
        savu_error_set(&why, "name is empty");
        goto fail;
    }
    if (savu_h5_has(g, "id", H5O_TYPE_DATASET) && !(id = savu_h5_read_string(g, "id", &why)))
        goto fail;
    if (!(data = savu_h5_read_string(g, "data", &why)) || !(params = parse_parameters(data, &why)))
        goto fail;
    if (savu_h5_has(g, "active", H5O_TYPE_DATASET) && savu_h5_read_bool(g, "active", &active, &why) < 0)
        goto fail;
    if (read_citations(g, &citations, &why) < 0)
        goto fail;
    const struct savu_plugin *plugin = savu_catalog_find(r->catalog, name);
    e = savu_entry_new(name, id ? id : plugin ? plugin->id : "", params);
    params = NULL; /* taken by savu_entry_new, also on failure */
    if (!e) {
        savu_error_set(&why, "out of memory");
        goto fail;
    }
    snprintf(e->pos, sizeof e->pos, "%s", pos);
    e->active = active;
    e->plugin = plugin;
    e->citations = citations;
    free(name);
    free(id);
    free(data);
    return e;
fail:
    entry_error(r, pos, &why);
    json_decref(params);
    json_decref(citations);
    free(name);
    free(id);
    free(data);
    return NULL;
}

static int append_entry(savu_process_list *pl, savu_entry *e)
{
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 8;
        savu_entry **grown = realloc(pl->entries, cap * sizeof *grown);
        if (!grown)
            return -1;
        pl->entries = grown;
        pl->cap = cap;
    }
    pl->entries[pl->n++] = e;
    return 0;
}

/* The child groups of /entry/plugin in natural position order. */
static int sorted_plugin_groups(const reader *r, hid_t plugins, child_list *out)
{
    if (list_child_groups(plugins, out) < 0)
        return savu_error_set(r->err, "%s: cannot list the groups of /entry/plugin", r->path);
    for (size_t i = 0; i < out->n; i++) {
        savu_error why;
        if (savu_pos_parse(out->items[i].name, &out->items[i].pos, &why) < 0)
            return savu_error_set(r->err, "%s: /entry/plugin has a group '%s' that is not a plugin position",
                                  r->path, out->items[i].name);
    }
    sort_children(out, compare_by_position);
    for (size_t i = 1; i < out->n; i++) {
        if (savu_pos_compare(out->items[i - 1].pos, out->items[i].pos) == 0)
            return savu_error_set(r->err, "%s: /entry/plugin: groups '%s' and '%s' are the same position",
                                  r->path, out->items[i - 1].name, out->items[i].name);
    }
    return 0;
}

static int read_entries(const reader *r, hid_t entry, savu_process_list *pl)
{
    if (!savu_h5_has(entry, "plugin", H5O_TYPE_GROUP))
        return savu_error_set(r->err, "%s: no /entry/plugin group (not a Savu process list)", r->path);
    hid_t plugins = H5Gopen2(entry, "plugin", H5P_DEFAULT);
    if (plugins < 0)
        return savu_error_set(r->err, "%s: cannot open /entry/plugin", r->path);
    child_list groups = { 0 };
    int rc = sorted_plugin_groups(r, plugins, &groups);
    for (size_t i = 0; i < groups.n && rc == 0; i++) {
        char pos[SAVU_POS_MAX];
        savu_pos_format(groups.items[i].pos, pos);
        hid_t g = H5Gopen2(plugins, groups.items[i].name, H5P_DEFAULT);
        savu_entry *e = g >= 0 ? read_entry(r, g, pos) : NULL;
        if (g < 0)
            savu_error_set(r->err, "%s: plugin %s: cannot open its group", r->path, pos);
        else
            H5Gclose(g);
        if (!e)
            rc = -1;
        else if (append_entry(pl, e) < 0) {
            savu_entry_free(e);
            rc = savu_error_set(r->err, "%s: out of memory", r->path);
        }
    }
    child_list_free(&groups);
    H5Gclose(plugins);
    return rc;
}

/* ---- iterate groups and version ---- */

static int read_iterate_group(const reader *r, hid_t groups, const char *name, savu_process_list *pl)
{
    savu_error why = { "" };
    int start = 0, end = 0, iterations = 0;
    hid_t g = H5Gopen2(groups, name, H5P_DEFAULT);
    int rc = g < 0 ? savu_error_set(&why, "cannot open the group") : 0;
    if (rc == 0 && (savu_h5_read_int(g, "start", &start, &why) < 0 ||
                    savu_h5_read_int(g, "end", &end, &why) < 0 ||
                    savu_h5_read_int(g, "iterations", &iterations, &why) < 0 ||
                    savu_plist_add_iterate(pl, start, end, iterations, &why) < 0))
        rc = -1;
    if (g >= 0)
        H5Gclose(g);
    if (rc < 0)
        savu_error_set(r->err, "%s: iterate group %s: %s", r->path, name, why.msg);
    return rc;
}

static int read_iterate_groups(const reader *r, hid_t entry, savu_process_list *pl)
{
    if (!savu_h5_has(entry, "iterate_plugin_groups", H5O_TYPE_GROUP))
        return 0; /* 4.0 and older lists have none */
    hid_t parent = H5Gopen2(entry, "iterate_plugin_groups", H5P_DEFAULT);
    if (parent < 0)
        return savu_error_set(r->err, "%s: cannot open /entry/iterate_plugin_groups", r->path);
    child_list groups = { 0 };
    int rc = 0;
    if (list_child_groups(parent, &groups) < 0)
        rc = savu_error_set(r->err, "%s: cannot list /entry/iterate_plugin_groups", r->path);
    for (size_t i = 0; i < groups.n && rc == 0; i++) {
        const char *name = groups.items[i].name;
        bool all_digits = name[strspn(name, "0123456789")] == '\0';
        groups.items[i].number = all_digits ? trailing_number(name) : -1;
        if (groups.items[i].number < 0)
            rc = savu_error_set(r->err, "%s: /entry/iterate_plugin_groups/%s: group name is not a number",
                                r->path, name);
    }
    if (rc == 0)
        sort_children(&groups, compare_by_number);
    for (size_t i = 0; i < groups.n && rc == 0; i++)
        rc = read_iterate_group(r, parent, groups.items[i].name, pl);
    child_list_free(&groups);
    H5Gclose(parent);
    return rc;
}

static int read_version(const reader *r, hid_t entry, savu_process_list *pl)
{
    if (!savu_h5_has(entry, "savu_notes", H5O_TYPE_GROUP))
        return 0; /* legacy lists carry no version */
    hid_t notes = H5Gopen2(entry, "savu_notes", H5P_DEFAULT);
    if (notes < 0)
        return savu_error_set(r->err, "%s: cannot open /entry/savu_notes", r->path);
    int rc = 0;
    if (savu_h5_has(notes, "version", H5O_TYPE_DATASET)) {
        savu_error why;
        pl->version = savu_h5_read_string(notes, "version", &why);
        if (!pl->version)
            rc = savu_error_set(r->err, "%s: /entry/savu_notes: %s", r->path, why.msg);
    }
    H5Gclose(notes);
    return rc;
}

/* ---- the file ---- */

static savu_process_list *read_open_file(const reader *r, hid_t file)
{
    if (!savu_h5_has(file, "entry", H5O_TYPE_GROUP)) {
        savu_error_set(r->err, "%s: no /entry/plugin group (not a Savu process list)", r->path);
        return NULL;
    }
    hid_t entry = H5Gopen2(file, "entry", H5P_DEFAULT);
    if (entry < 0) {
        savu_error_set(r->err, "%s: cannot open /entry", r->path);
        return NULL;
    }
    savu_process_list *pl = savu_plist_new();
    if (!pl)
        savu_error_set(r->err, "%s: out of memory", r->path);
    if (!pl || read_version(r, entry, pl) < 0 || read_entries(r, entry, pl) < 0 ||
        read_iterate_groups(r, entry, pl) < 0) {
        savu_plist_free(pl);
        pl = NULL;
    }
    H5Gclose(entry);
    return pl;
}

/* Opens `name` with the file access list fapl and reads it. */
static savu_process_list *read_with_fapl(const char *name, hid_t fapl,
                                         const savu_plugin_catalog *catalog, savu_error *err)
{
    reader r = { name, catalog, err };
    hid_t file = H5Fopen(name, H5F_ACC_RDONLY, fapl);
    if (file < 0) {
        char reason[512];
        savu_h5_reason(reason, sizeof reason);
        savu_error_set(err, "%s: corrupt or truncated HDF5 file (%s)", name, reason);
        return NULL;
    }
    savu_process_list *pl = read_open_file(&r, file);
    H5Fclose(file);
    return pl;
}

/* Why `path` cannot be an HDF5 file we can open, before asking HDF5. */
static int check_path(const char *path, savu_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return savu_error_set(err, "%s: no such file", path);
        return savu_error_set(err, "%s: %s", path, strerror(errno));
    }
    if (S_ISDIR(st.st_mode))
        return savu_error_set(err, "%s: is a directory, not a process list", path);
    if (!S_ISREG(st.st_mode))
        return savu_error_set(err, "%s: not a regular file", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return savu_error_set(err, "%s: %s", path, strerror(errno));
    fclose(f);
    if (st.st_size == 0)
        return savu_error_set(err, "%s: empty file, not an HDF5 file", path);
    return 0;
}

savu_process_list *savu_nexus_read(const char *path, const savu_plugin_catalog *catalog,
                                   savu_error *err)
{
    if (!path || !*path) {
        savu_error_set(err, "no file name given");
        return NULL;
    }
    if (check_path(path, err) < 0) {
        savu_h5_error_one_line(err);
        return NULL;
    }
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    savu_process_list *pl = NULL;
    htri_t is_hdf5 = H5Fis_hdf5(path);
    hid_t fapl = savu_h5_fapl_strong_close();
    if (is_hdf5 == 0)
        savu_error_set(err, "%s: not an HDF5 file", path);
    else if (fapl < 0)
        savu_error_set(err, "%s: cannot set up HDF5", path);
    else
        pl = read_with_fapl(path, fapl, catalog, err);
    if (fapl >= 0)
        H5Pclose(fapl);
    savu_h5_quiet_end(&quiet);
    if (!pl)
        savu_h5_error_one_line(err);
    return pl;
}

savu_process_list *savu_nexus_read_image(const void *image, size_t size, const char *name,
                                         const savu_plugin_catalog *catalog, savu_error *err)
{
    if (!image || size == 0) {
        savu_error_set(err, "%s: empty file, not an HDF5 file", name);
        return NULL;
    }
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    savu_process_list *pl = NULL;
    hid_t fapl = savu_h5_fapl_strong_close();
    if (fapl < 0 || H5Pset_fapl_core(fapl, 1 << 16, 0) < 0 ||
        H5Pset_file_image(fapl, (void *)image, size) < 0)
        savu_error_set(err, "%s: cannot set up an HDF5 file image", name);
    else
        pl = read_with_fapl(name, fapl, catalog, err);
    if (fapl >= 0)
        H5Pclose(fapl);
    savu_h5_quiet_end(&quiet);
    if (!pl)
        savu_h5_error_one_line(err);
    return pl;
}
