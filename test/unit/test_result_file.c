/* test_result_file.c: result files and the processed NeXus file, on one MPI
 * rank: the Savu layout of a result file (NXdata attributes, axes with
 * values and units, patterns; contiguous when the data move raw, chunks that
 * suit the write and the read pattern through HDF5); frames written in one
 * pattern in several blocks (one of them empty, one of more frames than a
 * vectored call takes) and read back in the other, transposed, both raw on
 * 3 I/O threads and through HDF5, and through a mapping on /dev/shm; each
 * variant of a tuned dataset at its tuning index; a result on a disk
 * going to the device as it is written; float16 results; a raw
 * read of a file cut short; <path>.part until result_file_finish, nothing
 * after result_file_abort or a failed write; one-line errors for folders
 * that cannot hold the file; and <stem>_processed.nxs: savu's reader reads
 * its process list back, its external links resolve to the result data and
 * the input, and it carries the axes, metadata and the run. */
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <hdf5.h>
#include <mpi.h>
#include "test_tmpdir.h"
#include "dataset.h"
#include "nexus.h"
#include "nexus_hdf5.h"
#include "registry.h"
#include "processed_nexus.h"
#include "result_file.h"
#include "half_float.h"
#include "cpu/thread_pool.h"

/* ---- helpers ---- */

