/* nxtomo_input.h: the NxtomoLoader's input side of the engine. Opens an
 * NXtomo file (Diamond's /entry1/tomo_entry layout or a standard NXtomo
 * entry), finds the frames, the image key and the rotation angles, applies
 * the loader's preview, averages the darks and flats, and reads blocks of
 * projections or sinograms of the previewed data as float32.
 *
 * Each MPI rank opens its own read-only handle (sec2 driver) and reads
 * independently: straight from the file on the I/O threads where the file
 * holds the frames as they are (nxtomo_raw.c), else through HDF5. Errors are one line naming the file and dataset path. */
#ifndef SAVU_NXTOMO_INPUT_H
#define SAVU_NXTOMO_INPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "error.h"
#include "preview.h"

/* Savu's defaults of the NxtomoLoader parameters. */
#define NXTOMO_DEFAULT_DATA_PATH "entry1/tomo_entry/data/data"
#define NXTOMO_DEFAULT_KEY_PATH "entry1/tomo_entry/instrument/detector/image_key"

struct nxtomo_config {            /* from the NxtomoLoader entry's parameters */
    const char *data_file;        /* the DATA argument of savu */
    const char *data_path;        /* data_path parameter; leading '/' optional; NULL: the default */
    const char *image_key_path;   /* NULL when the parameter is None */
    /* dark = [file, path, scale]; NULL file: darks from the data file's image key;
     * the scale multiplies the average (0 is taken as 1) */
    const char *dark_file, *dark_path;
    double dark_scale;
    const char *flat_file, *flat_path;
    double flat_scale;
    const json_t *angles;         /* the `angles` parameter: JSON null, a string, or an int */
    const json_t *preview;        /* the `preview` parameter: [] or one entry per dim (strings or numbers) */
    const json_t *ignore_flats;   /* null or a list of ints: flat batches (from 1) to leave out */
    void (*warn)(void *ctx, const char *message); /* one line each, no newline; may be NULL */
    bool through_hdf5;            /* read every frame through HDF5 (else, where the file
                                   * holds the frames as they are, straight from it:
                                   * raw_io.h) */
    int threads;                  /* threads that read and average the darks and flats
                                   * (0 or 1: the caller alone) */
    void *warn_ctx;
};

struct nxtomo_info {
    long shape[3];           /* after preview: angles, rows (detector_y), cols (detector_x) */
    long file_shape[3];      /* the frames dataset: n_frames, rows, cols */
    long n_projections;      /* projections (image_key 0) in the file, before preview */
    savu_slice preview[3];   /* the resolved preview: [0] over projection index, [1] rows, [2] cols */
    const double *angles_deg;/* shape[0] angles (degrees) of the previewed projections */
    const float *dark, *flat;/* shape[1]*shape[2] floats each, averaged and scaled; NULL when none */
    int n_darks, n_flats;    /* frames averaged */
    const char *data_path;   /* the path actually used (e.g. "/entry1/tomo_entry/data/data") */
    const char *image_key_path; /* used, or NULL */
    const char *angles_source;  /* a dataset path, "parameter angles" or "default linspace(0, 180)" */
    uint64_t bytes_read;     /* bytes of frame data read so far (darks/flats included), in the
                              * files' element size */
};

typedef struct nxtomo_input nxtomo_input;

/* Opens cfg->data_file, resolves paths, angles and preview, and reads the
 * darks and flats. On failure *out is NULL and err holds one line. */
int nxtomo_input_open(const struct nxtomo_config *cfg, nxtomo_input **out, savu_error *err);

const struct nxtomo_info *nxtomo_input_info(const nxtomo_input *in);

/* Projections [a0, a0+na) of the previewed angles, all previewed rows and
 * cols, as float32, out laid out [na][rows][cols]. */
int nxtomo_input_read_projections(nxtomo_input *in, long a0, long na, float *out, savu_error *err);

/* Sinograms: previewed rows [r0, r0+nr), all previewed angles and cols, out
 * laid out [nr][angles][cols] (transposed from the file's order). */
int nxtomo_input_read_sinograms(nxtomo_input *in, long r0, long nr, float *out, savu_error *err);

/* The threads that read frames (NULL, the default: the caller alone). Only
 * the thread that reads may use the pool. */
struct savu_thread_pool;
void nxtomo_input_set_io_pool(nxtomo_input *in, struct savu_thread_pool *pool);

/* Whether projections and sinograms are read straight from the file (raw:
 * pread on the pool's threads, no HDF5 call); else through HDF5. */
bool nxtomo_input_reads_raw(nxtomo_input *in);

void nxtomo_input_close(nxtomo_input *in);

#endif
