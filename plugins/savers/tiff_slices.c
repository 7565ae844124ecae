/* tiff_slices.c: one frame of a volume as a 32-bit float TIFF file
 * (tiff_slices.h): Savu's TiffSaver output. Grey (MinIsBlack), one IEEE
 * float sample per pixel, uncompressed, in strips of about 256 KiB, native
 * byte order; BigTIFF only for a frame too large for a classic TIFF. The file
 * is written through a temporary beside the target
 * (lists/util/atomic_file.h) and renamed over it when complete. libtiff's
 * messages are caught per file (libtiff 4.5 and later) and become the
 * reason of our one-line error. */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tiffio.h>
#include "atomic_file.h"
#include "tiff_slices.h"

#define STRIP_BYTES (256 * 1024)
/* Above this many bytes of pixels a classic TIFF (32-bit offsets) may not
 * hold the file: write BigTIFF. */
#define CLASSIC_TIFF_MAX_BYTES 0xF0000000ull
#define TIFF_MAX_SIDE 0xFFFFFFFFl

char *tiff_slice_name(const char *dir, const char *prefix, long index, long variant)
{
    char *name = NULL;
    int n = variant < 0
        ? asprintf(&name, "%s/img_%s_%05ld.tiff", dir, prefix ? prefix : "", index)
        : asprintf(&name, "%s/img_%s_%05ld_v%03ld.tiff", dir, prefix ? prefix : "", index, variant);
    return n < 0 ? NULL : name;
}

/* ---- libtiff's messages ---- */

/* The first error libtiff reports about one file. */
typedef struct tiff_reason {
    char text[256];
} tiff_reason;

#if TIFFLIB_VERSION >= 20221213 /* 4.5.0: per-file handlers */
static int catch_tiff_error(TIFF *tif, void *user, const char *module, const char *fmt,
                            va_list ap)
{
    (void)tif; (void)module;
    tiff_reason *r = user;
    if (!r->text[0])
        vsnprintf(r->text, sizeof r->text, fmt, ap);
    return 1; /* handled: nothing on stderr */
}

static int ignore_tiff_warning(TIFF *tif, void *user, const char *module, const char *fmt,
                               va_list ap)
{
    (void)tif; (void)user; (void)module; (void)fmt; (void)ap;
    return 1;
}

/* Opens fd as a TIFF (mode "r", "w" or "w8"), libtiff's errors kept in r. */
static TIFF *tiff_open_fd(int fd, const char *path, const char *mode, tiff_reason *r)
{
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    if (!opts)
        return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(opts, catch_tiff_error, r);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, ignore_tiff_warning, NULL);
    TIFF *tif = TIFFFdOpenExt(fd, path, mode, opts);
    TIFFOpenOptionsFree(opts);
    return tif;
}
#else
static TIFF *tiff_open_fd(int fd, const char *path, const char *mode, tiff_reason *r)
{
    (void)r;
    return TIFFFdOpen(fd, path, mode);
}
#endif

static const char *reason_or(const tiff_reason *r, const char *fallback)
{
    return r->text[0] ? r->text : fallback;
}

/* ---- writing ---- */

static long rows_per_strip(long height, long width)
{
    long rows = STRIP_BYTES / (width * (long)sizeof(float));
    if (rows < 1)
        rows = 1;
    return rows < height ? rows : height;
}

static int set_tags(TIFF *tif, long height, long width, long strip_rows)
{
    return TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)width)
        && TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)height)
        && TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1)
        && TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 32)
        && TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_IEEEFP)
        && TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK)
        && TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_NONE)
        && TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG)
        && TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, (uint32_t)strip_rows)
        && TIFFSetField(tif, TIFFTAG_SOFTWARE, "savu");
}

/* Prefers the system's reason for a failed write ("File too large", "No
 * space left on device") to libtiff's ("Write error at scanline 0"). */
static void note_system_error(tiff_reason *r, int saved_errno)
{
    if (saved_errno != 0)
        snprintf(r->text, sizeof r->text, "%s", strerror(saved_errno));
}

/* The strips, each copied first: libtiff may change the buffer it encodes. */
static int write_strips(TIFF *tif, const float *frame, long height, long width, long strip_rows,
                        tiff_reason *r)
{
    size_t strip_floats = (size_t)strip_rows * (size_t)width;
    float *buf = malloc(strip_floats * sizeof *buf);
    if (!buf)
        return -1;
    int rc = 0;
    for (long row = 0, strip = 0; row < height && rc == 0; row += strip_rows, strip++) {
        long rows = height - row < strip_rows ? height - row : strip_rows;
        size_t n = (size_t)rows * (size_t)width;
        memcpy(buf, frame + (size_t)row * (size_t)width, n * sizeof *buf);
        errno = 0;
        if (TIFFWriteEncodedStrip(tif, (uint32_t)strip, buf, (tmsize_t)(n * sizeof *buf)) < 0) {
            note_system_error(r, errno);
            rc = -1;
        }
    }
    free(buf);
    return rc;
}

