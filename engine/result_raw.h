/* result_raw.h: the frames of a result file's contiguous float32 dataset
 * [d0][d1][d2] moved straight between a block and the file (raw_io.h), on
 * the I/O threads: frames along dim 0 are one run of bytes, cut in pieces
 * for the threads; frames along dim 1 hold, for each dim-0 index, n rows of
 * d2 floats that are contiguous in the file and gathered from (or scattered
 * to) the block [frame][d0][d2] in one vectored call, with no transposing
 * copy. Each rank moves its own frames through its own descriptor: no
 * MPI-IO, no collective calls. */
#ifndef SAVU_RESULT_RAW_H
#define SAVU_RESULT_RAW_H

#include <stdbool.h>
#include <sys/types.h>
#include <hdf5.h>

struct savu_thread_pool;

struct result_raw {
    int fd;                        /* the file, open read-write */
    off_t base;                    /* file offset of element [0][0][0] */
    hsize_t dims[3];
    struct savu_thread_pool *pool; /* the I/O threads (NULL: the caller) */
};

/* Moves frames [first, first + n) along dim (0 or 1) between the file and
 * block [n][...]: writes when `writing`, else reads. 0, or an errno value
 * (ENOMEM when out of memory). */
int result_raw_move(const struct result_raw *raw, bool writing, int dim, hsize_t first,
                    hsize_t n, float *block);

#endif
