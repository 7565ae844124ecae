/* section_run.c: one section of the plan over this rank's frames (see
 * run.h): the block size from the memory budget, the buffers (two slots),
 * and the block loop. The main thread computes block b (section_block.c)
 * while the I/O thread (block_io.h) settles and writes block b - 1 with the
 * other ranks and reads block b + 1, so reading, computing and writing
 * overlap; every rank goes through the same number of blocks, a rank past
 * its frames with empty ones, so that the collective calls match. An error
 * on any rank, or the kill signal, stops every rank after the same block. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "big_alloc.h"
#include "block_io.h"
#include "progress.h"
#include "rank_spread.h"
#include "run_log.h"
#include "run_release.h"
#include "cpu/thread_pool.h"
#include "section_internal.h"

/* Blocks of fewer frames make the kernels slow (the CPU backprojector
 * shares each interpolation among up to 16 slices); buffers of more than
 * MAX_BLOCK_BYTES bring no speed, only memory to touch. The last block is
 * cut into smaller ones down to MIN_BLOCK (block_schedule.h). */
#define MIN_BLOCK 16
#define MAX_BLOCK_BYTES (512.0 * 1024 * 1024)

/* Frames per block: what the memory budget leaves after the process's
 * baseline, the slabs and the plugins' fixed scratch — two slots of every
 * stage's output, and of the input when it is read, and the plugins'
 * scratch per frame (savu_plugin.h) — at most a quarter of a rank's frames
 * (so that progress moves and the I/O overlaps) unless that is under
 * MIN_BLOCK, at least one. */
static long choose_block(const struct section_work *w, size_t s, double memory_held,
                         long max_frames, bool reads_input)
{
    const struct stage *first = &w->stages[0];
    double per_frame = reads_input ? 2 * 4.0 * first->in->n_variants * section_frame_size_in(first)
                                   : 0;
    double fixed = 0, widest = 0;
    for (size_t i = 0; i < w->sec->count; i++) {
        const struct stage *st = &w->stages[i];
        const double in_frame = 4.0 * st->in->n_variants * section_frame_size_in(st);
        const double out_frame = 4.0 * st->out->n_variants * section_frame_size_out(st);
        per_frame += 2 * out_frame + (double)st->n_combos * st->plugin->scratch_frames * in_frame;
        fixed = fmax(fixed, st->plugin->scratch_fixed_frames * in_frame);
        widest = fmax(widest, out_frame);
    }
    for (int k = 0; k < first->n_extra_in; k++) /* several datasets: alone */
        per_frame += 2 * 4.0 * dataset_frame_size(first->extra_in[k].ds, first->pattern);
    for (int k = 0; k < first->n_extra_out; k++)
        per_frame += 2 * 4.0 * dataset_frame_size(first->extra_out[k].ds,
                                                  first->extra_out[k].ds->pattern);
    double avail = w->run->opt->max_memory - memory_held - w->run->baseline_bytes - fixed;
    savu_log(LOG_DEBUG, "section %zu/%zu on rank %d, budget for blocks: %.0f bytes after the "
             "baseline (%.0f), the slabs (%.0f) and the plugins' fixed scratch (%.0f); %.0f "
             "bytes per frame", s + 1, w->run->plan->n_sections, w->run->rank, avail,
             w->run->baseline_bytes, memory_held, fixed, per_frame);
    if (avail > MAX_BLOCK_BYTES / widest * per_frame)
        avail = MAX_BLOCK_BYTES / widest * per_frame;
    long b = avail > per_frame ? (long)(avail / per_frame) : 1;
    long cap = (max_frames + 3) / 4;
    if (cap < MIN_BLOCK)
        cap = max_frames < MIN_BLOCK ? max_frames : MIN_BLOCK;
    if (b > cap)
        b = cap;
    return b > 0 ? b : 1;
}

/* Neighbours needed after each stage; 0 after the last. */
static int plan_padding(struct section_work *w)
{
    w->later_pad = calloc(w->sec->count, sizeof *w->later_pad);
    if (!w->later_pad)
        return -1;
    for (size_t i = w->sec->count - 1; i > 0; i--)
        w->later_pad[i - 1] = w->later_pad[i] + section_stage_pad(&w->stages[i]);
    return 0;
}

static float *block_alloc(long variants, long frames, long frame_size)
{
    return big_alloc(sizeof(float) * (size_t)variants * frames * frame_size);
}

/* One slot: every stage's output over its span, and its own frames apart
 * when the span is wider and they are saved. Returns the largest padded
 * input a stage needs, in floats (0: none), or -1 when out of memory. */
