/* nexus_write.c: saving a process list in Savu 4.2's NeXus/HDF5 layout
 * (reference savu-config.md §6), with the exact HDF5 types Savu writes, so
 * that Savu opens our lists and we open its. The file is built in memory and
 * saved atomically (atomic_file.h): a failed save leaves an existing file as
 * it was. */
#include "nexus.h"
#include "atomic_file.h"
#include "citations.h"
#include "json_format.h"
#include "nexus_hdf5.h"
#include <stdarg.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct writer {
    char reason[512]; /* why writing failed when it is not an HDF5 error */
} writer;

/* Records the reason for a failure that is not on HDF5's error stack. */
static int writer_fail(writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int writer_fail(writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->reason, sizeof w->reason, fmt, ap);
    va_end(ap);
    return -1;
}

/* An NXcite group: bibtex, description, doi, endnote. */
static int write_citation(hid_t parent, const char *name, const char *description, const char *doi,
                          const char *bibtex, const char *endnote)
{
    hid_t g = savu_h5_create_group(parent, name, "NXcite", H5T_CSET_UTF8);
    if (g < 0)
        return -1;
    int rc = savu_h5_write_fixed_string(g, "bibtex", bibtex ? bibtex : "") < 0 ||
                     savu_h5_write_fixed_string(g, "description", description ? description : "") < 0 ||
                     savu_h5_write_fixed_string(g, "doi", doi ? doi : "") < 0 ||
                     savu_h5_write_fixed_string(g, "endnote", endnote ? endnote : "") < 0
                 ? -1
                 : 0;
    return savu_h5_close(rc, g);
}

static const char *field(const json_t *cite, const char *key)
{
    const char *text = json_string_value(json_object_get(cite, key));
    return text ? text : "";
}

static int write_entry_citations(writer *w, hid_t g, const savu_entry *e)
{
    json_t *list = savu_entry_citations(e);
    if (!list)
        return writer_fail(w, "out of memory");
    int rc = 0;
    size_t i;
    json_t *cite;
    json_array_foreach(list, i, cite) {
        char name[32];
        snprintf(name, sizeof name, "citation%zu", i + 1);
        rc = write_citation(g, name, field(cite, "description"), field(cite, "doi"),
                            field(cite, "bibtex"), field(cite, "endnote"));
        if (rc < 0)
            break;
    }
    json_decref(list);
    return rc;
}

/* /entry/plugin/<pos>: active, name, id, data and the citations. */
static int write_entry(writer *w, hid_t plugins, const savu_entry *e)
{
    savu_pos pos = { 0, 0 };
    savu_pos_parse(e->pos, &pos, NULL); /* checked by check_positions */
    char group_name[SAVU_POS_MAX];
    savu_pos_format(pos, group_name);
    char *data = e->params ? savu_json_dumps(e->params) : NULL;
    if (e->params && !data)
        return writer_fail(w, "out of memory");
    hid_t g = savu_h5_create_group(plugins, group_name, "NXnote", H5T_CSET_ASCII);
    int rc = g >= 0 && savu_h5_write_bool(g, "active", e->active) == 0 &&
                     savu_h5_write_fixed_string(g, "name", e->name ? e->name : "") == 0 &&
                     savu_h5_write_fixed_string(g, "id", e->id ? e->id : "") == 0 &&
                     savu_h5_write_fixed_string(g, "data", data ? data : "{}") == 0
                 ? write_entry_citations(w, g, e)
                 : -1;
    free(data);
    return savu_h5_close(rc, g);
}

static int write_plugins(writer *w, hid_t entry, const savu_process_list *pl)
{
    hid_t plugins = savu_h5_create_group(entry, "plugin", "NXprocess", H5T_CSET_ASCII);
    int rc = plugins < 0 ? -1 : 0;
    for (size_t i = 0; i < pl->n && rc == 0; i++)
        rc = write_entry(w, plugins, pl->entries[i]);
    return savu_h5_close(rc, plugins);
}

static int write_iterate_group(hid_t parent, size_t index, const savu_iterate_group *it)
{
    char name[32];
    snprintf(name, sizeof name, "%zu", index);
    hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = g >= 0 && savu_h5_write_int32(g, "start", it->start) == 0 &&
                     savu_h5_write_int32(g, "end", it->end) == 0 &&
                     savu_h5_write_int32(g, "iterations", it->iterations) == 0
                 ? 0
                 : -1;
    return savu_h5_close(rc, g);
}

/* /entry/iterate_plugin_groups/<0,1,..>: start, end, iterations (the group
 * is there even when the list has no iterate groups). */
static int write_iterate_groups(hid_t entry, const savu_process_list *pl)
{
    hid_t parent = savu_h5_create_group(entry, "iterate_plugin_groups", "NXnote", H5T_CSET_ASCII);
    int rc = parent < 0 ? -1 : 0;
    for (size_t i = 0; i < pl->n_groups && rc == 0; i++)
        rc = write_iterate_group(parent, i, &pl->groups[i]);
    return savu_h5_close(rc, parent);
}

