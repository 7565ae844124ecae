/* raw_stack_loader.c: a complete third-party LOADER, as savu-plugin(7)
 * describes (ABI 4, struct savu_loader_ops): RawStackLoader reads a
 * tomography scan kept as plain binary files beside a small text header,
 * declares the loaded dataset with its axes and units, sets its angles and
 * averaged darks and flats through the metadata services, and reads any run
 * of projections or sinograms on request, in parallel (savu_parallel_for).
 * Build it as a shared object against the installed header,
 *   cc -shared -fPIC $(pkg-config --cflags savu-plugin) raw_stack_loader.c -o raw_stack_loader.so
 * and put its directory in SAVU_PLUGIN_PATH; the test suite builds it as a
 * libtool module (engine-thirdparty-io.test).
 *
 * The format: savu's DATA argument is the header, e.g. scan.txt, lines of
 * `key = value` ('#' starts a comment):
 *   shape  = 180 135 160        projections, detector rows, detector columns
 *   dtype  = float32            float32 or uint16, little-endian (<f4, <u2)
 *   data   = scan.raw           the projections: angle after angle, each
 *                               row after row, no header, no padding
 *   angles = scan_angles.txt    one rotation angle a line, in degrees
 *   darks  = scan_darks.raw     optional: any number of dark frames
 *   flats  = scan_flats.raw     optional: any number of flat frames
 * File names are relative to the header's folder. Darks and flats have the
 * data's dtype and frame size; each set is averaged. */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <savu_plugin.h>

static const struct savu_param_def raw_stack_params[] = {
    {
        .name = "name",
        .dtype = "str",
        .default_json = "\"tomo\"",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "The name given to the loaded dataset, used by later plugins.",
    },
};

enum raw_dtype { RAW_FLOAT32, RAW_UINT16 };

struct raw_stack {
    char *data_path;          /* the projections' file */
    int fd;                   /* open on it (-1: not yet) */
    enum raw_dtype dtype;
    long shape[3];            /* projections, rows, columns */
    long long bytes_read;     /* frame data read so far (atomic) */
};

static const char *const raw_labels[3] = {"rotation_angle", "detector_y", "detector_x"};
static const char *const raw_units[3] = {"degrees", "pixel", "pixel"};

static size_t dtype_size(enum raw_dtype t)
{
    return t == RAW_FLOAT32 ? 4 : 2;
}

static const char *dtype_name(enum raw_dtype t)
{
    return t == RAW_FLOAT32 ? "float32" : "uint16";
}

/* Reads n values of the file from value `at` into dest as floats. The file's
 * bytes land at the start of dest and are widened in place from the last
 * value back, so that none is overwritten before it is read. 0, errno, or
 * -1 when the file ends early. */
