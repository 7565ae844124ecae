/* result_raw.c: moving frames of a contiguous result dataset straight
 * between a block and the file, on the I/O threads (see result_raw.h). */
#include "result_raw.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/uio.h>
#include "cpu/thread_pool.h"
#include "raw_io.h"

/* Bytes each task moves, about. */
#define PIECE_BYTES ((size_t)8 << 20)

struct move {
    const struct result_raw *raw;
    bool writing;
    int dim;
    hsize_t first, n;
    float *block;
    hsize_t per_task;  /* bytes (dim 0) or dim-0 rows (dim 1) per task */
    int *errors;       /* per task */
};

/* Dim 0: bytes [task * per_task, ...) of the frames' one run. */
static void move_run(void *ctx, int task, int worker)
{
    (void)worker;
    struct move *m = ctx;
    const struct result_raw *r = m->raw;
    size_t total = (size_t)(m->n * r->dims[1] * r->dims[2]) * sizeof(float);
    size_t from = (size_t)task * m->per_task;
    size_t len = total - from < m->per_task ? total - from : m->per_task;
    struct iovec one = { .iov_base = (char *)m->block + from, .iov_len = len };
    off_t at = r->base + (off_t)((m->first * r->dims[1] * r->dims[2]) * sizeof(float) + from);
    m->errors[task] = raw_vector_full(r->fd, m->writing, &one, 1, at);
}

/* Dim 1: dim-0 rows [task * per_task, ...): for each, the n frames' rows. */
static void move_rows(void *ctx, int task, int worker)
{
    (void)worker;
    struct move *m = ctx;
    const struct result_raw *r = m->raw;
    hsize_t d0 = r->dims[0], d1 = r->dims[1], d2 = r->dims[2];
    hsize_t a0 = (hsize_t)task * m->per_task;
    hsize_t a1 = a0 + m->per_task < d0 ? a0 + m->per_task : d0;
    struct iovec *iov = malloc(sizeof *iov * (size_t)m->n);
    int rc = iov ? 0 : ENOMEM;
    for (hsize_t a = a0; a < a1 && rc == 0; a++) {
        for (hsize_t f = 0; f < m->n; f++) {
            iov[f].iov_base = m->block + (f * d0 + a) * d2;
            iov[f].iov_len = (size_t)d2 * sizeof(float);
        }
        off_t at = r->base + (off_t)((a * d1 + m->first) * d2 * sizeof(float));
        rc = raw_vector_full(r->fd, m->writing, iov, (int)m->n, at);
    }
    free(iov);
    m->errors[task] = rc;
}

int result_raw_move(const struct result_raw *raw, bool writing, int dim, hsize_t first,
                    hsize_t n, float *block)
{
    if (n == 0)
        return 0;
    struct move m = { .raw = raw, .writing = writing, .dim = dim, .first = first, .n = n,
                      .block = block };
    hsize_t tasks;
    if (dim == 0) {
        hsize_t total = n * raw->dims[1] * raw->dims[2] * sizeof(float);
        m.per_task = PIECE_BYTES;
        tasks = (total + PIECE_BYTES - 1) / PIECE_BYTES;
    } else {
        hsize_t row_bytes = n * raw->dims[2] * sizeof(float);
        m.per_task = PIECE_BYTES / row_bytes > 0 ? PIECE_BYTES / row_bytes : 1;
        tasks = (raw->dims[0] + m.per_task - 1) / m.per_task;
    }
    if (!(m.errors = calloc((size_t)tasks, sizeof *m.errors)))
        return ENOMEM;
    savu_thread_pool_run(raw->pool, (int)tasks, dim == 0 ? move_run : move_rows, &m);
    int rc = 0;
    for (hsize_t t = 0; t < tasks && rc == 0; t++)
        rc = m.errors[t];
    free(m.errors);
    return rc;
}