static int make_tmpdir(void **state)
{
    (void)state;
    return test_tmpdir_make("test_result_file");
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static bool part_exists(const char *path)
{
    char part[600];
    snprintf(part, sizeof part, "%s.part", path);
    return exists(part);
}

static const char *const projection_labels[3] = { "rotation_angle", "detector_y", "detector_x" };
static const char *const projection_units[3] = { "degrees", "pixel", "pixel" };
static const char *const volume_labels[3] = { "voxel_x", "voxel_y", "voxel_z" };
static const char *const volume_units[3] = { "pixel", "pixel", "pixel" };

/* A dataset of this shape; raw data (rotation_angle first, angles 0, 3, 6,
 * ... degrees, which the caller frees) or a volume. */
static struct dataset *make_dataset(long d0, long d1, long d2, bool raw, double **angles)
{
    struct dataset *ds = dataset_new("tomo", NULL);
    assert_non_null(ds);
    dataset_set_shape(ds, 3, (const long[]){d0, d1, d2});
    for (int d = 0; d < 3; d++) {
        ds->labels[d] = raw ? projection_labels[d] : volume_labels[d];
        ds->units[d] = raw ? projection_units[d] : volume_units[d];
    }
    ds->pattern = raw ? SAVU_PATTERN_PROJECTION : SAVU_PATTERN_VOLUME_XZ;
    if (raw && angles) {
        *angles = malloc(sizeof(double) * (size_t)d0);
        assert_non_null(*angles);
        for (long i = 0; i < d0; i++)
            (*angles)[i] = 3.0 * (double)i;
        ds->angles = *angles;
        ds->n_angles = d0;
    }
    return ds;
}

/* How create_ok's files move their data: through HDF5, or raw on these
 * I/O threads (NULL: the caller). */
static bool via_hdf5;
static enum result_store store; /* how the data are stored */
static double store_min, store_max; /* RESULT_STORE_UINT16's range */
static bool written_only;           /* a result, never read back */
static savu_thread_pool *io_pool;

static result_file *create_ok(const char *path, const char *group, const struct dataset *ds,
                              enum savu_pattern write, enum savu_pattern read)
{
    struct result_file_spec spec = { path, group, ds, write, read, via_hdf5, io_pool, store,
                                     store_min, store_max, written_only };
    savu_error err = { "" };
    result_file *rf = result_file_create(MPI_COMM_WORLD, &spec, &err);
    if (!rf)
        fail_msg("creating %s failed: %s", path, err.msg);
    assert_true(result_file_moves_raw(rf) == !via_hdf5);
    return rf;
}

static void write_ok(result_file *rf, long first, long n, const float *block)
{
    savu_error err = { "" };
    if (result_file_write(rf, first, n, block, &err) != 0)
        fail_msg("writing frames %ld..%ld failed: %s", first, first + n - 1, err.msg);
}

static void read_ok(result_file *rf, long first, long n, float *block)
{
    savu_error err = { "" };
    if (result_file_read(rf, first, n, block, &err) != 0)
        fail_msg("reading frames %ld..%ld failed: %s", first, first + n - 1, err.msg);
}

static void sync_ok(result_file *rf)
{
    savu_error err = { "" };
    if (result_file_sync(rf, &err) != 0)
        fail_msg("sync failed: %s", err.msg);
}

static void finish_ok(result_file *rf)
{
    savu_error err = { "" };
    if (result_file_finish(rf, &err) != 0)
        fail_msg("finish failed: %s", err.msg);
}

/* A scalar or 1-D string attribute (any string type), element i. */
static void read_string_attr(hid_t obj, const char *name, size_t i, char *out, size_t size)
{
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    assert_true(attr >= 0);
    hid_t ftype = H5Aget_type(attr);
    assert_int_equal(H5Tget_class(ftype), H5T_STRING);
    hid_t space = H5Aget_space(attr);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    assert_true((hssize_t)i < n);
    if (H5Tis_variable_str(ftype) > 0) {
        hid_t mtype = H5Tcopy(H5T_C_S1);
        H5Tset_size(mtype, H5T_VARIABLE);
        H5Tset_cset(mtype, H5Tget_cset(ftype));
        char **values = calloc((size_t)n, sizeof *values);
        assert_true(H5Aread(attr, mtype, values) >= 0);
        snprintf(out, size, "%s", values[i]);
        for (hssize_t k = 0; k < n; k++)
            H5free_memory(values[k]);
        free(values);
        H5Tclose(mtype);
    } else {
        size_t len = H5Tget_size(ftype);
        char *buf = calloc((size_t)n, len + 1);
        hid_t mtype = H5Tcopy(ftype);
        assert_true(H5Aread(attr, mtype, buf) >= 0);
        snprintf(out, size, "%.*s", (int)len, buf + i * len);
        free(buf);
        H5Tclose(mtype);
    }
    H5Sclose(space);
    H5Tclose(ftype);
    H5Aclose(attr);
}

static void assert_string_attr(hid_t obj, const char *name, const char *expected)
{
    char got[512];
    read_string_attr(obj, name, 0, got, sizeof got);
    assert_string_equal(got, expected);
}

static long long read_int_attr(hid_t obj, const char *name)
{
    long long v = -1;
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    assert_true(attr >= 0);
    assert_true(H5Aread(attr, H5T_NATIVE_LLONG, &v) >= 0);
    H5Aclose(attr);
    return v;
}

/* The whole of a dataset of n elements as doubles (n checked). */
static void read_doubles(hid_t loc, const char *name, double *out, hsize_t n)
{
    hid_t dset = H5Dopen2(loc, name, H5P_DEFAULT);
    assert_true(dset >= 0);
    hid_t space = H5Dget_space(dset);
    assert_int_equal(H5Sget_simple_extent_npoints(space), n);
    assert_true(H5Dread(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0);
    H5Sclose(space);
    H5Dclose(dset);
}

static void assert_ints(hid_t loc, const char *name, const long long *expected, hsize_t n)
{
    long long got[16];
    assert_true(n <= 16);
    hid_t dset = H5Dopen2(loc, name, H5P_DEFAULT);
    assert_true(dset >= 0);
    hid_t type = H5Dget_type(dset);
    assert_int_equal(H5Tget_class(type), H5T_INTEGER);
    hid_t space = H5Dget_space(dset);
    assert_int_equal(H5Sget_simple_extent_npoints(space), n);
    assert_true(H5Dread(dset, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
    for (hsize_t i = 0; i < n; i++)
        assert_int_equal(got[i], expected[i]);
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(dset);
}

/* Axis dataset `label` of group: values (NULL: 0..n-1) and units (NULL: none). */
static void assert_axis(hid_t group, const char *label, const double *values, hsize_t n, const char *units)
{
    double *got = malloc(sizeof(double) * n);
    read_doubles(group, label, got, n);
    for (hsize_t i = 0; i < n; i++) {
        double expected = values ? values[i] : (double)i;
        assert_float_equal(got[i], expected, 0);
    }
    free(got);
    hid_t dset = H5Dopen2(group, label, H5P_DEFAULT);
    if (units)
        assert_string_attr(dset, "units", units);
    else
        assert_int_equal(H5Aexists(dset, "units"), 0);
    H5Dclose(dset);
}

/* The creation properties of /<group>/data in a finished file. */
static hid_t data_dcpl(const char *path, const char *group)
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    char name[256];
    snprintf(name, sizeof name, "/%s/data", group);
    hid_t dset = H5Dopen2(file, name, H5P_DEFAULT);
    assert_true(dset >= 0);
    hid_t dcpl = H5Dget_create_plist(dset);
    assert_true(dcpl >= 0);
    H5Dclose(dset);
    H5Fclose(file);
    return dcpl;
}

static H5D_layout_t read_layout(const char *path, const char *group)
{
    hid_t dcpl = data_dcpl(path, group);
    H5D_layout_t layout = H5Pget_layout(dcpl);
    H5Pclose(dcpl);
    return layout;
}

/* The chunk dims of /<group>/data in a finished file. */
static void read_chunks(const char *path, const char *group, hsize_t *chunk, int ndims)
{
    hid_t dcpl = data_dcpl(path, group);
    assert_int_equal(H5Pget_layout(dcpl), H5D_CHUNKED);
    assert_int_equal(H5Pget_chunk(dcpl, ndims, chunk), ndims);
    H5Pclose(dcpl);
}

/* The chunks a fresh result file of this shape gets when its data move
 * through HDF5. */
static void chunks_for(long d0, long d1, long d2, enum savu_pattern write, enum savu_pattern read,
                       hsize_t chunk[3])
{
    char path[512];
    test_tmpdir_path(path, sizeof path, "chunks.h5");
    struct dataset *ds = make_dataset(d0, d1, d2, write != SAVU_PATTERN_VOLUME_XZ, NULL);
    via_hdf5 = true;
    finish_ok(create_ok(path, "1-Test-tomo", ds, write, read));
    via_hdf5 = false;
    read_chunks(path, "1-Test-tomo", chunk, 3);
    unlink(path);
    dataset_free(ds);
}

/* The value of element (a, r, c) of the 3-D test data (exact in float). */
static float value_at(const long shape[3], long a, long r, long c)
{
    return (float)((a * shape[1] + r) * shape[2] + c);
}

/* Frames [first, first + n) along dim (0 or 1) of the test data, as a block
 * [n][other two dims] plus offset. */
static float *make_frames(const long shape[3], int dim, long first, long n, float offset)
{
    long p = dim == 0 ? 1 : 0;
    size_t frame = (size_t)shape[p] * (size_t)shape[2];
    float *block = malloc(sizeof(float) * (n ? (size_t)n * frame : 1));
    assert_non_null(block);
    for (long f = 0; f < n; f++)
        for (long i = 0; i < shape[p]; i++)
            for (long c = 0; c < shape[2]; c++) {
                long a = dim == 0 ? first + f : i, r = dim == 0 ? i : first + f;
                block[((size_t)f * shape[p] + i) * shape[2] + c] = value_at(shape, a, r, c) + offset;
            }
    return block;
}

static void assert_frames(const float *got, const long shape[3], int dim, long first, long n, float offset)
{
    float *expected = make_frames(shape, dim, first, n, offset);
    size_t count = (size_t)n * (dim == 0 ? shape[1] : shape[0]) * shape[2];
    for (size_t i = 0; i < count; i++)
        if (got[i] != expected[i])
            fail_msg("element %zu of frames %ld..%ld along dim %d: %g, expected %g", i, first, first + n - 1,
                     dim, got[i], expected[i]);
    free(expected);
}

/* Writes frames along dim in the blocks given by the bounds (a repeated
 * bound is an empty block). */
static void write_blocks(result_file *rf, const long shape[3], int dim, const long *bounds, int n_bounds)
{
    for (int i = 0; i + 1 < n_bounds; i++) {
        long first = bounds[i], n = bounds[i + 1] - bounds[i];
        float *block = make_frames(shape, dim, first, n, 0);
        write_ok(rf, first, n, n ? block : NULL);
        free(block);
    }
}

/* Teardown of every test: no HDF5 file or object left open. */
static int nothing_open(void **state)
{
    (void)state;
    ssize_t open_ids = H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL);
    if (open_ids != 0)
        fprintf(stderr, "# %zd HDF5 files or objects left open\n", open_ids);
    return open_ids == 0 ? 0 : -1;
}

/* ---- the result file's layout ---- */

static void test_layout(void **state)
{
    (void)state;
    char path[512];
    test_tmpdir_path(path, sizeof path, "tomo_p1_base_recon.h5");
    double *angles = NULL;
    struct dataset *ds = make_dataset(50, 300, 100, true, &angles);
    result_file *rf = create_ok(path, "1-TomoRecon-tomo", ds, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_SINOGRAM);
    assert_string_equal(result_file_path(rf), path);
    assert_string_equal(result_file_data_path(rf), "/1-TomoRecon-tomo/data");
    finish_ok(rf);

    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t g = H5Gopen2(file, "1-TomoRecon-tomo", H5P_DEFAULT);
    assert_true(g >= 0);
    assert_string_attr(g, "NX_class", "NXdata");
    assert_string_attr(g, "signal", "data");
    char label[64];
    for (int d = 0; d < 3; d++) {
        read_string_attr(g, "axes", (size_t)d, label, sizeof label);
        assert_string_equal(label, projection_labels[d]);
        char indices[80];
        snprintf(indices, sizeof indices, "%s_indices", projection_labels[d]);
        assert_int_equal(read_int_attr(g, indices), d);
    }
    assert_axis(g, "rotation_angle", angles, 50, "degrees");
    assert_axis(g, "detector_y", NULL, 300, "pixel");
    assert_axis(g, "detector_x", NULL, 100, "pixel");

    hid_t data = H5Dopen2(g, "data", H5P_DEFAULT);
    hid_t type = H5Dget_type(data);
    assert_true(H5Tequal(type, H5T_IEEE_F32LE) > 0);
    hid_t space = H5Dget_space(data);
    hsize_t dims[3];
    assert_int_equal(H5Sget_simple_extent_dims(space, dims, NULL), 3);
    assert_int_equal(dims[0], 50);
    assert_int_equal(dims[1], 300);
    assert_int_equal(dims[2], 100);
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(data);

    hid_t patterns = H5Gopen2(g, "patterns", H5P_DEFAULT);
    assert_true(patterns >= 0);
    assert_string_attr(patterns, "NX_class", "NXcollection");
    hid_t proj = H5Gopen2(patterns, "PROJECTION", H5P_DEFAULT);
    assert_string_attr(proj, "NX_class", "NXparameters");
    assert_ints(proj, "core_dims", (const long long[]){ 2, 1 }, 2);
    assert_ints(proj, "slice_dims", (const long long[]){ 0 }, 1);
    hid_t sino = H5Gopen2(patterns, "SINOGRAM", H5P_DEFAULT);
    assert_ints(sino, "core_dims", (const long long[]){ 2, 0 }, 2);
    assert_ints(sino, "slice_dims", (const long long[]){ 1 }, 1);
    assert_int_equal(H5Lexists(patterns, "VOLUME_XZ", H5P_DEFAULT), 0);
    H5Gclose(sino);
    H5Gclose(proj);
    H5Gclose(patterns);
    H5Gclose(g);
    H5Fclose(file);

    /* An untuned dataset moving raw is contiguous. */
    assert_int_equal(read_layout(path, "1-TomoRecon-tomo"), H5D_CONTIGUOUS);
    free(angles);
    dataset_free(ds);
}

static void test_chunks(void **state)
{
    (void)state;
    hsize_t chunk[3];
    /* Savu's table (savu-engine.md §1.7): written as projections, read
     * as sinograms: the shared core dim whole, the rest split evenly. */
    chunks_for(50, 300, 100, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_SINOGRAM, chunk);
    assert_int_equal(chunk[0], 50);
    assert_int_equal(chunk[1], 52);
    assert_int_equal(chunk[2], 100);
    /* One pattern: one whole 1 MiB frame per chunk (Savu's first row). */
    chunks_for(64, 512, 512, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_PROJECTION, chunk);
    assert_int_equal(chunk[0], 1);
    assert_int_equal(chunk[1], 512);
    assert_int_equal(chunk[2], 512);
    /* Small frames: several whole frames per chunk. */
    chunks_for(300, 20, 300, SAVU_PATTERN_VOLUME_XZ, SAVU_PATTERN_VOLUME_XZ, chunk);
    assert_int_equal(chunk[0], 300);
    assert_int_equal(chunk[1], 2);
    assert_int_equal(chunk[2], 300);
    /* Frames larger than 1 MiB: rows of a frame. */
    chunks_for(4, 1024, 2048, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_PROJECTION, chunk);
    assert_int_equal(chunk[0], 1);
    assert_int_equal(chunk[1], 128);
    assert_int_equal(chunk[2], 2048);
    /* Wide rows, written as projections and read as sinograms. */
    chunks_for(40, 6, 8192, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_SINOGRAM, chunk);
    assert_int_equal(chunk[0], 5);
    assert_int_equal(chunk[1], 6);
    assert_int_equal(chunk[2], 8192);
    /* Everything fits in one chunk. */
    chunks_for(7, 5, 3, SAVU_PATTERN_SINOGRAM, SAVU_PATTERN_PROJECTION, chunk);
    assert_int_equal(chunk[0], 7);
    assert_int_equal(chunk[1], 5);
    assert_int_equal(chunk[2], 3);
}

/* ---- frames in one pattern, read in another ---- */

/* The file holds exactly the test data. */
static void assert_file_data(const char *path, const char *data_path, const long shape[3])
{
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = H5Dopen2(file, data_path, H5P_DEFAULT);
    assert_true(dset >= 0);
    size_t n = (size_t)shape[0] * shape[1] * shape[2];
    float *all = malloc(sizeof(float) * n);
    assert_true(H5Dread(dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, all) >= 0);
    for (size_t i = 0; i < n; i++)
        if (all[i] != (float)i)
            fail_msg("element %zu of %s is %g", i, path, all[i]);
    free(all);
    H5Dclose(dset);
    H5Fclose(file);
}

/* Where the moving tests put their files: the test folder, or this one. */
static const char *move_dir;

static void move_test_path(char *out, size_t size, const char *name)
{
    if (move_dir)
        snprintf(out, size, "%s/savu_test_result_file_%ld_%s", move_dir, (long)getpid(), name);
    else
        test_tmpdir_path(out, size, name);
}

/* Runs a test body on both paths: raw moves on 3 I/O threads, then
 * through HDF5. */
static void on_both_paths(void (*body)(void))
{
    savu_error err = { "" };
    io_pool = savu_thread_pool_create(3, &err);
    assert_non_null(io_pool);
    body();
    savu_thread_pool_destroy(io_pool);
    io_pool = NULL;
    via_hdf5 = true;
    body();
    via_hdf5 = false;
}

/* Wide rows (8192 floats), so a sinogram is read in two slabs of rows
 * through HDF5. */
static void projections_read_as_sinograms(void)
{
    char path[512];
    move_test_path(path, sizeof path, "proj_to_sino.h5");
    const long shape[3] = { 40, 6, 8192 };
    struct dataset *ds = make_dataset(shape[0], shape[1], shape[2], true, NULL);
    result_file *rf = create_ok(path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_SINOGRAM);
    const long bounds[] = { 0, 13, 13, 40 };
    write_blocks(rf, shape, 0, bounds, 4);
    sync_ok(rf);

    size_t sino = (size_t)shape[0] * shape[2];
    float *block = malloc(sizeof(float) * 4 * sino);
    read_ok(rf, 0, 4, block);
    assert_frames(block, shape, 1, 0, 4, 0);
    read_ok(rf, 4, 2, block);
    assert_frames(block, shape, 1, 4, 2, 0);
    read_ok(rf, 6, 0, NULL);
    free(block);
    finish_ok(rf);
    assert_file_data(path, "/1-Test-tomo/data", shape);
    dataset_free(ds);
}

static void test_projections_read_as_sinograms(void **state)
{
    (void)state;
    on_both_paths(projections_read_as_sinograms);
}

/* A volume written in VOLUME_XZ frames (along dim 1), read along dim 0. */
/* A volume of this shape written in VOLUME_XZ frames (along dim 1) in the
 * blocks given by the bounds, read back along dim 0 in the blocks given by
 * read_bounds, and whole through HDF5. */
static void xz_round_trip(const long shape[3], const long *bounds, int n_bounds,
                          const long *read_bounds, int n_read_bounds)
{
    char path[512];
    move_test_path(path, sizeof path, "xz_to_yz.h5");
    struct dataset *ds = make_dataset(shape[0], shape[1], shape[2], false, NULL);
    result_file *rf = create_ok(path, "2-Test-tomo", ds, SAVU_PATTERN_VOLUME_XZ, SAVU_PATTERN_PROJECTION);
    write_blocks(rf, shape, 1, bounds, n_bounds);
    sync_ok(rf);
    size_t frame = (size_t)shape[1] * shape[2];
    float *block = malloc(sizeof(float) * (size_t)shape[0] * frame);
    for (int i = 0; i + 1 < n_read_bounds; i++) {
        long first = read_bounds[i], n = read_bounds[i + 1] - first;
        read_ok(rf, first, n, block);
        assert_frames(block, shape, 0, first, n, 0);
    }
    free(block);
    finish_ok(rf);
    assert_file_data(path, "/2-Test-tomo/data", shape);
    dataset_free(ds);
}

static void volume_frames_read_along_dim_0(void)
{
    const long shape[3] = { 40, 6, 8192 };
    const long bounds[] = { 0, 2, 2, 5, 6 }, read_bounds[] = { 0, 17, 40 };
    xz_round_trip(shape, bounds, 5, read_bounds, 3);
}

static void test_volume_frames_read_along_dim_0(void **state)
{
    (void)state;
    on_both_paths(volume_frames_read_along_dim_0);
}

/* More frames in one block than one vectored call takes (1024 on Linux):
 * raw moves go in several calls. */
static void many_frames_in_one_block(void)
{
    const long shape[3] = { 3, 2500, 4 };
    const long bounds[] = { 0, 2500 }, read_bounds[] = { 0, 1, 3 };
    xz_round_trip(shape, bounds, 2, read_bounds, 3);
}

static void test_many_frames_in_one_block(void **state)
{
    (void)state;
    on_both_paths(many_frames_in_one_block);
}

/* On a memory-backed filesystem raw writes go through a mapping of the
 * file (result_raw_map): the same round trips there. Skipped where
 * /dev/shm is not tmpfs. */
static void test_writes_mapped_on_tmpfs(void **state)
{
    (void)state;
    struct statfs fs;
    if (statfs("/dev/shm", &fs) != 0 || fs.f_type != 0x01021994) {
        skip();
        return;
    }
    move_dir = "/dev/shm";
    char path[512];
    move_test_path(path, sizeof path, "mapped.h5");
    struct dataset *ds = make_dataset(20, 6, 300, false, NULL);
    result_file *rf = create_ok(path, "2-Test-tomo", ds, SAVU_PATTERN_VOLUME_XZ, SAVU_PATTERN_VOLUME_XZ);
    assert_true(result_file_maps_writes(rf));
    result_file_abort(rf);
    dataset_free(ds);
    projections_read_as_sinograms();
    volume_frames_read_along_dim_0();
    const char *made[] = { "proj_to_sino.h5", "xz_to_yz.h5" };
    for (int i = 0; i < 2; i++) {
        move_test_path(path, sizeof path, made[i]);
        assert_int_equal(unlink(path), 0);
    }
    move_dir = NULL;
}

#ifndef SYS_cachestat
#define SYS_cachestat 451 /* Linux 6.5, every architecture */
#endif

/* Dirty pages of an open file in the page cache (cachestat(2)), and
 * through *cached all of its pages there; -1 where the kernel cannot say.
 * (The descriptor stays open: on ext4, closing one of a file that was
 * created by truncating starts its writeback, which would hide what is
 * tested.) */
static long page_counts(int fd, long *cached)
{
    struct { uint64_t off, len; } range = { 0, 0 };
    struct { uint64_t cache, dirty, writeback, evicted, recently_evicted; } cs;
    if (syscall(SYS_cachestat, fd, &range, &cs, 0) != 0)
        return -1;
    *cached = (long)cs.cache;
    return (long)cs.dirty;
}

/* Its dirty pages alone. */
static long dirty_pages(int fd)
{
    long cached;
    return page_counts(fd, &cached);
}

/* Frames of a result on a disk whose bytes in the file come in runs of a
 * multiple of 4 KiB, from aligned memory, go straight to the device
 * (O_DIRECT): the file's data never enter the page cache. Cases: frames
 * along dim 1 whose rows are 4 KiB each (one run per row); frames along
 * dim 0 whose rows are 2 KiB (a frame's rows are neighbours in the file and
 * in memory: one run); and 4-KiB rows from memory that is not aligned,
 * which go through the page cache. */
static void test_aligned_rows_bypass_the_page_cache(void **state)
{
    (void)state;
    struct statfs fs;
    if (statfs(test_tmpdir(), &fs) != 0 || fs.f_type == 0x01021994 /* tmpfs */ ||
        fs.f_type == 0x858458f6 /* ramfs */ || fs.f_type == 0x794c7630 /* overlayfs */) {
        skip(); /* no device behind the page cache, or (overlayfs) not this file's */
        return;
    }
    static const struct {
        enum savu_pattern pattern;
        int dim;
        long width;
        bool misaligned;
    } cases[] = { { SAVU_PATTERN_VOLUME_XZ, 1, 1024, false },
                  { SAVU_PATTERN_PROJECTION, 0, 512, false },
                  { SAVU_PATTERN_VOLUME_XZ, 1, 1024, true } };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const long shape[3] = { 16, 64, cases[k].width }; /* 16 x 64 rows: 256 or 512 pages */
        const long pages = shape[0] * shape[1] * shape[2] * 4 / 4096;
        const int dim = cases[k].dim;
        const long frames = shape[dim], frame_rows = shape[dim == 0 ? 1 : 0], step = 8;
        struct dataset *ds = make_dataset(shape[0], shape[1], shape[2], false, NULL);
        size_t block_bytes = sizeof(float) * (size_t)(step * frame_rows * shape[2]);
        char *aligned = aligned_alloc(4096, block_bytes + 4096), path[512], part[600];
        assert_non_null(aligned);
        snprintf(part, sizeof part, "direct%zu.h5", k);
        test_tmpdir_path(path, sizeof path, part);
        snprintf(part, sizeof part, "%s.part", path);
        written_only = true;
        result_file *rf = create_ok(path, "2-Test-tomo", ds, cases[k].pattern, cases[k].pattern);
        written_only = false;
        int fd = open(part, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        float *block = (float *)(aligned + (cases[k].misaligned ? sizeof(float) : 0));
        for (long first = 0; first < frames; first += step) {
            float *made = make_frames(shape, dim, first, step, 0.25f);
            memcpy(block, made, block_bytes);
            free(made);
            write_ok(rf, first, step, block);
        }
        free(aligned);
        long cached = 0, dirty = page_counts(fd, &cached);
        close(fd);
        if (dirty < 0) {
            result_file_abort(rf);
            dataset_free(ds);
            skip(); /* a kernel before 6.5: cannot tell */
            return;
        }
        finish_ok(rf);
        if (cases[k].misaligned)
            assert_true(cached >= pages);
        else if (cached >= 64)
            fail_msg("case %zu: %ld pages of %s in the page cache after aligned writes", k,
                     cached, part);
        hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        hid_t data = H5Dopen2(file, "/2-Test-tomo/data", H5P_DEFAULT);
        float *back = malloc(sizeof(float) * (size_t)(shape[0] * shape[1] * shape[2]));
        assert_non_null(back);
        assert_true(H5Dread(data, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, back) >= 0);
        for (long a = 0; a < shape[0]; a++)
            for (long r = 0; r < shape[1]; r++)
                for (long c = 0; c < shape[2]; c += 97)
                    assert_float_equal(back[(a * shape[1] + r) * shape[2] + c],
                                       value_at(shape, a, r, c) + 0.25f, 0);
        free(back);
        H5Dclose(data);
        H5Fclose(file);
        assert_int_equal(unlink(path), 0);
        dataset_free(ds);
    }
}

/* A result written raw on a disk goes to the device as it is written, not
 * only at the final fdatasync: the kernel would keep it dirty for 30 s
 * (vm.dirty_expire_centisecs), so without the engine's hint the file would
 * still be dirty seconds after the last write. */
static void test_results_go_to_the_device_as_written(void **state)
{
    (void)state;
    struct statfs fs;
    char path[512], part[600];
    test_tmpdir_path(path, sizeof path, "written_back.h5");
    snprintf(part, sizeof part, "%s.part", path);
    if (statfs(test_tmpdir(), &fs) != 0 || fs.f_type == 0x01021994 /* tmpfs */ ||
        fs.f_type == 0x858458f6 /* ramfs */ || fs.f_type == 0x794c7630 /* overlayfs */) {
        skip(); /* no device behind the page cache, or (overlayfs) not this file's */
        return;
    }
    const long shape[3] = { 64, 32, 512 }; /* 4 MiB */
    struct dataset *ds = make_dataset(shape[0], shape[1], shape[2], false, NULL);
    written_only = true;
    result_file *rf = create_ok(path, "2-Test-tomo", ds, SAVU_PATTERN_VOLUME_XZ, SAVU_PATTERN_VOLUME_XZ);
    written_only = false;
    int fd = open(part, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    for (long first = 0; first < shape[1]; first += 8) {
        float *block = make_frames(shape, 1, first, 8, 0.5f);
        write_ok(rf, first, 8, block);
        free(block);
    }
    long dirty = dirty_pages(fd);
    if (dirty < 0) {
        close(fd);
        result_file_abort(rf);
        dataset_free(ds);
        skip(); /* a kernel before 6.5 */
        return;
    }
    for (int tries = 0; dirty > 0 && tries < 500; tries++) {
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
        dirty = dirty_pages(fd);
    }
    close(fd);
    if (dirty != 0) {
        result_file_abort(rf);
        dataset_free(ds);
    }
    if (dirty != 0)
        fail_msg("%ld pages of %s still dirty 5 s after the last write", dirty, part);
    finish_ok(rf);
    float back[32 * 512];
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t data = H5Dopen2(file, "/2-Test-tomo/data", H5P_DEFAULT);
    hsize_t start[3] = { 17, 0, 0 }, count[3] = { 1, 32, 512 };
    hid_t space = H5Dget_space(data), mem = H5Screate_simple(3, count, NULL);
    H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL);
    assert_true(H5Dread(data, H5T_NATIVE_FLOAT, mem, space, H5P_DEFAULT, back) >= 0);
    for (long r = 0; r < 32; r++)
        for (long c = 0; c < 512; c++)
            assert_float_equal(back[r * 512 + c], value_at(shape, 17, r, c) + 0.5f, 0);
    H5Sclose(mem);
    H5Sclose(space);
    H5Dclose(data);
    H5Fclose(file);
    assert_int_equal(unlink(path), 0);
    dataset_free(ds);
}

/* The float a binary16 value stands for. */
static float float_of_half(uint16_t h)
{
    int exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    float magnitude = exponent == 0 ? ldexpf((float)mantissa, -24)
                                    : ldexpf((float)(mantissa | 0x400), exponent - 25);
    return (h & 0x8000) ? -magnitude : magnitude;
}

/* --output-dtype float16: the file holds IEEE halves (HDF5 reads them as
 * 16-bit floats), each the test data plus 0.3 rounded to half, written
 * along dim 1 in blocks, raw (converted on the I/O threads) and through
 * HDF5 (HDF5's conversion); raw reading such a file is refused. */
/* The 4 x 6 x 30 test data plus 0.3 (element 0 NaN when nan_first),
 * written along dim 1 in blocks of 4 to path, stored as `how` (16 bits: raw
 * reading them back is refused). */
static const long stored_shape[3] = { 4, 6, 30 };
static void write_stored(const char *path, enum result_store how, bool nan_first)
{
    const long *shape = stored_shape;
    struct dataset *ds = make_dataset(shape[0], shape[1], shape[2], false, NULL);
    store = how;
    result_file *rf = create_ok(path, "2-Test-tomo", ds, SAVU_PATTERN_VOLUME_XZ, SAVU_PATTERN_VOLUME_XZ);
    store = RESULT_STORE_FLOAT32;
    for (long first = 0; first < shape[1]; first += 4) {
        long n = shape[1] - first < 4 ? shape[1] - first : 4;
        float *block = make_frames(shape, 1, first, n, 0.3f);
        if (first == 0 && nan_first)
            block[0] = NAN;
        write_ok(rf, first, n, block);
        free(block);
    }
    sync_ok(rf);
    if (result_file_moves_raw(rf)) {
        float back[4 * 30];
        savu_error err = { "" };
        assert_int_equal(result_file_read(rf, 0, 1, back, &err), -1);
    }
    finish_ok(rf);
    dataset_free(ds);
}

/* Opens the data written by write_stored; its type is `type_class`, 2 bytes
 * (*file, *type to close). */
static hid_t open_stored(const char *path, H5T_class_t type_class, hid_t *file, hid_t *type)
{
    *file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t dset = H5Dopen2(*file, "/2-Test-tomo/data", H5P_DEFAULT);
    *type = H5Dget_type(dset);
    assert_int_equal(H5Tget_class(*type), type_class);
    assert_int_equal(H5Tget_size(*type), 2);
    return dset;
}

static void float16_results(void)
{
    char path[512];
    move_test_path(path, sizeof path, "half.h5");
    const long *shape = stored_shape; /* values below 720: 0.5 apart in half */
    write_stored(path, RESULT_STORE_FLOAT16, false);
    hid_t file, type, dset = open_stored(path, H5T_FLOAT, &file, &type);
    size_t n = (size_t)shape[0] * shape[1] * shape[2];
    uint16_t *halves = malloc(sizeof *halves * n);
    hid_t half_le = H5Tcopy(type); /* read as stored: the bits of each half */
    assert_true(H5Dread(dset, half_le, H5S_ALL, H5S_ALL, H5P_DEFAULT, halves) >= 0);
    for (size_t i = 0; i < n; i++) {
        float expected = (float)i + 0.3f;
        float got = float_of_half(halves[i]);
        if (fabsf(got - expected) > 0.25f || got != float_of_half(half_from_float_one(expected)))
            fail_msg("element %zu: %.6g, expected %.6g rounded to half", i, got, expected);
    }
    free(halves);
    H5Tclose(half_le);
    H5Tclose(type);
    H5Dclose(dset);
    H5Fclose(file);
    unlink(path);
}

static void test_float16_results(void **state)
{
    (void)state;
    on_both_paths(float16_results);
}

/* A scalar float64 attribute of obj. */
static double double_attribute(hid_t obj, const char *name)
{
    double value = NAN;
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    assert_true(attr >= 0);
    assert_true(H5Aread(attr, H5T_NATIVE_DOUBLE, &value) >= 0);
    H5Aclose(attr);
    return value;
}

/* --output-dtype uint16 --output-range 10:600: the file holds unsigned
 * 16-bit integers, (v - 10) * 65535 / 590 rounded to nearest, 0 below the
 * range and for NaN, 65535 above; its scale_factor and add_offset map them
 * back. Written along dim 1 in blocks, raw and through HDF5. */
static void uint16_results(void)
{
    char path[512];
    move_test_path(path, sizeof path, "u16.h5");
    const long *shape = stored_shape; /* values 0.3 .. 719.3, element 0 NaN */
    const double lo = 10, hi = 600;
    store_min = lo;
    store_max = hi;
    write_stored(path, RESULT_STORE_UINT16, true);
    hid_t file, type, dset = open_stored(path, H5T_INTEGER, &file, &type);
    assert_int_equal(H5Tget_sign(type), H5T_SGN_NONE);
    double scale = double_attribute(dset, "scale_factor"), offset = double_attribute(dset, "add_offset");
    assert_true(fabs(scale - (hi - lo) / 65535) < 1e-15 && offset == lo);
    size_t n = (size_t)shape[0] * shape[1] * shape[2];
    uint16_t *stored = malloc(sizeof *stored * n);
    assert_true(H5Dread(dset, H5T_NATIVE_USHORT, H5S_ALL, H5S_ALL, H5P_DEFAULT, stored) >= 0);
    for (size_t i = 0; i < n; i++) {
        double v = (double)((float)i + 0.3f);
        double q = (v - lo) * 65535 / (hi - lo);
        unsigned expected = i == 0 || q <= 0 ? 0 : q >= 65535 ? 65535 : (unsigned)floor(q + 0.5);
        if (stored[i] != expected)
            fail_msg("element %zu (%.6g): stored %u, expected %u", i, v, stored[i], expected);
        if (v > lo && v < hi && fabs(offset + scale * stored[i] - v) > scale / 2 + 1e-9)
            fail_msg("element %zu: %.6g maps back to %.6g", i, v, offset + scale * stored[i]);
    }
    free(stored);
    H5Tclose(type);
    H5Dclose(dset);
    H5Fclose(file);
    unlink(path);
}

static void test_uint16_results(void **state)
{
    (void)state;
    on_both_paths(uint16_results);
}

/* ---- tuning ---- */

static void tuned_variants_at_their_indices(void)
{
    char path[512];
    test_tmpdir_path(path, sizeof path, "tuned.h5");
    const long shape[3] = { 4, 3, 5 };
    const double cors[3] = { 84, 85, 86 }, ratios[2] = { 0.5, 1.5 };
    struct dataset *ds = make_dataset(shape[0], shape[1], shape[2], false, NULL);
    assert_int_equal(dataset_add_tuning(ds, "centre_of_rotation", cors, 3), 0);
    assert_int_equal(dataset_add_tuning(ds, "ratio", ratios, 2), 0);
    assert_int_equal(ds->n_variants, 6);
    result_file *rf = create_ok(path, "3-Tuned-tomo", ds, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_VOLUME_XZ);

    /* Blocks [variant][frame][core]; variant v's values offset by 1000 v. */
    const long bounds[][2] = { { 0, 3 }, { 3, 3 }, { 3, 4 } };
    size_t frame = (size_t)shape[1] * shape[2];
    for (int b = 0; b < 3; b++) {
        long first = bounds[b][0], n = bounds[b][1] - bounds[b][0];
        float *block = malloc(sizeof(float) * (n ? 6 * (size_t)n * frame : 1));
        for (int v = 0; v < 6; v++) {
            float *frames = make_frames(shape, 0, first, n, 1000.0f * v);
            memcpy(block + (size_t)v * n * frame, frames, sizeof(float) * n * frame);
            free(frames);
        }
        write_ok(rf, first, n, n ? block : NULL);
        free(block);
    }
    sync_ok(rf);
    /* Read back as XZ frames, every variant. */
    size_t xz = (size_t)shape[0] * shape[2];
    float *back = malloc(sizeof(float) * 6 * 2 * xz);
    read_ok(rf, 1, 2, back);
    for (int v = 0; v < 6; v++)
        assert_frames(back + (size_t)v * 2 * xz, shape, 1, 1, 2, 1000.0f * v);
    free(back);
    finish_ok(rf);

    /* Directly: element (a, r, c, t0, t1) is variant t0 + 3 t1's. */
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t g = H5Gopen2(file, "3-Tuned-tomo", H5P_DEFAULT);
    hid_t dset = H5Dopen2(g, "data", H5P_DEFAULT);
    hid_t space = H5Dget_space(dset);
    hsize_t dims[5];
    assert_int_equal(H5Sget_simple_extent_dims(space, dims, NULL), 5);
    assert_int_equal(dims[3], 3);
    assert_int_equal(dims[4], 2);
    float all[4 * 3 * 5 * 3 * 2];
    assert_true(H5Dread(dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, all) >= 0);
    size_t i = 0;
    for (long a = 0; a < 4; a++)
        for (long r = 0; r < 3; r++)
            for (long c = 0; c < 5; c++)
                for (int t0 = 0; t0 < 3; t0++)
                    for (int t1 = 0; t1 < 2; t1++) {
                        float expected = value_at(shape, a, r, c) + 1000.0f * (t0 + 3 * t1);
                        assert_float_equal(all[i++], expected, 0);
                    }
    hsize_t chunk[5];
    hid_t dcpl = H5Dget_create_plist(dset);
    assert_int_equal(H5Pget_chunk(dcpl, 5, chunk), 5);
    assert_int_equal(chunk[3], 1);
    assert_int_equal(chunk[4], 1);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Dclose(dset);

    char label[64];
    read_string_attr(g, "axes", 3, label, sizeof label);
    assert_string_equal(label, "centre_of_rotation_params");
    read_string_attr(g, "axes", 4, label, sizeof label);
    assert_string_equal(label, "ratio_params");
    assert_int_equal(read_int_attr(g, "centre_of_rotation_params_indices"), 3);
    assert_int_equal(read_int_attr(g, "ratio_params_indices"), 4);
    assert_axis(g, "centre_of_rotation_params", cors, 3, NULL);
    assert_axis(g, "ratio_params", ratios, 2, NULL);
    assert_axis(g, "voxel_x", NULL, 4, "pixel");
    hid_t xzp = H5Gopen2(g, "patterns/VOLUME_XZ", H5P_DEFAULT);
    assert_true(xzp >= 0);
    assert_ints(xzp, "core_dims", (const long long[]){ 0, 2 }, 2);
    assert_ints(xzp, "slice_dims", (const long long[]){ 1, 3, 4 }, 3);
    H5Gclose(xzp);
    H5Gclose(g);
    H5Fclose(file);
    dataset_free(ds);
}

static void test_tuned_variants_at_their_indices(void **state)
{
    (void)state;
    on_both_paths(tuned_variants_at_their_indices);
}

/* ---- the file's name: .part until finished ---- */

static void test_part_until_finish_and_abort_leaves_nothing(void **state)
{
    (void)state;
    char path[512];
    test_tmpdir_path(path, sizeof path, "named.h5");
    struct dataset *ds = make_dataset(3, 4, 5, true, NULL);
    const long shape[3] = { 3, 4, 5 };
    const long bounds[] = { 0, 3 };

    result_file *rf = create_ok(path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_NONE);
    assert_true(part_exists(path));
    assert_false(exists(path));
    write_blocks(rf, shape, 0, bounds, 2);
    result_file_abort(rf);
    assert_false(part_exists(path));
    assert_false(exists(path));
    result_file_abort(NULL);

    rf = create_ok(path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_NONE);
    write_blocks(rf, shape, 0, bounds, 2);
    assert_true(part_exists(path));
    assert_false(exists(path));
    finish_ok(rf);
    assert_false(part_exists(path));
    assert_true(exists(path));
    assert_file_data(path, "/1-Test-tomo/data", shape);
    dataset_free(ds);
}

/* ---- errors ---- */

static void assert_one_line(const char *msg, const char *expected)
{
    assert_null(strchr(msg, '\n'));
    assert_string_equal(msg, expected);
}

static void assert_create_fails(const char *path, const char *group, const struct dataset *ds,
                                enum savu_pattern write, const char *expected)
{
    struct result_file_spec spec = { path, group, ds, write, SAVU_PATTERN_NONE, false, NULL,
                                     RESULT_STORE_FLOAT32, 0, 0, false };
    savu_error err = { "" };
    assert_null(result_file_create(MPI_COMM_WORLD, &spec, &err));
    assert_one_line(err.msg, expected);
    assert_false(part_exists(path));
    assert_false(exists(path));
}

static void test_create_errors(void **state)
{
    (void)state;
    char path[512], expected[700], file[512];
    struct dataset *ds = make_dataset(3, 4, 5, true, NULL);

    test_tmpdir_path(path, sizeof path, "no_such_folder/x.h5");
    snprintf(expected, sizeof expected, "cannot create %s: No such file or directory", path);
    assert_create_fails(path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, expected);

    test_tmpdir_path(file, sizeof file, "plain_file");
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    test_tmpdir_path(path, sizeof path, "plain_file/x.h5");
    snprintf(expected, sizeof expected, "cannot create %s: Not a directory", path);
    assert_create_fails(path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, expected);

    if (geteuid() != 0) { /* root writes anywhere */
        char locked[512];
        test_tmpdir_path(locked, sizeof locked, "locked");
        assert_int_equal(mkdir(locked, 0555), 0);
        test_tmpdir_path(path, sizeof path, "locked/x.h5");
        snprintf(expected, sizeof expected, "cannot create %s: Permission denied", path);
        assert_create_fails(path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, expected);
    }

    test_tmpdir_path(path, sizeof path, "bad.h5");
    snprintf(expected, sizeof expected, "cannot create %s: bad NXdata group name 'a/b'", path);
    assert_create_fails(path, "a/b", ds, SAVU_PATTERN_PROJECTION, expected);
    snprintf(expected, sizeof expected, "cannot create %s: write pattern NONE has no frames", path);
    assert_create_fails(path, "1-Test-tomo", ds, SAVU_PATTERN_NONE, expected);
    ds->labels[2] = "data";
    snprintf(expected, sizeof expected,
             "cannot create %s: axis 2 has label 'data', a name the NXdata group uses itself", path);
    assert_create_fails(path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, expected);
    ds->labels[2] = "detector_x";
    ds->shape[1] = 0;
    snprintf(expected, sizeof expected, "cannot create %s: dimension 1 has length 0", path);
    assert_create_fails(path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, expected);
    dataset_free(ds);

    savu_error err = { "" };
    assert_null(result_file_create(MPI_COMM_WORLD, &(struct result_file_spec){ .path = "" }, &err));
    assert_string_equal(err.msg, "cannot create a result file: no file name given");
}

/* A failed write fails the finish, which leaves no file. */
/* A raw read past the end of a file cut short (as by a full disk, or
 * another program) is one line; the file is then removed by abort. */
static void test_raw_read_of_a_cut_file(void **state)
{
    (void)state;
    char path[512], part[600], expected[700];
    test_tmpdir_path(path, sizeof path, "cut.h5");
    snprintf(part, sizeof part, "%s.part", path);
    const long shape[3] = { 6, 4, 300 };
    struct dataset *ds = make_dataset(shape[0], shape[1], shape[2], true, NULL);
    result_file *rf = create_ok(path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_SINOGRAM);
    const long bounds[] = { 0, 6 };
    write_blocks(rf, shape, 0, bounds, 2);
    sync_ok(rf);
    assert_int_equal(truncate(part, 2048), 0);
    float *block = malloc(sizeof(float) * 2 * shape[0] * shape[2]);
    savu_error err = { "" };
    assert_int_equal(result_file_read(rf, 0, 2, block, &err), -1);
    snprintf(expected, sizeof expected, "cannot read %s: the file ends before the frames", path);
    assert_one_line(err.msg, expected);
    free(block);
    result_file_abort(rf);
    assert_false(part_exists(path));
    assert_false(exists(path));
    dataset_free(ds);
}

static void test_failed_write_fails_finish(void **state)
{
    (void)state;
    char path[512], expected[700];
    test_tmpdir_path(path, sizeof path, "failed.h5");
    const long shape[3] = { 5, 4, 3 };
    struct dataset *ds = make_dataset(shape[0], shape[1], shape[2], true, NULL);
    result_file *rf = create_ok(path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_SINOGRAM);
    float *block = make_frames(shape, 0, 0, 2, 0);
    savu_error err = { "" };

    assert_int_equal(result_file_write(rf, 4, 2, block, &err), -1);
    snprintf(expected, sizeof expected,
             "cannot write %s: frames 4..5 outside the 5 frames along dimension 0", path);
    assert_one_line(err.msg, expected);
    assert_int_equal(result_file_write(rf, 0, 2, NULL, &err), -1);
    snprintf(expected, sizeof expected, "cannot write %s: no data given for frames 0..1", path);
    assert_one_line(err.msg, expected);
    write_ok(rf, 0, 2, block);
    sync_ok(rf);
    assert_int_equal(result_file_read(rf, 3, 2, block, &err), -1);
    snprintf(expected, sizeof expected,
             "cannot read %s: frames 3..4 outside the 4 frames along dimension 1", path);
    assert_one_line(err.msg, expected);
    assert_int_equal(result_file_read(rf, -1, 1, block, &err), -1);
    free(block);

    err.msg[0] = '\0';
    assert_int_equal(result_file_finish(rf, &err), -1);
    snprintf(expected, sizeof expected,
             "cannot write %s: frames 4..5 outside the 5 frames along dimension 0", path);
    assert_one_line(err.msg, expected);
    assert_false(part_exists(path));
    assert_false(exists(path));
    assert_int_equal(result_file_finish(NULL, &err), -1);
    dataset_free(ds);
}

/* ---- the processed NeXus file ---- */

static savu_process_list *read_list(const char *path)
{
    savu_error err = { "" };
    savu_process_list *pl = savu_nexus_read(path, savu_registry_catalog(), &err);
    if (!pl)
        fail_msg("reading %s failed: %s", path, err.msg);
    return pl;
}

static void assert_same_lists(const savu_process_list *a, const savu_process_list *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_string_equal(a->entries[i]->pos, b->entries[i]->pos);
        assert_string_equal(a->entries[i]->name, b->entries[i]->name);
        assert_string_equal(a->entries[i]->id, b->entries[i]->id);
        assert_int_equal(a->entries[i]->active, b->entries[i]->active);
        assert_true(json_equal(a->entries[i]->params, b->entries[i]->params));
    }
    assert_int_equal(a->n_groups, b->n_groups);
}

/* A result file in the temporary directory holding the test data of ds's shape. */
static void make_result(const char *name, const char *group, const struct dataset *ds)
{
    char path[512];
    test_tmpdir_path(path, sizeof path, name);
    result_file *rf = create_ok(path, group, ds, SAVU_PATTERN_VOLUME_XZ, SAVU_PATTERN_NONE);
    const long bounds[] = { 0, ds->shape[1] };
    write_blocks(rf, ds->shape, 1, bounds, 2);
    finish_ok(rf);
}

/* The input: /entry1/tomo_entry/data/data of 3 x 2 x 2 floats 0..11. */
static void make_input(const char *path)
{
    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hsize_t dims[3] = { 3, 2, 2 };
    hid_t space = H5Screate_simple(3, dims, NULL);
    hid_t dset = H5Dcreate2(file, "/entry1/tomo_entry/data/data", H5T_IEEE_F32LE, space, lcpl, H5P_DEFAULT,
                            H5P_DEFAULT);
    float values[12];
    for (int i = 0; i < 12; i++)
        values[i] = (float)i;
    assert_true(H5Dwrite(dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0);
    H5Dclose(dset);
    H5Sclose(space);
    H5Pclose(lcpl);
    H5Fclose(file);
}

/* The link's target: file and path. */
static void assert_external_link(hid_t loc, const char *name, const char *file, const char *path)
{
    H5L_info_t info;
    assert_true(H5Lget_info(loc, name, &info, H5P_DEFAULT) >= 0);
    assert_int_equal(info.type, H5L_TYPE_EXTERNAL);
    char buf[1024];
    assert_true(info.u.val_size <= sizeof buf);
    assert_true(H5Lget_val(loc, name, buf, sizeof buf, H5P_DEFAULT) >= 0);
    const char *got_file = NULL, *got_path = NULL;
    unsigned flags = 0;
    assert_true(H5Lunpack_elink_val(buf, info.u.val_size, &flags, &got_file, &got_path) >= 0);
    assert_string_equal(got_file, file);
    assert_string_equal(got_path, path);
}

static void assert_string_dataset(hid_t loc, const char *name, const char *expected)
{
    savu_error why = { "" };
    char *got = savu_h5_read_string(loc, name, &why);
    if (!got)
        fail_msg("%s: %s", name, why.msg);
    assert_string_equal(got, expected);
    free(got);
}

static void test_processed_nexus(void **state)
{
    (void)state;
    char list[512], out[512], input[512];
    snprintf(list, sizeof list, "%s/basic_tomo_process.nxs", SAVU_LISTS_DIR);
    savu_process_list *pl = read_list(list);

    double *angles = NULL;
    struct dataset *raw = make_dataset(3, 2, 2, true, &angles);
    struct dataset *corrected = dataset_new("tomo", raw);
    struct dataset *recon = make_dataset(4, 2, 4, false, NULL);
    recon->angles = angles;
    recon->n_angles = 3;
    recon->cor = malloc(2 * sizeof(double));
    recon->cor[0] = 1.5;
    recon->cor[1] = 1.25;
    recon->n_cor = 2;
    make_result("tomo_p2_dark_flat_field_correction.h5", "2-DarkFlatFieldCorrection-tomo", corrected);
    make_result("tomo_p3_tomo_recon.h5", "3-TomoRecon-tomo", recon);
    test_tmpdir_path(input, sizeof input, "scan.nxs");
    make_input(input);

    const struct processed_result results[2] = {
        { "tomo_p2_dark_flat_field_correction.h5", "/2-DarkFlatFieldCorrection-tomo/data",
          "2-DarkFlatFieldCorrection-tomo", corrected, false },
        { "tomo_p3_tomo_recon.h5", "/3-TomoRecon-tomo/data", "3-TomoRecon-tomo", recon, true },
    };
    const struct processed_run run = { input, "/entry1/tomo_entry/data/data", raw,
                                       "savu scan.nxs basic_tomo_process.nxs out", "2026-11-30 10:03:29",
                                       "2026-11-30 10:04:02", 4 };
    test_tmpdir_path(out, sizeof out, "scan_processed.nxs");
    savu_error err = { "" };
    if (processed_nexus_write(out, pl, results, 2, &run, &err) != 0)
        fail_msg("%s", err.msg);

    savu_process_list *back = read_list(out);
    assert_same_lists(pl, back);
    savu_plist_free(back);

    /* Open from another folder: links resolve beside the file. */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir("/"), 0);
    hid_t file = H5Fopen(out, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    hid_t g = H5Gopen2(file, "/entry/final_result_tomo", H5P_DEFAULT);
    assert_true(g >= 0);
    assert_string_attr(g, "NX_class", "NXdata");
    assert_string_attr(g, "signal", "data");
    assert_external_link(g, "data", "tomo_p3_tomo_recon.h5", "/3-TomoRecon-tomo/data");
    hid_t dset = H5Dopen2(g, "data", H5P_DEFAULT);
    assert_true(dset >= 0);
    float volume[4 * 2 * 4];
    assert_true(H5Dread(dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, volume) >= 0);
    for (int i = 0; i < 32; i++)
        assert_float_equal(volume[i], (float)i, 0);
    H5Dclose(dset);
    char label[64];
    for (int d = 0; d < 3; d++) {
        read_string_attr(g, "axes", (size_t)d, label, sizeof label);
        assert_string_equal(label, volume_labels[d]);
    }
    assert_int_equal(read_int_attr(g, "voxel_z_indices"), 2);
    assert_axis(g, "voxel_x", NULL, 4, "pixel");
    assert_axis(g, "voxel_z", NULL, 4, "pixel");
    double got[3];
    read_doubles(g, "meta_data/rotation_angle/rotation_angle", got, 3);
    assert_float_equal(got[2], 6.0, 0);
    read_doubles(g, "meta_data/centre_of_rotation/centre_of_rotation", got, 2);
    assert_float_equal(got[0], 1.5, 0);
    assert_float_equal(got[1], 1.25, 0);
    hid_t xz = H5Gopen2(g, "patterns/VOLUME_XZ", H5P_DEFAULT);
    assert_true(xz >= 0);
    H5Gclose(xz);
    H5Gclose(g);

    g = H5Gopen2(file, "/entry/intermediate/2-DarkFlatFieldCorrection-tomo", H5P_DEFAULT);
    assert_true(g >= 0);
    assert_string_attr(g, "NX_class", "NXdata");
    assert_axis(g, "rotation_angle", angles, 3, "degrees");
    dset = H5Dopen2(g, "data", H5P_DEFAULT);
    assert_true(dset >= 0);
    float raw_values[12];
    assert_true(H5Dread(dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw_values) >= 0);
    assert_float_equal(raw_values[11], 11.0f, 0);
    H5Dclose(dset);
    H5Gclose(g);
    assert_int_equal(H5Lexists(file, "/entry/final_result_tomo/meta_data/rotation_angle", H5P_DEFAULT), 1);

    g = H5Gopen2(file, "/entry/input_data/tomo", H5P_DEFAULT);
    assert_true(g >= 0);
    assert_external_link(g, "data", input, "/entry1/tomo_entry/data/data");
    dset = H5Dopen2(g, "data", H5P_DEFAULT);
    assert_true(dset >= 0);
    assert_true(H5Dread(dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw_values) >= 0);
    assert_float_equal(raw_values[7], 7.0f, 0);
    H5Dclose(dset);
    assert_string_dataset(g, "file_path", input);
    assert_ints(g, "shape", (const long long[]){ 3, 2, 2 }, 3);
    H5Gclose(g);

    g = H5Gopen2(file, "/entry/savu_run", H5P_DEFAULT);
    assert_true(g >= 0);
    assert_string_dataset(g, "status", "complete");
    assert_string_dataset(g, "start_time", "2026-11-30 10:03:29");
    assert_string_dataset(g, "end_time", "2026-11-30 10:04:02");
    assert_string_dataset(g, "command_line", "savu scan.nxs basic_tomo_process.nxs out");
    int ranks = 0;
    assert_int_equal(savu_h5_read_int(g, "ranks", &ranks, NULL), 0);
    assert_int_equal(ranks, 4);
    H5Gclose(g);
    H5Fclose(file);
    assert_int_equal(chdir(cwd), 0);

    /* Errors: one line naming the file; nothing left behind. */
    test_tmpdir_path(out, sizeof out, "no_such_folder/scan_processed.nxs");
    char expected[700];
    snprintf(expected, sizeof expected, "cannot write %s: No such file or directory", out);
    assert_int_equal(processed_nexus_write(out, pl, results, 2, &run, &err), -1);
    assert_one_line(err.msg, expected);

    const struct processed_result twice[2] = { results[1], results[1] };
    test_tmpdir_path(out, sizeof out, "twice_processed.nxs");
    snprintf(expected, sizeof expected, "cannot write %s: two results are named /entry/final_result_tomo", out);
    assert_int_equal(processed_nexus_write(out, pl, twice, 2, &run, &err), -1);
    assert_one_line(err.msg, expected);
    assert_false(exists(out));

    savu_plist_free(pl);
    free(angles);
    dataset_free(raw);
    dataset_free(corrected);
    dataset_free(recon);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* the tests provoke HDF5 errors on purpose */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_layout, nothing_open),
        cmocka_unit_test_teardown(test_chunks, nothing_open),
        cmocka_unit_test_teardown(test_projections_read_as_sinograms, nothing_open),
        cmocka_unit_test_teardown(test_volume_frames_read_along_dim_0, nothing_open),
    cmocka_unit_test_teardown(test_many_frames_in_one_block, nothing_open),
        cmocka_unit_test_teardown(test_writes_mapped_on_tmpfs, nothing_open),
        cmocka_unit_test_teardown(test_results_go_to_the_device_as_written, nothing_open),
        cmocka_unit_test_teardown(test_aligned_rows_bypass_the_page_cache, nothing_open),
        cmocka_unit_test_teardown(test_float16_results, nothing_open),
        cmocka_unit_test_teardown(test_uint16_results, nothing_open),
        cmocka_unit_test_teardown(test_tuned_variants_at_their_indices, nothing_open),
        cmocka_unit_test_teardown(test_part_until_finish_and_abort_leaves_nothing, nothing_open),
        cmocka_unit_test_teardown(test_create_errors, nothing_open),
        cmocka_unit_test_teardown(test_failed_write_fails_finish, nothing_open),
        cmocka_unit_test_teardown(test_raw_read_of_a_cut_file, nothing_open),
        cmocka_unit_test_teardown(test_processed_nexus, nothing_open),
    };
    int failed = cmocka_run_group_tests(tests, make_tmpdir, test_tmpdir_teardown);
    MPI_Finalize();
    return failed;
}
