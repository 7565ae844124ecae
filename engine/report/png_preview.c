/* png_preview.c: the quick-look PNG of a final volume (png_preview.h). The
 * three central orthogonal slices of a 3-D dataset, each read alone with an
 * HDF5 hyperslab (further tuning dims at index 0), are drawn one pixel per
 * voxel, so each keeps its aspect ratio, side by side, top-aligned, with a
 * white gap of PANEL_GAP pixels between them; white also fills below a
 * panel shorter than the tallest. Panel k cuts dim k at its centre (n/2);
 * the panel's rows are dim 1 whenever dim 1 is in it, so with Savu's volume
 * axes (voxel_x, voxel_y, voxel_z; voxel_y the detector row) the vertical
 * sections stand upright and the middle panel is the horizontal slice.
 * Grey levels map the 0.5th..99.5th percentile of the finite values of all
 * three slices to 0..255 (values beyond are clipped; NaN is black; a
 * constant image is mid-grey). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <hdf5.h>
#include "nexus_hdf5.h"
#include "grey_levels.h"
#include "png_grey.h"
#include "png_preview.h"

#define PANEL_GAP 4
#define BACKGROUND 255
#define LOW_PERCENTILE 0.005
#define HIGH_PERCENTILE 0.995

/* Panel k: the dim cut at its centre, the dim along rows, the dim along
 * columns. */
static const int panel_dims[3][3] = { { 0, 1, 2 }, { 1, 0, 2 }, { 2, 1, 0 } };

typedef struct panel {
    float *values;     /* rows x cols, row-major */
    long rows, cols;
} panel;

/* ---- reading the slices ---- */

static int open_volume(const char *h5_file, const char *data_path, hid_t *file, hid_t *dset,
                       savu_error *err)
{
    int fd = open(h5_file, O_RDONLY);
    if (fd < 0)
        return savu_error_set(err, "%s: %s", h5_file, strerror(errno));
    close(fd);
    char reason[256];
    hid_t fapl = savu_h5_fapl_strong_close();
    *file = H5Fopen(h5_file, H5F_ACC_RDONLY, fapl < 0 ? H5P_DEFAULT : fapl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (*file < 0) {
        savu_h5_reason(reason, sizeof reason);
        return savu_error_set(err, "%s: not an HDF5 file (%s)", h5_file, reason);
    }
    *dset = H5Dopen2(*file, data_path, H5P_DEFAULT);
    if (*dset < 0) {
        H5Fclose(*file);
        return savu_error_set(err, "%s: no dataset %s", h5_file, data_path);
    }
    return 0;
}

/* The shape, checked: numeric, at least 3 dims, none empty. */
static int volume_shape(hid_t dset, const char *h5_file, const char *data_path, hsize_t *dims,
                        int *rank, savu_error *err)
{
    hid_t type = H5Dget_type(dset);
    H5T_class_t cls = type < 0 ? H5T_NO_CLASS : H5Tget_class(type);
    if (type >= 0)
        H5Tclose(type);
    if (cls != H5T_FLOAT && cls != H5T_INTEGER)
        return savu_error_set(err, "%s:%s: not a numeric dataset", h5_file, data_path);
    hid_t space = H5Dget_space(dset);
    *rank = space < 0 ? -1 : H5Sget_simple_extent_ndims(space);
    if (*rank >= 3 && *rank <= H5S_MAX_RANK)
        H5Sget_simple_extent_dims(space, dims, NULL);
    if (space >= 0)
        H5Sclose(space);
    if (*rank < 3 || *rank > H5S_MAX_RANK)
        return savu_error_set(err, "%s:%s: a dataset of %d dimensions, expected a volume of 3 "
                                   "or more", h5_file, data_path, *rank < 0 ? 0 : *rank);
    for (int d = 0; d < 3; d++)
        if (dims[d] == 0)
            return savu_error_set(err, "%s:%s: dimension %d is empty", h5_file, data_path, d);
    return 0;
}

/* Reads the 2-D slab of panel k in file order (its lower dim along rows):
 * dim k at its centre, dims past the third at 0. */
static float *read_slab(hid_t dset, const hsize_t *dims, int rank, int k)
{
    hsize_t start[H5S_MAX_RANK] = { 0 }, count[H5S_MAX_RANK];
    for (int d = 0; d < rank; d++)
        count[d] = d < 3 && d != k ? dims[d] : 1;
    start[k] = dims[k] / 2;
    hsize_t mem_dims[2];
    for (int d = 0, m = 0; d < 3; d++)
        if (d != k)
            mem_dims[m++] = dims[d];
    float *values = malloc((size_t)(mem_dims[0] * mem_dims[1]) * sizeof *values);
    hid_t file_space = H5Dget_space(dset);
    hid_t mem_space = H5Screate_simple(2, mem_dims, NULL);
    int rc = values && file_space >= 0 && mem_space >= 0
        && H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, NULL, count, NULL) >= 0
        && H5Dread(dset, H5T_NATIVE_FLOAT, mem_space, file_space, H5P_DEFAULT, values) >= 0;
    if (mem_space >= 0)
        H5Sclose(mem_space);
    if (file_space >= 0)
        H5Sclose(file_space);
    if (!rc) {
        free(values);
        return NULL;
    }
    return values;
}

