/* fuzz_reader.c: libFuzzer target for the process-list reader. Each input is
 * a small script that builds an HDF5 file in memory (HDF5's core driver),
 * whose image is then read with savu_nexus_read_image. One operation a line:
 *
 *   g PATH              a group (missing parents are created)
 *   s PATH TEXT         a shape (1,) fixed-length string, as Savu writes
 *   v PATH TEXT         a scalar variable-length string, as h5py writes str
 *   m PATH N TEXT       a shape (N,) fixed-length string array
 *   b PATH 0|1          a shape (1,) enum bool (Savu's `active`)
 *   i PATH N            a scalar int32
 *   f PATH X            a scalar float64
 *   l PATH TARGET       a soft link;  h PATH TARGET  a hard link
 *   x PATH FILE:OBJECT  an external link (which the reader must not follow)
 *   d PATH              delete a link
 *
 * PATH and TEXT may hold the escapes \s (a space), \n and \\. Operations
 * that HDF5 refuses are skipped.
 * The scripts reach every kind of content a well-formed HDF5 file can hold
 * (names, types, shapes, links, odd JSON) and so fuzz our reader, not HDF5's
 * parser of damaged bytes: HDF5 1.10 itself overflows buffers and loops on
 * some corrupt files within seconds of raw-byte fuzzing, which savu cannot
 * fix (truncated and corrupt files are covered by test_nexus).
 *
 * Beyond crashes and leaks it checks the reader's promises: a list it returns
 * has its entries in strictly increasing natural position order, each with a
 * name and a JSON-object parameter set, and iterate groups inside the list; a
 * refusal is one line that names the file.
 *
 * With FUZZ_READER_VERBOSE set in the environment it prints what each input
 * gave (to see what a seed or a reproducer does).
 *
 * The reader is handed no plugin catalog (the registry would pull in every
 * plugin and kernel): every plugin is unknown, which the reader keeps
 * opaque. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nexus.h"
#include "nexus_hdf5.h"

#define MAX_OPERATIONS 400
#define MAX_ARRAY 64

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_reader: %s\n", what);
    abort();
}

/* ---- building the file ---- */

/* The character that escape "\\c" stands for, or 0. */
static char escaped(char c)
{
    switch (c) {
    case 's': return ' ';
    case 'n': return '\n';
    case '\\': return '\\';
    default: return 0;
    }
}

