/* result_file.c: one dataset written by all MPI ranks together into an HDF5
 * file of its own, in Savu's layout, and read back by any rank in another
 * pattern (see result_file.h).
 *
 * Writes are collective (H5FD_MPIO_COLLECTIVE): every rank makes the same
 * H5Dwrite calls, a rank with nothing to write selects nothing, and a rank
 * that failed before a call still makes it, selecting nothing, so that no
 * rank waits for another. Reads are independent.
 *
 * Unless spec->through_hdf5, the frames move straight between the blocks
 * and the file on the I/O threads (result_raw.h): every rank through its
 * own descriptor, no MPI-IO. An untuned dataset is then laid out
 * contiguous (HDF5 tells its place at once, where asking for each chunk's
 * place takes time that grows with the square of the number of chunks in
 * HDF5 1.10); a tuned one keeps its chunks, whose places are asked for
 * when there are few enough. What follows is the path through HDF5, taken
 * on request, or when the places cannot be known.
 *
 * Frames along dim 0 are contiguous in the file and move with one call per
 * variant. Frames along dim 1 hold dims 0 and 2, so a block [frame][d0][d2]
 * is the file's [d0][frame][d2] transposed: it moves through a scratch
 * buffer, a slab of dim-0 rows at a time (whole chunks along dim 0, about
 * 1 MiB per frame), and the transposing copy is memcpy of d2-long rows. */
#include "result_file.h"
#include "atomic_file.h"
#include "mpi_agree.h"
#include "nexus_hdf5.h"
#include "raw_io.h"
#include "result_parts.h"
#include "result_raw.h"
#include "scaled_u16.h"
#include "cpu/thread_pool.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RESULT_MAX_DIMS (3 + DATASET_MAX_TUNE)
_Static_assert(RESULT_MAX_DIMS <= NXDATA_MAX_DIMS, "a result's dims must fit an NXdata group");

/* Chunks and transposing slabs hold about this many floats (1 MiB). */
#define TARGET_FLOATS ((hsize_t)1 << 18)

struct result_file {
    MPI_Comm comm;           /* our duplicate of the caller's */
    int rank;
    char *path, *part, *data_path;
    hid_t file, data, dxpl_collective, dxpl_independent;
    int ndims;               /* 3 + tuning dims */
    hsize_t dims[RESULT_MAX_DIMS], chunk[RESULT_MAX_DIMS];
    int write_dim, read_dim; /* slice dims of the write and read patterns */
    hsize_t slab;            /* dim-0 rows per call for frames along dim 1 */
    long n_variants;
    bool raw_wanted;         /* !spec->through_hdf5 */
    bool contiguous;         /* raw wanted and untuned: laid out contiguous */
    enum result_store store; /* spec->store (UINT16's range: raw.u16_min, u16_max) */
    bool raw_moves;          /* data move raw (every rank agreed) */
    struct result_raw raw;   /* raw.fd: -1 when not open */
    bool use_parts;          /* one file per rank joined by a virtual dataset */
    struct result_parts parts; /* ... and this rank's (result_parts.h) */
    bool durable;            /* a result (spec->written_only): its writes go
                              * to the device as they come (result_raw_start_writeback) */
    bool failed;             /* a write or sync failed on this rank */
    savu_error failure;      /* ... and why */
};

/* ---- the layout, shared with processed_nexus.c ---- */

void result_file_axes_of(const struct dataset *ds, struct result_file_axes *out)
{
    memset(out, 0, sizeof *out);
    for (int d = 0; d < 3; d++) {
        out->shape[d] = ds->shape[d] > 0 ? (hsize_t)ds->shape[d] : 0;
        out->labels[d] = ds->labels[d];
        out->units[d] = ds->units[d];
        if (ds->labels[d] && strcmp(ds->labels[d], "rotation_angle") == 0 && ds->angles &&
            ds->n_angles == ds->shape[d])
            out->values[d] = ds->angles;
    }
    int n_tune = ds->n_tune < 0 ? 0 : ds->n_tune > DATASET_MAX_TUNE ? DATASET_MAX_TUNE : ds->n_tune;
    for (int t = 0; t < n_tune; t++) {
        out->shape[3 + t] = ds->tune_len[t] > 0 ? (hsize_t)ds->tune_len[t] : 0;
        out->labels[3 + t] = ds->tune_label[t];
        out->values[3 + t] = ds->tune_values[t];
    }
    out->axes.ndims = 3 + n_tune;
    out->axes.shape = out->shape;
    out->axes.labels = out->labels;
    out->axes.units = out->units;
    out->axes.values = out->values;
}

/* Savu's core and slice dims of a pattern of a 3-D dataset (savu-engine.md
 * §1.3); false for a pattern without frames. */
static bool pattern_dims(enum savu_pattern p, int64_t core[2], int64_t *slice)
{
    switch (p) {
    case SAVU_PATTERN_PROJECTION: core[0] = 2; core[1] = 1; *slice = 0; return true;
    case SAVU_PATTERN_SINOGRAM: core[0] = 2; core[1] = 0; *slice = 1; return true;
    case SAVU_PATTERN_VOLUME_XZ: core[0] = 0; core[1] = 2; *slice = 1; return true;
    default: return false;
    }
}

