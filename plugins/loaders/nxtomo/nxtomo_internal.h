/* nxtomo_internal.h: what the nxtomo_*.c files of the NXtomo input share:
 * the reader's state, an open dataset with its shape, the window of rows and
 * columns that the preview keeps, and the steps of opening a file (paths,
 * image key, angles, preview, darks and flats), each in its own file. */
#ifndef SAVU_NXTOMO_INTERNAL_H
#define SAVU_NXTOMO_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <hdf5.h>
#include "nxtomo_input.h"
#include "raw_io.h"

/* Image key values. */
enum { NXTOMO_PROJECTION = 0, NXTOMO_FLAT = 1, NXTOMO_DARK = 2, NXTOMO_IGNORED = 3 };

/* An open numeric dataset, with what messages and byte counts need. */
struct nxtomo_dataset {
    hid_t id;              /* -1 when not open */
    const char *file;      /* the file name, for messages (not owned) */
    char *path;            /* absolute path in that file (owned) */
    int rank;
    hsize_t dims[3];       /* the first min(rank, 3) dimensions */
    long npoints;          /* elements in all */
    size_t element_size;   /* bytes of one element in the file */
    bool u16;              /* unsigned 16-bit integers (detector counts) */
    unsigned short *scratch; /* frames read as they are, before conversion (owned) */
    size_t scratch_size;   /* elements */
    /* Reading straight from the file (nxtomo_raw.c): */
    int raw_state;         /* 0 not looked at yet, 1 usable, -1 not (HDF5 reads) */
    struct raw_layout raw; /* where the frames lie (raw_state 1) */
    int raw_fd;            /* the file holding them, open read-only (raw_state 1) */
    unsigned short *raw_scratch; /* RAW_SCRATCH_BYTES per worker */
    int raw_scratch_workers;
    struct savu_thread_pool *io_pool; /* threads that read (NULL: the caller alone) */
};

/* What is read of every frame: previewed rows and columns, with steps. */
struct nxtomo_window {
    long row0, row_step, nrows;
    long col0, col_step, ncols;
};

struct nxtomo_input {
    struct nxtomo_info info;
    char *file_name;
    hid_t file;
    hid_t lapl;                /* link access: external links from the file's directory */
    struct nxtomo_dataset data;
    long n_frames;
    signed char *kinds;        /* image key of each frame */
    long *projection_frames;   /* frame of each projection (n_projections) */
    double *all_angles;        /* angle of each projection (n_projections) */
    long *frames;              /* frame of each previewed projection (shape[0]) */
    double *angles;            /* angle of each previewed projection (shape[0]) */
    float *dark, *flat;
    char *key_path, *angles_source;
    void (*warn)(void *ctx, const char *message);
    void *warn_ctx;
    bool through_hdf5;         /* cfg->through_hdf5 */
};

