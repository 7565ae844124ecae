/* section_run.c: one section of the plan over this rank's frames, block by
 * block (see run.h). A block is read (from the input file, the reslice
 * file, or the slab the last reslice left in memory), taken through every
 * stage of the section in memory — each stage once per combination of its
 * tuned values and per variant of its input, so the input is read once for
 * a whole sweep — and each stage's output written where the plan says: its
 * result file (collective: every rank makes the same calls, a rank past its
 * frames writes nothing), its TiffSaver folder, and for the section's last
 * stage the slab or reslice file of the next section. Plugins that need
 * neighbouring frames get them (block_padding.h): the stages before them
 * compute a wider span, and the reader reads it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "run.h"
#include "run_log.h"
#include "progress.h"
#include "block_padding.h"
#include "block_reader.h"
#include "tiff_slices.h"

/* A block of variants holding the frames of span: variant v starts at
 * data + v * stride. */
struct block_view {
    const float *data;
    size_t stride;
    struct frame_span span;
};

struct section_work {
    struct run *run;
    const struct section *sec;
    struct stage *stages;          /* the section's stages */
    struct frame_range range;      /* this rank's frames */
    long block;                    /* frames per block */
    long n_blocks;                 /* blocks every rank goes through */
    long total;                    /* frames of the section, all ranks */
    long *later_pad;               /* per stage: neighbours the stages after it need */
    block_reader *reader;          /* input from a file, read one block ahead */
    float **out;                   /* per stage: [variant][its span][frame] */
    float **central;               /* per stage: its block's own frames, when its
                                    * span is wider and they are saved, else NULL */
    const float **result;          /* per stage, for this block: [variant][n][frame] */
    float *padded;                 /* a stage's input with its neighbours */
    double t_read, t_compute, t_write, t_wait; /* seconds spent by this rank */
};

static double now(void)
{
    return MPI_Wtime();
}

static long frame_size_in(const struct stage *st)
{
    return dataset_frame_size(st->in, st->pattern);
}

static long frame_size_out(const struct stage *st)
{
    return dataset_frame_size(st->out, st->out->pattern);
}

/* Frames per block: what the memory budget leaves after the slabs, at most
 * a quarter of a rank's frames (so that progress moves), at least one. */
static long choose_block(const struct section_work *w, double memory_held, long max_frames)
{
    double per_frame = 4.0 * (double)w->stages[0].in->n_variants * frame_size_in(&w->stages[0]);
    for (size_t i = 0; i < w->sec->count; i++)
        per_frame += 4.0 * 2.0 * (double)w->stages[i].out->n_variants * frame_size_out(&w->stages[i]);
    double avail = w->run->opt->max_memory - memory_held;
    long b = avail > per_frame ? (long)(avail / per_frame) : 1;
    long quarter = (max_frames + 3) / 4;
    if (b > quarter)
        b = quarter;
    return b > 0 ? b : 1;
}

static long stage_pad(const struct stage *st)
{
    return st->plugin->pad_frames > 0 ? st->plugin->pad_frames : 0;
}

/* Neighbours needed after each stage; 0 for the last. */
static int plan_padding(struct section_work *w)
{
    w->later_pad = calloc(w->sec->count, sizeof *w->later_pad);
    if (!w->later_pad)
        return -1;
    for (size_t i = w->sec->count - 1; i > 0; i--)
        w->later_pad[i - 1] = w->later_pad[i] + stage_pad(&w->stages[i]);
    return 0;
}

/* Neighbours the section's input needs. */
static long input_pad(const struct section_work *w)
{
    return w->later_pad[0] + stage_pad(&w->stages[0]);
}

static float *block_alloc(long variants, long frames, long frame_size)
{
    return malloc(sizeof(float) * (size_t)variants * frames * frame_size);
}