static int read_values(int fd, enum raw_dtype t, long long at, long n, float *dest)
{
    const size_t size = dtype_size(t);
    unsigned char *bytes = (unsigned char *)dest;
    size_t want = (size_t)n * size, done = 0;
    while (done < want) {
        ssize_t got = pread(fd, bytes + done, want - done, (off_t)(at * (long long)size + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return got < 0 ? errno : -1;
        done += (size_t)got;
    }
    for (long i = n - 1; i >= 0; i--) {
        const unsigned char *b = bytes + (size_t)i * size;
        if (t == RAW_UINT16) {
            dest[i] = (float)(b[0] | b[1] << 8);
        } else {
            uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                         (uint32_t)b[3] << 24;
            memcpy(&dest[i], &u, sizeof u);
        }
    }
    return 0;
}

static const char *read_error(int code)
{
    return code == -1 ? "the file ended early" : strerror(code);
}

/* ---- The header ---- */

/* What the header gives, file names resolved against its folder. */
struct raw_header {
    long shape[3];
    enum raw_dtype dtype;
    char *data, *angles, *darks, *flats;
    int has_shape, has_dtype;
};

static void header_free(struct raw_header *h)
{
    free(h->data);
    free(h->angles);
    free(h->darks);
    free(h->flats);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* value relative to the header's folder (dir, with its '/'; "" for none). */
static char *beside(const char *dir, int dir_len, const char *value)
{
    char *path = NULL;
    if (value[0] == '/')
        return strdup(value);
    return asprintf(&path, "%.*s%s", dir_len, dir, value) < 0 ? NULL : path;
}

static int header_value(struct savu_plugin_instance *inst, const char *file, int line,
                        struct raw_header *h, const char *key, const char *value)
{
    const char *slash = strrchr(file, '/');
    const int dir_len = slash ? (int)(slash - file + 1) : 0;
    char **path = strcmp(key, "data") == 0     ? &h->data
                  : strcmp(key, "angles") == 0 ? &h->angles
                  : strcmp(key, "darks") == 0  ? &h->darks
                  : strcmp(key, "flats") == 0  ? &h->flats
                                               : NULL;
    if (path) {
        free(*path);
        return (*path = beside(file, dir_len, value)) ? 0 : savu_fail(inst, "out of memory");
    }
    if (strcmp(key, "dtype") == 0) {
        h->has_dtype = 1;
        if (strcmp(value, "float32") == 0 || strcmp(value, "<f4") == 0)
            h->dtype = RAW_FLOAT32;
        else if (strcmp(value, "uint16") == 0 || strcmp(value, "<u2") == 0)
            h->dtype = RAW_UINT16;
        else
            return savu_fail(inst, "header '%s' line %d: dtype '%s' is not float32 or uint16",
                             file, line, value);
        return 0;
    }
    if (strcmp(key, "shape") == 0) {
        char extra;
        h->has_shape = 1;
        if (sscanf(value, "%ld %ld %ld %c", &h->shape[0], &h->shape[1], &h->shape[2], &extra) != 3 ||
            h->shape[0] < 1 || h->shape[1] < 1 || h->shape[2] < 1)
            return savu_fail(inst, "header '%s' line %d: shape '%s' is not three sizes "
                                   "(projections rows columns)", file, line, value);
        return 0;
    }
    return savu_fail(inst, "header '%s' line %d: unknown key '%s' (expected shape, dtype, "
                           "data, angles, darks or flats)", file, line, key);
}

static int header_read(struct savu_plugin_instance *inst, const char *file, struct raw_header *h)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return savu_fail(inst, "cannot open header file '%s': %s", file, strerror(errno));
    char buf[4096];
    int line = 0, rc = 0;
    while (rc == 0 && fgets(buf, sizeof buf, f)) {
        line++;
        char *hash = strchr(buf, '#'), *eq = strchr(buf, '=');
        if (hash)
            *hash = '\0';
        char *text = trim(buf);
        if (!*text)
            continue;
        if (!eq || (hash && eq > hash)) {
            rc = savu_fail(inst, "header '%s' line %d: expected key = value, not '%s'", file,
                           line, text);
            break;
        }
        *eq = '\0';
        char *key = trim(buf), *value = trim(eq + 1);
        rc = *value ? header_value(inst, file, line, h, key, value)
                    : savu_fail(inst, "header '%s' line %d: %s has no value", file, line, key);
    }
    fclose(f);
    if (rc != 0)
        return -1;
    if (!h->has_shape || !h->has_dtype || !h->data || !h->angles)
        return savu_fail(inst, "header '%s' does not give %s", file,
                         !h->has_shape ? "the shape" : !h->has_dtype ? "the dtype"
                                       : !h->data ? "the data file" : "the angles file");
    return 0;
}

/* ---- Opening ---- */

/* Opens path for reading and checks that it holds whole frames of
 * frame_values values: 0 with *fd and *frames, or -1 (savu_fail). exact:
 * the number of frames it must hold (0: any, at least one). */
static int open_frames(struct savu_plugin_instance *inst, const char *what, const char *path,
                       enum raw_dtype t, long frame_values, long exact, int *fd, long *frames)
{
    struct stat st;
    if ((*fd = open(path, O_RDONLY)) < 0)
        return savu_fail(inst, "cannot open %s file '%s': %s", what, path, strerror(errno));
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode))
        return savu_fail(inst, "%s file '%s' is not a plain file", what, path);
    const long long frame_bytes = (long long)frame_values * (long long)dtype_size(t);
    *frames = (long)(st.st_size / frame_bytes);
    if (exact && st.st_size != exact * frame_bytes)
        return savu_fail(inst, "%s file '%s' holds %lld bytes; the header's shape needs %ld "
                               "frames of %lld bytes (%s), %lld bytes", what, path,
                         (long long)st.st_size, exact, frame_bytes, dtype_name(t),
                         exact * frame_bytes);
    if (!exact && (st.st_size == 0 || st.st_size % frame_bytes != 0))
        return savu_fail(inst, "%s file '%s' holds %lld bytes, not whole frames of %lld bytes "
                               "(%s)", what, path, (long long)st.st_size, frame_bytes,
                         dtype_name(t));
    return 0;
}

