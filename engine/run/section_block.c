/* section_block.c: one block of a section (see section_internal.h): its
 * input read from a file (the padded span its plugins need), taken through
 * every stage in memory — each stage once per combination of its tuned
 * values and per variant of its input, so the input is read once for a
 * whole sweep, and over a span wide enough for the neighbours later stages
 * need (block_padding.h), or through a GPU-resident chain of stages
 * (gpu_chain.h) — its frames saved as TIFFs or kept in the next section's
 * slab, and written to the result files (every rank making the
 * same calls). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cpu/parallel_ranges.h"
#include "section_internal.h"
#include "slab_remote.h"
#include "slow_rank.h"

/* A block of variants holding the frames of span: variant v starts at
 * data + v * stride. */
struct block_view {
    const float *data;
    size_t stride;
    struct frame_span span;
};

long section_frame_size_in(const struct stage *st)
{
    return st->frame_group * dataset_frame_size(st->in, st->pattern);
}

long section_frame_size_out(const struct stage *st)
{
    return dataset_frame_size(st->out, st->out->pattern);
}

long section_stage_pad(const struct stage *st)
{
    return st->pad_frames;
}

long section_block_length(const struct section_work *w, long b)
{
    return block_schedule_length(&w->schedule, b, w->range.count);
}

long section_block_first(const struct section_work *w, long b)
{
    return w->range.first + block_schedule_start(&w->schedule, b);
}

struct frame_span section_input_span(const struct section_work *w, long first, long n)
{
    return span_with_padding(first, n, w->later_pad[0] + section_stage_pad(&w->stages[0]),
                             w->total);
}

/* Frames [first, first + n) of another rank's slab into input buffer
 * `slot` (blocks handed out, section_balance.h), by cross-memory attach. */
static int read_other_slab(struct section_work *w, long first, long n, int slot, savu_error *err)
{
    const int ranks = w->run->ranks;
    int owner = 0;
    while (owner + 1 < ranks && frame_range_of(w->total, owner + 1, ranks).first <= first)
        owner++;
    const struct slab *mine = &w->in->slab;
    int rc = slab_remote_read(&w->peers[owner], frame_range_of(w->total, owner, ranks),
                              mine->variants, mine->frame_size, first, n, w->input[slot]);
    return rc == 0 ? 0 : savu_error_set(err, "cannot read frames %ld..%ld from rank %d: %s",
                                        first, first + n - 1, owner, strerror(rc));
}

/* The first stage's inputs 1.. of block [first, first + n) (several
 * datasets: no padding, span = block), from the loader or the files that
 * keep them (pipeline.c has made them consistent). */