static int alloc_buffers(struct section_work *w, struct section_input *in, savu_error *err)
{
    const size_t n = w->sec->count;
    w->out = calloc(n, sizeof *w->out);
    w->central = calloc(n, sizeof *w->central);
    w->result = calloc(n, sizeof *w->result);
    if (!w->out || !w->central || !w->result || plan_padding(w) != 0)
        return savu_error_set(err, "out of memory");
    const struct stage *first = &w->stages[0];
    if (in->kind != INPUT_SLAB) {
        size_t floats = (size_t)first->in->n_variants * (w->block + 2 * input_pad(w)) *
                        frame_size_in(first);
        w->reader = block_reader_new(w->run, in, w->sec->slice_dim, floats);
        if (!w->reader)
            return savu_error_set(err, "out of memory for a block of %ld frames", w->block);
    }
    size_t padded = 0;
    for (size_t i = 0; i < n; i++) {
        const struct stage *st = &w->stages[i];
        const long span = w->block + 2 * w->later_pad[i];
        w->out[i] = block_alloc(st->out->n_variants, span, frame_size_out(st));
        bool saved = w->run->files[st - w->run->plan->stages] || st->tiff_saver;
        if (w->later_pad[i] && saved)
            w->central[i] = block_alloc(st->out->n_variants, w->block, frame_size_out(st));
        size_t need = (size_t)st->in->n_variants * (span + 2 * stage_pad(st)) * frame_size_in(st);
        padded = stage_pad(st) && need > padded ? need : padded;
        if (!w->out[i] || (w->later_pad[i] && saved && !w->central[i]))
            return savu_error_set(err, "out of memory for a block of %ld frames", w->block);
    }
    if (padded && !(w->padded = malloc(sizeof(float) * padded)))
        return savu_error_set(err, "out of memory for a block of %ld frames", w->block);
    return 0;
}

static void free_buffers(struct section_work *w)
{
    for (size_t i = 0; i < w->sec->count; i++) {
        free(w->out ? w->out[i] : NULL);
        free(w->central ? w->central[i] : NULL);
    }
    free(w->out);
    free(w->central);
    free(w->result);
    free(w->later_pad);
    free(w->padded);
    block_reader_free(w->reader);
}

/* Frames of block b on this rank (0 past its range). */
static long block_length(const struct section_work *w, long b)
{
    long n = w->range.first + w->range.count - (w->range.first + b * w->block);
    return n < 0 ? 0 : n > w->block ? w->block : n;
}

/* The span of input frames block [first, first + n) needs. */
static struct frame_span input_span(const struct section_work *w, long first, long n)
{
    return span_with_padding(first, n, input_pad(w), w->total);
}

/* Starts reading the input of the block that starts at `first`. */
static void read_ahead(struct section_work *w, long first)
{
    long b = (first - w->range.first) / w->block;
    struct frame_span span = input_span(w, first, block_length(w, b));
    block_reader_start(w->reader, span.first, block_length(w, b) ? span.count : 0);
}

/* The block's input: a view of the slab (no padding comes from a slab:
 * pipeline.c reslices through a file for a section that needs it), or the
 * span the reader has read. */
static int load_block(struct section_work *w, struct section_input *in, long first, long n,
                      struct block_view *view, savu_error *err)
{
    const long fs = frame_size_in(&w->stages[0]);
    view->span = input_span(w, first, n);
    if (in->kind == INPUT_SLAB) {
        view->data = in->slab.data + (size_t)(first - in->slab.range.first) * fs;
        view->stride = (size_t)in->slab.range.count * fs;
        return 0;
    }
    view->data = block_reader_take(w->reader, err);
    view->stride = (size_t)view->span.count * fs;
    return view->data ? 0 : -1;
}

/* One instance on one variant of the block, in calls of at most the
 * plugin's max_frames frames. */
static int process_variant(struct stage *st, struct savu_plugin_instance *inst, const float *in,
                           float *out, long first, long n, savu_error *err)
{
    const long fs_in = frame_size_in(st), fs_out = frame_size_out(st);
    const long step = st->plugin->max_frames > 0 ? st->plugin->max_frames : n;
    for (long done = 0; done < n; done += step) {
        struct savu_block b = {n - done < step ? n - done : step, first + done,
                               in + (size_t)done * fs_in, out + (size_t)done * fs_out};
        if (st->run.process(inst, &b) != 0)
            return savu_error_set(err, "%s", inst->error[0] ? inst->error : "processing failed");
    }
    return 0;
}