/* Decodes \s, \n and \\ in place. */
static void unescape(char *s)
{
    char *out = s;
    for (; *s; s++) {
        char decoded = s[0] == '\\' ? escaped(s[1]) : 0;
        if (decoded) {
            *out++ = decoded;
            s++;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
}

/* Opens (creating when missing) the parent group of path; *name is the last
 * component. -1 when HDF5 refuses. */
static hid_t open_parent(hid_t file, char *path, const char **name)
{
    char *slash = strrchr(path, '/');
    if (!slash || !slash[1])
        return -1;
    *name = slash + 1;
    if (slash == path)
        return H5Gopen2(file, "/", H5P_DEFAULT);
    *slash = '\0';
    hid_t g = H5Lexists(file, path, H5P_DEFAULT) > 0 ? H5Gopen2(file, path, H5P_DEFAULT) : -1;
    if (g < 0) {
        hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
        H5Pset_create_intermediate_group(lcpl, 1);
        g = H5Gcreate2(file, path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
        H5Pclose(lcpl);
    }
    *slash = '/';
    return g;
}

static void write_string_array(hid_t loc, const char *name, long count, const char *text)
{
    if (count < 0 || count > MAX_ARRAY)
        return;
    size_t len = strlen(text) ? strlen(text) : 1;
    hsize_t dims = (hsize_t)count;
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, len);
    hid_t space = H5Screate_simple(1, &dims, NULL);
    hid_t dset = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    char *buf = calloc((size_t)count ? (size_t)count : 1, len);
    if (buf && dset >= 0) {
        for (long i = 0; i < count; i++)
            memcpy(buf + (size_t)i * len, text, strlen(text));
        H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    }
    free(buf);
    savu_h5_close(0, dset);
    savu_h5_close(0, space);
    savu_h5_close(0, type);
}

static void write_double(hid_t loc, const char *name, double value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t dset = H5Dcreate2(loc, name, H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (dset >= 0)
        H5Dwrite(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value);
    savu_h5_close(0, dset);
    savu_h5_close(0, space);
}

/* Applies one line "<op> <path>[ <value>]". */
static void apply(hid_t file, char *line)
{
    char op = line[0];
    if (!op || line[1] != ' ')
        return;
    char *path = line + 2;
    char *value = strchr(path, ' ');
    if (value)
        *value++ = '\0';
    else
        value = path + strlen(path);
    unescape(path);
    unescape(value);
    if (op == 'd') {
        H5Ldelete(file, path, H5P_DEFAULT);
        return;
    }
    const char *name;
    hid_t parent = open_parent(file, path, &name);
    if (parent < 0)
        return;
    char *end;
    switch (op) {
    case 'g': savu_h5_close(0, H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)); break;
    case 's': savu_h5_write_fixed_string(parent, name, value); break;
    case 'v': savu_h5_write_variable_string(parent, name, value, H5T_CSET_UTF8); break;
    case 'm': {
        long count = strtol(value, &end, 10);
        write_string_array(parent, name, count, *end == ' ' ? end + 1 : end);
        break;
    }
    case 'b': savu_h5_write_bool(parent, name, strcmp(value, "0") != 0); break;
    case 'i': savu_h5_write_int32(parent, name, (int)strtol(value, NULL, 10)); break;
    case 'f': write_double(parent, name, strtod(value, NULL)); break;
    case 'l': H5Lcreate_soft(value, parent, name, H5P_DEFAULT, H5P_DEFAULT); break;
    case 'h': H5Lcreate_hard(file, value, parent, name, H5P_DEFAULT, H5P_DEFAULT); break;
    case 'x': {
        char *colon = strchr(value, ':');
        if (colon) {
            *colon = '\0';
            H5Lcreate_external(value, colon + 1, parent, name, H5P_DEFAULT, H5P_DEFAULT);
        }
        break;
    }
    default: break;
    }
    savu_h5_close(0, parent);
}

/* The script's file as an image; NULL when HDF5 cannot build it. */
static void *build_image(const uint8_t *data, size_t size, size_t *image_size)
{
    char *script = malloc(size + 1);
    if (!script)
        return NULL;
    memcpy(script, data, size);
    script[size] = '\0';
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fapl, 1 << 16, 0);
    hid_t file = H5Fcreate("fuzz-build.nxs", H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    void *image = NULL;
    if (file >= 0) {
        char *rest = script;
        for (int n = 0; rest && n < MAX_OPERATIONS; n++)
            apply(file, strsep(&rest, "\n"));
        H5Fflush(file, H5F_SCOPE_GLOBAL);
        ssize_t len = H5Fget_file_image(file, NULL, 0);
        if (len > 0 && (image = malloc((size_t)len)) &&
            H5Fget_file_image(file, image, (size_t)len) != len) {
            free(image);
            image = NULL;
        }
        *image_size = len > 0 ? (size_t)len : 0;
        H5Fclose(file);
    }
    free(script);
    return image;
}

/* ---- checking the reader's promises ---- */

static void check_list(const savu_process_list *pl)
{
    savu_pos previous = { 0, 0 };
    for (size_t i = 0; i < pl->n; i++) {
        const savu_entry *e = pl->entries[i];
        savu_pos pos;
        if (savu_pos_parse(e->pos, &pos, NULL) < 0)
            fail("an entry has a position that does not parse");
        if (i > 0 && savu_pos_compare(previous, pos) >= 0)
            fail("entries are not in strictly increasing position order");
        if (!e->name || !e->id || !json_is_object(e->params))
            fail("an entry lacks its name, id or parameter object");
        if (e->citations && !json_is_array(e->citations))
            fail("an entry's citations are not an array");
        previous = pos;
    }
    for (size_t g = 0; g < pl->n_groups; g++) {
        const savu_iterate_group *it = &pl->groups[g];
        if (it->start < 1 || it->end < it->start || (size_t)it->end > pl->n || it->iterations < 1)
            fail("an iterate group is outside the list");
    }
}

static void describe(const savu_process_list *pl, const savu_error *err)
{
    if (!pl) {
        fprintf(stderr, "fuzz_reader: refused: %s\n", err->msg);
        return;
    }
    fprintf(stderr, "fuzz_reader: read %zu plugins:", pl->n);
    for (size_t i = 0; i < pl->n; i++)
        fprintf(stderr, " %s:%s%s", pl->entries[i]->pos, pl->entries[i]->name,
                pl->entries[i]->active ? "" : "(off)");
    fprintf(stderr, "; %zu iterate groups\n", pl->n_groups);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int quiet;
    if (!quiet) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* refused operations are expected */
        quiet = 1;
    }
    size_t image_size = 0;
    void *image = build_image(data, size, &image_size);
    if (!image)
        return 0;
    savu_error err = { "" };
    savu_process_list *pl = savu_nexus_read_image(image, image_size, "fuzz.nxs", NULL, &err);
    if (getenv("FUZZ_READER_VERBOSE"))
        describe(pl, &err);
    if (pl) {
        check_list(pl);
        savu_plist_free(pl);
    } else {
        if (strncmp(err.msg, "fuzz.nxs: ", 10) != 0)
            fail("an error does not start with the file name");
        if (strchr(err.msg, '\n'))
            fail("an error is more than one line");
    }
    free(image);
    return 0;
}
