/* section_accel.c: the section worker's side of engine/accel/ (see
 * section_internal.h): whether a section hands its blocks out and the
 * struct balance_section that the balanced loop runs on
 * (section_balance.h), and the struct gpu_section that describes the
 * stages and buffers to the GPU chains (gpu_chain.h). accel/ sees the
 * section only through these. */
#include <stdlib.h>
#include "section_internal.h"

/* ---- blocks handed out as the ranks ask ---- */

/* Whether every saver of the section takes any frames from any rank
 * (savu_saver_ops.writes_any_frames). */
static bool results_written_anywhere(const struct section_work *w)
{
    for (size_t i = 0; i < w->sec->count; i++)
        for (size_t k = 0; k < w->stages[i].n_savers; k++) {
            struct savu_plugin_instance *saver = w->stages[i].savers[k];
            const struct savu_saver_ops *ops = saver->plugin->saver;
            if (!ops->writes_any_frames || !ops->writes_any_frames(saver))
                return false;
        }
    return true;
}

bool section_wants_balance(const struct section_work *w)
{
    const struct run *run = w->run;
    int wanted = run->ranks > 1 && !run->opt->balance_off && w->out->kind == OUTPUT_NONE &&
                 results_written_anywhere(w);
    for (size_t i = 0; i < w->sec->count; i++)
        wanted = wanted && section_stage_pad(&w->stages[i]) == 0 &&
                 !plan_stage_has_extras(&w->stages[i]) && w->stages[i].frame_group == 1;
    MPI_Allreduce(MPI_IN_PLACE, &wanted, 1, MPI_INT, MPI_LAND, run->comm);
    return wanted;
}

/* balance_section.block: rank owner's block b. */
static long owner_block(void *ctx, int owner, long b, long *first)
{
    const struct section_work *w = ctx;
    struct frame_range r = frame_range_of(w->total, owner, w->run->ranks);
    *first = r.first + block_schedule_start(&w->schedule, b);
    return block_schedule_length(&w->schedule, b, r.count);
}

/* balance_section.compute. */
static int compute_block(void *ctx, long first, long n, int slot, savu_error *err)
{
    return section_compute_block(ctx, first, n, slot, err);
}

/* balance_section.agree. */
static int agree(void *ctx, int rc, savu_error *err)
{
    struct section_work *w = ctx;
    return run_agree(w->run, rc, err);
}

void section_begin_balance(struct section_work *w, size_t s)
{
    struct run *run = w->run;
    const struct balance_section sec = {
        .comm = run->comm, .rank = run->rank, .ranks = run->ranks, .n_blocks = w->n_blocks,
        .slab_input = w->in->kind == INPUT_SLAB, .kill_path = run->kill_path,
        .killed = &run->killed, .number = s + 1, .of = run->plan->n_sections, .ctx = w,
        .block = owner_block, .compute = compute_block, .agree = agree,
    };
    if (section_balance_begin(&w->balance, &sec) && w->in->kind == INPUT_SLAB) {
        w->peers = malloc(sizeof *w->peers * (size_t)run->ranks);
        int ok = w->peers != NULL;
        MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_LAND, run->comm);
        if (!ok || !reslice_node_peers(run->comm, &w->in->slab, w->peers))
            section_balance_end(&w->balance);
    }
    if (!w->balance.claims) {
        free(w->peers);
        w->peers = NULL;
        return;
    }
    if (run->preview)
        preview_slices_scatter(run->preview);
}

void section_end_balance(struct section_work *w)
{
    section_balance_end(&w->balance);
    free(w->peers);
    w->peers = NULL;
}

/* ---- GPU chains ---- */

int section_plan_gpu_chains(struct section_work *w, savu_error *err)
{
    const size_t n = w->sec->count;
    if (!(w->gpu_stages = calloc(n, sizeof *w->gpu_stages)))
        return savu_error_set(err, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const struct stage *st = &w->stages[i];
        w->gpu_stages[i] = (struct gpu_stage){
            .inst = st->inst[0], .label = st->label,
            .chainable = st->plugin->process_gpu && st->n_combos == 1 && st->inst[0]->gpu_blocks &&
                         st->in->n_variants == 1 && section_stage_pad(st) == 0 &&
                         w->later_pad[i] == 0,
            .host_reads = i + 1 == n || st->n_savers > 0 || (st->last && w->run->preview),
            .frame_in = section_frame_size_in(st), .frame_out = section_frame_size_out(st),
            .max_frames = st->plugin->max_frames,
        };
    }
    const struct gpu_section sec = {
        .stages = w->gpu_stages, .n_stages = n, .block = w->block, .n_blocks = w->n_blocks,
        .input = {w->input[0], w->input[1]}, .stage_out = {w->stage_out[0], w->stage_out[1]},
        .pool = w->pool, .threads = w->run->opt->threads, .reading_first = w->loop.reading_first,
    };
    return gpu_chains_plan(&w->gpu, &sec, err);
}
