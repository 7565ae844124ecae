/* phantom_nxtomo.c: the NXtomo file of a phantom scan — its layout, the
 * frames streamed into it from the thread pool, and the parameter record
 * (see phantom_nxtomo.h). */
#include "config.h"
#include "phantom_nxtomo.h"
#include <hdf5.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "nexus_hdf5.h"
#include "phantom_frames.h"
#include "phantom_h5.h"
#include "phantom_scan.h"

#define GENERATOR_VERSION "savu_phantom " PACKAGE_VERSION

/* ---- the parameter record ---- */

typedef enum { FIELD_INT, FIELD_DOUBLE, FIELD_BOOL, FIELD_SEED } field_kind;

static const struct record_field {
    const char *name;
    field_kind kind;
    size_t offset;
} record_fields[] = {
    {"width", FIELD_INT, offsetof(savu_phantom_params, width)},
    {"rows", FIELD_INT, offsetof(savu_phantom_params, rows)},
    {"angles", FIELD_INT, offsetof(savu_phantom_params, angles)},
    {"range", FIELD_INT, offsetof(savu_phantom_params, range)},
    {"darks", FIELD_INT, offsetof(savu_phantom_params, darks)},
    {"flats", FIELD_INT, offsetof(savu_phantom_params, flats)},
    {"cor_offset", FIELD_DOUBLE, offsetof(savu_phantom_params, cor_offset)},
    {"scale", FIELD_DOUBLE, offsetof(savu_phantom_params, scale)},
    {"flat_level", FIELD_DOUBLE, offsetof(savu_phantom_params, flat_level)},
    {"dark_level", FIELD_DOUBLE, offsetof(savu_phantom_params, dark_level)},
    {"rings", FIELD_DOUBLE, offsetof(savu_phantom_params, rings)},
    {"zingers", FIELD_DOUBLE, offsetof(savu_phantom_params, zingers)},
    {"noise", FIELD_BOOL, offsetof(savu_phantom_params, noise)},
    {"seed", FIELD_SEED, offsetof(savu_phantom_params, seed)},
};
#define RECORD_FIELDS (sizeof record_fields / sizeof record_fields[0])

static hid_t field_file_type(field_kind kind)
{
    switch (kind) {
    case FIELD_INT:
    case FIELD_BOOL:
        return H5T_STD_I32LE;
    case FIELD_SEED:
        return H5T_STD_U64LE;
    default:
        return H5T_IEEE_F64LE;
    }
}

static hid_t field_mem_type(field_kind kind)
{
    switch (kind) {
    case FIELD_INT:
    case FIELD_BOOL: /* through an int: a bool's size is the compiler's */
        return H5T_NATIVE_INT;
    case FIELD_SEED:
        return H5T_NATIVE_UINT64;
    default:
        return H5T_NATIVE_DOUBLE;
    }
}

static const char *response_name(savu_pixel_response response)
{
    return response == SAVU_PIXEL_AREA ? "area" : "point";
}

/* p has its scale resolved. */
static int write_record(hid_t entry, const savu_phantom_params *p)
{
    hid_t group = phantom_h5_group(entry, "phantom", "NXcollection");
    if (group < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < RECORD_FIELDS && rc == 0; i++) {
        const struct record_field *f = &record_fields[i];
        int as_int = 0;
        const void *value = (const char *)p + f->offset;
        if (f->kind == FIELD_BOOL) {
            as_int = *(const bool *)value;
            value = &as_int;
        }
        rc = phantom_h5_scalar(group, f->name, field_file_type(f->kind), field_mem_type(f->kind),
                               value);
    }
    if (rc == 0)
        rc = phantom_h5_double(group, "cor", savu_phantom_params_cor(p));
    if (rc == 0)
        rc = phantom_h5_string(group, "pixel_response", response_name(p->response));
    if (rc == 0)
        rc = phantom_h5_string(group, "phantom", SAVU_PHANTOM_NAME);
    if (rc == 0)
        rc = phantom_h5_string(group, "version", GENERATOR_VERSION);
    H5Gclose(group);
    return rc;
}