/* The average of the frames of a darks or flats file, or NULL (savu_fail). */
static float *average_frames(struct savu_plugin_instance *inst, const char *what,
                             const char *path, enum raw_dtype t, long frame_values)
{
    int fd;
    long frames = 0;
    float *frame = NULL, *mean = NULL;
    double *sum = NULL;
    if (open_frames(inst, what, path, t, frame_values, 0, &fd, &frames) != 0)
        goto out;
    frame = malloc(sizeof(float) * frame_values);
    sum = calloc(frame_values, sizeof(double));
    mean = malloc(sizeof(float) * frame_values);
    if (!frame || !sum || !mean) {
        savu_fail(inst, "out of memory for the %s", what);
        goto fail;
    }
    for (long k = 0; k < frames; k++) {
        int rc = read_values(fd, t, (long long)k * frame_values, frame_values, frame);
        if (rc != 0) {
            savu_fail(inst, "cannot read %s file '%s': %s", what, path, read_error(rc));
            goto fail;
        }
        for (long i = 0; i < frame_values; i++)
            sum[i] += frame[i];
    }
    for (long i = 0; i < frame_values; i++)
        mean[i] = (float)(sum[i] / frames);
    goto out;
fail:
    free(mean);
    mean = NULL;
out:
    if (fd >= 0)
        close(fd);
    free(frame);
    free(sum);
    return mean;
}

/* One angle a line (blank lines and '#' comments skipped), n of them. */
static int read_angles(struct savu_plugin_instance *inst, const char *path, long n, double *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return savu_fail(inst, "cannot open angles file '%s': %s", path, strerror(errno));
    char buf[256];
    long count = 0;
    int line = 0, rc = 0;
    while (rc == 0 && fgets(buf, sizeof buf, f)) {
        line++;
        char *hash = strchr(buf, '#'), *end;
        if (hash)
            *hash = '\0';
        char *text = trim(buf);
        if (!*text)
            continue;
        double v = strtod(text, &end);
        if (*end || end == text)
            rc = savu_fail(inst, "angles file '%s' line %d: '%s' is not a number", path, line,
                           text);
        else if (count < n)
            out[count] = v;
        count++;
    }
    fclose(f);
    if (rc == 0 && count != n)
        rc = savu_fail(inst, "angles file '%s' holds %ld angles for %ld projections", path,
                       count, n);
    return rc;
}

