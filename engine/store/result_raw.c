/* result_raw.c: moving frames of a result dataset straight between a block
 * and the file, on the I/O threads (see result_raw.h). */
#define _GNU_SOURCE /* fallocate, sync_file_range, MADV_POPULATE_WRITE */
#include "result_raw.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <unistd.h>
#include "cpu/thread_pool.h"
#include "half_float.h"
#include "scaled_u16.h"

#include "populate_write.h"

/* Bytes each task moves, about. */
#define TASK_BYTES ((size_t)8 << 20)

/* One row of the block and its place: its file (the stripe, when the
 * result has them) and the offset there. */
struct row {
    int stripe;
    off_t at;
    void *data;
};

struct move {
    const struct result_raw *raw;
    bool writing;
    int dim;
    hsize_t first, n;
    float *block;
    hsize_t rows_per_frame;  /* rows of the other two dims' plane */
    hsize_t frames;          /* n x variants */
    hsize_t per_task;        /* frames (dim 0) or plane rows (dim 1) per task */
    int *errors;             /* per task */
};

static int by_place(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->stripe != y->stripe)
        return (x->stripe > y->stripe) - (x->stripe < y->stripe);
    return (x->at > y->at) - (x->at < y->at);
}

/* The dataset's shape: the raw's own, or its stripes' (the same but
 * along the striped frames). */
static const struct raw_layout *shape_of(const struct result_raw *raw)
{
    return raw->n_stripes > 0 ? &raw->stripes[0].layout : &raw->layout;
}

/* The file holding stripe s (the raw itself when it has no stripes). */
static const struct result_raw *file_of(const struct result_raw *raw, int s)
{
    return raw->n_stripes > 0 ? &raw->stripes[s] : raw;
}

/* Tuned variants of a frame: the product of the dims after the third. */
static hsize_t variants_of(const struct raw_layout *l)
{
    hsize_t v = 1;
    for (int d = 3; d < l->ndims; d++)
        v *= l->dims[d];
    return v;
}

/* The file offset of row k (of the plane) of frame `frame` along dim, tuned
 * variant `variant`. */
static off_t row_offset(const struct raw_layout *l, int dim, hsize_t frame, hsize_t variant,
                        hsize_t k)
{
    hsize_t coord[RAW_MAX_DIMS] = { 0 };
    coord[dim] = frame;
    coord[dim == 0 ? 1 : 0] = k;
    for (int d = 3; d < l->ndims; d++) { /* v = t0 + n0 * (t1 + n1 * ...) */
        coord[d] = variant % l->dims[d];
        variant /= l->dims[d];
    }
    hsize_t run;
    return raw_layout_offset(l, coord, l->dims[2], &run);
}

/* Where row k (of the plane) of frame j (variant-major) lies: frame f of
 * a striped result is frame f / n of stripe f % n. */
static void row_place(const struct move *m, hsize_t j, hsize_t k, struct row *row)
{
    hsize_t frame = m->first + j % m->n;
    int n = m->raw->n_stripes;
    row->stripe = n > 0 ? (int)(frame % (hsize_t)n) : 0;
    row->at = row_offset(&file_of(m->raw, row->stripe)->layout, m->dim, n > 0 ? frame / (hsize_t)n
                                                                              : frame,
                         j / m->n, k);
}

/* Allocates the file's pages under map bytes [at, at + len) (file
 * offsets) from this thread: madvise(MADV_POPULATE_WRITE) (Linux 5.14),
 * which returns an error where touching the pages would raise SIGBUS (a
 * full filesystem); fallocate(2) where the kernel lacks it. 0, or an errno
 * value (ENOSPC for a full filesystem). */
static int populate_run(const struct result_raw *raw, off_t at, size_t len)
{
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = (uintptr_t)(raw->map + (at - raw->map_from)) & ~(page - 1);
    uintptr_t to = ((uintptr_t)(raw->map + (at - raw->map_from)) + len + page - 1) & ~(page - 1);
    if (madvise((void *)from, to - from, MADV_POPULATE_WRITE) == 0)
        return 0;
    if (errno == EINVAL)
        return fallocate(raw->fd, 0, at, (off_t)len) < 0 ? errno : 0;
    return errno == EFAULT ? ENOSPC : errno;
}

