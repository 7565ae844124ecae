/* section_internal.h: what section_run.c (buffers and the block loop),
 * section_block.c (computing, reading and writing one block) and
 * section_accel.c (the section as engine/accel/ sees it) share: the state
 * of a section on this rank. Buffers come in two slots, so that
 * block b is computed in one while the I/O thread writes block b - 1 and
 * reads block b + 1 in the other (block_io.h). */
#ifndef SAVU_SECTION_INTERNAL_H
#define SAVU_SECTION_INTERNAL_H

#include "block_io.h"
#include "block_padding.h"
#include "block_schedule.h"
#include "gpu_chain.h"
#include "reslice_node.h"
#include "run.h"
#include "section_balance.h"

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
    /* A section whose stage takes or makes several datasets (alone in its
     * section, span = block): its inputs 1.., read with each block, and its
     * outputs 1.., written to their files with it. */
    float *extra_input[2][SAVU_MAX_DATASETS - 1];
    float *extra_output[2][SAVU_MAX_DATASETS - 1];
    struct savu_thread_pool *pool; /* the rank's compute threads, for copies */
    struct section_balance balance; /* blocks handed out (section_balance.h);
                                    * balance.claims NULL: each rank its own */
    struct reslice_peer *peers;    /* ... and every rank's slab, for a slab input */
    struct block_loop loop;        /* the first block's read (submitted before the
                                    * GPU chains pin its buffer), the waits for it
                                    * and for the last write (block_io.h) */
    double t_compute;              /* seconds this rank spent computing */
    struct gpu_stage *gpu_stages;  /* the stages as the GPU chains see them */
    struct gpu_chains gpu;         /* GPU-resident runs of stages (gpu_chain.h) */
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

/* section_accel.c: what engine/accel/ sees of the section.
 * Collective: whether the section may hand its blocks out: several ranks,
 * no --balance off, the last section, no stage that needs neighbouring
 * frames, and every result file written raw into one file (any rank may
 * write any frame with no collective call). The same on every rank. */
bool section_wants_balance(const struct section_work *w);
/* Collective, once the blocks are known: the shared counters and, for a
 * slab input, every rank's slab address, in w->balance and w->peers; left
 * off on every rank (balance.claims NULL) when the ranks are not on one
 * node or cannot read each other's memory. When on, the preview sums the
 * ranks' slices (preview_slices_scatter). s: the section's index. */
void section_begin_balance(struct section_work *w, size_t s);
/* Collective: frees the counters and the peers. */
void section_end_balance(struct section_work *w);
/* Describes the stages and buffers (which exist) to the GPU chains and
 * plans them (gpu_chains_plan). 0, or -1 with err. */
int section_plan_gpu_chains(struct section_work *w, savu_error *err);

/* section_block.c: computes block [first, first + n) from input slot
 * `slot` into result slot `slot` (local work: every stage, TIFFs, the next
 * slab). 0 or -1 with err. */
int section_compute_block(struct section_work *w, long first, long n, int slot, savu_error *err);
/* I/O thread callbacks (block_io_ops): ctx is the section_work. */
int section_read_block(void *ctx, long first, long n, int slot, savu_error *err);
int section_write_block(void *ctx, long first, long n, int slot, savu_error *err);

#endif