static int write_pattern(hid_t patterns, const struct dataset *ds, enum savu_pattern p, hid_t dxpl,
                         bool write_values)
{
    int64_t core[2], slice[1 + DATASET_MAX_TUNE];
    pattern_dims(p, core, &slice[0]);
    int n_tune = ds->n_tune > DATASET_MAX_TUNE ? DATASET_MAX_TUNE : ds->n_tune;
    for (int t = 0; t < n_tune; t++)
        slice[1 + t] = 3 + t;
    hid_t g = savu_h5_create_group(patterns, pattern_name(p), "NXparameters", H5T_CSET_ASCII);
    int rc = g >= 0 &&
                     nxdata_write_vector(g, "core_dims", H5T_STD_I64LE, H5T_NATIVE_INT64, 2, core, dxpl,
                                         write_values) == 0 &&
                     nxdata_write_vector(g, "slice_dims", H5T_STD_I64LE, H5T_NATIVE_INT64,
                                         (hsize_t)(1 + n_tune), slice, dxpl, write_values) == 0
                 ? 0
                 : -1;
    return savu_h5_close(rc, g);
}

int result_file_write_patterns(hid_t group, const struct dataset *ds, const enum savu_pattern *patterns,
                               int n, hid_t dxpl, bool write_values)
{
    hid_t g = savu_h5_create_group(group, "patterns", "NXcollection", H5T_CSET_ASCII);
    int rc = g >= 0 ? 0 : -1;
    for (int i = 0; i < n && rc == 0; i++) {
        int64_t core[2], slice;
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || patterns[j] == patterns[i];
        if (!seen && pattern_dims(patterns[i], core, &slice))
            rc = write_pattern(g, ds, patterns[i], dxpl, write_values);
    }
    return savu_h5_close(rc, g);
}

/* ---- chunks ---- */

static hsize_t clamp(hsize_t v, hsize_t most)
{
    return v < 1 ? 1 : v > most ? most : v;
}

static hsize_t isqrt(hsize_t n)
{
    hsize_t r = 1;
    while ((r + 1) * (r + 1) <= n)
        r++;
    return r;
}

/* About 1 MiB chunks of the 3 spatial dims. Written and read along the same
 * dim s: whole frames (the other two dims, the last one first) when they
 * fit, and as many frames as fill the rest. Written along sw and read along
 * sr: the third dim whole and the budget left split evenly between sw and sr,
 * so both a block of written frames and one of read frames cover whole
 * chunks (Savu's compromise, savu-engine.md §1.7). */
static void choose_chunks(const hsize_t dims[3], int sw, int sr, hsize_t chunk[3])
{
    if (sw == sr) {
        int p = sw == 0 ? 1 : 0, q = sw == 2 ? 1 : 2;
        chunk[q] = clamp(TARGET_FLOATS, dims[q]);
        chunk[p] = clamp(TARGET_FLOATS / chunk[q], dims[p]);
        chunk[sw] = clamp(TARGET_FLOATS / (chunk[p] * chunk[q]), dims[sw]);
        return;
    }
    int c = 3 - sw - sr;
    chunk[c] = clamp(TARGET_FLOATS, dims[c]);
    hsize_t room = TARGET_FLOATS / chunk[c];
    chunk[sw] = clamp(isqrt(room), dims[sw]);
    chunk[sr] = clamp(room / chunk[sw], dims[sr]);
    chunk[sw] = clamp(room / chunk[sr], dims[sw]);
}

/* Dim-0 rows moved per call for frames along dim 1: whole chunks along dim
 * 0, about TARGET_FLOATS per frame. The same on every rank (the writes are
 * collective, so every rank must make as many calls). */
static hsize_t choose_slab(const hsize_t dims[3], const hsize_t chunk[3])
{
    hsize_t rows = clamp(TARGET_FLOATS / dims[2], dims[0]);
    rows = (rows + chunk[0] - 1) / chunk[0] * chunk[0];
    return clamp(rows, dims[0]);
}

/* ---- creating ---- */