/* The metadata of the loaded dataset: angles, darks and flats. */
static int set_metadata(struct savu_plugin_instance *inst, const struct raw_header *h)
{
    const long frame_values = h->shape[1] * h->shape[2];
    double *angles = malloc(sizeof(double) * h->shape[0]);
    float *dark = NULL, *flat = NULL;
    int rc = angles ? read_angles(inst, h->angles, h->shape[0], angles)
                    : savu_fail(inst, "out of memory");
    if (rc == 0)
        rc = savu_meta_set_angles(inst, angles, h->shape[0]);
    if (rc == 0 && h->darks && !(dark = average_frames(inst, "darks", h->darks, h->dtype,
                                                       frame_values)))
        rc = -1;
    if (rc == 0 && h->flats && !(flat = average_frames(inst, "flats", h->flats, h->dtype,
                                                       frame_values)))
        rc = -1;
    if (rc == 0)
        rc = savu_meta_set_dark_flat(inst, dark, flat); /* copied; NULL: none */
    if (rc == 0)
        rc = savu_meta_set_text(inst, "data_path", h->data);
    free(angles);
    free(dark);
    free(flat);
    return rc;
}

static int raw_stack_open(struct savu_plugin_instance *inst, const char *data_file)
{
    struct raw_stack *rs = calloc(1, sizeof *rs);
    if (!rs)
        return savu_fail(inst, "out of memory");
    rs->fd = -1;
    savu_set_private(inst, rs); /* close frees it, whatever happens below */
    struct raw_header h = {0};
    long frames;
    int rc = header_read(inst, data_file, &h);
    if (rc == 0)
        rc = open_frames(inst, "data", h.data, h.dtype, h.shape[1] * h.shape[2], h.shape[0],
                         &rs->fd, &frames);
    if (rc == 0) {
        const char *name = savu_param_string(inst, "name");
        rc = savu_loader_dataset(inst, name && *name ? name : "tomo", 3, h.shape, raw_labels,
                                 raw_units, SAVU_PATTERN_PROJECTION);
    }
    /* The patterns it reads (without them a 3-D dataset would have all six
     * of Savu's 3-D defaults, TANGENTOGRAM among them). */
    static const int projection_core[] = {2, 1}, projection_slice[] = {0};
    static const int sinogram_core[] = {2, 0}, sinogram_slice[] = {1};
    if (rc == 0)
        rc = savu_add_pattern(inst, SAVU_PATTERN_PROJECTION, projection_core, 2,
                              projection_slice, 1);
    if (rc == 0)
        rc = savu_add_pattern(inst, SAVU_PATTERN_SINOGRAM, sinogram_core, 2, sinogram_slice, 1);
    if (rc == 0)
        rc = set_metadata(inst, &h);
    if (rc == 0) {
        memcpy(rs->shape, h.shape, sizeof rs->shape);
        rs->dtype = h.dtype;
        rs->data_path = h.data;
        h.data = NULL;
        savu_info(inst, "data: %s, %ld x %ld x %ld %s, darks from %s, flats from %s",
                  rs->data_path, rs->shape[0], rs->shape[1], rs->shape[2],
                  dtype_name(rs->dtype), h.darks ? h.darks : "nowhere",
                  h.flats ? h.flats : "nowhere");
    }
    header_free(&h);
    return rc;
}

/* ---- Reading ---- */

/* One read request, cut into tasks: a projection, or (sinograms) an angle. */
struct raw_read {
    struct raw_stack *rs;
    long first, count;
    float *out;
    int error; /* the first task's failure (0, errno, -1 short file) */
};

static void fail_task(struct raw_read *r, int code)
{
    int none = 0;
    __atomic_compare_exchange_n(&r->error, &none, code, false, __ATOMIC_RELAXED,
                                __ATOMIC_RELAXED);
}

/* Projection first + task: one contiguous frame of the file. */
static void read_projection(void *ctx, int task, int worker)
{
    struct raw_read *r = ctx;
    const long fv = r->rs->shape[1] * r->rs->shape[2];
    int rc = read_values(r->rs->fd, r->rs->dtype, (long long)(r->first + task) * fv, fv,
                         r->out + (long)task * fv);
    if (rc != 0)
        fail_task(r, rc);
    (void)worker;
}

