/* nexus_hdf5.c: HDF5 helpers shared by the NeXus reader and writer (see
 * nexus_hdf5.h): quiet error printing, one-line reasons, safe link lookup. */
#include "nexus_hdf5.h"
#include <stdio.h>
#include <string.h>

void savu_h5_quiet_begin(savu_h5_quiet *q)
{
    q->func = NULL;
    q->data = NULL;
    H5Eget_auto2(H5E_DEFAULT, &q->func, &q->data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void savu_h5_quiet_end(const savu_h5_quiet *q)
{
    H5Eset_auto2(H5E_DEFAULT, q->func, q->data);
}

struct innermost {
    char desc[512];
    bool found;
};

/* Walking upward, the first record is the most specific one. */
static herr_t keep_innermost(unsigned n, const H5E_error2_t *e, void *data)
{
    struct innermost *in = data;
    if (in->found || !e)
        return 0;
    const char *desc = e->desc && *e->desc ? e->desc : NULL;
    char minor[256] = "";
    if (!desc && H5Eget_msg(e->min_num, NULL, minor, sizeof minor) > 0)
        desc = minor;
    if (desc) {
        snprintf(in->desc, sizeof in->desc, "%s", desc);
        in->found = true;
    }
    return 0;
}

/* The sec2 driver reports a failed system call as "... error message = 'File
 * too large', ...": that text is all a user needs. */
static bool extract_system_error(const char *desc, char *out, size_t size)
{
    static const char key[] = "error message = '";
    const char *start = strstr(desc, key);
    if (!start)
        return false;
    start += sizeof key - 1;
    const char *end = strchr(start, '\'');
    if (!end || end == start)
        return false;
    snprintf(out, size, "%.*s", (int)(end - start), start);
    return true;
}

void savu_h5_reason(char *out, size_t size)
{
    struct innermost in = { .found = false };
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &in);
    if (!in.found) {
        snprintf(out, size, "unknown HDF5 error");
        return;
    }
    if (extract_system_error(in.desc, out, size))
        return;
    /* One line: cut at the first newline. */
    in.desc[strcspn(in.desc, "\n")] = '\0';
    snprintf(out, size, "%s", in.desc);
}

static herr_t close_any(hid_t id)
{
    switch (H5Iget_type(id)) {
    case H5I_FILE: return H5Fclose(id);
    case H5I_GROUP: return H5Gclose(id);
    case H5I_DATASET: return H5Dclose(id);
    case H5I_ATTR: return H5Aclose(id);
    case H5I_DATASPACE: return H5Sclose(id);
    case H5I_DATATYPE: return H5Tclose(id);
    case H5I_GENPROP_LST: return H5Pclose(id);
    default: return -1;
    }
}

int savu_h5_close(int rc, hid_t id)
{
    if (id < 0)
        return rc;
    /* Every HDF5 call clears the error stack: keep a copy across the close. */
    hid_t failure = rc < 0 ? H5Eget_current_stack() : -1;
    if (close_any(id) < 0 && rc == 0)
        rc = -1;
    if (failure >= 0)
        H5Eset_current_stack(failure);
    return rc;
}

void savu_h5_error_one_line(savu_error *err)
{
    if (!err)
        return;
    char out[sizeof err->msg];
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)err->msg; *s && n + 5 < sizeof out; s++) {
        if (*s == '\n' || *s == '\t') {
            out[n++] = '\\';
            out[n++] = *s == '\n' ? 'n' : 't';
        } else if (*s < 0x20 || *s == 0x7f) {
            n += (size_t)snprintf(out + n, sizeof out - n, "\\x%02x", *s);
        } else {
            out[n++] = (char)*s;
        }
    }
    out[n] = '\0';
    memcpy(err->msg, out, n + 1);
}

bool savu_h5_has(hid_t loc, const char *name, H5O_type_t type)
{
    if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0)
        return false;
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0)
        return false;
    H5L_info_t link;
    if (H5Lget_info(loc, name, &link, H5P_DEFAULT) < 0 || link.type != H5L_TYPE_HARD)
        return false;
    H5O_info_t obj;
    if (H5Oget_info_by_name2(loc, name, &obj, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
        return false;
    return obj.type == type;
}

hid_t savu_h5_fapl_strong_close(void)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0)
        return -1;
    if (H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) {
        H5Pclose(fapl);
        return -1;
    }
    return fapl;
}