/* nxtomo_input.c: a warning through the configured callback, if any. */
void nxtomo_warn(const nxtomo_input *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- nxtomo_h5.c: files, paths and datasets ---- */

/* Formats the message and appends ": <reason>" from HDF5's error stack. */
int nxtomo_h5_fail(savu_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Opens `name` read-only; errors "cannot open <role> '<name>': <why>". */
int nxtomo_h5_open_file(const char *name, const char *role, hid_t *file, savu_error *err);

/* A link access property list that resolves relative external links from
 * the directory of file_name, or -1. */
hid_t nxtomo_h5_link_access(const char *file_name);

/* path made absolute with single slashes ("a//b/" -> "/a/b"); malloc'd,
 * NULL when it names no object below the root. */
char *nxtomo_h5_absolute(const char *path);

/* Whether every link along the absolute path exists (links are followed):
 * 1 yes, 0 no (a dangling link is no), -1 the file could not be read there
 * (HDF5's error stack says why). */
int nxtomo_h5_lookup(hid_t file, hid_t lapl, const char *path);
bool nxtomo_h5_exists(hid_t file, hid_t lapl, const char *path);

/* Opens the numeric dataset at the absolute path. Errors: "no dataset
 * '<path>' in '<file>'", "... is a group, not a dataset", not numeric. */
int nxtomo_dataset_open(hid_t file, hid_t lapl, const char *file_name, const char *path,
                        struct nxtomo_dataset *ds, savu_error *err);
void nxtomo_dataset_close(struct nxtomo_dataset *ds);

/* The whole dataset as doubles (malloc'd, npoints values). */
int nxtomo_dataset_read_doubles(const struct nxtomo_dataset *ds, double **out, savu_error *err);

/* ---- nxtomo_frames.c: hyperslab reads ---- */

/* Reads the window of frames[0..n) (increasing) of a 3-D dataset, or of its
 * only frame (frames {0}) when it is 2-D, into out [n][nrows][ncols] as
 * float32, in as few hyperslabs as the frames allow. Adds the bytes read
 * (in the file's element size) to *bytes. */
int nxtomo_read_frames(struct nxtomo_dataset *ds, const long *frames, long n,
                       const struct nxtomo_window *w, float *out, uint64_t *bytes, savu_error *err);

/* ---- nxtomo_raw.c: reads straight from the file ---- */

/* Finds out (once) whether ds's frames can be read raw: 1 yes, -1 no. */
int nxtomo_raw_prepare(struct nxtomo_dataset *ds);
/* Where the raw reader puts element (frame i of the list, window row r,
 * column c): out[i * frame_stride + r * row_stride + c]. */
struct nxtomo_out_layout {
    size_t frame_stride, row_stride;
};

/* Whether frames of ds in window w are read raw (nxtomo_raw_read_frames). */
bool nxtomo_reads_raw(struct nxtomo_dataset *ds, const struct nxtomo_window *w);
/* Reads the window of frames[0..n) (steps 1 only) as nxtomo_read_frames
 * (layout NULL: frame after frame), or placed by `layout`. */
int nxtomo_raw_read_frames(struct nxtomo_dataset *ds, const long *frames, long n,
                           const struct nxtomo_window *w, float *out,
                           const struct nxtomo_out_layout *layout, savu_error *err);
/* Closes the raw file and frees what reading raw holds (any state). */
void nxtomo_raw_close(struct nxtomo_dataset *ds);

/* The previewed window of in, restricted to previewed rows [r0, r0+nr). */
struct nxtomo_window nxtomo_window_rows(const nxtomo_input *in, long r0, long nr);

/* ---- nxtomo_paths.c: where the frames, key and angles are ---- */

/* Opens the frames dataset: cfg->data_path, or when that is the default and
 * absent, a standard NXtomo entry's instrument/detector/data. Sets *entry to
 * that entry ("/entry"), or NULL. */
int nxtomo_find_data(nxtomo_input *in, const struct nxtomo_config *cfg, char **entry,
                     savu_error *err);

/* The image key's absolute path, or NULL for none: image_key_path None, or
 * a path that is absent while dark or flat files are given (a warning).
 * Absent with no dark/flat files is an error ("no image key and no
 * dark/flat files"). A standard entry's key replaces the default path. */
int nxtomo_find_key(nxtomo_input *in, const struct nxtomo_config *cfg, const char *entry,
                    char **path, savu_error *err);

/* rotation_angle next to the data, else the nearest ancestor group's
 * sample/rotation_angle; NULL when there is none. */
char *nxtomo_find_angles(const nxtomo_input *in);

/* ---- nxtomo_key.c: the image key ---- */

/* Reads the key at path (NULL: all frames are projections) into in->kinds
 * and lists the projections' frames. */
int nxtomo_read_key(nxtomo_input *in, const char *path, savu_error *err);

/* Marks the frames of the listed flat batches (runs of consecutive flats,
 * numbered from 1 as Savu's ImageKey does) as ignored. ignore: JSON null or
 * a list of ints. */
int nxtomo_ignore_flat_batches(signed char *kinds, long n, const json_t *ignore,
                               savu_error *err);

/* The frames of one kind, increasing (malloc'd; NULL with *count 0 when none). */
long *nxtomo_frames_of_kind(const signed char *kinds, long n, int kind, long *count);

/* ---- nxtomo_angles.c, nxtomo_angle_param.c: rotation angles ---- */

/* in->all_angles and in->angles_source, from the parameter, the file or
 * the default. */
int nxtomo_load_angles(nxtomo_input *in, const struct nxtomo_config *cfg, savu_error *err);

/* The `angles` parameter (not null) as a list of degrees: an int N
 * (linspace(0, 180, N)), "[a, b, ...]", "np.linspace(a, b, n)",
 * "np.arange(a, b, s)" or the name of a text file of angles. */
int nxtomo_angles_from_parameter(const json_t *angles, double **out, long *n, savu_error *err);

/* ---- nxtomo_preview.c ---- */

/* The preview parameter against lengths (projections, rows, cols). */
int nxtomo_resolve_preview(const json_t *preview, const long lengths[3], savu_slice out[3],
                           savu_error *err);

/* Elements a resolved slice selects. */
long nxtomo_slice_count(const savu_slice *s);

/* ---- nxtomo_darkflat.c ---- */

/* Averages the darks and flats (keyed frames or separate files) over the
 * previewed window, scaled, into in->dark and in->flat. */
int nxtomo_load_darks_flats(nxtomo_input *in, const struct nxtomo_config *cfg, savu_error *err);

#endif