/* Writes a run of rows into the mapping, its pages allocated first. */
static int copy_into_map(const struct result_raw *raw, const struct iovec *iov, int n, off_t at)
{
    size_t len = 0;
    for (int i = 0; i < n; i++)
        len += iov[i].iov_len;
    int rc = populate_run(raw, at, len);
    if (rc != 0)
        return rc;
    char *dst = raw->map + (at - raw->map_from);
    for (int i = 0; i < n; i++) {
        memcpy(dst, iov[i].iov_base, iov[i].iov_len);
        dst += iov[i].iov_len;
    }
    return 0;
}

/* Whether a run of rows at file offset `at` may go through O_DIRECT. */
static bool direct_suits(const struct result_raw *file, const struct iovec *iov, int n, off_t at)
{
    if (!file->has_direct || at % DIRECT_ALIGN != 0)
        return false;
    for (int i = 0; i < n; i++)
        if ((uintptr_t)iov[i].iov_base % DIRECT_ALIGN != 0 || iov[i].iov_len % DIRECT_ALIGN != 0)
            return false;
    return true;
}

/* Writes a run of rows: straight to the device where it suits, else (or
 * where the filesystem refuses the direct write: EINVAL) through the page
 * cache. */
static int write_run(const struct result_raw *file, struct iovec *iov, int n, off_t at)
{
    struct iovec *copy = direct_suits(file, iov, n, at) ? malloc(sizeof *copy * (size_t)n) : NULL;
    if (copy) { /* raw_vector_full changes the iov it is given */
        memcpy(copy, iov, sizeof *copy * (size_t)n);
        int rc = raw_vector_full(file->direct_fd, true, copy, n, at);
        free(copy);
        if (rc != EINVAL)
            return rc;
    }
    return raw_vector_full(file->fd, true, iov, n, at);
}

/* Moves the rows sorted by place, each run of neighbours in the file in one
 * call, each run of neighbours in memory too as one buffer (which O_DIRECT
 * then judges as a whole). */
static int move_sorted(const struct move *m, struct row *rows, size_t count, struct iovec *iov)
{
    size_t row_bytes = (size_t)shape_of(m->raw)->dims[2] * shape_of(m->raw)->element_size;
    qsort(rows, count, sizeof *rows, by_place);
    for (size_t i = 0; i < count;) {
        size_t j = i;
        int n = 0; /* rows that are neighbours in memory too share one buffer */
        while (j < count && rows[j].stripe == rows[i].stripe &&
               rows[j].at == rows[i].at + (off_t)((j - i) * row_bytes)) {
            if (n > 0 && (char *)iov[n - 1].iov_base + iov[n - 1].iov_len == rows[j].data) {
                iov[n - 1].iov_len += row_bytes;
            } else {
                iov[n].iov_base = rows[j].data;
                iov[n++].iov_len = row_bytes;
            }
            j++;
        }
        const struct result_raw *file = file_of(m->raw, rows[i].stripe);
        int rc = !m->writing ? raw_vector_full(file->fd, false, iov, n, rows[i].at)
                 : file->map ? copy_into_map(file, iov, n, rows[i].at)
                             : write_run(file, iov, n, rows[i].at);
        if (rc != 0)
            return rc;
        i = j;
    }
    return 0;
}

/* Task t: frames [t * per_task, ...) whole (dim 0), or plane rows [t *
 * per_task, ...) of every frame (dim 1). */