/* ---- the NXtomo layout ---- */

/* The per-frame image keys and rotation angles. */
static int write_frame_tables(hid_t data_group, hid_t detector, const savu_phantom_params *p)
{
    hsize_t n = (hsize_t)savu_phantom_frame_count(p);
    double *keys = malloc(n * sizeof *keys), *angles = malloc(n * sizeof *angles);
    int rc = -1;
    if (keys && angles) {
        for (hsize_t i = 0; i < n; i++) {
            savu_frame_info info = savu_phantom_frame(p, (int)i);
            keys[i] = info.key;
            angles[i] = info.angle;
        }
        rc = phantom_h5_vector(detector, "image_key", keys, n, NULL);
        if (rc == 0)
            rc = phantom_h5_vector(data_group, "rotation_angle", angles, n, "degree");
    }
    free(keys);
    free(angles);
    return rc;
}

/* The frames dataset, chunked one frame per chunk; -1 on failure. */
static hid_t create_frames_dataset(hid_t data_group, const savu_phantom_params *p)
{
    hsize_t dims[3] = {(hsize_t)savu_phantom_frame_count(p), (hsize_t)p->rows,
                       (hsize_t)p->width};
    hsize_t chunk[3] = {1, dims[1], dims[2]};
    hid_t space = H5Screate_simple(3, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE), set = -1;
    if (space >= 0 && dcpl >= 0 && H5Pset_chunk(dcpl, 3, chunk) >= 0 &&
        H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER) >= 0)
        set = H5Dcreate2(data_group, "data", H5T_STD_U16LE, space, H5P_DEFAULT, dcpl,
                         H5P_DEFAULT);
    if (set >= 0 && phantom_h5_string_attr(set, "units", "counts") < 0) {
        H5Dclose(set);
        set = -1;
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return set;
}

/* Creates every group, table, link and the record; returns the (empty)
 * frames dataset, or -1. */
static hid_t write_layout(hid_t file, const savu_phantom_params *p)
{
    hid_t entry = phantom_h5_group(file, "entry1", "NXentry");
    hid_t tomo = entry >= 0 ? phantom_h5_group(entry, "tomo_entry", "NXsubentry") : -1;
    hid_t data = tomo >= 0 ? phantom_h5_group(tomo, "data", "NXdata") : -1;
    hid_t instrument = tomo >= 0 ? phantom_h5_group(tomo, "instrument", "NXinstrument") : -1;
    hid_t detector = instrument >= 0 ? phantom_h5_group(instrument, "detector", "NXdetector") : -1;
    hid_t sample = tomo >= 0 ? phantom_h5_group(tomo, "sample", "NXsample") : -1;
    hid_t frames = -1;
    if (sample >= 0 && detector >= 0 && data >= 0 &&
        phantom_h5_string(tomo, "definition", "NXtomo") == 0 &&
        phantom_h5_string_attr(data, "signal", "data") == 0 &&
        phantom_h5_string(sample, "name", SAVU_PHANTOM_NAME) == 0 &&
        write_frame_tables(data, detector, p) == 0 &&
        H5Lcreate_soft(SAVU_PHANTOM_DATA_PATH, detector, "data", H5P_DEFAULT, H5P_DEFAULT) >= 0 &&
        H5Lcreate_soft(SAVU_PHANTOM_ANGLE_PATH, sample, "rotation_angle", H5P_DEFAULT,
                       H5P_DEFAULT) >= 0 &&
        write_record(entry, p) == 0)
        frames = create_frames_dataset(data, p);
    hid_t groups[] = {sample, detector, instrument, data, tomo, entry};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (groups[i] >= 0)
            H5Gclose(groups[i]);
    return frames;
}

/* ---- streaming the frames ---- */

