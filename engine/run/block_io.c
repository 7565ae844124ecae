/* block_io.c: a section's I/O thread (see block_io.h): a loop that waits
 * for a task, settles and writes the previous block, reads the next one
 * (after the write, or on a thread of its own beside it), and reports
 * back. */
#include <pthread.h>
#include <stdlib.h>
#include <mpi.h>
#include "block_io.h"
#include "cpu_placement.h"
#include "run.h"

struct block_io {
    struct run *run;
    struct block_io_ops ops;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool pending, quit;
    struct block_io_task task;
    int rc, read_rc;
    savu_error err, read_err;
    double read_s, write_s;
};

/* The task's read, on the thread that calls it. */
static void *read_task(void *arg)
{
    block_io *io = arg;
    const struct block_io_task *t = &io->task;
    double t0 = MPI_Wtime();
    io->read_rc = io->ops.read(io->ops.ctx, t->read_first, t->read_n, t->read_slot,
                               &io->read_err);
    io->read_s += MPI_Wtime() - t0;
    return NULL;
}

static void carry_out(block_io *io)
{
    const struct block_io_task *t = &io->task;
    io->rc = 0;
    io->read_rc = 0;
    pthread_t reader;
    bool beside = io->ops.read_beside_write && t->read_n > 0 && t->settle &&
                  pthread_create(&reader, NULL, read_task, io) == 0;
    double t0 = MPI_Wtime();
    if (t->settle) {
        io->err = t->why;
        io->rc = t->alone ? (t->computed < 0 ? -1 : 0) : run_agree(io->run, t->computed, &io->err);
        if (io->rc == 0) {
            int written = io->ops.write(io->ops.ctx, t->write_first, t->write_n, t->write_slot,
                                        &io->err);
            io->rc = t->alone ? (written < 0 ? -1 : 0) : run_agree(io->run, written, &io->err);
        }
    }
    io->write_s += MPI_Wtime() - t0;
    if (beside)
        pthread_join(reader, NULL);
    else if (io->rc == 0 && t->read_n > 0)
        read_task(io);
}

static void *io_loop(void *arg)
{
    block_io *io = arg;
    cpu_placement_leave(); /* beside the compute threads, not on their CPUs */
    pthread_mutex_lock(&io->lock);
    for (;;) {
        while (!io->pending && !io->quit)
            pthread_cond_wait(&io->changed, &io->lock);
        if (!io->pending)
            break;
        pthread_mutex_unlock(&io->lock);
        carry_out(io);
        pthread_mutex_lock(&io->lock);
        io->pending = false;
        pthread_cond_broadcast(&io->changed);
    }
    pthread_mutex_unlock(&io->lock);
    return NULL;
}

block_io *block_io_new(struct run *run, const struct block_io_ops *ops, savu_error *err)
{
    block_io *io = calloc(1, sizeof *io);
    if (!io) {
        savu_error_set(err, "out of memory");
        return NULL;
    }
    io->run = run;
    io->ops = *ops;
    pthread_mutex_init(&io->lock, NULL);
    pthread_cond_init(&io->changed, NULL);
    if (pthread_create(&io->thread, NULL, io_loop, io) != 0) {
        pthread_mutex_destroy(&io->lock);
        pthread_cond_destroy(&io->changed);
        free(io);
        savu_error_set(err, "cannot start the I/O thread");
        return NULL;
    }
    return io;
}

void block_io_submit(block_io *io, const struct block_io_task *task)
{
    pthread_mutex_lock(&io->lock);
    io->task = *task;
    io->pending = true;
    pthread_cond_broadcast(&io->changed);
    pthread_mutex_unlock(&io->lock);
}

int block_io_wait(block_io *io, int *read_rc, savu_error *read_err, savu_error *err)
{
    pthread_mutex_lock(&io->lock);
    while (io->pending)
        pthread_cond_wait(&io->changed, &io->lock);
    pthread_mutex_unlock(&io->lock);
    if (io->rc < 0)
        *err = io->err;
    *read_rc = io->read_rc;
    if (io->read_rc != 0)
        *read_err = io->read_err;
    return io->rc;
}

int block_loop_wait_first(struct block_loop *loop, block_io *io, int *read_rc,
                          savu_error *read_err, savu_error *err)
{
    if (!loop->reading_first)
        return 0;
    double t0 = MPI_Wtime();
    int rc = block_io_wait(io, read_rc, read_err, err);
    loop->reading_first = false;
    loop->t_first_read = MPI_Wtime() - t0;
    return rc;
}

void block_io_times(const block_io *io, double *read_s, double *write_s)
{
    *read_s = io->read_s;
    *write_s = io->write_s;
}

void block_io_free(block_io *io)
{
    if (!io)
        return;
    pthread_mutex_lock(&io->lock);
    io->quit = true;
    pthread_cond_broadcast(&io->changed);
    pthread_mutex_unlock(&io->lock);
    pthread_join(io->thread, NULL);
    pthread_mutex_destroy(&io->lock);
    pthread_cond_destroy(&io->changed);
    free(io);
}