/* Stage i on the block: every combination of its tuned values on every
 * variant of its input; output variant = input variant + variants * combo.
 * Its output covers `span`; its input, in, that span and its pad. */
static int run_stage(struct section_work *w, size_t i, struct block_view in, struct frame_span span,
                     savu_error *err)
{
    struct stage *st = &w->stages[i];
    const long variants = st->in->n_variants, pad = stage_pad(st);
    if (pad > 0) {
        assemble_padded(in.data, in.stride, in.span, w->padded, span, pad, w->total, variants,
                        frame_size_in(st));
        in.data = w->padded;
        in.stride = (size_t)(span.count + 2 * pad) * frame_size_in(st);
    }
    const size_t out_stride = (size_t)span.count * frame_size_out(st);
    for (size_t c = 0; c < st->n_combos; c++)
        for (long v = 0; v < variants; v++)
            if (process_variant(st, st->inst[c], in.data + v * in.stride,
                                w->out[i] + (v + variants * c) * out_stride, span.first,
                                span.count, err) != 0)
                return -1;
    return 0;
}

/* Stage i's own frames of the block [first, first + n), [variant][n][frame]. */
static const float *block_result(struct section_work *w, size_t i, struct frame_span span,
                                 long first, long n)
{
    if (span.count == n)
        return w->out[i];
    if (!w->central[i])
        return NULL;
    const struct stage *st = &w->stages[i];
    const size_t fs = (size_t)frame_size_out(st);
    for (long v = 0; v < st->out->n_variants; v++)
        memcpy(w->central[i] + (size_t)v * n * fs,
               w->out[i] + ((size_t)v * span.count + (first - span.first)) * fs,
               sizeof(float) * n * fs);
    return w->central[i];
}

static int write_tiffs(struct section_work *w, const struct stage *st, const float *out, long first,
                       long n, savu_error *err)
{
    const char *dir = w->run->tiff_dirs[st - w->run->plan->stages];
    const long fs = frame_size_out(st), variants = st->out->n_variants;
    const int d = pattern_slice_dim(st->out->pattern);
    const long height = st->out->shape[d == 0 ? 1 : 0], width = st->out->shape[2];
    for (long v = 0; v < variants; v++)
        for (long f = 0; f < n; f++) {
            char *name = tiff_slice_name(dir, w->run->stem, first + f, variants > 1 ? v : -1);
            int rc = name ? tiff_write_float(name, out + ((size_t)v * n + f) * fs, height, width, err)
                          : savu_error_set(err, "out of memory");
            free(name);
            if (rc != 0)
                return -1;
        }
    return 0;
}

/* The section's last output of the block into this rank's next slab. */
static void keep_in_slab(struct slab *slab, const float *out, long first, long n)
{
    const size_t fs = (size_t)slab->frame_size;
    for (long v = 0; v < slab->variants; v++)
        memcpy(slab->data + ((size_t)v * slab->range.count + (first - slab->range.first)) * fs,
               out + (size_t)v * n * fs, sizeof(float) * n * fs);
}

/* Computes the block (local work only): read, every stage, TIFFs, slab. */
static int compute_block(struct section_work *w, struct section_input *in, struct section_output *out,
                         long first, long n, savu_error *err)
{
    struct block_view view;
    double t0 = now();
    if (load_block(w, in, first, n, &view, err) != 0)
        return -1;
    if (w->reader) /* the next block, while this one is computed */
        read_ahead(w, first + n);
    double t1 = now();
    w->t_read += t1 - t0;
    for (size_t i = 0; i < w->sec->count; i++) {
        const struct stage *st = &w->stages[i];
        struct frame_span span = span_with_padding(first, n, w->later_pad[i], w->total);
        if (run_stage(w, i, view, span, err) != 0)
            return -1;
        w->result[i] = block_result(w, i, span, first, n);
        if (st->tiff_saver && write_tiffs(w, st, w->result[i], first, n, err) != 0)
            return -1;
        view = (struct block_view){w->out[i], (size_t)span.count * frame_size_out(st), span};
    }
    if (out->kind == OUTPUT_SLAB)
        keep_in_slab(&out->slab, w->result[w->sec->count - 1], first, n);
    w->t_compute += now() - t1;
    return 0;
}