static char *concat(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

static bool framed(enum savu_pattern p)
{
    return p == SAVU_PATTERN_PROJECTION || p == SAVU_PATTERN_SINOGRAM || p == SAVU_PATTERN_VOLUME_XZ;
}

/* What every rank can check alone (and finds the same): the spec. */
static int check_spec(const struct result_file_spec *spec, savu_error *why)
{
    const struct dataset *ds = spec->ds;
    if (!spec->group || !*spec->group || strchr(spec->group, '/') || strcmp(spec->group, ".") == 0)
        return savu_error_set(why, "bad NXdata group name '%s'", spec->group ? spec->group : "");
    if (!ds)
        return savu_error_set(why, "no dataset");
    if (!framed(spec->write_pattern))
        return savu_error_set(why, "write pattern %s has no frames", pattern_name(spec->write_pattern));
    if (spec->read_pattern != SAVU_PATTERN_NONE && !framed(spec->read_pattern))
        return savu_error_set(why, "read pattern %s has no frames", pattern_name(spec->read_pattern));
    if (ds->n_tune < 0 || ds->n_tune > DATASET_MAX_TUNE)
        return savu_error_set(why, "%d tuning dimensions, at most %d", ds->n_tune, DATASET_MAX_TUNE);
    for (int d = 0; d < 3; d++)
        if (ds->shape[d] < 1)
            return savu_error_set(why, "dimension %d has length %ld", d, ds->shape[d]);
    struct result_file_axes axes;
    result_file_axes_of(ds, &axes);
    return nxdata_check_axes(&axes.axes, why);
}

static result_file *result_file_new(MPI_Comm comm, const struct result_file_spec *spec)
{
    result_file *rf = calloc(1, sizeof *rf);
    if (!rf)
        return NULL;
    rf->comm = MPI_COMM_NULL;
    rf->raw.fd = -1;
    rf->file = rf->data = rf->dxpl_collective = rf->dxpl_independent = -1;
    MPI_Comm_rank(comm, &rf->rank);
    rf->path = strdup(spec->path);
    rf->part = concat(spec->path, ".part", "");
    rf->data_path = concat("/", spec->group ? spec->group : "", "/data");
    if (!rf->path || !rf->part || !rf->data_path) {
        free(rf->path);
        free(rf->part);
        free(rf->data_path);
        free(rf);
        return NULL;
    }
    return rf;
}

static void result_file_free(result_file *rf)
{
    result_parts_free(&rf->parts);
    result_raw_free(&rf->raw);
    if (rf->comm != MPI_COMM_NULL)
        MPI_Comm_free(&rf->comm);
    free(rf->path);
    free(rf->part);
    free(rf->data_path);
    free(rf);
}

/* Rank 0 makes the empty <path>.part with open(2): a folder that is missing
 * or not writable gives the system's own words, which HDF5's MPI-IO error
 * would not. */
static int probe_part(const result_file *rf, savu_error *why)
{
    int fd = open(rf->part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return savu_error_set(why, "%s", strerror(errno));
    close(fd);
    return 0;
}

static void derive_geometry(result_file *rf, const struct result_file_spec *spec)
{
    const struct dataset *ds = spec->ds;
    enum savu_pattern read = spec->read_pattern == SAVU_PATTERN_NONE ? spec->write_pattern : spec->read_pattern;
    rf->write_dim = pattern_slice_dim(spec->write_pattern);
    rf->read_dim = pattern_slice_dim(read);
    rf->ndims = 3 + ds->n_tune;
    rf->n_variants = 1;
    for (int d = 0; d < 3; d++)
        rf->dims[d] = (hsize_t)ds->shape[d];
    for (int t = 0; t < ds->n_tune; t++) {
        rf->dims[3 + t] = (hsize_t)ds->tune_len[t];
        rf->chunk[3 + t] = 1;
        rf->n_variants *= ds->tune_len[t];
    }
    choose_chunks(rf->dims, rf->write_dim, rf->read_dim, rf->chunk);
    rf->slab = choose_slab(rf->dims, rf->chunk);
    rf->raw_wanted = !spec->through_hdf5;
    rf->contiguous = rf->raw_wanted && ds->n_tune == 0;
    rf->store = spec->store;
    rf->durable = spec->written_only;
    rf->raw.pool = spec->io_pool;
    rf->raw.to_uint16 = spec->store == RESULT_STORE_UINT16;
    rf->raw.u16_min = spec->store_min;
    rf->raw.u16_max = spec->store_max;
}

/* The type the data are stored as: float32, unsigned 16-bit, or IEEE
 * binary16 (sign bit 15, exponent bits 10-14 biased by 15, mantissa bits
 * 0-9), little-endian as HDF5's own types. A new type (close it). */
static hid_t stored_type(const result_file *rf)
{
    if (rf->store == RESULT_STORE_UINT16)
        return H5Tcopy(H5T_STD_U16LE);
    hid_t t = H5Tcopy(H5T_IEEE_F32LE);
    if (t < 0 || rf->store != RESULT_STORE_FLOAT16)
        return t;
    if (H5Tset_fields(t, 15, 10, 5, 0, 10) < 0 || H5Tset_precision(t, 16) < 0 ||
        H5Tset_size(t, 2) < 0 || H5Tset_ebias(t, 15) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* A scalar float64 attribute (collective: every rank writes the same). */
static int write_double_attribute(hid_t obj, const char *name, double value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = space >= 0 ? H5Acreate2(obj, name, H5T_IEEE_F64LE, space, H5P_DEFAULT,
                                         H5P_DEFAULT) : -1;
    int rc = attr >= 0 && H5Awrite(attr, H5T_NATIVE_DOUBLE, &value) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, attr);
    return savu_h5_close(rc, space);
}

static hid_t create_data(result_file *rf, hid_t group)
{
    hid_t space = H5Screate_simple(rf->ndims, rf->dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t type = stored_type(rf);
    hid_t data = -1;
    /* Every element is written, so no fill values; the storage is allocated
     * at creation (parallel HDF5 needs it, and the raw moves need to know
     * where it lies). */
    if (rf->use_parts) { /* the ranks' stripe files */
        savu_h5_close(0, dcpl);
        dcpl = result_parts_dcpl(&rf->parts, rf->path, rf->ndims, rf->dims);
        if (space >= 0 && dcpl >= 0 && type >= 0)
            data = H5Dcreate2(group, "data", type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    } else {
        herr_t layout = rf->contiguous ? H5Pset_layout(dcpl, H5D_CONTIGUOUS)
                                       : H5Pset_chunk(dcpl, rf->ndims, rf->chunk);
        if (space >= 0 && dcpl >= 0 && type >= 0 && layout >= 0 &&
            H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER) >= 0 &&
            H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY) >= 0)
            data = H5Dcreate2(group, "data", type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    }
    if (data >= 0 && rf->store == RESULT_STORE_UINT16 &&
        (write_double_attribute(data, "scale_factor",
                                scaled_u16_scale(rf->raw.u16_min, rf->raw.u16_max)) != 0 ||
         write_double_attribute(data, "add_offset", rf->raw.u16_min) != 0)) {
        H5Dclose(data);
        data = -1;
    }
    savu_h5_close(0, type);
    savu_h5_close(0, dcpl);
    savu_h5_close(0, space);
    return data;
}

/* The file driver: MPI-IO for several ranks; POSIX I/O (several times
 * faster) when one rank writes the file alone. */
static herr_t set_driver(hid_t fapl, MPI_Comm comm, int ranks)
{
    if (ranks == 1)
        return H5Pset_fapl_sec2(fapl);
    if (H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL) < 0)
        return -1;
    return H5Pset_coll_metadata_write(fapl, true);
}

/* Collective: the file and its layout. 0, or -1 with the reason on HDF5's
 * error stack. */
static int create_layout(result_file *rf, const struct result_file_spec *spec)
{
    int ranks = 1;
    MPI_Comm_size(rf->comm, &ranks);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* Large data on DIRECT_ALIGN boundaries: whole frames can then be
     * written with O_DIRECT (result_raw_open_direct). */
    int rc = fapl >= 0 && set_driver(fapl, rf->comm, ranks) >= 0 &&
                     H5Pset_alignment(fapl, (hsize_t)1 << 20, DIRECT_ALIGN) >= 0
                 ? 0
                 : -1;
    if (rc == 0 && (rf->file = H5Fcreate(rf->part, H5F_ACC_TRUNC, H5P_DEFAULT, fapl)) < 0)
        rc = -1;
    rc = savu_h5_close(rc, fapl);
    rf->dxpl_collective = H5Pcreate(H5P_DATASET_XFER);
    rf->dxpl_independent = H5Pcreate(H5P_DATASET_XFER);
    if (rc == 0 && (rf->dxpl_collective < 0 || rf->dxpl_independent < 0))
        rc = -1;
    if (rc == 0 && ranks > 1 &&
        (H5Pset_dxpl_mpio(rf->dxpl_collective, H5FD_MPIO_COLLECTIVE) < 0 ||
         H5Pset_dxpl_mpio(rf->dxpl_independent, H5FD_MPIO_INDEPENDENT) < 0))
        rc = -1;
    if (rc < 0)
        return -1;
    hid_t group = savu_h5_create_group(rf->file, spec->group, "NXdata", H5T_CSET_ASCII);
    if (group < 0)
        return -1;
    struct result_file_axes axes;
    result_file_axes_of(spec->ds, &axes);
    enum savu_pattern patterns[3] = { spec->ds->pattern, spec->write_pattern, spec->read_pattern };
    bool writer = rf->rank == 0;
    rf->data = create_data(rf, group);
    rc = rf->data >= 0 && nxdata_write_axes(group, &axes.axes, rf->dxpl_collective, writer) == 0 &&
                 result_file_write_patterns(group, spec->ds, patterns, 3, rf->dxpl_collective, writer) == 0
             ? 0
             : -1;
    return savu_h5_close(rc, group);
}

/* Whether `data` can move raw: HDF5 gives native float as IEEE LE, it says where
 * every chunk lies (into into->layout), rows lie whole in chunks, and
 * `path` opens read-write (into into->fd). 1 or 0. float16 and uint16:
 * the layout of the stored type. */
static int open_raw_layout(const result_file *rf, hid_t data, const char *path,
                           struct result_raw *into)
{
    hid_t type = stored_type(rf);
    int usable = data >= 0 && type >= 0 && H5Tequal(H5T_NATIVE_FLOAT, H5T_IEEE_F32LE) > 0 &&
                 raw_layout_of(data, rf->store != RESULT_STORE_FLOAT32 ? type : H5T_NATIVE_FLOAT,
                               &into->layout) == 1 &&
                 result_raw_suits(&into->layout);
    savu_h5_close(0, type);
    if (usable)
        into->fd = open(path, O_RDWR | O_CLOEXEC);
    return usable && into->fd >= 0;
}

/* open_raw_layout of each of this rank's stripe files (result_parts.h);
 * stripes without frames have nothing to open. */
static int open_own_parts(result_file *rf)
{
    int n = rf->parts.stripes, usable = 1;
    if (!(rf->raw.stripes = calloc((size_t)n, sizeof *rf->raw.stripes)))
        return 0;
    rf->raw.n_stripes = n;
    for (int s = 0; s < n; s++)
        rf->raw.stripes[s].fd = -1;
    for (int s = 0; s < n && usable; s++) {
        const char *name = rf->parts.own_tmp[s];
        if (!name)
            continue;
        hid_t file = H5Fopen(name, H5F_ACC_RDONLY, H5P_DEFAULT);
        hid_t data = file >= 0 ? H5Dopen2(file, "data", H5P_DEFAULT) : -1;
        usable = open_raw_layout(rf, data, name, &rf->raw.stripes[s]);
        savu_h5_close(0, data);
        savu_h5_close(0, file);
    }
    return usable;
}

/* Collective: the raw moves when every rank can make them (into the file,
 * mapped on tmpfs, or into the rank's stripe files); otherwise every rank
 * moves the data through HDF5, which a virtual dataset of parts cannot
 * take: its writes then fail. */
static void open_raw(result_file *rf)
{
    int usable = rf->use_parts ? open_own_parts(rf)
                               : rf->raw_wanted && open_raw_layout(rf, rf->data, rf->part, &rf->raw);
    int everywhere = 0;
    MPI_Allreduce(&usable, &everywhere, 1, MPI_INT, MPI_MIN, rf->comm);
    rf->raw_moves = everywhere == 1;
    if (!rf->raw_moves) {
        result_raw_free(&rf->raw);
        if (rf->use_parts) {
            rf->failed = true;
            savu_error_set(&rf->failure, "cannot write %s: a rank cannot write its part raw",
                           rf->path);
        }
        return;
    }
    if (rf->use_parts) /* stripe files are written with pwrite(2) (result_parts.h) */
        return;
    result_raw_map(&rf->raw);
    if (rf->durable && !rf->raw.map)
        result_raw_open_direct(&rf->raw, rf->part);
}

/* Opens the raw descriptors again (result_file_sync); 0 or an errno value. */
static int reopen_raw(result_file *rf)
{
    if (!rf->raw_moves)
        return 0;
    if (!rf->use_parts)
        return (rf->raw.fd = open(rf->part, O_RDWR | O_CLOEXEC)) < 0 ? errno : 0;
    for (int s = 0; s < rf->raw.n_stripes; s++)
        if (rf->parts.own_tmp[s] &&
            (rf->raw.stripes[s].fd = open(rf->parts.own_tmp[s], O_RDWR | O_CLOEXEC)) < 0)
            return errno;
    return 0;
}

/* Closes the raw descriptors, after making what they wrote durable when
 * `sync`. 0, or an errno value. */
static int close_raw(result_file *rf, bool sync)
{
    return result_raw_close(&rf->raw, sync);
}

/* Collective: closes what is open; 0, or -1 with the reason on HDF5's stack. */
static int close_file(result_file *rf)
{
    close_raw(rf, false);
    int rc = savu_h5_close(0, rf->data);
    rc = savu_h5_close(rc, rf->dxpl_collective);
    rc = savu_h5_close(rc, rf->dxpl_independent);
    rc = savu_h5_close(rc, rf->file);
    rf->data = rf->dxpl_collective = rf->dxpl_independent = rf->file = -1;
    return rc;
}

static void h5_reason(savu_error *why)
{
    savu_h5_reason(why->msg, sizeof why->msg);
}

/* Collective: whether the result is written as stripe files
 * (result_parts.h): raw, untuned, never read back, in memory. */
static bool wants_parts(const result_file *rf, const struct result_file_spec *spec)
{
    return spec->written_only && rf->contiguous && result_parts_wanted(rf->comm, rf->path);
}

result_file *result_file_create(MPI_Comm comm, const struct result_file_spec *spec, savu_error *err)
{
    if (!spec || !spec->path || !*spec->path) {
        savu_error_set(err, "cannot create a result file: no file name given");
        return NULL;
    }
    savu_error why = { "" };
    result_file *rf = result_file_new(comm, spec);
    int rc = rf ? check_spec(spec, &why) : savu_error_set(&why, "out of memory");
    if (rc == 0 && rf->rank == 0)
        rc = probe_part(rf, &why);
    if (mpi_agree(comm, rc, &why) < 0 || MPI_Comm_dup(comm, &rf->comm) != MPI_SUCCESS) {
        if (!why.msg[0])
            savu_error_set(&why, "MPI error in MPI_Comm_dup");
        if (rf && rf->rank == 0 && rc == 0)
            unlink(rf->part);
        savu_error_set(err, "cannot create %s: %s", spec->path, why.msg);
        savu_h5_error_one_line(err);
        if (rf)
            result_file_free(rf);
        return NULL;
    }
    derive_geometry(rf, spec);
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    if (wants_parts(rf, spec)) {
        rf->use_parts = true;
        hid_t type = stored_type(rf);
        int stripes = spec->io_pool ? savu_thread_pool_size(spec->io_pool) : 1;
        rc = result_parts_create(&rf->parts, rf->comm, rf->path, rf->ndims, rf->dims,
                                 rf->write_dim, type, stripes, &why);
        savu_h5_close(0, type);
        if (mpi_agree(rf->comm, rc, &why) < 0) {
            savu_h5_quiet_end(&quiet);
            result_parts_remove(&rf->parts);
            if (rf->rank == 0)
                unlink(rf->part);
            savu_error_set(err, "cannot create %s: %s", spec->path, why.msg);
            result_file_free(rf);
            return NULL;
        }
    }
    rc = create_layout(rf, spec);
    if (rc < 0)
        h5_reason(&why);
    if (mpi_agree(rf->comm, rc, &why) < 0) {
        close_file(rf);
        savu_h5_quiet_end(&quiet);
        if (rf->use_parts)
            result_parts_remove(&rf->parts);
        if (rf->rank == 0)
            unlink(rf->part);
        savu_error_set(err, "cannot create %s: %s", spec->path, why.msg);
        savu_h5_error_one_line(err);
        result_file_free(rf);
        return NULL;
    }
    savu_h5_quiet_end(&quiet);
    open_raw(rf);
    return rf;
}

/* ---- moving frames ---- */

/* [first, first + n) must lie within the frames along dim, e.g. "frames
 * 8..12 outside the 10 frames along dimension 0", and n frames need data. */
static int check_frames(const result_file *rf, int dim, long first, long n, const float *block,
                        savu_error *why)
{
    if (first < 0 || n < 0 || (hsize_t)first > rf->dims[dim] || (hsize_t)n > rf->dims[dim] - (hsize_t)first)
        return savu_error_set(why, "frames %ld..%ld outside the %llu frames along dimension %d", first,
                              first + n - 1, (unsigned long long)rf->dims[dim], dim);
    if (n > 0 && !block)
        return savu_error_set(why, "no data given for frames %ld..%ld", first, first + n - 1);
    return 0;
}

/* One H5Dwrite (writing) or H5Dread of the box start/count of the spatial
 * dims of one variant, from or into the contiguous buf; an empty box
 * selects nothing (a collective call still made). */
static int transfer(const result_file *rf, bool writing, hid_t dxpl, const hsize_t start3[3],
                    const hsize_t count3[3], long variant, void *buf)
{
    static float nothing;
    hsize_t start[RESULT_MAX_DIMS], count[RESULT_MAX_DIMS];
    hsize_t elements = count3[0] * count3[1] * count3[2];
    for (int d = 0; d < 3; d++) {
        start[d] = start3[d];
        count[d] = count3[d];
    }
    for (int d = 3; d < rf->ndims; d++) { /* v = t0 + n0 * (t1 + n1 * ...) */
        start[d] = (hsize_t)variant % rf->dims[d];
        variant = (long)((hsize_t)variant / rf->dims[d]);
        count[d] = 1;
    }
    /* The memory space has the shape of the file selection: HDF5 then maps
     * chunks by hyperslab, not element by element. */
    hsize_t one[RESULT_MAX_DIMS];
    for (int d = 0; d < rf->ndims; d++)
        one[d] = 1;
    hid_t file_space = H5Dget_space(rf->data);
    hid_t mem_space = H5Screate_simple(rf->ndims, elements ? count : one, NULL);
    int rc = file_space >= 0 && mem_space >= 0 ? 0 : -1;
    if (rc == 0 && elements)
        rc = H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 ? 0 : -1;
    else if (rc == 0)
        rc = H5Sselect_none(file_space) >= 0 && H5Sselect_none(mem_space) >= 0 ? 0 : -1;
    if (!elements || !buf)
        buf = &nothing;
    if (rc == 0 && writing)
        rc = H5Dwrite(rf->data, H5T_NATIVE_FLOAT, mem_space, file_space, dxpl, buf) >= 0 ? 0 : -1;
    else if (rc == 0)
        rc = H5Dread(rf->data, H5T_NATIVE_FLOAT, mem_space, file_space, dxpl, buf) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, mem_space);
    return savu_h5_close(rc, file_space);
}

/* Between a block's frames along dim 1, frame [d0][d2], and a slab of rows
 * of the file [rows][n][d2] starting at dim-0 row a0. */
static void slab_pack(const result_file *rf, const float *frames, hsize_t n, hsize_t a0, hsize_t rows,
                      float *slab)
{
    size_t row = rf->dims[2], d0 = rf->dims[0];
    for (hsize_t a = 0; a < rows; a++)
        for (hsize_t f = 0; f < n; f++)
            memcpy(slab + (a * n + f) * row, frames + (f * d0 + a0 + a) * row, row * sizeof *slab);
}

static void slab_unpack(const result_file *rf, const float *slab, hsize_t n, hsize_t a0, hsize_t rows,
                        float *frames)
{
    size_t row = rf->dims[2], d0 = rf->dims[0];
    for (hsize_t a = 0; a < rows; a++)
        for (hsize_t f = 0; f < n; f++)
            memcpy(frames + (f * d0 + a0 + a) * row, slab + (a * n + f) * row, row * sizeof *slab);
}

static size_t frame_floats(const result_file *rf, int dim)
{
    return dim == 0 ? rf->dims[1] * rf->dims[2] : rf->dims[0] * rf->dims[2];
}

/* A scratch slab for n frames along dim 1, or NULL (n = 0, or no memory). */
static float *slab_new(const result_file *rf, hsize_t n)
{
    if (!n)
        return NULL;
    hsize_t floats = rf->slab * n * rf->dims[2];
    if (floats / n / rf->dims[2] != rf->slab || floats > SIZE_MAX / sizeof(float))
        return NULL;
    return malloc(floats * sizeof(float));
}

static void record_failure(result_file *rf, const savu_error *err)
{
    if (!rf->failed) {
        rf->failed = true;
        rf->failure = *err;
    }
}

int result_file_write(result_file *rf, long first, long n, const float *block, savu_error *err)
{
    savu_error why = { "" };
    int dim = rf->write_dim;
    int rc = check_frames(rf, dim, first, n, block, &why);
    hsize_t frames = rc == 0 ? (hsize_t)n : 0;
    size_t per_variant = frames * frame_floats(rf, dim);
    bool transposing = dim == 1 && !rf->raw_moves;
    float *slab = transposing ? slab_new(rf, frames) : NULL;
    if (transposing && frames && !slab) {
        rc = savu_error_set(&why, "out of memory for %llu frames", (unsigned long long)frames);
        frames = 0; /* still make every collective call, writing nothing */
    }
    if (rf->use_parts) { /* this rank's frames, in its own file */
        long from = rf->parts.own_first, to = from + rf->parts.own_count;
        if (rc == 0 && frames && (first < from || first + n > to))
            rc = savu_error_set(&why, "frames %ld..%ld are not this rank's (%ld..%ld)", first,
                                first + n - 1, from, to - 1);
        else if (rc == 0 && !rf->raw_moves)
            rc = savu_error_set(&why, "a rank cannot write its part raw");
        first -= from;
    }
    if (rf->raw_moves || rf->use_parts) {
        int moved = rc == 0 ? result_raw_move(&rf->raw, true, dim, (hsize_t)first, frames,
                                              (float *)block) : 0;
        if (moved != 0)
            rc = savu_error_set(&why, "%s", strerror(moved));
        else if (rf->durable && rc == 0 && frames > 0)
            result_raw_start_writeback(&rf->raw);
        goto done;
    }
    float *scaled = NULL; /* uint16: the stored integers, for HDF5 to convert */
    if (rf->store == RESULT_STORE_UINT16 && frames) {
        size_t count = per_variant * (size_t)rf->n_variants;
        if ((scaled = malloc(sizeof *scaled * count))) {
            memcpy(scaled, block, sizeof *scaled * count);
            scaled_u16_in_place(scaled, count, rf->raw.u16_min, rf->raw.u16_max);
            block = scaled;
        } else if (rc == 0) {
            rc = savu_error_set(&why, "out of memory for %llu frames", (unsigned long long)frames);
        }
    }
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    for (long v = 0; v < rf->n_variants; v++) {
        const float *frames_v = frames ? block + (size_t)v * per_variant : NULL;
        int done;
        if (dim == 0) {
            hsize_t start[3] = { (hsize_t)first, 0, 0 }, count[3] = { frames, rf->dims[1], rf->dims[2] };
            done = transfer(rf, true, rf->dxpl_collective, start, count, v, (void *)frames_v);
        } else {
            done = 0;
            for (hsize_t a0 = 0; a0 < rf->dims[0]; a0 += rf->slab) {
                hsize_t rows = rf->dims[0] - a0 < rf->slab ? rf->dims[0] - a0 : rf->slab;
                hsize_t start[3] = { a0, (hsize_t)first, 0 }, count[3] = { rows, frames, rf->dims[2] };
                if (frames)
                    slab_pack(rf, frames_v, frames, a0, rows, slab);
                if (transfer(rf, true, rf->dxpl_collective, start, count, v, slab) < 0 && done == 0)
                    done = -1;
            }
        }
        if (done < 0 && rc == 0) {
            h5_reason(&why);
            rc = -1;
        }
    }
    savu_h5_quiet_end(&quiet);
    free(scaled);
done:
    free(slab);
    if (rc == 0)
        return 0;
    savu_error_set(err, "cannot write %s: %s", rf->path, why.msg);
    savu_h5_error_one_line(err);
    record_failure(rf, err);
    return -1;
}

int result_file_read(result_file *rf, long first, long n, float *block, savu_error *err)
{
    savu_error why = { "" };
    int dim = rf->read_dim;
    int rc = check_frames(rf, dim, first, n, block, &why);
    if (rc == 0 && n == 0)
        return 0;
    hsize_t frames = (hsize_t)n;
    size_t per_variant = frames * frame_floats(rf, dim);
    if (rf->raw_moves) {
        int moved = rc == 0 ? result_raw_move(&rf->raw, false, dim, (hsize_t)first, frames, block)
                            : 0;
        if (moved != 0)
            rc = savu_error_set(&why, "%s", moved == EIO ? "the file ends before the frames"
                                                         : strerror(moved));
        goto done;
    }
    float *slab = rc == 0 && dim == 1 ? slab_new(rf, frames) : NULL;
    if (rc == 0 && dim == 1 && !slab)
        rc = savu_error_set(&why, "out of memory for %llu frames", (unsigned long long)frames);
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    for (long v = 0; v < rf->n_variants && rc == 0; v++) {
        float *frames_v = block + (size_t)v * per_variant;
        if (dim == 0) {
            hsize_t start[3] = { (hsize_t)first, 0, 0 }, count[3] = { frames, rf->dims[1], rf->dims[2] };
            rc = transfer(rf, false, rf->dxpl_independent, start, count, v, frames_v);
            continue;
        }
        for (hsize_t a0 = 0; a0 < rf->dims[0] && rc == 0; a0 += rf->slab) {
            hsize_t rows = rf->dims[0] - a0 < rf->slab ? rf->dims[0] - a0 : rf->slab;
            hsize_t start[3] = { a0, (hsize_t)first, 0 }, count[3] = { rows, frames, rf->dims[2] };
            rc = transfer(rf, false, rf->dxpl_independent, start, count, v, slab);
            if (rc == 0)
                slab_unpack(rf, slab, frames, a0, rows, frames_v);
        }
        if (rc < 0)
            h5_reason(&why);
    }
    savu_h5_quiet_end(&quiet);
    free(slab);
done:
    if (rc == 0)
        return 0;
    savu_error_set(err, "cannot read %s: %s", rf->path, why.msg);
    savu_h5_error_one_line(err);
    return -1;
}

/* ---- syncing, finishing ---- */

int result_file_sync(result_file *rf, savu_error *err)
{
    savu_error why = { "" };
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    /* MPI-IO's consistency rule for other ranks' writes: sync, barrier, sync. */
    int rc = H5Fflush(rf->file, H5F_SCOPE_GLOBAL) >= 0 ? 0 : -1;
    if (rc < 0)
        h5_reason(&why);
    /* Raw moves: closing before the barrier and opening after it give the
     * close-to-open consistency of network filesystems. */
    int closed = rf->raw_moves ? close_raw(rf, false) : 0;
    if (closed != 0 && rc == 0)
        rc = savu_error_set(&why, "%s", strerror(closed));
    if (MPI_Barrier(rf->comm) != MPI_SUCCESS && rc == 0)
        rc = savu_error_set(&why, "MPI error in MPI_Barrier");
    int reopened = reopen_raw(rf);
    if (reopened != 0 && rc == 0)
        rc = savu_error_set(&why, "%s", strerror(reopened));
    if (H5Fflush(rf->file, H5F_SCOPE_GLOBAL) < 0 && rc == 0) {
        h5_reason(&why);
        rc = -1;
    }
    savu_h5_quiet_end(&quiet);
    savu_error msg = { "" };
    if (rc < 0) {
        savu_error_set(&msg, "cannot write %s: %s", rf->path, why.msg);
        savu_h5_error_one_line(&msg);
        record_failure(rf, &msg);
    }
    rc = mpi_agree(rf->comm, rc, &msg);
    if (rc < 0 && err)
        *err = msg;
    return rc;
}

bool result_file_moves_raw(const result_file *rf)
{
    return rf->raw_moves;
}

bool result_file_writes_any_frames(const result_file *rf)
{
    return rf->raw_moves && !rf->use_parts;
}

bool result_file_maps_writes(const result_file *rf)
{
    return rf->raw.map != NULL;
}

const char *result_file_path(const result_file *rf)
{
    return rf->path;
}

const char *result_file_data_path(const result_file *rf)
{
    return rf->data_path;
}

int result_file_finish(result_file *rf, savu_error *err)
{
    if (!rf)
        return savu_error_set(err, "cannot finish a result file that was not created");
    savu_error msg = { "" };
    int rc = 0;
    if (rf->failed) {
        msg = rf->failure;
        rc = -1;
    }
    /* The flushes make the data durable (fdatasync of the raw moves,
     * MPI_File_sync) before the rename. */
    int synced = close_raw(rf, true);
    if (synced != 0 && rc == 0) {
        savu_error_set(&msg, "cannot write %s: %s", rf->path, strerror(synced));
        rc = -1;
    }
    /* Data that any rank failed to write: nothing to keep, and perhaps a
     * full filesystem (result_file_abort makes room before closing). */
    if (mpi_agree(rf->comm, rc, &msg) != 0) {
        result_file_abort(rf);
        if (err)
            *err = msg;
        return -1;
    }
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    int closed = H5Fflush(rf->file, H5F_SCOPE_GLOBAL) >= 0 ? 0 : -1;
    closed = close_file(rf) < 0 ? -1 : closed;
    if (closed < 0 && rc == 0) {
        savu_error why = { "" };
        h5_reason(&why);
        savu_error_set(&msg, "cannot write %s: %s", rf->path, why.msg);
        savu_h5_error_one_line(&msg);
        rc = -1;
    }
    savu_h5_quiet_end(&quiet);
    rc = mpi_agree(rf->comm, rc, &msg);
    if (rc == 0 && rf->use_parts) { /* the parts first: the result file marks completion */
        int moved = result_parts_commit(&rf->parts);
        if (moved != 0)
            savu_error_set(&msg, "cannot write %s: %s", rf->path, strerror(moved));
        rc = mpi_agree(rf->comm, moved ? -1 : 0, &msg);
    }
    if (rc == 0) {
        int renamed = 0;
        if (rf->rank == 0 && rename(rf->part, rf->path) < 0)
            renamed = savu_error_set(&msg, "cannot write %s: %s", rf->path, strerror(errno));
        else if (rf->rank == 0)
            savu_sync_folder_of(rf->path);
        rc = mpi_agree(rf->comm, renamed, &msg);
    }
    if (rc < 0 && rf->rank == 0)
        unlink(rf->part);
    if (rc < 0 && rf->use_parts)
        result_parts_remove(&rf->parts);
    if (rc < 0 && err)
        *err = msg;
    result_file_free(rf);
    return rc;
}

void result_file_abort(result_file *rf)
{
    if (!rf)
        return;
    /* The data go first: a run that failed because its results filled the
     * filesystem must still find room for the metadata HDF5 writes as it
     * closes. Rank 0 writes them, and a failed write there would leave the
     * ranks in different collective calls (a hang). */
    close_raw(rf, false);
    result_raw_unmap(&rf->raw); /* a mapping would keep a removed part's pages */
    if (rf->use_parts)
        result_parts_remove(&rf->parts);
    MPI_Barrier(rf->comm);
    if (rf->rank == 0)
        (void)truncate(rf->part, 0); /* HDF5 only writes from here on */
    MPI_Barrier(rf->comm);
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    close_file(rf);
    savu_h5_quiet_end(&quiet);
    MPI_Barrier(rf->comm);
    if (rf->rank == 0)
        unlink(rf->part);
    MPI_Barrier(rf->comm);
    result_file_free(rf);
}