static long alloc_slot(struct section_work *w, int slot)
{
    const size_t n = w->sec->count;
    w->stage_out[slot] = calloc(n, sizeof(float *));
    w->central[slot] = calloc(n, sizeof(float *));
    w->result[slot] = calloc(n, sizeof(float *));
    if (!w->stage_out[slot] || !w->central[slot] || !w->result[slot])
        return -1;
    long padded = 0;
    for (size_t i = 0; i < n; i++) {
        const struct stage *st = &w->stages[i];
        const long span = w->block + 2 * w->later_pad[i], pad = section_stage_pad(st);
        bool saved = st->n_savers > 0;
        if (!(w->stage_out[slot][i] = block_alloc(st->out->n_variants, span, section_frame_size_out(st))))
            return -1;
        if (w->later_pad[i] && saved &&
            !(w->central[slot][i] = block_alloc(st->out->n_variants, w->block,
                                                section_frame_size_out(st))))
            return -1;
        long need = st->in->n_variants * (span + 2 * pad) * section_frame_size_in(st);
        padded = pad && need > padded ? need : padded;
    }
    return padded;
}

static int alloc_buffers(struct section_work *w, savu_error *err)
{
    if (plan_padding(w) != 0)
        return savu_error_set(err, "out of memory");
    long padded = 0;
    for (int slot = 0; slot < 2; slot++) {
        padded = alloc_slot(w, slot);
        const struct stage *first = &w->stages[0];
        long span = w->block + 2 * (w->later_pad[0] + section_stage_pad(first));
        if (padded >= 0 && (w->in->kind != INPUT_SLAB || w->balance.claims) &&
            !(w->input[slot] = block_alloc(first->in->n_variants, span, section_frame_size_in(first))))
            padded = -1;
        if (padded < 0)
            return savu_error_set(err, "out of memory for blocks of %ld frames", w->block);
    }
    if (padded > 0 && !(w->padded = big_alloc(sizeof(float) * padded)))
        return savu_error_set(err, "out of memory for blocks of %ld frames", w->block);
    const struct stage *st = &w->stages[0];
    for (int slot = 0; slot < 2; slot++) {
        for (int k = 0; k < st->n_extra_in; k++)
            if (!(w->extra_input[slot][k] = block_alloc(1, w->block,
                                                        dataset_frame_size(st->extra_in[k].ds,
                                                                           st->pattern))))
                return savu_error_set(err, "out of memory for blocks of %ld frames", w->block);
        for (int k = 0; k < st->n_extra_out; k++) {
            const struct dataset *ds = st->extra_out[k].ds;
            if (!(w->extra_output[slot][k] = block_alloc(1, w->block,
                                                         dataset_frame_size(ds, ds->pattern))))
                return savu_error_set(err, "out of memory for blocks of %ld frames", w->block);
        }
    }
    return 0;
}

static void free_buffers(struct section_work *w)
{
    for (int slot = 0; slot < 2; slot++) {
        for (int k = 0; k < SAVU_MAX_DATASETS - 1; k++) {
            free(w->extra_input[slot][k]);
            free(w->extra_output[slot][k]);
        }
        for (size_t i = 0; i < w->sec->count; i++) {
            free(w->stage_out[slot] ? w->stage_out[slot][i] : NULL);
            free(w->central[slot] ? w->central[slot][i] : NULL);
        }
        free(w->stage_out[slot]);
        free(w->central[slot]);
        free(w->result[slot]);
        free(w->input[slot]);
    }
    free(w->later_pad);
    free(w->padded);
}

/* Whether the section's reads make no MPI call: raw reads of the input or
 * of a reslice file, or another rank's slab (section_balance.h). */
static bool reads_without_mpi(const struct section_work *w)
{
    switch (w->in->kind) {
    case INPUT_SLAB: return true;
    case INPUT_FILE: return result_file_moves_raw(w->in->file);
    default: return plan_reads_beside_writes(w->run->plan);
    }
}

/* Starts reading this rank's first block on the I/O thread (taking it
 * first when the blocks are handed out). */
static void start_first_read(struct section_work *w, block_io *io)
{
    if (w->balance.claims) {
        w->loop.reading_first = section_balance_start(&w->balance, io);
    } else if (w->in->kind != INPUT_SLAB && section_block_length(w, 0) > 0) {
        block_io_submit(io, &(struct block_io_task){.read_first = w->range.first,
                                                    .read_n = section_block_length(w, 0)});
        w->loop.reading_first = true;
    }
}

static void free_section_work(struct section_work *w, block_io *io)
{
    block_io_free(io);
    savu_thread_pool_destroy(w->pool);
    gpu_chains_free(&w->gpu);
    free(w->gpu_stages);
    free_buffers(w);
}

/* The last section's buffers, threads and pinned memory, freed by the
 * run's release (run_release.h) while the run finishes. */
struct section_leftovers {
    struct section_work w;
    block_io *io;
};

