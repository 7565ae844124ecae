/* hdf5_inspect.c: --tree and --find, and the HDF5 helpers they share with
 * the NXtomo check (see hdf5_inspect.h). HDF5's own error printing is kept
 * off; a file that cannot be read is one line naming it. */
#include "hdf5_inspect.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

hid_t shell_h5_open(const char *path)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "savu_config: %s: the file does not exist or cannot be read\n", path);
        return -1;
    }
    if (H5Fis_hdf5(path) <= 0) {
        fprintf(stderr, "savu_config: %s: not an HDF5 file\n", path);
        return -1;
    }
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        fprintf(stderr, "savu_config: %s: HDF5 cannot open it\n", path);
    return file;
}

static const char *type_name(hid_t type, char *buf, size_t size)
{
    size_t bytes = H5Tget_size(type);
    switch (H5Tget_class(type)) {
    case H5T_INTEGER:
        snprintf(buf, size, "%sint%zu", H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "", bytes * 8);
        return buf;
    case H5T_FLOAT:
        snprintf(buf, size, "float%zu", bytes * 8);
        return buf;
    case H5T_STRING:
        return H5Tis_variable_str(type) > 0 ? "string" : "fixed-length string";
    case H5T_ENUM:
        return "enum";
    case H5T_COMPOUND:
        return "compound";
    default:
        return "other type";
    }
}

void shell_h5_describe(hid_t dataset, char *out, size_t size)
{
    hid_t space = H5Dget_space(dataset), type = H5Dget_type(dataset);
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    size_t used = 0;
    if (rank == 0) {
        used = (size_t)snprintf(out, size, "scalar");
    } else if (rank > 0 && rank <= H5S_MAX_RANK) {
        hsize_t dims[H5S_MAX_RANK];
        H5Sget_simple_extent_dims(space, dims, NULL);
        used = (size_t)snprintf(out, size, "[");
        for (int i = 0; i < rank && used < size; i++)
            used += (size_t)snprintf(out + used, size - used, "%s%llu", i ? ", " : "",
                                     (unsigned long long)dims[i]);
        if (used < size)
            used += (size_t)snprintf(out + used, size - used, "]");
    } else {
        used = (size_t)snprintf(out, size, "(no shape)");
    }
    char buf[32];
    if (type >= 0 && used < size)
        snprintf(out + used, size - used, " %s", type_name(type, buf, sizeof buf));
    if (type >= 0)
        H5Tclose(type);
    if (space >= 0)
        H5Sclose(space);
}

hid_t shell_h5_open_dataset(hid_t file, const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    bool ok = true;
    for (char *slash = copy; ok && (slash = strchr(slash, '/')) != NULL; slash++) {
        *slash = '\0';
        H5L_info_t info;
        ok = *copy && H5Lexists(file, copy, H5P_DEFAULT) > 0 &&
             H5Lget_info(file, copy, &info, H5P_DEFAULT) >= 0 && info.type == H5L_TYPE_HARD;
        *slash = '/';
    }
    H5L_info_t info;
    ok = ok && H5Lexists(file, copy, H5P_DEFAULT) > 0 &&
         H5Lget_info(file, copy, &info, H5P_DEFAULT) >= 0 && info.type == H5L_TYPE_HARD;
    hid_t obj = ok ? H5Oopen(file, copy, H5P_DEFAULT) : -1;
    free(copy);
    if (obj >= 0 && H5Iget_type(obj) != H5I_DATASET) {
        H5Oclose(obj);
        return -1;
    }
    return obj;
}

/* ---- walking the file ---- */

typedef struct walk {
    bool tree;                   /* print the tree (else call fn on datasets) */
    shell_h5_dataset_fn fn;
    void *ctx;
    bool stop;
} walk;

/* The NX_class attribute of an object, or "". */
static void nx_class(hid_t obj, char *out, size_t size)
{
    out[0] = '\0';
    if (H5Aexists(obj, "NX_class") <= 0)
        return;
    hid_t attr = H5Aopen(obj, "NX_class", H5P_DEFAULT);
    hid_t type = attr >= 0 ? H5Aget_type(attr) : -1;
    if (type >= 0 && H5Tget_class(type) == H5T_STRING) {
        hid_t mem = H5Tcopy(H5T_C_S1);
        H5Tset_cset(mem, H5Tget_cset(type));
        if (H5Tis_variable_str(type) > 0) {
            char *text = NULL;
            H5Tset_size(mem, H5T_VARIABLE);
            if (H5Aread(attr, mem, &text) >= 0 && text)
                snprintf(out, size, "%s", text);
            if (text)
                H5free_memory(text);
        } else {
            size_t len = H5Tget_size(type);
            char *text = calloc(len + 1, 1);
            H5Tset_size(mem, len + 1);
            if (text && H5Aread(attr, mem, text) >= 0)
                snprintf(out, size, "%s", text);
            free(text);
        }
        H5Tclose(mem);
    }
    if (type >= 0)
        H5Tclose(type);
    if (attr >= 0)
        H5Aclose(attr);
}