static int read_extra_inputs(struct section_work *w, long first, long n, int slot, savu_error *err)
{
    const struct stage *st = &w->stages[0];
    for (int k = 0; k < st->n_extra_in; k++) {
        const struct stage_input *in = &st->extra_in[k];
        float *out = w->extra_input[slot][k];
        int rc = in->stage < 0
                     ? plan_read(w->run->plan, in->out, st->pattern, first, n, out, err)
                     : result_file_read(run_output_file(w->run, (size_t)in->stage, in->out),
                                        first, n, out, err);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int section_read_block(void *ctx, long first, long n, int slot, savu_error *err)
{
    struct section_work *w = ctx;
    struct frame_span span = section_input_span(w, first, n);
    const struct stage *st = &w->stages[0];
    float *out = w->input[slot];
    /* Frames grouped g to one (savu_set_frame_group): g input frames per
     * frame of the span, zeros where the data end. */
    const long g = st->frame_group, fs = dataset_frame_size(st->in, st->pattern);
    long read_first = span.first * g, read_n = span.count * g;
    if (g > 1) {
        long left = dataset_frames(st->in, st->pattern) - read_first;
        read_n = left < read_n ? left : read_n;
        memset(out + (size_t)read_n * fs, 0, sizeof(float) * (size_t)(span.count * g - read_n) * fs);
    }
    int rc;
    if (w->in->kind == INPUT_SLAB) /* another rank's frames (section_balance.h) */
        rc = read_other_slab(w, first, n, slot, err);
    else if (w->in->kind == INPUT_FILE)
        rc = result_file_read(w->in->file, read_first, read_n, out, err);
    else
        rc = plan_read(w->run->plan, st->source_out, st->pattern, read_first, read_n, out, err);
    return rc == 0 ? read_extra_inputs(w, first, n, slot, err) : rc;
}

/* Stage st's output of the block to each of its savers (saver API). */
static int write_to_savers(const struct stage *st, long first, long n, const float *out,
                           savu_error *err)
{
    int rc = 0;
    for (size_t k = 0; k < st->n_savers; k++) {
        struct savu_plugin_instance *saver = st->savers[k];
        struct savu_block block = {.frames = n, .first = first, .in = out,
                                   .variants = st->out->n_variants};
        saver->phase = PHASE_PROCESS;
        if (saver->plugin->saver->write(saver, &block) != 0 && rc == 0)
            rc = savu_error_set(err, "%s", saver->error[0] ? saver->error : "write failed");
    }
    return rc;
}

int section_write_block(void *ctx, long first, long n, int slot, savu_error *err)
{
    struct section_work *w = ctx;
    int rc = 0;
    for (size_t i = 0; i < w->sec->count; i++)
        if (write_to_savers(&w->stages[i], first, n, w->result[slot][i], err) != 0)
            rc = -1;
    if (w->out->kind == OUTPUT_FILE &&
        result_file_write(w->out->file, first, n, w->result[slot][w->sec->count - 1], err) != 0)
        rc = -1;
    const size_t i = w->sec->first; /* several datasets: the section's one stage */
    for (int k = 1; k <= w->stages[0].n_extra_out; k++)
        if (result_file_write(*run_extra_file(w->run, i, k), first, n,
                              w->extra_output[slot][k - 1], err) != 0)
            rc = -1;
    return rc;
}

/* The block's input: a view of the slab (no padding comes from a slab:
 * pipeline.c reslices through a file for a section that needs it), or the
 * span the I/O thread read. */
static struct block_view input_view(const struct section_work *w, long first, long n, int slot)
{
    const long fs = section_frame_size_in(&w->stages[0]);
    struct block_view view = {.span = section_input_span(w, first, n)};
    if (w->in->kind == INPUT_SLAB && !w->balance.fetched[slot]) {
        const struct slab *slab = &w->in->slab;
        view.data = slab->data + (size_t)(first - slab->range.first) * fs;
        view.stride = (size_t)slab->range.count * fs;
    } else {
        view.data = w->input[slot];
        view.stride = (size_t)view.span.count * fs;
    }
    return view;
}

/* Datasets 1.. of a block of a stage with several (its section's one
 * stage), `done` frames in. */
static void extra_datasets(const struct section_work *w, const struct stage *st, int slot,
                           long done, struct savu_block *b)
{
    for (int k = 0; k < st->n_extra_in; k++)
        b->extra_in[k] = w->extra_input[slot][k] +
                         (size_t)done * dataset_frame_size(st->extra_in[k].ds, st->pattern);
    for (int k = 0; k < st->n_extra_out; k++) {
        const struct dataset *ds = st->extra_out[k].ds;
        b->extra_out[k] = w->extra_output[slot][k] +
                          (size_t)done * dataset_frame_size(ds, ds->pattern);
    }
}

/* One instance on one variant of the block, in calls of at most the
 * plugin's max_frames frames. */
static int process_variant(const struct section_work *w, int slot, struct stage *st,
                           struct savu_plugin_instance *inst, const float *in, float *out,
                           long first, long n, savu_error *err)
{
    const long fs_in = section_frame_size_in(st), fs_out = section_frame_size_out(st);
    const long step = st->plugin->max_frames > 0 ? st->plugin->max_frames : n;
    for (long done = 0; done < n; done += step) {
        struct savu_block b = {.frames = n - done < step ? n - done : step,
                               .first = first + done,
                               .in = in + (size_t)done * fs_in,
                               .out = out + (size_t)done * fs_out,
                               .in_frame = fs_in,
                               .out_frame = fs_out};
        if (plan_stage_has_extras(st))
            extra_datasets(w, st, slot, done, &b);
        if (st->plugin->process(inst, &b) != 0)
            return savu_error_set(err, "%s", inst->error[0] ? inst->error : "processing failed");
    }
    return 0;
}

/* Stage i on the block: every combination of its tuned values on every
 * variant of its input; output variant = input variant + variants * combo.
 * Its output covers `span`; its input, in, that span and its pad. */
static int run_stage(struct section_work *w, size_t i, int slot, struct block_view in,
                     struct frame_span span, float *out, savu_error *err)
{
    struct stage *st = &w->stages[i];
    const long variants = st->in->n_variants, pad = section_stage_pad(st);
    if (pad > 0) {
        assemble_padded(in.data, in.stride, in.span, w->padded, span, pad, w->total, variants,
                        section_frame_size_in(st));
        in.data = w->padded;
        in.stride = (size_t)(span.count + 2 * pad) * section_frame_size_in(st);
    }
    const size_t out_stride = (size_t)span.count * section_frame_size_out(st);
    for (size_t c = 0; c < st->n_combos; c++)
        for (long v = 0; v < variants; v++)
            if (process_variant(w, slot, st, st->inst[c], in.data + v * in.stride,
                                out + (v + variants * c) * out_stride, span.first, span.count,
                                err) != 0)
                return -1;
    return 0;
}

/* Stage i's own frames of the block [first, first + n), [variant][n][frame]:
 * its output itself, or (when its span is wider) copied out of it. */
static const float *own_frames(struct section_work *w, size_t i, int slot, struct frame_span span,
                               long first, long n)
{
    const float *out = w->stage_out[slot][i];
    float *central = w->central[slot][i];
    if (span.count == n || !central)
        return out;
    const struct stage *st = &w->stages[i];
    const size_t fs = (size_t)section_frame_size_out(st);
    for (long v = 0; v < st->out->n_variants; v++)
        memcpy(central + (size_t)v * n * fs,
               out + ((size_t)v * span.count + (first - span.first)) * fs, sizeof(float) * n * fs);
    return central;
}

struct slab_copy {
    struct slab *slab;
    const float *out;
    long first, n;
};

/* Frames i in [begin, end) of all variants x n frames. */
static void copy_frames(void *ctx, long begin, long end)
{
    const struct slab_copy *c = ctx;
    const size_t fs = (size_t)c->slab->frame_size;
    for (long i = begin; i < end; i++) {
        long v = i / c->n, f = i % c->n;
        memcpy(c->slab->data + ((size_t)v * c->slab->range.count +
                                (c->first - c->slab->range.first) + f) * fs,
               c->out + ((size_t)v * c->n + f) * fs, sizeof(float) * fs);
    }
}

/* The section's last output of the block into this rank's next slab, on
 * the section's threads (the first touch of a fresh slab's pages costs
 * more than the copy). */
static void keep_in_slab(struct section_work *w, const float *out, long first, long n)
{
    struct slab_copy c = {&w->out->slab, out, first, n};
    savu_parallel_ranges(w->pool, w->out->slab.variants * n, copy_frames, &c);
}

/* What follows stage i's output of the block (over `span`) on the host:
 * its own frames as the block's result (the savers take it on the I/O
 * thread), the preview. */
static int after_stage(struct section_work *w, size_t i, int slot, struct frame_span span,
                       long first, long n, savu_error *err)
{
    const struct stage *st = &w->stages[i];
    w->result[slot][i] = own_frames(w, i, slot, span, first, n);
    if (st->last && w->run->preview)
        preview_slices_add(w->run->preview, first, n, w->result[slot][i]);
    return 0;
}

int section_compute_block(struct section_work *w, long first, long n, int slot, savu_error *err)
{
    double t0 = MPI_Wtime();
    struct block_view view = input_view(w, first, n, slot);
    for (size_t i = 0; i < w->sec->count;) {
        const struct gpu_chain *chain = gpu_chain_at(&w->gpu, i);
        size_t end = chain ? chain->end : i + 1;
        struct frame_span span = span_with_padding(first, n, w->later_pad[end - 1], w->total);
        if (chain ? gpu_chain_compute(&w->gpu, chain, view.data, first, n, slot, err)
                  : run_stage(w, i, slot, view, span, w->stage_out[slot][i], err))
            return -1;
        for (; i < end; i++)
            if (gpu_chain_returns(&w->gpu, i) && after_stage(w, i, slot, span, first, n, err) != 0)
                return -1;
        view = (struct block_view){w->stage_out[slot][end - 1],
                                   (size_t)span.count * section_frame_size_out(&w->stages[end - 1]),
                                   span};
    }
    if (w->out->kind == OUTPUT_SLAB)
        keep_in_slab(w, w->result[slot][w->sec->count - 1], first, n);
    double slow = slow_rank_delay(w->run->rank);
    if (slow > 0)
        nanosleep(&(struct timespec){(time_t)slow, (long)((slow - (double)(time_t)slow) * 1e9)},
                  NULL);
    w->t_compute += MPI_Wtime() - t0;
    return 0;
}
