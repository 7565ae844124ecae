/* block_reader.h: reading a section's input blocks from a file (the NXtomo
 * input or the reslice file) one block ahead, in a thread, so that reading
 * block b + 1 overlaps the computing of block b. Two buffers take turns.
 * The HDF5 library is not thread-safe: the caller makes no HDF5 call between
 * block_reader_start and block_reader_finish (computing needs none; the
 * collective writes come after finish). */
#ifndef SAVU_BLOCK_READER_H
#define SAVU_BLOCK_READER_H

#include "run.h"

typedef struct block_reader block_reader;

/* A reader of `in` (INPUT_LOADER or INPUT_FILE) along slice dim, with
 * buffers of block_floats floats. NULL when out of memory. */
block_reader *block_reader_new(struct run *run, struct section_input *in, int slice_dim,
                               size_t block_floats);

/* Starts reading frames [first, first + n) into the next buffer (n = 0:
 * nothing to read). */
void block_reader_start(block_reader *r, long first, long n);

/* Waits until the read started last is done. */
void block_reader_finish(block_reader *r);

/* The block read by the last finished read, [variant][n][frame]; NULL with
 * err set when that read failed. */
const float *block_reader_take(block_reader *r, savu_error *err);

void block_reader_free(block_reader *r);

#endif