static void move_task(void *ctx, int task, int worker)
{
    (void)worker;
    struct move *m = ctx;
    hsize_t j0 = 0, j1 = m->frames, k0 = 0, k1 = m->rows_per_frame;
    hsize_t *lo = m->dim == 0 ? &j0 : &k0, *hi = m->dim == 0 ? &j1 : &k1;
    hsize_t end = *hi;
    *lo = (hsize_t)task * m->per_task;
    *hi = *lo + m->per_task < end ? *lo + m->per_task : end;
    size_t count = (size_t)((j1 - j0) * (k1 - k0));
    size_t d2 = (size_t)shape_of(m->raw)->dims[2], i = 0;
    bool narrow = shape_of(m->raw)->element_size == sizeof(uint16_t); /* float16, uint16 */
    struct row *rows = malloc(sizeof *rows * count);
    struct iovec *iov = malloc(sizeof *iov * count);
    /* aligned, for O_DIRECT (write_run) */
    size_t narrowed_bytes = (sizeof(uint16_t) * d2 * count + DIRECT_ALIGN - 1) / DIRECT_ALIGN *
                            DIRECT_ALIGN;
    uint16_t *narrowed = narrow ? aligned_alloc(DIRECT_ALIGN, narrowed_bytes) : NULL;
    int rc = rows && iov && (!narrow || narrowed) ? 0 : ENOMEM;
    for (hsize_t j = j0; j < j1 && rc == 0; j++)
        for (hsize_t k = k0; k < k1; k++, i++) {
            float *row = m->block + (size_t)(j * m->rows_per_frame + k) * d2;
            row_place(m, j, k, &rows[i]);
            rows[i].data = row;
            if (narrow) { /* written as float16 or uint16: converted first */
                if (m->raw->to_uint16)
                    scaled_u16_from_float(narrowed + i * d2, row, d2, m->raw->u16_min,
                                          m->raw->u16_max);
                else
                    half_from_float(narrowed + i * d2, row, d2);
                rows[i].data = narrowed + i * d2;
            }
        }
    if (rc == 0)
        rc = move_sorted(m, rows, count, iov);
    free(rows);
    free(iov);
    free(narrowed);
    m->errors[task] = rc;
}

/* tmpfs and ramfs (linux/magic.h). */
#define TMPFS_MAGIC_NUMBER 0x01021994
#define RAMFS_MAGIC_NUMBER 0x858458f6

bool result_raw_memory_backed(const struct statfs *fs)
{
    return fs->f_type == TMPFS_MAGIC_NUMBER || fs->f_type == RAMFS_MAGIC_NUMBER;
}

void result_raw_map(struct result_raw *raw)
{
    const struct raw_layout *l = &raw->layout;
    struct statfs fs;
    if (raw->map || raw->fd < 0 || fstatfs(raw->fd, &fs) < 0 || !result_raw_memory_backed(&fs))
        return;
    hsize_t chunk_bytes = l->element_size, n_chunks = 1;
    for (int d = 0; d < l->ndims; d++) {
        chunk_bytes *= l->chunk[d];
        n_chunks *= l->n_chunks[d];
    }
    haddr_t low = l->chunk_addr[0], high = 0;
    for (hsize_t i = 0; i < n_chunks; i++) {
        low = l->chunk_addr[i] < low ? l->chunk_addr[i] : low;
        high = l->chunk_addr[i] + chunk_bytes > high ? l->chunk_addr[i] + chunk_bytes : high;
    }
    long page = sysconf(_SC_PAGESIZE);
    off_t from = (off_t)low / page * page;
    struct stat st;
    /* The file may not reach the data's end yet (HDF5 extends it at close):
     * a mapping beyond the end would fault. */
    if (fstat(raw->fd, &st) < 0 || (st.st_size < (off_t)high && ftruncate(raw->fd, (off_t)high) < 0))
        return;
    void *map = mmap(NULL, (size_t)((off_t)high - from), PROT_READ | PROT_WRITE, MAP_SHARED,
                     raw->fd, from);
    if (map == MAP_FAILED)
        return;
    raw->map = map;
    raw->map_from = from;
    raw->map_len = (size_t)((off_t)high - from);
}