/* Writes the TIFF to the open temporary fd (libtiff gets its own copy of the
 * descriptor, closed with the TIFF). Returns 0, or -1 with the reason. */
static int write_tiff_fd(int fd, const char *path, const float *frame, long height, long width,
                         tiff_reason *r)
{
    int tiff_fd = dup(fd);
    if (tiff_fd < 0) {
        snprintf(r->text, sizeof r->text, "%s", strerror(errno));
        return -1;
    }
    unsigned long long bytes = (unsigned long long)height * (unsigned long long)width * 4;
    TIFF *tif = tiff_open_fd(tiff_fd, path, bytes > CLASSIC_TIFF_MAX_BYTES ? "w8" : "w", r);
    if (!tif) {
        close(tiff_fd);
        if (!r->text[0])
            snprintf(r->text, sizeof r->text, "libtiff cannot open it");
        return -1;
    }
    long strip_rows = rows_per_strip(height, width);
    int rc = set_tags(tif, height, width, strip_rows) ? 0 : -1;
    if (rc == 0)
        rc = write_strips(tif, frame, height, width, strip_rows, r);
    errno = 0;
    if (rc == 0 && (!TIFFWriteDirectory(tif) || !TIFFFlush(tif))) {
        note_system_error(r, errno);
        rc = -1;
    }
    TIFFClose(tif);
    if (rc < 0 && !r->text[0])
        snprintf(r->text, sizeof r->text, "libtiff write failed");
    return rc;
}

int tiff_write_float(const char *path, const float *frame, long height, long width,
                     savu_error *err)
{
    if (height < 1 || width < 1 || height > TIFF_MAX_SIDE || width > TIFF_MAX_SIDE)
        return savu_error_set(err, "cannot write %s: a frame of %ld x %ld pixels", path, height,
                              width);
    savu_atomic_file f;
    if (savu_atomic_begin(&f, path, err) < 0)
        return -1;
    tiff_reason r = { "" };
    if (write_tiff_fd(f.fd, path, frame, height, width, &r) < 0) {
        savu_atomic_abort(&f);
        return savu_error_set(err, "cannot write %s: %s", path, reason_or(&r, "libtiff failed"));
    }
    return savu_atomic_commit(&f, err);
}

/* ---- reading ---- */

/* Checks the tags of a TIFF written by tiff_write_float; sets the size. */
static int check_float_tiff(TIFF *tif, const char *path, long *height, long *width,
                            savu_error *err)
{
    uint32_t w = 0, h = 0;
    uint16_t spp = 1, bps = 1, format = SAMPLEFORMAT_UINT;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
    if (w == 0 || h == 0)
        return savu_error_set(err, "cannot read %s: an empty image", path);
    if (spp != 1 || bps != 32 || format != SAMPLEFORMAT_IEEEFP || TIFFIsTiled(tif))
        return savu_error_set(err, "cannot read %s: not a 32-bit float grey TIFF in strips "
                                   "(samples %u, bits %u, format %u)", path, spp, bps, format);
    *height = (long)h;
    *width = (long)w;
    return 0;
}

static float *read_rows(TIFF *tif, const char *path, long height, long width, tiff_reason *r,
                        savu_error *err)
{
    float *data = malloc((size_t)height * (size_t)width * sizeof *data);
    if (!data) {
        savu_error_set(err, "cannot read %s: out of memory for %ld x %ld floats", path, height,
                       width);
        return NULL;
    }
    for (long row = 0; row < height; row++) {
        if (TIFFReadScanline(tif, data + (size_t)row * (size_t)width, (uint32_t)row, 0) < 0) {
            savu_error_set(err, "cannot read %s: row %ld: %s", path, row,
                           reason_or(r, "libtiff read failed"));
            free(data);
            return NULL;
        }
    }
    return data;
}

float *tiff_read_float(const char *path, long *height, long *width, savu_error *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        savu_error_set(err, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    tiff_reason r = { "" };
    TIFF *tif = tiff_open_fd(fd, path, "r", &r);
    if (!tif) {
        close(fd);
        savu_error_set(err, "cannot read %s: %s", path, reason_or(&r, "not a TIFF file"));
        return NULL;
    }
    float *data = NULL;
    if (check_float_tiff(tif, path, height, width, err) == 0)
        data = read_rows(tif, path, *height, *width, &r, err);
    TIFFClose(tif);
    return data;
}