/* Angle `task` of sinograms first .. first + count: its rows go to row
 * `task` of each sinogram [rotation_angle][detector_x]. */
static void read_angle(void *ctx, int task, int worker)
{
    struct raw_read *r = ctx;
    const long angles = r->rs->shape[0], rows = r->rs->shape[1], cols = r->rs->shape[2];
    for (long s = 0; s < r->count; s++) {
        long long at = ((long long)task * rows + r->first + s) * cols;
        int rc = read_values(r->rs->fd, r->rs->dtype, at, cols,
                             r->out + (s * angles + task) * cols);
        if (rc != 0) {
            fail_task(r, rc);
            return;
        }
    }
    (void)worker;
}

static int raw_stack_read(struct savu_plugin_instance *inst, enum savu_pattern pattern,
                          long first, long count, float *out)
{
    struct raw_stack *rs = savu_private(inst);
    struct raw_read r = {rs, first, count, out, 0};
    const bool projections = pattern == SAVU_PATTERN_PROJECTION;
    const long limit = projections ? rs->shape[0] : rs->shape[1];
    if (first < 0 || count < 0 || first + count > limit)
        return savu_fail(inst, "frames %ld..%ld asked of %ld", first, first + count - 1, limit);
    if (projections)
        savu_parallel_for(inst, (int)count, read_projection, &r);
    else
        savu_parallel_for(inst, (int)rs->shape[0], read_angle, &r);
    if (r.error)
        return savu_fail(inst, "cannot read data file '%s': %s", rs->data_path,
                         read_error(r.error));
    __atomic_add_fetch(&rs->bytes_read, (long long)count * rs->shape[projections ? 1 : 0] *
                                            rs->shape[2] * (long long)dtype_size(rs->dtype),
                       __ATOMIC_RELAXED);
    return 0;
}

/* read makes no HDF5 or MPI call: it may run beside the engine's writes. */
static bool raw_stack_reads_beside_writes(struct savu_plugin_instance *inst)
{
    (void)inst;
    return true;
}

static double raw_stack_bytes_read(struct savu_plugin_instance *inst)
{
    struct raw_stack *rs = savu_private(inst);
    return rs ? (double)__atomic_load_n(&rs->bytes_read, __ATOMIC_RELAXED) : 0;
}

/* After the last read, and after a failed open (whatever open made). */
static void raw_stack_close(struct savu_plugin_instance *inst)
{
    struct raw_stack *rs = savu_private(inst);
    if (rs) {
        if (rs->fd >= 0)
            close(rs->fd);
        free(rs->data_path);
        free(rs);
    }
    savu_set_private(inst, NULL);
}

static const struct savu_loader_ops raw_stack_ops = {
    .open = raw_stack_open,
    .read = raw_stack_read,
    .reads_beside_writes = raw_stack_reads_beside_writes,
    .bytes_read = raw_stack_bytes_read,
    .close = raw_stack_close,
};

static const struct savu_plugin raw_stack_loader = {
    .name = "RawStackLoader",
    .id = "savu_examples.loaders.raw_stack_loader",
    .synopsis = "Load projections, darks, flats and angles from raw binary files named by a "
                "text header.",
    .info = "Give savu the header file (e.g. scan.txt) as the data. It holds lines of "
            "key = value: shape (projections rows columns), dtype (float32 or uint16, "
            "little-endian), data (the projections, angle after angle, row after row, no "
            "header), angles (a text file, one angle in degrees a line) and optionally darks "
            "and flats (raw files of any number of frames, averaged). File names are relative "
            "to the header's folder.",
    .category = SAVU_CAT_LOADER,
    .params = raw_stack_params,
    .n_params = SAVU_COUNT_OF(raw_stack_params),
    .pattern = SAVU_PATTERN_NONE,
    .loader = &raw_stack_ops,
};

const struct savu_plugin *const savu_plugin_table[] = {&raw_stack_loader, NULL};
const int savu_plugin_abi = SAVU_PLUGIN_ABI;