/* Collective writes of the block's outputs (n may be 0). */
static int write_block(struct section_work *w, struct section_output *out, long first, long n,
                       savu_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < w->sec->count; i++) {
        result_file *rf = w->run->files[&w->stages[i] - w->run->plan->stages];
        if (rf && result_file_write(rf, first, n, w->result[i], err) != 0)
            rc = -1;
    }
    if (out->kind == OUTPUT_FILE &&
        result_file_write(out->file, first, n, w->result[w->sec->count - 1], err) != 0)
        rc = -1;
    return rc;
}

static const char *section_name(const struct section_work *w, char *buf, size_t size)
{
    snprintf(buf, size, "%s", pattern_name(w->stages[0].pattern));
    for (char *c = buf; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return buf;
}

static int run_blocks(struct section_work *w, struct section_input *in, struct section_output *out,
                      size_t s, savu_error *err)
{
    char name[32];
    const struct run *run = w->run;
    progress *p = progress_begin((int)s + 1, (int)run->plan->n_sections,
                                 section_name(w, name, sizeof name), w->n_blocks,
                                 run->rank == 0 && run->opt->verbosity > 0);
    int rc = 0;
    if (w->reader)
        read_ahead(w, w->range.first);
    for (long b = 0; b < w->n_blocks && rc == 0; b++) {
        long first = w->range.first + b * w->block;
        long n = block_length(w, b);
        rc = n > 0 ? compute_block(w, in, out, first, n, err) : 0;
        if (w->reader) {
            double t = now();
            block_reader_finish(w->reader); /* before any HDF5 call of ours */
            w->t_read += now() - t;
        }
        double t0 = now();
        rc = run_agree(w->run, rc, err);
        double t1 = now();
        w->t_wait += t1 - t0;
        if (rc == 0) {
            int written = write_block(w, out, first, n, err);
            double t2 = now();
            rc = run_agree(w->run, written, err);
            w->t_write += t2 - t1;
            w->t_wait += now() - t2;
        }
        progress_update(p, b + 1);
    }
    if (rc == 0)
        progress_end(p);
    else
        progress_cancel(p);
    savu_log(LOG_INFO, "section %zu/%zu times on rank %d: read %.2f s, compute %.2f s, "
             "write %.2f s, waiting for other ranks %.2f s", s + 1, run->plan->n_sections,
             run->rank, w->t_read, w->t_compute, w->t_write, w->t_wait);
    return rc;
}

int section_run(struct run *run, size_t s, struct section_input *in, struct section_output *out,
                double memory_held, savu_error *err)
{
    struct section_work w = {.run = run, .sec = &run->plan->sections[s]};
    w.stages = &run->plan->stages[w.sec->first];
    const long total = dataset_frames(w.stages[0].in, w.stages[0].pattern);
    const long max_frames = frame_range_max(total, run->ranks);
    w.total = total;
    w.range = frame_range_of(total, run->rank, run->ranks);
    w.block = choose_block(&w, memory_held, max_frames);
    w.n_blocks = (max_frames + w.block - 1) / w.block;
    savu_log(LOG_INFO, "section %zu/%zu (%s frames): %ld frames over %d rank%s, blocks of %ld",
             s + 1, run->plan->n_sections, pattern_name(w.stages[0].pattern), total, run->ranks,
             run->ranks == 1 ? "" : "s", w.block);
    int rc = run_agree(run, alloc_buffers(&w, in, err), err);
    if (rc == 0)
        rc = run_blocks(&w, in, out, s, err);
    free_buffers(&w);
    return rc;
}
