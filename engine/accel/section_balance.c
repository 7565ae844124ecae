/* section_balance.c: the last section's blocks taken by the ranks as they
 * go (block_claims.h) instead of each rank going through its own frames in
 * step with the others: a rank takes its own blocks in order, then the
 * blocks left of the rank with the most left, reads a taken block's input
 * itself (from the file, or from the owner's slab by cross-memory attach,
 * slab_remote.h) and writes its results; the ranks meet once, at the end.
 * Only where every write may go anywhere with no collective call, so a
 * rank slowed by its cores' neighbours no longer sets the section's time. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "block_claims.h"
#include "block_io.h"
#include "progress.h"
#include "run_log.h"
#include "section_balance.h"
#include "section_internal.h"
#include "slab_remote.h"

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

bool section_balance_wanted(const struct section_work *w)
{
    const struct run *run = w->run;
    int wanted = run->ranks > 1 && !run->opt->balance_off && w->out->kind == OUTPUT_NONE &&
                 results_written_anywhere(w);
    for (size_t i = 0; i < w->sec->count; i++)
        wanted = wanted && section_stage_pad(&w->stages[i]) == 0;
    MPI_Allreduce(MPI_IN_PLACE, &wanted, 1, MPI_INT, MPI_LAND, run->comm);
    return wanted;
}

void section_balance_begin(struct section_work *w)
{
    struct run *run = w->run;
    w->claims = block_claims_new(run->comm, w->n_blocks);
    if (w->claims && w->in->kind == INPUT_SLAB) {
        w->peers = malloc(sizeof *w->peers * (size_t)run->ranks);
        int ok = w->peers != NULL;
        MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_LAND, run->comm);
        if (!ok || !reslice_node_peers(run->comm, &w->in->slab, w->peers)) {
            block_claims_free(w->claims);
            w->claims = NULL;
        }
    }
    if (!w->claims) {
        free(w->peers);
        w->peers = NULL;
        return;
    }
    if (run->preview)
        preview_slices_scatter(run->preview);
}

void section_balance_end(struct section_work *w)
{
    block_claims_free(w->claims);
    w->claims = NULL;
    free(w->peers);
    w->peers = NULL;
}

/* The next non-empty block for this rank, or false. */
static bool take(struct section_work *w, struct taken_block *t)
{
    for (;;) {
        long b = block_claims_take(w->claims, w->run->rank, &t->owner);
        if (b < 0)
            return false;
        struct frame_range r = frame_range_of(w->total, t->owner, w->run->ranks);
        t->n = block_schedule_length(&w->schedule, b, r.count);
        t->first = r.first + block_schedule_start(&w->schedule, b);
        if (t->n > 0)
            return true;
    }
}

/* Whether the block's input must be read into a buffer (not a view of this
 * rank's own slab). */
static bool needs_read(const struct section_work *w, const struct taken_block *t)
{
    return w->in->kind != INPUT_SLAB || t->owner != w->run->rank;
}

int section_balance_read_slab(struct section_work *w, long first, long n, int slot,
                              savu_error *err)
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

/* After each block: stop every rank's taking on an error or the kill
 * signal (which the closing run_agree then reports on every rank). */
static void stop_if(struct section_work *w, bool failed)
{
    if (failed || access(w->run->kill_path, F_OK) == 0)
        block_claims_stop(w->claims);
}

void section_balance_start(struct section_work *w, block_io *io)
{
    struct taken_block *t = &w->first_taken;
    if (!take(w, t)) {
        t->n = 0;
        return;
    }
    w->fetched[0] = needs_read(w, t);
    if (w->fetched[0]) {
        block_io_submit(io, &(struct block_io_task){.read_first = t->first, .read_n = t->n});
        w->reading_first = true;
    }
}

/* Rank 0 tells how many blocks changed hands (collective). */
static void log_taken_over(const struct section_work *w)
{
    long sum = 0;
    MPI_Reduce(&w->blocks_taken_over, &sum, 1, MPI_LONG, MPI_SUM, 0, w->run->comm);
    savu_log(LOG_INFO, "section %zu/%zu: blocks handed out as the ranks asked for them; %ld "
             "computed by a rank other than their own", (size_t)(w->sec - w->run->plan->sections) + 1,
             w->run->plan->n_sections, sum);
}

int section_balance_run(struct section_work *w, block_io *io, progress *p, savu_error *err)
{
    struct run *run = w->run;
    savu_error read_err = {""}, compute_err = {""};
    int read_rc = 0, rc = 0, prev_computed = 0;
    struct taken_block prev = {0}, cur = w->first_taken, next = {0};
    bool have_prev = false, have_cur = cur.n > 0;
    long others = 0;
    if (w->reading_first) {
        double t0 = MPI_Wtime();
        rc = block_io_wait(io, &read_rc, &read_err, err);
        w->reading_first = false;
        w->t_first_read = MPI_Wtime() - t0;
    }
    /* Blocks read from a file are taken one ahead, so that reading the next
     * overlaps computing this one; blocks of a slab are taken as they are
     * computed, so that a slower rank's next block is still there to take
     * (only another rank's needs reading, from memory). */
    const bool ahead = w->in->kind != INPUT_SLAB;
    for (long i = 0; rc == 0 && (have_cur || have_prev); i++) {
        const int slot = (int)(i & 1), other = slot ^ 1;
        bool have_next = ahead && have_cur && take(w, &next);
        struct block_io_task t = {.settle = have_prev, .alone = true, .computed = prev_computed,
                                  .why = compute_err};
        if (have_prev) {
            t.write_first = prev.first;
            t.write_n = prev.n;
            t.write_slot = other;
        }
        if (have_next && needs_read(w, &next)) {
            t.read_first = next.first;
            t.read_n = next.n;
            t.read_slot = other;
        }
        int input_rc = read_rc;
        block_io_submit(io, &t);
        int computed = 0;
        if (have_cur) {
            if (input_rc != 0) {
                compute_err = read_err;
                computed = -1;
            } else {
                computed = section_compute_block(w, cur.first, cur.n, slot, &compute_err);
            }
            others += cur.owner != run->rank;
        }
        double t0 = MPI_Wtime();
        rc = block_io_wait(io, &read_rc, &read_err, err);
        if (!have_cur)
            w->t_last_write = MPI_Wtime() - t0;
        stop_if(w, rc != 0 || computed != 0);
        if (!ahead && rc == 0 && have_cur && (have_next = take(w, &next)) &&
            needs_read(w, &next)) {
            block_io_submit(io, &(struct block_io_task){.read_first = next.first,
                                                        .read_n = next.n, .read_slot = other});
            rc = block_io_wait(io, &read_rc, &read_err, err);
        }
        prev = cur, have_prev = have_cur, prev_computed = computed;
        cur = next, have_cur = have_next;
        w->fetched[other] = have_next && needs_read(w, &next);
        progress_update(p, block_claims_taken(w->claims) / run->ranks);
    }
    w->blocks_taken_over = others;
    /* The ranks meet here: an error or the kill signal on any rank, else 0.
     * Taking stopped without an error (every rank reads the same flag once
     * all have stopped): a kill signal that rank 0 may no longer see; the
     * volume is not complete either way. */
    rc = run_agree(run, rc < 0 ? -1 : 0, err);
    if (rc == 0 && block_claims_stopped(w->claims)) {
        if (!run->killed)
            savu_log(LOG_WARNING, "found %s: stopping the run", run->kill_path);
        run->killed = true;
        rc = 1;
    }
    log_taken_over(w);
    return rc;
}