static void print_link_target(hid_t loc, const char *name, const H5L_info_t *info, int indent,
                              const char *base)
{
    char target[1024] = "?";
    if (info->u.val_size < sizeof target &&
        H5Lget_val(loc, name, target, sizeof target, H5P_DEFAULT) >= 0) {
        const char *file = NULL, *path = NULL;
        if (info->type == H5L_TYPE_EXTERNAL &&
            H5Lunpack_elink_val(target, info->u.val_size, NULL, &file, &path) >= 0) {
            printf("%*s%s -> %s:%s (external link)\n", indent, "", base, file, path);
            return;
        }
        target[sizeof target - 1] = '\0';
    }
    printf("%*s%s -> %s (%s link)\n", indent, "", base, target,
           info->type == H5L_TYPE_SOFT ? "soft" : "external");
}

static herr_t visit(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    walk *w = data;
    int depth = 0;
    for (const char *c = name; *c; c++)
        depth += *c == '/';
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    int indent = 2 + 2 * depth;
    if (info->type != H5L_TYPE_HARD) {
        if (w->tree)
            print_link_target(loc, name, info, indent, base);
        return 0;
    }
    hid_t obj = H5Oopen(loc, name, H5P_DEFAULT);
    if (obj < 0)
        return 0;
    H5I_type_t kind = H5Iget_type(obj);
    if (w->tree) {
        char desc[256] = "";
        if (kind == H5I_GROUP) {
            char cls[64];
            nx_class(obj, cls, sizeof cls);
            printf("%*s%s/%s%s%s\n", indent, "", base, *cls ? "  (" : "", cls, *cls ? ")" : "");
        } else if (kind == H5I_DATASET) {
            shell_h5_describe(obj, desc, sizeof desc);
            printf("%*s%s  %s\n", indent, "", base, desc);
        } else {
            printf("%*s%s  (named datatype)\n", indent, "", base);
        }
    } else if (kind == H5I_DATASET && !w->stop) {
        w->stop = w->fn(name, obj, w->ctx) != 0;
    }
    H5Oclose(obj);
    return w->stop ? 1 : 0;
}

void shell_h5_each_dataset(hid_t file, shell_h5_dataset_fn fn, void *ctx)
{
    walk w = {false, fn, ctx, false};
    H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, visit, &w);
}

int shell_h5_tree(const char *path)
{
    hid_t file = shell_h5_open(path);
    if (file < 0)
        return 1;
    char cls[64];
    nx_class(file, cls, sizeof cls);
    printf("%s\n/%s%s%s\n", path, *cls ? "  (" : "", cls, *cls ? ")" : "");
    walk w = {true, NULL, NULL, false};
    int rc = H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, visit, &w) < 0 ? 1 : 0;
    if (rc)
        fprintf(stderr, "savu_config: %s: the file could not be read to the end\n", path);
    H5Fclose(file);
    return rc;
}

/* ---- --find ---- */

typedef struct find_ctx {
    const char *pattern;
    bool glob;
    size_t found;
} find_ctx;

static bool contains_nocase(const char *text, const char *part)
{
    size_t n = strlen(part);
    for (; *text; text++)
        if (strncasecmp(text, part, n) == 0)
            return true;
    return false;
}

static int print_if_match(const char *name, hid_t dataset, void *data)
{
    find_ctx *f = data;
    char path[2048];
    snprintf(path, sizeof path, "/%s", name);
    bool match = f->glob ? fnmatch(f->pattern, path, 0) == 0 || fnmatch(f->pattern, name, 0) == 0
                         : contains_nocase(path, f->pattern);
    if (match) {
        char desc[256];
        shell_h5_describe(dataset, desc, sizeof desc);
        printf("%s  %s\n", path, desc);
        f->found++;
    }
    return 0;
}

int shell_h5_find(const char *path, const char *pattern)
{
    hid_t file = shell_h5_open(path);
    if (file < 0)
        return 1;
    find_ctx f = {pattern, strpbrk(pattern, "*?[") != NULL, 0};
    shell_h5_each_dataset(file, print_if_match, &f);
    H5Fclose(file);
    if (f.found == 0) {
        fprintf(stderr, "savu_config: %s: no dataset matches '%s'\n", path, pattern);
        return 1;
    }
    return 0;
}
