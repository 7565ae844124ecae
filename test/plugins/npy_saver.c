/* npy_saver.c: a complete third-party SAVER, as savu-plugin(7) describes
 * (ABI 4, struct savu_saver_ops): NpySaver writes the dataset of the plugin
 * before it as one NumPy .npy file (numpy.load reads it), float32 in the
 * dataset's own axis order, e.g. (voxel_x, voxel_y, voxel_z) for a
 * reconstruction. The file is <output folder>/<prefix>.npy, the prefix by
 * default <data file stem>_p<N> (N: the saver's place in the list).
 *
 * The lifecycle: begin (rank 0) creates <prefix>.npy.part holding the .npy
 * header and room for all the data; write, on the engine's I/O thread,
 * puts each rank's frames at their place with pwrite (any frames, in any
 * order: writes_any_frames); finish closes every rank's file, agrees over
 * the ranks (savu_reduce_max) that all went well, and renames the .part to
 * <prefix>.npy only when the run is complete, else removes it. So a failed
 * run leaves nothing that looks complete.
 *
 * The .npy format (numpy.lib.format, version 1.0): the 6 bytes "\x93NUMPY",
 * the version bytes 1 and 0, the header's length (2 bytes, little-endian),
 * the header: a Python dict literal {'descr': '<f4', 'fortran_order': False,
 * 'shape': (n0, n1, n2), } padded with spaces and a final newline so that
 * the data start at a multiple of 64 bytes; then the values, C order.
 *
 * Build it as a shared object against the installed header,
 *   cc -shared -fPIC $(pkg-config --cflags savu-plugin) npy_saver.c -o npy_saver.so
 * and put its directory in SAVU_PLUGIN_PATH; the test suite builds it as a
 * libtool module (engine-thirdparty-io.test). */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <savu_plugin.h>

static const struct savu_param_def npy_saver_params[] = {
    {.name = "in_datasets", .dtype = "[list[],list[str]]", .default_json = "[]",
     .visibility = SAVU_VIS_DATASETS, .summary = "A list of the dataset(s) to save."},
    {.name = "out_datasets", .dtype = "[list[],list[str]]", .default_json = "[]",
     .visibility = SAVU_VIS_HIDDEN, .summary = "A list of the dataset(s) to create."},
    {
        .name = "prefix",
        .dtype = "[None,str]",
        .default_json = "null",
        .visibility = SAVU_VIS_INTERMEDIATE,
        .summary = "The file is <prefix>.npy in the output folder (None: <data file "
                   "name>_p<N>, N the saver's place in the list).",
    },
};

struct npy_saver {
    const char *prefix;  /* NULL: the default, known when the run begins */
    char *part, *final;  /* <folder>/<prefix>.npy.part and .npy */
    long shape[3];       /* of the saved dataset */
    long header;         /* bytes before the data */
    int fd;              /* this rank's, opened at its first frame (-1) */
    int error;           /* errno of this rank's first failed write */
};

/* In setup, when the run is planned: check the parameters. */
static int npy_saver_setup(struct savu_plugin_instance *inst)
{
    const char *prefix = savu_param_string(inst, "prefix");
    if (prefix && (!*prefix || strchr(prefix, '/')))
        return savu_fail(inst, "parameter prefix: '%s' is not a file name start (no '/', not "
                               "empty)", prefix);
    struct npy_saver *ns = calloc(1, sizeof *ns);
    if (!ns)
        return savu_fail(inst, "out of memory");
    ns->prefix = prefix;
    ns->fd = -1;
    savu_in_shape(inst, ns->shape);
    savu_set_private(inst, ns);
    return 0;
}

/* The .npy header for shape, padded to 64 bytes with the data's start. */
static long npy_header(const long shape[3], char *out, size_t size)
{
    const unsigned one = 1;
    const char order = *(const unsigned char *)&one ? '<' : '>'; /* the host's float32 */
    char dict[256];
    int n = snprintf(dict, sizeof dict, "{'descr': '%cf4', 'fortran_order': False, "
                     "'shape': (%ld, %ld, %ld), }", order, shape[0], shape[1], shape[2]);
    long total = (10 + n + 1 + 63) / 64 * 64, len = total - 10;
    if (n < 0 || (size_t)total > size)
        return -1;
    memcpy(out, "\x93NUMPY\x01\x00", 8);
    out[8] = (char)(len & 0xff);
    out[9] = (char)(len >> 8);
    memset(out + 10, ' ', (size_t)len);
    memcpy(out + 10, dict, (size_t)n);
    out[total - 1] = '\n';
    return total;
}

static int write_all(int fd, const void *buf, size_t n, off_t at)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t done = pwrite(fd, p, n, at);
        if (done < 0 && errno == EINTR)
            continue;
        if (done <= 0)
            return done < 0 ? errno : EIO;
        p += done, n -= (size_t)done, at += done;
    }
    return 0;
}

/* Every rank: the names; rank 0: the .part with its header and its size
 * (the engine agrees over the ranks on the outcome before any write). */
