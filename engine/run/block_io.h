/* block_io.h: the I/O thread of a section. While the main thread computes
 * block b, this thread agrees with the other ranks on block b - 1 (its
 * computing succeeded everywhere; no kill signal), writes its results
 * (result_file.h: raw on the I/O threads, or collective parallel HDF5) and
 * reads the input of block b + 1: reading,
 * computing and writing overlap. Every MPI and HDF5 call of the block loop
 * is made here, one task at a time, so they never run concurrently (the
 * HDF5 library is not thread-safe; MPI runs with MPI_THREAD_SERIALIZED).
 * When the section says its reads make neither (read_beside_write: raw
 * input reads on a pool of their own), a task's read runs on a second
 * thread beside its settling and writing, so that a block's I/O takes the
 * longer of the two instead of their sum. */
#ifndef SAVU_BLOCK_IO_H
#define SAVU_BLOCK_IO_H

#include <stdbool.h>
#include "error.h"

struct run;
typedef struct block_io block_io;

/* What the thread does for the section: read frames [first, first + n) of
 * the input into input buffer `slot` (0 or 1); write block [first, first +
 * n) from result buffer `slot` (n may be 0: the rank joins the collective
 * calls with nothing). 0 or -1 with err. */
struct block_io_ops {
    int (*read)(void *ctx, long first, long n, int slot, savu_error *err);
    int (*write)(void *ctx, long first, long n, int slot, savu_error *err);
    void *ctx;
    bool read_beside_write; /* read makes no MPI or HDF5 call and shares no
                             * threads with write: they may run at once */
};

/* One task: when `settle`, agree on `computed` (this rank's result of
 * computing the block) and then write the block; when read_n > 0, read
 * (after the write, or beside it: see above; a read beside a write is made
 * even when the settling fails). */
struct block_io_task {
    bool settle;
    bool alone;                   /* settle without the other ranks: write when
                                   * computed is 0, else fail with why (no MPI
                                   * call; block_claims.h) */
    int computed;
    savu_error why;               /* when computed is -1 */
    long write_first, write_n;
    int write_slot;
    long read_first, read_n;
    int read_slot;
};

/* Starts the thread. NULL when it cannot (then err says why). */
block_io *block_io_new(struct run *run, const struct block_io_ops *ops, savu_error *err);

/* Hands the thread a task (the previous one must have been waited for). */
void block_io_submit(block_io *io, const struct block_io_task *task);

/* Waits for the task: 0 when its block was settled everywhere (or it had
 * none), -1 with err (the same on every rank), 1 for the kill signal.
 * *read_rc gets the read's own result (0, or -1 with read_err). */
int block_io_wait(block_io *io, int *read_rc, savu_error *read_err, savu_error *err);

/* What a section's block loop (section_run.c's, or the balanced one of
 * section_balance.h) keeps of its first read and its waits at either end:
 * reading_first while the first block's read, submitted before the loop,
 * is still to be waited for; the seconds waited for it and for the last
 * write. */
struct block_loop {
    bool reading_first;
    double t_first_read, t_last_write;
};

/* Waits for the first block's read when it is in flight, as block_io_wait
 * (0 when there is none), timing it. */
int block_loop_wait_first(struct block_loop *loop, block_io *io, int *read_rc,
                          savu_error *read_err, savu_error *err);

/* Seconds the thread spent reading, and writing (agreeing included). */
void block_io_times(const block_io *io, double *read_s, double *write_s);

/* Stops the thread (after its task) and frees it. */
void block_io_free(block_io *io);

#endif