/* An rows x cols matrix transposed, in place of the old one. */
static float *transpose(float *m, long rows, long cols)
{
    float *t = malloc((size_t)rows * (size_t)cols * sizeof *t);
    if (t)
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < cols; c++)
                t[(size_t)c * (size_t)rows + (size_t)r] = m[(size_t)r * (size_t)cols + (size_t)c];
    free(m);
    return t;
}

static int read_panel(hid_t dset, const hsize_t *dims, int rank, int k, panel *p)
{
    int row_dim = panel_dims[k][1], col_dim = panel_dims[k][2];
    p->rows = (long)dims[row_dim];
    p->cols = (long)dims[col_dim];
    p->values = read_slab(dset, dims, rank, k);
    if (p->values && row_dim > col_dim) /* the slab has them the other way round */
        p->values = transpose(p->values, p->cols, p->rows);
    return p->values ? 0 : -1;
}

static int read_panels(const char *h5_file, const char *data_path, panel panels[3],
                       savu_error *err)
{
    savu_h5_quiet quiet;
    savu_h5_quiet_begin(&quiet);
    hid_t file, dset;
    hsize_t dims[H5S_MAX_RANK];
    int rank, rc = open_volume(h5_file, data_path, &file, &dset, err);
    if (rc == 0) {
        rc = volume_shape(dset, h5_file, data_path, dims, &rank, err);
        for (int k = 0; k < 3 && rc == 0; k++) {
            if (read_panel(dset, dims, rank, k, &panels[k]) < 0) {
                char reason[256];
                savu_h5_reason(reason, sizeof reason);
                rc = savu_error_set(err, "%s:%s: cannot read the central slice of dimension "
                                         "%d: %s", h5_file, data_path, k, reason);
            }
        }
        H5Dclose(dset);
        H5Fclose(file);
    }
    savu_h5_quiet_end(&quiet);
    return rc;
}

/* ---- the image ---- */

/* The PNG of three panels, its work split over pool (NULL: this thread). */
static int write_panels(const panel panels[3], const char *png_path, savu_thread_pool *pool,
                        savu_error *err)
{
    grey_panel grey[3];
    for (int k = 0; k < 3; k++)
        grey[k] = (grey_panel){panels[k].values, panels[k].rows, panels[k].cols};
    float lo, hi;
    if (grey_percentile_range(grey, 3, LOW_PERCENTILE, HIGH_PERCENTILE, pool, &lo, &hi) < 0)
        return savu_error_set(err, "cannot write %s: out of memory", png_path);
    long width, height;
    unsigned char *pixels = grey_compose(grey, 3, PANEL_GAP, BACKGROUND, lo, hi, pool, &width,
                                         &height);
    if (!pixels)
        return savu_error_set(err, "cannot write %s: out of memory", png_path);
    int rc = png_grey_write(png_path, pixels, width, height, pool, err);
    free(pixels);
    return rc;
}

int png_preview_write(const char *h5_file, const char *data_path, const char *png_path,
                      savu_error *err)
{
    panel panels[3] = { { 0 } };
    int rc = read_panels(h5_file, data_path, panels, err);
    if (rc == 0)
        rc = write_panels(panels, png_path, NULL, err);
    for (int k = 0; k < 3; k++)
        free(panels[k].values);
    return rc;
}

int png_preview_write_slices(float *const cut[3], const long dims[3], const char *png_path,
                             int threads, savu_error *err)
{
    panel panels[3];
    for (int k = 0; k < 3; k++)
        panels[k] = (panel){cut[k], dims[panel_dims[k][1]], dims[panel_dims[k][2]]};
    savu_thread_pool *pool = threads > 1 ? savu_thread_pool_create(threads, err) : NULL;
    int rc = write_panels(panels, png_path, pool, err);
    savu_thread_pool_destroy(pool);
    return rc;
}