static int npy_saver_begin(struct savu_plugin_instance *inst)
{
    struct npy_saver *ns = savu_private(inst);
    const char *folder = savu_output_folder(inst);
    int n = ns->prefix ? asprintf(&ns->final, "%s/%s.npy", folder, ns->prefix)
                       : asprintf(&ns->final, "%s/%s_p%d.npy", folder, savu_data_stem(inst),
                                  savu_plugin_number(inst));
    if (n < 0)
        ns->final = NULL;
    if (n < 0 || asprintf(&ns->part, "%s.part", ns->final) < 0) {
        ns->part = NULL;
        return savu_fail(inst, "out of memory");
    }
    char header[512];
    ns->header = npy_header(ns->shape, header, sizeof header);
    if (ns->header < 0)
        return savu_fail(inst, "shape too long for a .npy header");
    if (savu_rank(inst) != 0)
        return 0;
    int fd = open(ns->part, O_WRONLY | O_CREAT | O_TRUNC, 0666), rc = fd < 0 ? errno : 0;
    const off_t size = ns->header + (off_t)ns->shape[0] * ns->shape[1] * ns->shape[2] * 4;
    if (rc == 0)
        rc = write_all(fd, header, (size_t)ns->header, 0);
    if (rc == 0 && ftruncate(fd, size) != 0)
        rc = errno;
    if (fd >= 0 && close(fd) != 0 && rc == 0)
        rc = errno;
    return rc == 0 ? 0 : savu_fail(inst, "cannot create %s: %s", ns->part, strerror(rc));
}

/* Frames first .. + n of the block at their place in the C-order array:
 * PROJECTION frames run along dim 0 and are contiguous in the file; other
 * patterns' frames run along dim 1, each of their n0 rows in its place. */
static int write_frames(const struct npy_saver *ns, enum savu_pattern pattern, long first,
                        long n, const float *frames)
{
    const long n0 = ns->shape[0], n1 = ns->shape[1], n2 = ns->shape[2];
    if (pattern == SAVU_PATTERN_PROJECTION)
        return write_all(ns->fd, frames, sizeof(float) * n * n1 * n2,
                         ns->header + (off_t)first * n1 * n2 * 4);
    for (long f = 0; f < n; f++)
        for (long i = 0; i < n0; i++) {
            int rc = write_all(ns->fd, frames + (f * n0 + i) * n2, sizeof(float) * n2,
                               ns->header + ((off_t)i * n1 + first + f) * n2 * 4);
            if (rc != 0)
                return rc;
        }
    return 0;
}

static int npy_saver_write(struct savu_plugin_instance *inst, const struct savu_block *block)
{
    struct npy_saver *ns = savu_private(inst);
    const long n = savu_block_frames(block);
    if (n == 0)
        return 0;
    if (savu_block_variants(block) != 1)
        return savu_fail(inst, "the data before it have %ld variants (tuned parameters); "
                               "NpySaver saves untuned data: save tuned results with "
                               "Hdf5Saver", savu_block_variants(block));
    if (ns->fd < 0 && (ns->fd = open(ns->part, O_WRONLY)) < 0)
        return savu_fail(inst, "cannot open %s: %s", ns->part, strerror(errno));
    int rc = write_frames(ns, savu_in_pattern(inst), savu_block_first(block), n,
                          savu_block_in(block));
    if (rc != 0) {
        ns->error = rc;
        return savu_fail(inst, "cannot write %s: %s", ns->part, strerror(rc));
    }
    return 0;
}

static bool npy_saver_writes_any_frames(struct savu_plugin_instance *inst)
{
    (void)inst;
    return true;
}

/* Collective: every rank syncs and closes its file; then, once all have
 * (the reduction waits for them), rank 0 makes it <prefix>.npy when the
 * run is complete and every rank's data are on disk, else removes it. */
static int npy_saver_finish(struct savu_plugin_instance *inst, bool complete)
{
    struct npy_saver *ns = savu_private(inst);
    int rc = ns->error;
    if (ns->fd >= 0) {
        if (complete && rc == 0 && fdatasync(ns->fd) != 0)
            rc = errno;
        if (close(ns->fd) != 0 && rc == 0)
            rc = errno;
        ns->fd = -1;
    }
    double failed = rc != 0;
    if (savu_reduce_max(inst, &failed, 1) != 0)
        return -1;
    if (savu_rank(inst) == 0 && ns->part) {
        if (complete && failed == 0) {
            if (rename(ns->part, ns->final) != 0)
                return savu_fail(inst, "cannot rename %s: %s", ns->part, strerror(errno));
        } else if (unlink(ns->part) != 0 && errno != ENOENT) {
            savu_warn(inst, "could not remove %s: %s", ns->part, strerror(errno));
        }
    }
    return rc == 0 ? 0 : savu_fail(inst, "cannot write %s: %s", ns->part, strerror(rc));
}

static void npy_saver_teardown(struct savu_plugin_instance *inst)
{
    struct npy_saver *ns = savu_private(inst);
    if (ns) {
        if (ns->fd >= 0)
            close(ns->fd);
        free(ns->part);
        free(ns->final);
    }
    free(ns);
}

static const struct savu_saver_ops npy_saver_ops = {
    .begin = npy_saver_begin,
    .write = npy_saver_write,
    .writes_any_frames = npy_saver_writes_any_frames,
    .finish = npy_saver_finish,
};

static const struct savu_plugin npy_saver = {
    .name = "NpySaver",
    .id = "savu_examples.savers.npy_saver",
    .synopsis = "Save the data as one NumPy .npy file (float32, the dataset's axis order).",
    .info = "numpy.load('<prefix>.npy') gives the whole dataset, e.g. a reconstruction as "
            "(voxel_x, voxel_y, voxel_z). The file is written as <prefix>.npy.part and renamed "
            "only when the run succeeds.",
    .category = SAVU_CAT_SAVER,
    .params = npy_saver_params,
    .n_params = SAVU_COUNT_OF(npy_saver_params),
    .pattern = SAVU_PATTERN_NONE,
    .setup = npy_saver_setup,
    .teardown = npy_saver_teardown,
    .saver = &npy_saver_ops,
};

const struct savu_plugin *const savu_plugin_table[] = {&npy_saver, NULL};
const int savu_plugin_abi = SAVU_PLUGIN_ABI;