void result_raw_unmap(struct result_raw *raw)
{
    if (raw->map)
        munmap(raw->map, raw->map_len);
    raw->map = NULL;
    raw->map_len = 0;
}

void result_raw_open_direct(struct result_raw *raw, const char *path)
{
    struct statfs fs;
    if (raw->has_direct || raw->fd < 0 || fstatfs(raw->fd, &fs) != 0 ||
        result_raw_memory_backed(&fs))
        return;
    raw->direct_fd = open(path, O_WRONLY | O_DIRECT | O_CLOEXEC);
    raw->has_direct = raw->direct_fd >= 0;
}

int result_raw_close(struct result_raw *raw, bool sync)
{
    int rc = 0;
    for (int i = 0; i < raw->n_stripes; i++) {
        int closed = result_raw_close(&raw->stripes[i], sync);
        rc = rc ? rc : closed;
    }
    if (raw->has_direct)
        close(raw->direct_fd);
    raw->has_direct = false;
    if (raw->fd < 0)
        return rc;
    if (sync && fdatasync(raw->fd) < 0 && errno != EINVAL && rc == 0)
        rc = errno;
    if (close(raw->fd) < 0 && rc == 0)
        rc = errno;
    raw->fd = -1;
    return rc;
}

void result_raw_free(struct result_raw *raw)
{
    result_raw_unmap(raw);
    result_raw_close(raw, false);
    for (int i = 0; i < raw->n_stripes; i++)
        result_raw_free(&raw->stripes[i]);
    free(raw->stripes);
    raw->stripes = NULL;
    raw->n_stripes = 0;
    raw_layout_free(&raw->layout);
}

bool result_raw_suits(const struct raw_layout *layout)
{
    if (layout->ndims < 3 || layout->chunk[2] != layout->dims[2])
        return false;
    for (int d = 3; d < layout->ndims; d++)
        if (layout->chunk[d] != 1)
            return false;
    return true;
}

int result_raw_move(const struct result_raw *raw, bool writing, int dim, hsize_t first,
                    hsize_t n, float *block)
{
    if (n == 0)
        return 0;
    const struct raw_layout *l = shape_of(raw);
    if (!writing && l->element_size != sizeof(float))
        return ENOTSUP; /* float16 and uint16 results are only written */
    struct move m = { .raw = raw, .writing = writing, .dim = dim, .first = first, .n = n,
                      .block = block };
    m.rows_per_frame = dim == 0 ? l->dims[1] : l->dims[0];
    m.frames = n * variants_of(l);
    size_t row_bytes = (size_t)l->dims[2] * sizeof(float);
    hsize_t rows_per_task = TASK_BYTES / row_bytes > 0 ? TASK_BYTES / row_bytes : 1;
    hsize_t tasks;
    if (dim == 0) { /* whole frames per task */
        m.per_task = rows_per_task / m.rows_per_frame > 0 ? rows_per_task / m.rows_per_frame : 1;
        tasks = (m.frames + m.per_task - 1) / m.per_task;
    } else {        /* a band of plane rows of every frame per task */
        m.per_task = rows_per_task / m.frames > 0 ? rows_per_task / m.frames : 1;
        tasks = (m.rows_per_frame + m.per_task - 1) / m.per_task;
    }
    if (!(m.errors = calloc((size_t)tasks, sizeof *m.errors)))
        return ENOMEM;
    savu_thread_pool_run(raw->pool, (int)tasks, move_task, &m);
    /* The written pages stay in the file; dropping them from this
     * process's page tables keeps its resident memory (what --max-memory
     * budgets) from counting the output. */
    if (writing && raw->map)
        madvise(raw->map, raw->map_len, MADV_DONTNEED);
    int rc = 0;
    for (hsize_t t = 0; t < tasks && rc == 0; t++)
        rc = m.errors[t];
    free(m.errors);
    return rc;
}

void result_raw_start_writeback(const struct result_raw *raw)
{
    if (raw->fd >= 0 && !raw->map)
        (void)sync_file_range(raw->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}
