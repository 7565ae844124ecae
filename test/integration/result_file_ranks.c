/* result_file_ranks.c: result files written by several MPI ranks together
 * (not built by `make`; see the build line below). Each rank owns a
 * contiguous range of frames and writes it in blocks, the ranks making the
 * same number of collective calls (a rank out of frames passes n = 0); then
 * every rank reads frames of the other pattern and checks them, for frames
 * along dim 0 and along dim 1 and for a tuned dataset; a failed write on one
 * rank makes result_file_finish fail on every rank with that rank's message
 * and leaves no file. Prints "ok" on rank 0 and exits 0 when all holds.
 *
 *   mpicc -std=gnu11 -Ilists -Ilists/util -Iplugins -Iengine -Iengine/plan -Iengine/run -Iengine/store -I/usr/include/hdf5/openmpi \
 *     -Iplugins/common -Ikernels -I. test/integration/result_file_ranks.c engine/store/result_*.c \
 *     engine/store/half_float.c engine/store/scaled_u16.c engine/store/nxdata_write.c \
 *     engine/plan/dataset.c engine/plan/dataset_pattern.c engine/run/mpi_agree.c engine/run/frame_range.c plugins/common/raw_io.c \
 *     lists/nexus_hdf5.c lists/nexus_write_values.c lists/util/error.c lists/util/atomic_file.c \
 *     .libs/libsavukernels.a -L/usr/lib/x86_64-linux-gnu/hdf5/openmpi -lhdf5 -ljansson -lpthread -lm \
 *     -o /tmp/result_file_ranks
 *   mpirun -np 3 /tmp/result_file_ranks /tmp/some_folder */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <hdf5.h>
#include <mpi.h>
#include "dataset.h"
#include "result_file.h"

static int rank, size;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "rank %d: line %d: ", rank, __LINE__);                                 \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            MPI_Abort(MPI_COMM_WORLD, 1);                                                          \
        }                                                                                          \
    } while (0)

static float value_at(const long shape[3], long a, long r, long c, long v)
{
    return (float)(((a * shape[1] + r) * shape[2] + c) + 100000 * v);
}

/* n frames along dim from first, every variant: [v][f][the other two dims]. */
static float *frames(const long shape[3], int dim, long first, long n, long variants)
{
    long p = dim == 0 ? 1 : 0;
    size_t frame = (size_t)shape[p] * shape[2];
    float *block = malloc(sizeof(float) * (n ? (size_t)variants * n * frame : 1));
    CHECK(block, "out of memory");
    size_t i = 0;
    for (long v = 0; v < variants; v++)
        for (long f = 0; f < n; f++)
            for (long j = 0; j < shape[p]; j++)
                for (long c = 0; c < shape[2]; c++)
                    block[i++] = dim == 0 ? value_at(shape, first + f, j, c, v) : value_at(shape, j, first + f, c, v);
    return block;
}

/* This rank's range of `total` frames. */
static void my_range(long total, long *first, long *n)
{
    long base = total / size, extra = total % size;
    *first = rank * base + (rank < extra ? rank : extra);
    *n = base + (rank < extra);
}