static int write_framework_citations(hid_t entry)
{
    hid_t parent = savu_h5_create_group(entry, "framework_citations", "NXcollection", H5T_CSET_ASCII);
    int rc = parent < 0 ? -1 : 0;
    for (size_t i = 0; i < savu_framework_citation_count && rc == 0; i++) {
        const struct savu_citation *c = &savu_framework_citations[i];
        rc = write_citation(parent, c->label, c->description, c->doi, c->bibtex, c->endnote);
    }
    return savu_h5_close(rc, parent);
}

static int write_notes(hid_t entry)
{
    hid_t notes = savu_h5_create_group(entry, "savu_notes", "NXnote", H5T_CSET_ASCII);
    int rc = notes < 0 ? -1 : savu_h5_write_variable_string(notes, "version", SAVU_NEXUS_VERSION, H5T_CSET_UTF8);
    return savu_h5_close(rc, notes);
}

/* Every position parses and they increase strictly in natural order, so the
 * file reads back in the same order (the reader sorts). */
static int check_positions(writer *w, const savu_process_list *pl)
{
    savu_pos previous = { 0, 0 };
    for (size_t i = 0; i < pl->n; i++) {
        savu_pos pos;
        if (savu_pos_parse(pl->entries[i]->pos, &pos, NULL) < 0)
            return writer_fail(w, "plugin %zu has a bad position '%s'", i + 1, pl->entries[i]->pos);
        if (i > 0 && savu_pos_compare(previous, pos) >= 0)
            return writer_fail(w, "plugin %zu has position '%s', which does not come after '%s'",
                               i + 1, pl->entries[i]->pos, pl->entries[i - 1]->pos);
        previous = pos;
    }
    return 0;
}

static int write_layout(writer *w, hid_t file, const savu_process_list *pl)
{
    hid_t entry = savu_h5_create_group(file, "entry", "NXentry", H5T_CSET_ASCII);
    int rc = entry >= 0 && write_framework_citations(entry) == 0 && write_notes(entry) == 0 &&
                     write_plugins(w, entry, pl) == 0 && write_iterate_groups(entry, pl) == 0
                 ? 0
                 : -1;
    return savu_h5_close(rc, entry);
}

/* Builds the whole file in memory (HDF5's core driver, no backing store) and
 * returns its bytes: the disk is then written by plain system calls, whose
 * failures (disk full, file too large) leave HDF5 in no half-closed state. */
static unsigned char *build_image(writer *w, const savu_process_list *pl, savu_nexus_extra_fn extra,
                                  void *ctx, size_t *size)
{
    unsigned char *image = NULL;
    if (check_positions(w, pl) < 0)
        return NULL;
    hid_t fapl = savu_h5_fapl_strong_close();
    int rc = fapl >= 0 && H5Pset_fapl_core(fapl, 1 << 16, 0) >= 0 ? 0 : -1;
    hid_t file = rc == 0 ? H5Fcreate("process_list.nxs", H5F_ACC_TRUNC, H5P_DEFAULT, fapl) : -1;
    if (file < 0)
        rc = -1;
    rc = savu_h5_close(rc, fapl);
    if (rc == 0)
        rc = write_layout(w, file, pl);
    if (rc == 0 && extra) {
        savu_error why = { "" };
        if (extra(file, ctx, &why) < 0)
            rc = why.msg[0] ? writer_fail(w, "%s", why.msg) : -1;
    }
    if (rc == 0 && H5Fflush(file, H5F_SCOPE_GLOBAL) < 0)
        rc = -1;
    ssize_t n = rc == 0 ? H5Fget_file_image(file, NULL, 0) : -1;
    if (n > 0 && !(image = malloc((size_t)n)))
        rc = writer_fail(w, "out of memory");
    else if (n <= 0 || H5Fget_file_image(file, image, (size_t)n) != n)
        rc = -1;
    if (savu_h5_close(rc, file) < 0) {
        if (!w->reason[0])
            savu_h5_reason(w->reason, sizeof w->reason);
        free(image);
        return NULL;
    }
    *size = (size_t)n;
    return image;
}

int savu_nexus_write(const savu_process_list *pl, const char *path, savu_error *err)
{
    return savu_nexus_write_with(pl, path, NULL, NULL, err);
}

int savu_nexus_write_with(const savu_process_list *pl, const char *path, savu_nexus_extra_fn extra,
                          void *ctx, savu_error *err)
{
    if (!path || !*path)
        return savu_error_set(err, "cannot write: no file name given");
    writer w = { "" };
    size_t size = 0;
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    unsigned char *image = build_image(&w, pl, extra, ctx, &size);
    savu_h5_quiet_end(&quiet);
    if (!image) {
        savu_error_set(err, "cannot write %s: %s", path, w.reason);
        savu_h5_error_one_line(err);
        return -1;
    }
    int rc = savu_atomic_write_file(path, image, size, err);
    free(image);
    if (rc < 0)
        savu_h5_error_one_line(err);
    return rc;
}