typedef struct nxtomo_job {
    savu_scan scan;
    const char *target;
    hid_t frames, file_space, frame_space;
} nxtomo_job;

static int make_frame(void *ctx, int frame, int worker, void *out, savu_error *err)
{
    const nxtomo_job *job = ctx;
    if (savu_scan_make_frame(&job->scan, frame, out) < 0)
        return savu_error_set(err, "out of memory making frame %d", frame);
    return 0;
}

static int write_frame(void *ctx, int frame, const void *values, savu_error *err)
{
    nxtomo_job *job = ctx;
    hsize_t start[3] = {(hsize_t)frame, 0, 0};
    hsize_t count[3] = {1, (hsize_t)job->scan.params.rows, (hsize_t)job->scan.params.width};
    if (H5Sselect_hyperslab(job->file_space, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
        H5Dwrite(job->frames, H5T_NATIVE_UINT16, job->frame_space, job->file_space, H5P_DEFAULT,
                 values) < 0) {
        char reason[512];
        savu_h5_reason(reason, sizeof reason);
        return savu_error_set(err, "cannot write %s: frame %d: %s", job->target, frame, reason);
    }
    return 0;
}

/* Writes the whole file into `tmp_path`. */
static int write_file(const savu_phantom_params *p, const char *tmp_path, const char *target,
                      savu_error *err)
{
    nxtomo_job job = {.target = target, .frames = -1, .file_space = -1, .frame_space = -1};
    if (savu_scan_init(&job.scan, p, err) < 0)
        return -1;
    hid_t fapl = savu_h5_fapl_strong_close();
    hid_t file = fapl >= 0 ? H5Fcreate(tmp_path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl) : -1;
    if (file >= 0)
        job.frames = write_layout(file, p);
    hsize_t frame_dims[3] = {1, (hsize_t)p->rows, (hsize_t)p->width};
    if (job.frames >= 0) {
        job.file_space = H5Dget_space(job.frames);
        job.frame_space = H5Screate_simple(3, frame_dims, NULL);
    }
    int rc;
    if (job.file_space < 0 || job.frame_space < 0) {
        char reason[512];
        savu_h5_reason(reason, sizeof reason);
        rc = savu_error_set(err, "cannot write %s: %s", target, reason);
    } else {
        int threads = p->threads > 0 ? p->threads : savu_frames_default_threads();
        size_t frame_bytes = (size_t)p->rows * p->width * sizeof(uint16_t);
        rc = savu_frames_run(savu_phantom_frame_count(p), frame_bytes, threads, make_frame,
                             write_frame, &job, err);
    }
    if (job.frame_space >= 0)
        H5Sclose(job.frame_space);
    if (job.file_space >= 0)
        H5Sclose(job.file_space);
    if (job.frames >= 0)
        H5Dclose(job.frames);
    if (file >= 0 && H5Fclose(file) < 0 && rc == 0) {
        char reason[512];
        savu_h5_reason(reason, sizeof reason);
        rc = savu_error_set(err, "cannot write %s: %s", target, reason);
    }
    if (fapl >= 0)
        H5Pclose(fapl);
    savu_scan_free(&job.scan);
    return rc;
}

int savu_phantom_write_nxtomo(const savu_phantom_params *params, const char *path,
                              savu_error *err)
{
    if (savu_phantom_params_check(params, err) < 0)
        return -1;
    savu_phantom_params p = *params;
    p.scale = savu_phantom_params_scale(params);
    savu_atomic_file out;
    if (savu_atomic_begin(&out, path, err) < 0)
        return -1;
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    int rc = write_file(&p, out.tmp_path, path, err);
    savu_h5_quiet_end(&quiet);
    if (rc < 0) {
        savu_atomic_abort(&out);
        return -1;
    }
    return savu_atomic_commit(&out, err);
}

/* ---- reading the record back ---- */

/* One value of dataset `name` in group as mem_type. */
static int read_scalar(hid_t group, const char *name, hid_t mem_type, void *out)
{
    if (!savu_h5_has(group, name, H5O_TYPE_DATASET))
        return -1;
    hid_t set = H5Dopen2(group, name, H5P_DEFAULT);
    if (set < 0)
        return -1;
    hid_t space = H5Dget_space(set);
    int rc = -1;
    if (space >= 0 && H5Sget_simple_extent_npoints(space) == 1 &&
        H5Dread(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0)
        rc = 0;
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(set);
    return rc;
}

static int read_fields(hid_t group, const char *path, savu_phantom_params *p, savu_error *err)
{
    for (size_t i = 0; i < RECORD_FIELDS; i++) {
        const struct record_field *f = &record_fields[i];
        void *value = (char *)p + f->offset;
        int as_int = 0;
        void *into = f->kind == FIELD_BOOL ? (void *)&as_int : value;
        if (read_scalar(group, f->name, field_mem_type(f->kind), into) < 0)
            return savu_error_set(err, "%s: no readable %s/%s (not written by savu_phantom?)",
                                  path, SAVU_PHANTOM_RECORD_PATH, f->name);
        if (f->kind == FIELD_BOOL)
            *(bool *)value = as_int != 0;
    }
    savu_error why;
    char *response = savu_h5_read_string(group, "pixel_response", &why);
    if (!response)
        return savu_error_set(err, "%s: %s: %s", path, SAVU_PHANTOM_RECORD_PATH, why.msg);
    bool known = strcmp(response, "point") == 0 || strcmp(response, "area") == 0;
    p->response = strcmp(response, "area") == 0 ? SAVU_PIXEL_AREA : SAVU_PIXEL_POINT;
    if (!known)
        savu_error_set(err, "%s: %s/pixel_response is '%s', expected point or area", path,
                       SAVU_PHANTOM_RECORD_PATH, response);
    free(response);
    return known ? 0 : -1;
}

int savu_phantom_read_record(const char *path, savu_phantom_params *p, savu_error *err)
{
    savu_phantom_params_default(p);
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    hid_t fapl = savu_h5_fapl_strong_close();
    hid_t file = fapl >= 0 ? H5Fopen(path, H5F_ACC_RDONLY, fapl) : -1;
    int rc = -1;
    if (file < 0) {
        char reason[512];
        savu_h5_reason(reason, sizeof reason);
        savu_error_set(err, "cannot read %s: %s", path, reason);
    } else if (!savu_h5_has(file, "entry1", H5O_TYPE_GROUP)) {
        savu_error_set(err, "%s: no /entry1 group (not written by savu_phantom?)", path);
    } else {
        hid_t entry = H5Gopen2(file, "entry1", H5P_DEFAULT);
        hid_t group = -1;
        if (entry >= 0 && savu_h5_has(entry, "phantom", H5O_TYPE_GROUP))
            group = H5Gopen2(entry, "phantom", H5P_DEFAULT);
        if (group < 0)
            savu_error_set(err, "%s: no %s group (not written by savu_phantom?)", path,
                           SAVU_PHANTOM_RECORD_PATH);
        else if (read_fields(group, path, p, err) == 0)
            rc = 0;
        if (group >= 0)
            H5Gclose(group);
        if (entry >= 0)
            H5Gclose(entry);
    }
    if (file >= 0)
        H5Fclose(file);
    if (fapl >= 0)
        H5Pclose(fapl);
    savu_h5_quiet_end(&quiet);
    p->threads = 0;
    if (rc == 0 && !(p->scale > 0))
        rc = savu_error_set(err, "%s: %s/scale must be positive, got %g", path,
                            SAVU_PHANTOM_RECORD_PATH, p->scale);
    else if (rc == 0 && savu_phantom_params_check(p, err) < 0)
        rc = savu_error_prefix(err, "%s: %s: ", path, SAVU_PHANTOM_RECORD_PATH);
    return rc;
}
