/* result_file.h: one dataset written by all MPI ranks together into an HDF5
 * file of its own, in Savu's layout (reference savu-engine.md §1.6): a
 * plugin's output <folder>/<dataset>_p<N>_<module>.h5 holding the NXdata
 * group /<N>-<PluginClass>-<dataset> with `data` (float32, the dataset's 3
 * dims then one dim per tuned parameter), one float64 dataset per axis with
 * `units`, the NXdata attributes (signal, axes, <label>_indices), and
 * patterns/<PATTERN>/{core_dims,slice_dims}. The same object serves the
 * engine's intermediate reslice file, which is written in one pattern and
 * read back in another.
 *
 * The frames move straight between memory and the file on the I/O
 * threads (result_raw.h); an untuned dataset is then contiguous. When
 * spec->through_hdf5 they move through HDF5 (collective MPI-IO) in chunks
 * that suit both the pattern the data are written in and the one they are
 * read in next (about 1 MiB, Savu's Feature 3); tuned datasets have those
 * chunks on both paths. The file is written
 * under a temporary name (<name>.part) with the MPI-IO driver and renamed
 * to its name only by result_file_finish, so a failed run never leaves a
 * result that looks complete. Blocks in memory are laid out as dataset.h
 * says: [variant][frame][core], variant v = t0 + n0 * (t1 + n1 * ...).
 * How the frames move (HDF5, raw, or stripe files) is a backend chosen
 * once at creation (result_backend.h). */
#ifndef SAVU_RESULT_FILE_H
#define SAVU_RESULT_FILE_H

#include <stdbool.h>
#include <mpi.h>
#include "dataset.h"
#include "error.h"
#include "nxdata_write.h"

typedef struct result_file result_file;
struct savu_thread_pool;

struct result_file_spec {
    const char *path;            /* the final file name */
    const char *group;           /* NXdata group name, e.g. "1-TomoRecon-tomo" */
    const struct dataset *ds;    /* shape, labels, units, tuning dims; ds->angles
                                  * give the rotation_angle axis values */
    enum savu_pattern write_pattern; /* frames written along its slice dim */
    enum savu_pattern read_pattern;  /* frames read back along its slice dim
                                      * (= write_pattern when never read) */
    bool through_hdf5;               /* move the data through HDF5 even when
                                      * they could move raw */
    struct savu_thread_pool *io_pool; /* threads for raw moves (NULL: the
                                      * caller alone); used only by the
                                      * thread that calls write and read */
    enum result_store {
        RESULT_STORE_FLOAT32,        /* as computed */
        RESULT_STORE_FLOAT16,        /* IEEE binary16: half the bytes, ~3
                                      * significant digits */
        RESULT_STORE_UINT16,         /* unsigned 16-bit: store_min .. store_max
                                      * mapped to 0 .. 65535 (rounded, clipped;
                                      * NaN: 0), with the dataset attributes
                                      * scale_factor and add_offset that map
                                      * back: value = add_offset + scale_factor * stored */
    } store;                         /* FLOAT16 and UINT16 files are written,
                                      * never read back */
    double store_min, store_max;     /* UINT16: the range (min < max) */
    bool written_only;               /* never read back (a result): written into
                                      * memory by several ranks, it is one file
                                      * per rank (result_parts.h); on a disk,
                                      * each raw write is sent on to the device
                                      * at once (result_raw_start_writeback) */
};

/* Collective over comm: creates the file (<path>.part) and its layout.
 * NULL with one line in err ("cannot create <path>: <reason>") on every
 * rank. */
result_file *result_file_create(MPI_Comm comm, const struct result_file_spec *spec,
                                savu_error *err);

/* Collective: writes frames [first, first + n) along the slice dim of the
 * write pattern, every variant, from block [variant][n frames][core]. A rank
 * with nothing to write passes n = 0 (every rank makes the same number of
 * calls). 0, or -1 with err set (on this rank). */
int result_file_write(result_file *rf, long first, long n, const float *block, savu_error *err);

/* Independent (any rank, after the writes are done and result_file_sync
 * was called by all ranks): reads frames [first, first + n) along the slice
 * dim of the read pattern into block [variant][n frames][core]. */
int result_file_read(result_file *rf, long first, long n, float *block, savu_error *err);

/* Collective: flushes what all ranks wrote and waits for every rank, so
 * that result_file_read sees it. */
int result_file_sync(result_file *rf, savu_error *err);

/* Whether the frames move raw (result_raw.h), else through HDF5; and
 * whether raw writes go through a mapping of the file (result_raw_map). */
bool result_file_moves_raw(const result_file *rf);
bool result_file_maps_writes(const result_file *rf);

/* Whether any rank may write any frames, in any order, with no collective
 * call: raw moves into the one shared file (not one file per rank). */
bool result_file_writes_any_frames(const result_file *rf);

/* The final file name, and the path of the data inside it
 * ("/1-TomoRecon-tomo/data"). */
const char *result_file_path(const result_file *rf);
const char *result_file_data_path(const result_file *rf);

/* Collective: closes the file and renames <path>.part to <path> (rank 0).
 * -1 with err set on every rank when any rank failed. Frees rf. */
int result_file_finish(result_file *rf, savu_error *err);

/* Collective: closes the file and deletes it (<path>.part: <path> itself
 * is only ever made by result_file_finish). Frees rf. Accepts NULL (then
 * does nothing, and is not collective). */
void result_file_abort(result_file *rf);

/* The NXdata description of a dataset, shared with processed_nexus.c: its 3
 * dims then its tuning dims, with labels, units, and values (ds->angles for a
 * rotation_angle axis of that length, the tuning values for a tuning axis,
 * else none: 0..n-1). Points into ds, which must outlive it. */
struct result_file_axes {
    hsize_t shape[NXDATA_MAX_DIMS];
    const char *labels[NXDATA_MAX_DIMS];
    const char *units[NXDATA_MAX_DIMS];
    const double *values[NXDATA_MAX_DIMS];
    struct nxdata_axes axes;     /* pointing at the arrays above */
};
void result_file_axes_of(const struct dataset *ds, struct result_file_axes *out);

/* The group patterns/ (NXcollection) in Savu's layout: one NXparameters
 * group per distinct pattern of the n given (NONE and unknown ones skipped)
 * with core_dims and slice_dims (int64; the tuning dims are slice dims too).
 * dxpl and write_values as nxdata_write_axes. 0, or -1 with the reason on
 * HDF5's error stack. */
int result_file_write_patterns(hid_t group, const struct dataset *ds, const enum savu_pattern *patterns,
                               int n, hid_t dxpl, bool write_values);

#endif
