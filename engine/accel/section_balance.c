/* section_balance.c: the last section's blocks taken by the ranks as they
 * go (block_claims.h) instead of each rank going through its own frames in
 * step with the others: a rank takes its own blocks in order, then the
 * blocks left of the rank with the most left, reads a taken block's input
 * itself (from the file, or from the owner's slab by cross-memory attach,
 * slab_remote.h) and writes its results; the ranks meet once, at the end.
 * Only where every write may go anywhere with no collective call, so a
 * rank slowed by its cores' neighbours no longer sets the section's time.
 * Whether a section may, and reading another rank's slab, are the section
 * worker's (engine/run/section_run.c, section_block.c). */
#include <unistd.h>
#include "block_claims.h"
#include "block_io.h"
#include "progress.h"
#include "run_log.h"
#include "section_balance.h"

bool section_balance_begin(struct section_balance *b, const struct balance_section *sec)
{
    b->sec = *sec;
    b->claims = block_claims_new(sec->comm, sec->n_blocks);
    return b->claims != NULL;
}

void section_balance_end(struct section_balance *b)
{
    block_claims_free(b->claims);
    b->claims = NULL;
}

/* The next non-empty block for this rank, or false. */
static bool take(struct section_balance *b, struct taken_block *t)
{
    for (;;) {
        long k = block_claims_take(b->claims, b->sec.rank, &t->owner);
        if (k < 0)
            return false;
        t->n = b->sec.block(b->sec.ctx, t->owner, k, &t->first);
        if (t->n > 0)
            return true;
    }
}

/* Whether the block's input must be read into a buffer (not a view of this
 * rank's own slab). */
static bool needs_read(const struct section_balance *b, const struct taken_block *t)
{
    return !b->sec.slab_input || t->owner != b->sec.rank;
}

/* After each block: stop every rank's taking on an error or the kill
 * signal (which the closing agreement then reports on every rank). */
static void stop_if(struct section_balance *b, bool failed)
{
    if (failed || access(b->sec.kill_path, F_OK) == 0)
        block_claims_stop(b->claims);
}

bool section_balance_start(struct section_balance *b, block_io *io)
{
    struct taken_block *t = &b->first_taken;
    if (!take(b, t)) {
        t->n = 0;
        return false;
    }
    b->fetched[0] = needs_read(b, t);
    if (b->fetched[0])
        block_io_submit(io, &(struct block_io_task){.read_first = t->first, .read_n = t->n});
    return b->fetched[0];
}

/* Rank 0 tells how many blocks changed hands (collective). */
static void log_taken_over(const struct section_balance *b, long taken_over)
{
    long sum = 0;
    MPI_Reduce(&taken_over, &sum, 1, MPI_LONG, MPI_SUM, 0, b->sec.comm);
    savu_log(LOG_INFO, "section %zu/%zu: blocks handed out as the ranks asked for them; %ld "
             "computed by a rank other than their own", b->sec.number, b->sec.of, sum);
}

int section_balance_run(struct section_balance *b, block_io *io, struct block_loop *loop,
                        progress *p, savu_error *err)
{
    const struct balance_section *sec = &b->sec;
    savu_error read_err = {""}, compute_err = {""};
    int read_rc = 0, prev_computed = 0;
    struct taken_block prev = {0}, cur = b->first_taken, next = {0};
    bool have_prev = false, have_cur = cur.n > 0;
    long others = 0;
    int rc = block_loop_wait_first(loop, io, &read_rc, &read_err, err);
    /* Blocks read from a file are taken one ahead, so that reading the next
     * overlaps computing this one; blocks of a slab are taken as they are
     * computed, so that a slower rank's next block is still there to take
     * (only another rank's needs reading, from memory). */
    const bool ahead = !sec->slab_input;
    for (long i = 0; rc == 0 && (have_cur || have_prev); i++) {
        const int slot = (int)(i & 1), other = slot ^ 1;
        bool have_next = ahead && have_cur && take(b, &next);
        struct block_io_task t = {.settle = have_prev, .alone = true, .computed = prev_computed,
                                  .why = compute_err};
        if (have_prev) {
            t.write_first = prev.first;
            t.write_n = prev.n;
            t.write_slot = other;
        }
        if (have_next && needs_read(b, &next)) {
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
                computed = sec->compute(sec->ctx, cur.first, cur.n, slot, &compute_err);
            }
            others += cur.owner != sec->rank;
        }
        double t0 = MPI_Wtime();
        rc = block_io_wait(io, &read_rc, &read_err, err);
        if (!have_cur)
            loop->t_last_write = MPI_Wtime() - t0;
        stop_if(b, rc != 0 || computed != 0);
        if (!ahead && rc == 0 && have_cur && (have_next = take(b, &next)) &&
            needs_read(b, &next)) {
            block_io_submit(io, &(struct block_io_task){.read_first = next.first,
                                                        .read_n = next.n, .read_slot = other});
            rc = block_io_wait(io, &read_rc, &read_err, err);
        }
        prev = cur, have_prev = have_cur, prev_computed = computed;
        cur = next, have_cur = have_next;
        b->fetched[other] = have_next && needs_read(b, &next);
        progress_update(p, block_claims_taken(b->claims) / sec->ranks);
    }
    /* The ranks meet here: an error or the kill signal on any rank, else 0.
     * Taking stopped without an error (every rank reads the same flag once
     * all have stopped): a kill signal that rank 0 may no longer see; the
     * volume is not complete either way. */
    rc = sec->agree(sec->ctx, rc < 0 ? -1 : 0, err);
    if (rc == 0 && block_claims_stopped(b->claims)) {
        if (!*sec->killed)
            savu_log(LOG_WARNING, "found %s: stopping the run", sec->kill_path);
        *sec->killed = true;
        rc = 1;
    }
    log_taken_over(b, others);
    return rc;
}