static void round_trip(const char *folder, const char *name, const long shape[3], enum savu_pattern write,
                       enum savu_pattern read, int n_tune)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    struct dataset *ds = dataset_new("tomo", NULL);
    static const char *const labels[3] = { "voxel_x", "voxel_y", "voxel_z" };
    dataset_set_shape(ds, 3, shape);
    for (int d = 0; d < 3; d++) {
        ds->labels[d] = labels[d];
        ds->units[d] = "pixel";
    }
    ds->pattern = write;
    const double values[3] = { 1, 2, 3 };
    for (int t = 0; t < n_tune; t++) {
        char param[16];
        snprintf(param, sizeof param, "p%d", t);
        dataset_add_tuning(ds, param, values, 2 + t);
    }
    struct result_file_spec spec = { path, "1-Test-tomo", ds, write, read };
    savu_error err = { "" };
    result_file *rf = result_file_create(MPI_COMM_WORLD, &spec, &err);
    CHECK(rf, "%s", err.msg);

    /* Blocks of 3 frames; every rank makes as many calls as the busiest. */
    int wdim = dataset_slice_dim(ds, write);
    long first, n;
    my_range(shape[wdim], &first, &n);
    long calls = (shape[wdim] / size + 1 + 2) / 3 + 1;
    for (long k = 0; k < calls; k++) {
        long f = first + 3 * k, m = f < first + n ? (first + n - f < 3 ? first + n - f : 3) : 0;
        float *block = frames(shape, wdim, f, m, ds->n_variants);
        CHECK(result_file_write(rf, m ? f : 0, m, block, &err) == 0, "%s", err.msg);
        free(block);
    }
    CHECK(result_file_sync(rf, &err) == 0, "%s", err.msg);

    /* Every rank reads all frames of the read pattern, 2 at a time. */
    int rdim = dataset_slice_dim(ds, read);
    for (long f = rank % 2; f < shape[rdim]; f += 2) {
        long m = shape[rdim] - f < 2 ? 1 : 2;
        float *expected = frames(shape, rdim, f, m, ds->n_variants);
        size_t count = (size_t)ds->n_variants * m * (rdim == 0 ? shape[1] : shape[0]) * shape[2];
        float *got = malloc(sizeof(float) * count);
        CHECK(result_file_read(rf, f, m, got, &err) == 0, "%s", err.msg);
        CHECK(memcmp(got, expected, sizeof(float) * count) == 0, "%s: frames %ld..%ld differ", name, f, f + m - 1);
        free(got);
        free(expected);
    }
    CHECK(result_file_finish(rf, &err) == 0, "%s", err.msg);
    CHECK(access(path, F_OK) == 0, "%s missing", path);
    dataset_free(ds);
}

/* Rank size-1 writes frames out of range: everyone's finish fails with its
 * message; no file remains. */
static void failed_rank(const char *folder)
{
    char path[1024], part[1100];
    snprintf(path, sizeof path, "%s/failed.h5", folder);
    snprintf(part, sizeof part, "%s.part", path);
    struct dataset *ds = dataset_new("tomo", NULL);
    static const char *const labels[3] = { "rotation_angle", "detector_y", "detector_x" };
    dataset_set_shape(ds, 3, (const long[]){4, 4, 4});
    for (int d = 0; d < 3; d++)
        ds->labels[d] = labels[d];
    struct result_file_spec spec = { path, "1-Test-tomo", ds, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_SINOGRAM };
    savu_error err = { "" };
    result_file *rf = result_file_create(MPI_COMM_WORLD, &spec, &err);
    CHECK(rf, "%s", err.msg);
    float block[16] = { 0 };
    int rc = result_file_write(rf, rank == size - 1 ? 4 : 0, 1, block, &err);
    CHECK((rc < 0) == (rank == size - 1), "write gave %d", rc);
    err.msg[0] = '\0';
    CHECK(result_file_finish(rf, &err) == -1, "finish succeeded");
    char expected[1200];
    snprintf(expected, sizeof expected, "cannot write %s: frames 4..4 outside the 4 frames along dimension 0", path);
    CHECK(strcmp(err.msg, expected) == 0, "message '%s'", err.msg);
    MPI_Barrier(MPI_COMM_WORLD);
    CHECK(access(path, F_OK) != 0 && access(part, F_OK) != 0, "a file remains");
    dataset_free(ds);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    CHECK(argc == 2, "usage: result_file_ranks FOLDER");
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    const long wide[3] = { 23, 7, 8192 }, small[3] = { 11, 5, 6 };
    round_trip(argv[1], "proj_sino.h5", wide, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_SINOGRAM, 0);
    round_trip(argv[1], "xz_proj.h5", wide, SAVU_PATTERN_VOLUME_XZ, SAVU_PATTERN_PROJECTION, 0);
    round_trip(argv[1], "tuned.h5", small, SAVU_PATTERN_PROJECTION, SAVU_PATTERN_VOLUME_XZ, 2);
    round_trip(argv[1], "tuned_xz.h5", small, SAVU_PATTERN_VOLUME_XZ, SAVU_PATTERN_SINOGRAM, 1);
    failed_rank(argv[1]);
    if (rank == 0)
        printf("ok\n");
    MPI_Finalize();
    return 0;
}
