/* result_backend.h: inside a result file (result_file.h). The file itself
 * is always an HDF5 file in Savu's layout (result_h5file.c); how its frames
 * move is a backend, a table of functions chosen once by
 * result_file_create, as Redis's rio:
 *  - hdf5 (result_backend_hdf5.c): through HDF5, collective MPI-IO writes
 *    of chunks, transposed through slabs (result_geometry.h);
 *  - raw (result_backend_raw.c): straight between the blocks and the
 *    file's data on the I/O threads (result_raw.h), every rank through its
 *    own descriptor; falls back to hdf5 when any rank cannot;
 *  - stripes (result_backend_parts.c): a result never read back, written
 *    into memory as files of each rank's own (result_parts.h) joined by a
 *    virtual dataset;
 *  - frames (result_backend_frames.c): through HDF5, independent I/O, one
 *    box per run of frames: any dataset and pattern (N-D datasets, frames
 *    cut along several dims or along the last one), which the others do
 *    not take.
 * Nothing outside engine/store/result_*.c includes this. */
#ifndef SAVU_RESULT_BACKEND_H
#define SAVU_RESULT_BACKEND_H

#include <stdbool.h>
#include <hdf5.h>
#include <mpi.h>
#include "result_file.h"
#include "result_parts.h"
#include "result_raw.h"

#define RESULT_MAX_DIMS (DATASET_MAX_DIMS + DATASET_MAX_TUNE)
_Static_assert(RESULT_MAX_DIMS <= NXDATA_MAX_DIMS, "a result's dims must fit an NXdata group");

struct result_backend;

struct result_file {
    const struct result_backend *backend; /* how the frames move */
    MPI_Comm comm;           /* our duplicate of the caller's */
    int rank;
    char *path, *part, *data_path;
    hid_t file, data, dxpl_collective, dxpl_independent;
    int ndims;               /* the dataset's dims + tuning dims */
    hsize_t dims[RESULT_MAX_DIMS], chunk[RESULT_MAX_DIMS];
    int write_dim, read_dim; /* first slice dims of the write and read patterns */
    /* The dataset's own dims (the first space_dims of dims) and how its
     * frames are cut when written and when read (dataset.h). */
    int space_dims;
    struct pattern_dims write_pd, read_pd;
    long write_frames, read_frames;
    bool simple;             /* 3-D, both patterns along dim 0 or 1 with dim 2
                              * core (dataset_simple_3d): the hdf5, raw and
                              * stripes backends' geometry */
    hsize_t slab;            /* dim-0 rows per call for frames along dim 1 */
    long n_variants;
    enum result_store store; /* spec->store (UINT16's range: raw.u16_min, u16_max) */
    struct result_raw raw;   /* the raw and stripes backends' (raw.fd: -1 when not open) */
    struct result_parts parts; /* the stripes backend's: this rank's files */
    bool durable;            /* a result (spec->written_only): its writes go
                              * to the device as they come (result_raw_start_writeback) */
    bool failed;             /* a write or sync failed on this rank */
    savu_error failure;      /* ... and why */
};

/* A way of moving the frames. Every entry is set; `why` gets a phrase that
 * result_file.c prefixes ("cannot write <path>: "). */
struct result_backend {
    const char *name;
    bool moves_raw;          /* result_file_moves_raw */
    bool writes_any_frames;  /* result_file_writes_any_frames */
    /* Collective, before the HDF5 file is made: what the backend makes
     * beside it. 0, or -1 with why on every rank. */
    int (*prepare)(result_file *rf, savu_error *why);
    /* The creation property list of the dataset `data` (close it), or -1. */
    hid_t (*dcpl)(const result_file *rf);
    /* Collective, once the file and its layout exist: opens the way the
     * frames move. Returns the backend that moves them: this one, or the
     * one it falls back to when a rank cannot. */
    const struct result_backend *(*open)(result_file *rf);
    /* Writes frames [first, first + n) along rf->write_dim (n may be 0: a
     * collective backend still makes its calls); 0 or -1 with why. */
    int (*write)(result_file *rf, long first, hsize_t n, const float *block, savu_error *why);
    /* Reads frames [first, first + n), n > 0, along rf->read_dim. */
    int (*read)(result_file *rf, long first, hsize_t n, float *block, savu_error *why);
    /* Closes the backend's descriptors, after making what they wrote
     * durable when `sync`; reopens them (after result_file_sync's barrier:
     * close-to-open consistency). 0, or an errno value. */
    int (*close)(result_file *rf, bool sync);
    int (*reopen)(result_file *rf);
    /* Collective, in result_file_finish after the file is closed and before
     * it is renamed: makes the backend's own files final. 0, or -1 with msg
     * (a whole message) on every rank. */
    int (*commit)(result_file *rf, savu_error *msg);
    /* Drops what the backend holds or made beside the file, for a result
     * that is not kept. */
    void (*discard)(result_file *rf);
};

extern const struct result_backend result_backend_hdf5;
extern const struct result_backend result_backend_frames;
extern const struct result_backend result_backend_raw;
extern const struct result_backend result_backend_parts;

/* The hdf5 backend's read, shared (result_backend_hdf5.c). */
int result_backend_hdf5_read(result_file *rf, long first, hsize_t n, float *block,
                             savu_error *why);

/* The raw backend's moves through rf->raw, shared with the stripes
 * (result_backend_raw.c). */
int result_backend_raw_write(result_file *rf, long first, hsize_t n, const float *block,
                             savu_error *why);
int result_backend_raw_read(result_file *rf, long first, hsize_t n, float *block,
                            savu_error *why);
int result_backend_raw_close(result_file *rf, bool sync);
/* Whether `data` can move raw into `path` (result_backend_raw.c); opens it
 * into `into`. 1 or 0. */
int result_backend_raw_open_layout(const result_file *rf, hid_t data, const char *path,
                                   struct result_raw *into);

/* Entries for a backend with nothing to do there (result_backend_hdf5.c). */
int result_backend_prepare_nothing(result_file *rf, savu_error *why);
int result_backend_close_nothing(result_file *rf, bool sync);
int result_backend_reopen_nothing(result_file *rf);
int result_backend_commit_nothing(result_file *rf, savu_error *msg);
void result_backend_discard_nothing(result_file *rf);

/* The HDF5 file (result_h5file.c). The type the data are stored as (close
 * it); the file <part> with its NXdata group, axes, patterns and `data`
 * (the backend's dcpl), collective, 0 or -1 with the reason on HDF5's
 * error stack; closing what is open (collective, also the backend's
 * descriptors). */
hid_t result_h5file_stored_type(const result_file *rf);
/* The creation list of `data` stored in the file itself (close it), or -1:
 * allocated at creation, never filled, contiguous or in chunks rf->chunk. */
hid_t result_h5file_dcpl(const result_file *rf, bool contiguous);
int result_h5file_create(result_file *rf, const struct result_file_spec *spec);
int result_h5file_close(result_file *rf);

/* The reason on HDF5's error stack into why. */
void result_h5_reason(savu_error *why);

#endif
