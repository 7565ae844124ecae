/* section_internal.h: what section_run.c (buffers and the block loop) and
 * section_block.c (computing, reading and writing one block) share: the
 * state of a section on this rank. Buffers come in two slots, so that
 * block b is computed in one while the I/O thread writes block b - 1 and
 * reads block b + 1 in the other (block_io.h). */
#ifndef SAVU_SECTION_INTERNAL_H
#define SAVU_SECTION_INTERNAL_H

#include "block_padding.h"
#include "block_schedule.h"
#include "gpu_chain.h"
#include "reslice_node.h"
#include "run.h"

/* A block one rank takes (section_balance.h): its owner's frames
 * [first, first + n). */
struct taken_block {
    int owner;
    long first, n;
};

struct section_work {
    struct run *run;
    const struct section *sec;
    struct stage *stages;          /* the section's stages */
    struct section_input *in;
    struct section_output *out;
    long total;                    /* frames of the section, all ranks */
    struct frame_range range;      /* this rank's frames */
    long block;                    /* frames of the largest block */
    struct block_schedule schedule; /* the blocks (block_schedule.h) */
    long n_blocks;                 /* blocks every rank goes through */
    long *later_pad;               /* per stage: neighbours the stages after it need */
    float *input[2];               /* blocks read from a file: [variant][span][frame] */
    float **stage_out[2];          /* per stage: [variant][its span][frame] */
    float **central[2];            /* per stage: its block's own frames, when its span
                                    * is wider and they are saved, else NULL */
    const float **result[2];       /* per stage, for the block: [variant][n][frame] */
    float *padded;                 /* a stage's input with its neighbours */
    struct savu_thread_pool *pool; /* the rank's compute threads, for copies */
    struct block_claims *claims;   /* blocks handed out (section_balance.h), or NULL */
    struct reslice_peer *peers;    /* ... and every rank's slab, for a slab input */
    struct taken_block first_taken; /* ... this rank's first block (valid: n > 0) */
    bool fetched[2];               /* ... per slot: the input was read into
                                    * input[slot], not a view of the own slab */
    long blocks_taken_over;        /* ... blocks of other ranks computed here */
    bool reading_first;            /* the first block's read is in flight (submitted
                                    * before the GPU chains pin its buffer) */
    double t_compute;              /* seconds this rank spent computing */
    double t_first_read;           /* waiting for the first block's read */
    double t_last_write;           /* waiting for the last block's write */
    struct gpu_chain *chains;      /* GPU-resident runs of stages (gpu_chain.h) */
    size_t n_chains;
};

long section_frame_size_in(const struct stage *st);
long section_frame_size_out(const struct stage *st);
/* Neighbouring frames stage st needs each side. */
long section_stage_pad(const struct stage *st);
/* Frames of block b on this rank (0 past its range), and its first frame. */
long section_block_length(const struct section_work *w, long b);
long section_block_first(const struct section_work *w, long b);
/* The span of input frames block [first, first + n) needs. */
struct frame_span section_input_span(const struct section_work *w, long first, long n);

/* section_block.c: computes block [first, first + n) from input slot
 * `slot` into result slot `slot` (local work: every stage, TIFFs, the next
 * slab). 0 or -1 with err. */
int section_compute_block(struct section_work *w, long first, long n, int slot, savu_error *err);
/* I/O thread callbacks (block_io_ops): ctx is the section_work. */
int section_read_block(void *ctx, long first, long n, int slot, savu_error *err);
int section_write_block(void *ctx, long first, long n, int slot, savu_error *err);

#endif