static void free_leftovers(void *arg)
{
    struct section_leftovers *left = arg;
    free_section_work(&left->w, left->io);
    free(left);
}

static void hand_to_release(struct section_work *w, block_io *io)
{
    gpu_chains_join(&w->gpu); /* no thread may still use w, which is on the stack */
    struct section_leftovers *left = malloc(sizeof *left);
    if (left) {
        *left = (struct section_leftovers){*w, io};
        run_release_start(w->run, free_leftovers, left);
        return;
    }
    free_section_work(w, io);
    run_release_start(w->run, NULL, NULL);
}

static const char *section_name(const struct section_work *w, char *buf, size_t size)
{
    snprintf(buf, size, "%s", pattern_name(w->stages[0].pattern));
    for (char *c = buf; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return buf;
}

/* The I/O task that goes with computing block b: settle and write block
 * b - 1 (when b > 0), read block b + 1 (when the input is a file). */
static struct block_io_task task_for(const struct section_work *w, long b, int computed,
                                     const savu_error *why)
{
    struct block_io_task t = {.settle = b > 0, .computed = computed, .why = *why};
    t.write_first = b > 0 ? section_block_first(w, b - 1) : w->range.first;
    t.write_n = b > 0 ? section_block_length(w, b - 1) : 0;
    t.write_slot = (int)((b - 1) & 1);
    long next = section_block_length(w, b + 1);
    if (w->in->kind != INPUT_SLAB && b + 1 < w->n_blocks && next > 0) {
        t.read_first = section_block_first(w, b + 1);
        t.read_n = next;
        t.read_slot = (int)((b + 1) & 1);
    }
    return t;
}

/* The loop over the blocks: one task in flight while a block computes. */
static int run_blocks(struct section_work *w, block_io *io, progress *p, savu_error *err)
{
    savu_error read_err = {""}, compute_err = {""};
    int read_rc = 0, computed = 0;
    int rc = block_loop_wait_first(&w->loop, io, &read_rc, &read_err, err);
    for (long b = 0; b <= w->n_blocks && rc == 0; b++) {
        int input_rc = read_rc; /* the read of block b, by the last task */
        struct block_io_task t = task_for(w, b, computed, &compute_err);
        block_io_submit(io, &t);
        if (b < w->n_blocks) {
            long n = section_block_length(w, b);
            if (input_rc != 0) {
                compute_err = read_err;
                computed = -1;
            } else {
                computed = n > 0 ? section_compute_block(w, section_block_first(w, b), n,
                                                         (int)(b & 1), &compute_err) : 0;
            }
        }
        double t0 = MPI_Wtime();
        rc = block_io_wait(io, &read_rc, &read_err, err);
        if (b == w->n_blocks)
            w->loop.t_last_write = MPI_Wtime() - t0;
        if (b > 0)
            progress_update(p, b);
    }
    return rc;
}

/* With several ranks, how the section's times spread over them (collective:
 * every rank comes here after the same block). */
static void log_rank_spread(const struct section_work *w, size_t s, double read_s,
                            double write_s, double t_blocks)
{
    const struct run *run = w->run;
    if (run->ranks < 2)
        return;
    const double mine[] = {w->t_compute, read_s, write_s, t_blocks};
    const char *names[] = {"compute", "read", "write", "blocks"};
    struct rank_spread spread[4];
    if (rank_spread_gather(run->comm, mine, 4, spread) != 0 || run->rank != 0)
        return;
    char line[512];
    int used = 0;
    for (int i = 0; i < 4 && used < (int)sizeof line; i++)
        used += snprintf(line + used, sizeof line - (size_t)used, "%s%s %.2f (rank %d) / %.2f / "
                         "%.2f s (rank %d)", i ? "; " : "", names[i], spread[i].min,
                         spread[i].min_rank, spread[i].median, spread[i].max, spread[i].max_rank);
    savu_log(LOG_INFO, "section %zu/%zu over the %d ranks, least / median / most: %s", s + 1,
             run->plan->n_sections, run->ranks, line);
}

int section_run(struct run *run, size_t s, struct section_input *in, struct section_output *out,
                double memory_held, savu_error *err)
{
    struct section_work w = {.run = run, .sec = &run->plan->sections[s], .in = in, .out = out};
    w.stages = &run->plan->stages[w.sec->first];
    /* the frames it makes: fewer than it reads where a stage groups them */
    const struct stage *first = &w.stages[0];
    w.total = dataset_frames(first->frame_group > 1 ? first->out : first->in, first->pattern);
    const long max_frames = frame_range_max(w.total, run->ranks);
    w.range = frame_range_of(w.total, run->rank, run->ranks);
    /* The smallest choice of any rank: the ranks' budgets differ by the
     * slabs they hold, and all must go through the same blocks. */
    /* Blocks handed out as the ranks ask (section_balance.h) read even a
     * slab's frames into buffers: another rank's. */
    const bool balance = section_wants_balance(&w);
    w.block = choose_block(&w, s, memory_held, max_frames, in->kind != INPUT_SLAB || balance);
    MPI_Allreduce(MPI_IN_PLACE, &w.block, 1, MPI_LONG, MPI_MIN, run->comm);
    block_schedule_init(&w.schedule, max_frames, w.block, MIN_BLOCK);
    w.n_blocks = w.schedule.n_blocks;
    if (balance)
        section_begin_balance(&w, s);
    char tail[128];
    block_schedule_describe_tail(&w.schedule, tail, sizeof tail);
    savu_log(LOG_INFO, "section %zu/%zu (%s frames): %ld frames over %d rank%s, blocks of %ld%s%s%s",
             s + 1, run->plan->n_sections, pattern_name(w.stages[0].pattern), w.total, run->ranks,
             run->ranks == 1 ? "" : "s", w.block, tail[0] ? " (the last cut to " : "", tail,
             tail[0] ? ")" : "");
    block_io *io = NULL;
    double t_start = MPI_Wtime(), t_buffers = 0, t_chains = 0;
    int rc = alloc_buffers(&w, err);
    t_buffers = MPI_Wtime() - t_start;
    if (rc == 0) {
        struct block_io_ops ops = {section_read_block, section_write_block, &w,
                                   in->kind == INPUT_LOADER &&
                                       plan_reads_beside_writes(run->plan)};
        io = block_io_new(run, &ops, err);
        rc = io ? 0 : -1;
        if (io && ops.read_beside_write && w.n_blocks > 1)
            savu_log(LOG_INFO, "section %zu/%zu reads the next block beside writing the last "
                     "(raw input)", s + 1, run->plan->n_sections);
    }
    /* The first block is read while the rest is set up (the GPU chains pin
     * its buffer without writing to it, see gpu_chain_pin.h) when that read
     * makes no MPI call, which would meet the set-up's agreement; else after
     * the agreement. */
    const bool read_early = rc == 0 && reads_without_mpi(&w);
    if (read_early)
        start_first_read(&w, io);
    if (rc == 0 && run->opt->threads > 1 &&
        !(w.pool = savu_thread_pool_create(run->opt->threads, err)))
        rc = -1;
    if (rc == 0) {
        double t0 = MPI_Wtime();
        rc = section_plan_gpu_chains(&w, err);
        t_chains = MPI_Wtime() - t0;
    }
    rc = run_agree(run, rc, err);
    if (rc == 0 && !read_early)
        start_first_read(&w, io);
    if (rc != 0 && w.loop.reading_first) { /* the read uses w, the input and its file */
        int read_rc;
        savu_error ignored;
        block_io_wait(io, &read_rc, &ignored, &ignored);
        w.loop.reading_first = false;
    }
    double t_setup = MPI_Wtime() - t_start, t_blocks = 0;
    if (rc == 0) {
        char name[32];
        progress *p = progress_begin((int)s + 1, (int)run->plan->n_sections,
                                     section_name(&w, name, sizeof name), w.n_blocks,
                                     run->rank == 0 && run->opt->verbosity > 0);
        rc = w.balance.claims ? section_balance_run(&w.balance, io, &w.loop, p, err)
                              : run_blocks(&w, io, p, err);
        t_blocks = MPI_Wtime() - t_start - t_setup;
        if (rc == 0)
            progress_end(p);
        else
            progress_cancel(p);
        double read_s, write_s;
        block_io_times(io, &read_s, &write_s);
        savu_log(LOG_INFO, "section %zu/%zu times on rank %d: compute %.2f s; I/O thread: read "
                 "%.2f s, write %.2f s (with waiting for other ranks)", s + 1,
                 run->plan->n_sections, run->rank, w.t_compute, read_s, write_s);
        log_rank_spread(&w, s, read_s, write_s, t_blocks);
    }
    section_end_balance(&w);
    double t_end = MPI_Wtime();
    if (s + 1 < run->plan->n_sections)
        free_section_work(&w, io);
    else
        hand_to_release(&w, io);
    savu_log(LOG_DEBUG, "section %zu/%zu on rank %d: set-up %.2f s (buffers %.2f, GPU chains "
             "%.2f, then waiting for the other ranks), first read %.2f s, blocks %.2f s, last "
             "write %.2f s, freeing %.2f s", s + 1, run->plan->n_sections, run->rank, t_setup,
             t_buffers, t_chains, w.loop.t_first_read,
             t_blocks - w.loop.t_first_read - w.loop.t_last_write, w.loop.t_last_write,
             MPI_Wtime() - t_end);
    return rc;
}
