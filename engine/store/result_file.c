/* result_file.c: one dataset written by all MPI ranks together into an HDF5
 * file of its own, in Savu's layout, and read back by any rank in another
 * pattern (see result_file.h). This is the one interface: it checks the
 * spec, chooses once how the frames move (a backend table,
 * result_backend.h: through HDF5, raw, or stripe files), makes the file
 * (result_h5file.c), checks each call's frames, and makes the result
 * complete or removes it; the backends move the frames. */
#include "result_file.h"
#include "atomic_file.h"
#include "mpi_agree.h"
#include "nexus_hdf5.h"
#include "result_backend.h"
#include "result_geometry.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- creating ---- */

static char *concat(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* What every rank can check alone (and finds the same): the spec. */
static int check_spec(const struct result_file_spec *spec, savu_error *why)
{
    const struct dataset *ds = spec->ds;
    if (!spec->group || !*spec->group || strchr(spec->group, '/') || strcmp(spec->group, ".") == 0)
        return savu_error_set(why, "bad NXdata group name '%s'", spec->group ? spec->group : "");
    if (!ds)
        return savu_error_set(why, "no dataset");
    if (!dataset_pattern(ds, spec->write_pattern))
        return savu_error_set(why, "write pattern %s has no frames", pattern_name(spec->write_pattern));
    if (spec->read_pattern != SAVU_PATTERN_NONE && !dataset_pattern(ds, spec->read_pattern))
        return savu_error_set(why, "read pattern %s has no frames", pattern_name(spec->read_pattern));
    if (ds->n_tune < 0 || ds->n_tune > DATASET_MAX_TUNE)
        return savu_error_set(why, "%d tuning dimensions, at most %d", ds->n_tune, DATASET_MAX_TUNE);
    for (int d = 0; d < ds->ndim; d++)
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
    rf->backend = &result_backend_hdf5;
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
    rf->write_pd = *dataset_pattern(ds, spec->write_pattern);
    rf->read_pd = *dataset_pattern(ds, read);
    rf->write_dim = rf->write_pd.slice[0];
    rf->read_dim = rf->read_pd.slice[0];
    rf->write_frames = dataset_frames(ds, spec->write_pattern);
    rf->read_frames = dataset_frames(ds, read);
    rf->space_dims = ds->ndim;
    rf->ndims = ds->ndim + ds->n_tune;
    rf->n_variants = 1;
    for (int d = 0; d < ds->ndim; d++)
        rf->dims[d] = (hsize_t)ds->shape[d];
    for (int t = 0; t < ds->n_tune; t++) {
        rf->dims[ds->ndim + t] = (hsize_t)ds->tune_len[t];
        rf->chunk[ds->ndim + t] = 1;
        rf->n_variants *= ds->tune_len[t];
    }
    rf->simple = dataset_simple_3d(ds, spec->write_pattern) && dataset_simple_3d(ds, read);
    if (rf->simple) {
        result_choose_chunks(rf->dims, rf->write_dim, rf->read_dim, rf->chunk);
        rf->slab = result_choose_slab(rf->dims, rf->chunk);
    } else {
        result_choose_chunks_nd(rf->space_dims, rf->dims, &rf->write_pd, &rf->read_pd, rf->chunk);
    }
    rf->store = spec->store;
    rf->durable = spec->written_only;
    rf->raw.pool = spec->io_pool;
    rf->raw.to_uint16 = spec->store == RESULT_STORE_UINT16;
    rf->raw.u16_min = spec->store_min;
    rf->raw.u16_max = spec->store_max;
}

/* Collective: how the frames move. Through HDF5 on request; as stripe
 * files for a result that is raw, untuned, never read back and in memory
 * on every rank (result_parts.h); else raw (which falls back to HDF5 at
 * result_backend.open when a rank cannot). */
static const struct result_backend *choose_backend(const result_file *rf,
                                                   const struct result_file_spec *spec)
{
    if (!rf->simple)
        return &result_backend_frames;
    if (spec->through_hdf5)
        return &result_backend_hdf5;
    if (spec->written_only && rf->ndims == 3 && result_parts_wanted(rf->comm, rf->path))
        return &result_backend_parts;
    return &result_backend_raw;
}

/* A create that failed on every rank: nothing left behind; NULL. */
static result_file *create_failed(result_file *rf, const savu_h5_quiet *quiet, savu_error *why,
                                  savu_error *err)
{
    result_h5file_close(rf);
    savu_h5_quiet_end(quiet);
    rf->backend->discard(rf);
    if (rf->rank == 0)
        unlink(rf->part);
    savu_error_set(err, "cannot create %s: %s", rf->path, why->msg);
    savu_h5_error_one_line(err);
    result_file_free(rf);
    return NULL;
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
    rf->backend = choose_backend(rf, spec);
    if (rf->backend->prepare(rf, &why) < 0)
        return create_failed(rf, &quiet, &why, err);
    rc = result_h5file_create(rf, spec);
    if (rc < 0)
        result_h5_reason(&why);
    if (mpi_agree(rf->comm, rc, &why) < 0)
        return create_failed(rf, &quiet, &why, err);
    savu_h5_quiet_end(&quiet);
    rf->backend = rf->backend->open(rf);
    return rf;
}

/* ---- moving frames ---- */

/* [first, first + n) must lie within the frames of the pattern pd, e.g.
 * "frames 8..12 outside the 10 frames along dimension 0", and n frames need
 * data. */
static int check_frames(const struct pattern_dims *pd, long frames, long first, long n,
                        const float *block, savu_error *why)
{
    if (first < 0 || n < 0 || first > frames || n > frames - first) {
        if (pd->n_slice == 1)
            return savu_error_set(why, "frames %ld..%ld outside the %ld frames along dimension %d",
                                  first, first + n - 1, frames, pd->slice[0]);
        return savu_error_set(why, "frames %ld..%ld outside the %ld frames along %d dimensions",
                              first, first + n - 1, frames, pd->n_slice);
    }
    if (n > 0 && !block)
        return savu_error_set(why, "no data given for frames %ld..%ld", first, first + n - 1);
    return 0;
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
    savu_error why = { "" }, later = { "" };
    int rc = check_frames(&rf->write_pd, rf->write_frames, first, n, block, &why);
    /* Bad frames: the backend still makes its collective calls, with none. */
    int written = rf->backend->write(rf, first, rc == 0 ? (hsize_t)n : 0, block,
                                     rc == 0 ? &why : &later);
    if (rc == 0)
        rc = written;
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
    int rc = check_frames(&rf->read_pd, rf->read_frames, first, n, block, &why);
    if (rc == 0 && n == 0)
        return 0;
    if (rc == 0)
        rc = rf->backend->read(rf, first, (hsize_t)n, block, &why);
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
        result_h5_reason(&why);
    /* Raw moves: closing before the barrier and opening after it give the
     * close-to-open consistency of network filesystems. */
    int closed = rf->backend->close(rf, false);
    if (closed != 0 && rc == 0)
        rc = savu_error_set(&why, "%s", strerror(closed));
    if (MPI_Barrier(rf->comm) != MPI_SUCCESS && rc == 0)
        rc = savu_error_set(&why, "MPI error in MPI_Barrier");
    int reopened = rf->backend->reopen(rf);
    if (reopened != 0 && rc == 0)
        rc = savu_error_set(&why, "%s", strerror(reopened));
    if (H5Fflush(rf->file, H5F_SCOPE_GLOBAL) < 0 && rc == 0) {
        result_h5_reason(&why);
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
    return rf->backend->moves_raw;
}

bool result_file_writes_any_frames(const result_file *rf)
{
    return rf->backend->writes_any_frames;
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
    int synced = rf->backend->close(rf, true);
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
    closed = result_h5file_close(rf) < 0 ? -1 : closed;
    if (closed < 0 && rc == 0) {
        savu_error why = { "" };
        result_h5_reason(&why);
        savu_error_set(&msg, "cannot write %s: %s", rf->path, why.msg);
        savu_h5_error_one_line(&msg);
        rc = -1;
    }
    savu_h5_quiet_end(&quiet);
    rc = mpi_agree(rf->comm, rc, &msg);
    if (rc == 0) /* the backend's files first: the result file marks completion */
        rc = rf->backend->commit(rf, &msg);
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
    if (rc < 0)
        rf->backend->discard(rf);
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
    rf->backend->close(rf, false);
    rf->backend->discard(rf);
    MPI_Barrier(rf->comm);
    if (rf->rank == 0)
        (void)truncate(rf->part, 0); /* HDF5 only writes from here on */
    MPI_Barrier(rf->comm);
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    result_h5file_close(rf);
    savu_h5_quiet_end(&quiet);
    MPI_Barrier(rf->comm);
    if (rf->rank == 0)
        unlink(rf->part);
    MPI_Barrier(rf->comm);
    result_file_free(rf);
}
