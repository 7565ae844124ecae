/* backproject.c: the CPU backprojector of backproject.h.
 *
 * Execution, per group of up to 16 slices with one centre of rotation (all
 * groups of a call in one batch of tasks, see "the order of the work"):
 *  1. pack: the weighted filtered rows of the group are interleaved as
 *     packed[angle][p][slot], p = detector pixel + EDGE_PAD, with EDGE_PAD
 *     zero pixels on each side (the zeros at u = -1 and u = width, and a
 *     margin so that rounding can never read outside the row);
 *  2. backproject: the output is cut into tiles (tile_shape: 64 rows and
 *     2048 / S columns for groups of S >= 4 slots; 16 rows and 512 columns
 *     for a lone slice), whose accumulators (512 KiB and 32 KiB) stay in the
 *     L2 or L1 cache while all angles stream past. Each angle's row is read
 *     over a band as wide as the tile's extent along the detector, so the
 *     bytes read per update fall as the tile grows (its perimeter against
 *     its area): with 16 slots, 64 x 128 tiles read about a third of what
 *     16 x 32 tiles did, and ran 15 % faster on 2 threads of the
 *     development VM.
 *     For each angle and row, the columns whose position u falls on the packed
 *     row are found once (no tests in the inner loop); along the row u is
 *     affine in iz, and the S slots at one u are updated by a loop of constant
 *     length that the compiler vectorises. A lone slice (S = 1) computes the
 *     positions of a run of columns in one vectorised loop and gathers the
 *     values in a second. */
#include "backproject.h"

#include "angle_weights.h"
#include "geometry.h"
#include "slice_groups.h"

#include <limits.h>
#include <math.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum {
    EDGE_PAD = 2,       /* zero pixels added on each side of a packed row */
    MAX_GROUP = 16,     /* slices interleaved at most */
    TILE_ROWS = 64,     /* output rows per tile (groups of 4 slots or more) */
    TILE_SLOTS = 2048,  /* columns x slots per tile row (idem) */
    LONE_TILE_ROWS = 16,   /* the same for a lone slice, whose gathers */
    LONE_TILE_SLOTS = 512, /* want long runs more than a narrow band */
    ANGLES_PER_PACK = 16,
};

_Static_assert(LONE_TILE_ROWS * LONE_TILE_SLOTS <= TILE_ROWS * TILE_SLOTS,
               "the scratch of a worker holds either tile");

/* Positions u' (= u + EDGE_PAD) read in the packed row: pixels i = (int)u' and
 * i + 1 must lie in [0, width + 2 EDGE_PAD). Outside [U_LOW, width + U_HIGH]
 * every value read would be a padding zero, so those columns are skipped. */
#define U_LOW 0.5
#define U_HIGH (2 * EDGE_PAD - 1.5)

/* Sines smaller than this count as 0: u is then constant along a row. */
#define FLAT_SINE 1e-9

/* Centres of rotation farther than this from 0 are refused (keeps all
 * position arithmetic finite and exact enough). */
#define MAX_ABS_COR 1e12

struct savu_backproject_plan {
    int width;
    int n_angles;
    double *cos_theta;
    double *sin_theta;
    double *inv_sin_theta; /* 0 where |sin| < FLAT_SINE */
    double *weight;
    int *mask_from; /* per row ix: unmasked columns [mask_from, mask_to) */
    int *mask_to;
};

struct slice_group {
    int n;     /* slices in the group */
    int slots; /* interleaved slots S: 1, 4, 8 or 16 (>= n) */
    double cor;
    int slice[MAX_GROUP];
};

struct job {
    const savu_backproject_plan *plan;
    const float *filtered;
    float *out;
    const struct slice_group *group;
    float *packed;
    size_t packed_row; /* floats per angle: (width + 2 EDGE_PAD) * slots */
    int tile_rows;
    int tile_cols;
    int n_col_tiles;
    float *scratch; /* TILE_ROWS * TILE_SLOTS floats per worker */
};

static int in_disc(double x, double z, double r2)
{
    return x * x + z * z <= r2;
}

/* The unmasked columns of each row: pixels with x^2 + z^2 <= r^2. */
static void make_mask(savu_backproject_plan *plan, double ratio)
{
    int w = plan->width;
    double centre = savu_default_cor(w);
    for (int ix = 0; ix < w; ix++) {
        plan->mask_from[ix] = 0;
        plan->mask_to[ix] = w;
    }
    if (!(ratio > 0))
        return;
    double r = ratio * w / 2;
    double r2 = r * r;
    for (int ix = 0; ix < w; ix++) {
        double x = ix - centre;
        int from = 0, to = 0;
        if (x * x <= r2) {
            double half = sqrt(r2 - x * x);
            from = (int)fmax(0.0, ceil(centre - half));
            to = (int)fmin((double)w, floor(centre + half) + 1);
            /* settle rounding at the rim by the exact test */
            while (from < to && !in_disc(x, from - centre, r2))
                from++;
            while (from > 0 && in_disc(x, from - 1 - centre, r2))
                from--;
            while (to > from && !in_disc(x, to - 1 - centre, r2))
                to--;
            while (to < w && in_disc(x, to - centre, r2))
                to++;
        }
        plan->mask_from[ix] = from;
        plan->mask_to[ix] = to < from ? from : to;
    }
}

savu_backproject_plan *savu_backproject_create(int width, int n_angles, const double *angles_deg,
                                               double ratio, savu_error *err)
{
    if (width < 1 || width > SAVU_BACKPROJECT_MAX_WIDTH) {
        savu_error_set(err, "backprojection: width %d is outside 1..%d", width,
                       SAVU_BACKPROJECT_MAX_WIDTH);
        return NULL;
    }
    if (n_angles < 1 || n_angles > SAVU_BACKPROJECT_MAX_ANGLES) {
        savu_error_set(err, "backprojection: number of angles %d is outside 1..%d", n_angles,
                       SAVU_BACKPROJECT_MAX_ANGLES);
        return NULL;
    }
    if (!angles_deg) {
        savu_error_set(err, "backprojection: no angles given");
        return NULL;
    }
    if (!isfinite(ratio)) {
        savu_error_set(err, "backprojection: mask ratio is not a finite number");
        return NULL;
    }
    savu_backproject_plan *plan = calloc(1, sizeof *plan);
    if (!plan) {
        savu_error_set(err, "backprojection: out of memory");
        return NULL;
    }
    plan->width = width;
    plan->n_angles = n_angles;
    size_t na = (size_t)n_angles;
    plan->cos_theta = malloc(sizeof(double) * na);
    plan->sin_theta = malloc(sizeof(double) * na);
    plan->inv_sin_theta = malloc(sizeof(double) * na);
    plan->weight = malloc(sizeof(double) * na);
    plan->mask_from = malloc(sizeof(int) * (size_t)width);
    plan->mask_to = malloc(sizeof(int) * (size_t)width);
    if (!plan->cos_theta || !plan->sin_theta || !plan->inv_sin_theta || !plan->weight ||
        !plan->mask_from || !plan->mask_to) {
        savu_error_set(err, "backprojection: out of memory for %d angles", n_angles);
        savu_backproject_destroy(plan);
        return NULL;
    }
    if (savu_angle_weights(n_angles, angles_deg, plan->weight, err) != 0) {
        savu_error_prefix(err, "backprojection: ");
        savu_backproject_destroy(plan);
        return NULL;
    }
    for (size_t a = 0; a < na; a++) {
        double theta = angles_deg[a] * (M_PI / 180.0);
        plan->cos_theta[a] = cos(theta);
        plan->sin_theta[a] = sin(theta);
        plan->inv_sin_theta[a] =
            fabs(plan->sin_theta[a]) < FLAT_SINE ? 0.0 : 1.0 / plan->sin_theta[a];
    }
    make_mask(plan, ratio);
    return plan;
}

const double *savu_backproject_weights(const savu_backproject_plan *plan)
{
    return plan ? plan->weight : NULL;
}

void savu_backproject_destroy(savu_backproject_plan *plan)
{
    if (!plan)
        return;
    free(plan->cos_theta);
    free(plan->sin_theta);
    free(plan->inv_sin_theta);
    free(plan->weight);
    free(plan->mask_from);
    free(plan->mask_to);
    free(plan);
}

/* ---- packing ---- */

static void pack_task(void *ctx, int task, int worker)
{
    (void)worker;
    const struct job *job = ctx;
    const savu_backproject_plan *plan = job->plan;
    const struct slice_group *group = job->group;
    int w = plan->width;
    int slots = group->slots;
    int a_end = (task + 1) * ANGLES_PER_PACK;
    if (a_end > plan->n_angles)
        a_end = plan->n_angles;
    for (int a = task * ANGLES_PER_PACK; a < a_end; a++) {
        float *restrict row = job->packed + (size_t)a * job->packed_row;
        memset(row, 0, sizeof(float) * job->packed_row);
        float weight = (float)plan->weight[a];
        for (int k = 0; k < group->n; k++) {
            const float *restrict src =
                job->filtered + ((size_t)group->slice[k] * (size_t)plan->n_angles + (size_t)a) * w;
            float *restrict dst = row + (size_t)EDGE_PAD * slots + k;
            for (int p = 0; p < w; p++)
                dst[(size_t)p * slots] = weight * src[p];
        }
    }
}

/* ---- backprojection of one tile ---- */

/* Narrows the columns [*from, *to) to those with U_LOW <= base + iz * sine <=
 * limit; returns whether any is left. */
static int columns_on_detector(double base, double sine, double inv_sine, double limit,
                               int *from, int *to)
{
    if (inv_sine == 0.0)
        return base >= U_LOW && base <= limit;
    double t1 = (U_LOW - base) * inv_sine;
    double t2 = (limit - base) * inv_sine;
    double t_min = sine > 0 ? t1 : t2;
    double t_max = sine > 0 ? t2 : t1;
    if (!(t_min <= t_max))
        return 0;
    if (t_min > *from)
        *from = t_min >= *to ? *to : (int)ceil(t_min);
    if (t_max < *to - 1)
        *to = t_max < *from ? *from : (int)floor(t_max) + 1;
    return *from < *to;
}

/* One slice: the positions of a run of columns are computed first (a loop
 * the compiler vectorises), then the values are gathered and interpolated. */
static inline __attribute__((always_inline)) void
accumulate_single(float *restrict sum, const float *restrict q, double start, double step, int n)
{
    int index[LONE_TILE_SLOTS];
    float frac[LONE_TILE_SLOTS];
    for (int j = 0; j < n; j++) {
        double u = start + j * step;
        int i = (int)u;
        index[j] = i;
        frac[j] = (float)(u - i);
    }
    for (int j = 0; j < n; j++) {
        float left = q[index[j]], right = q[index[j] + 1];
        sum[j] += left + frac[j] * (right - left);
    }
}

/* Accumulates all angles into the tile rows [ix0, ix1) x columns [z0, z1) of
 * acc (row-major, `slots` floats per pixel). Inlined with constant `slots`, so
 * that each group width gets its own vectorised loop. */
static inline __attribute__((always_inline)) void
accumulate_tile(const struct job *job, int ix0, int ix1, int z0, int z1, float *restrict acc,
                const int slots)
{
    const savu_backproject_plan *plan = job->plan;
    int cols = z1 - z0;
    double centre = savu_default_cor(plan->width);
    double limit = plan->width + U_HIGH;
    double shift = job->group->cor + EDGE_PAD;
    memset(acc, 0, sizeof(float) * (size_t)(ix1 - ix0) * (size_t)cols * (size_t)slots);
    for (int a = 0; a < plan->n_angles; a++) {
        const float *restrict q = job->packed + (size_t)a * job->packed_row;
        double cosine = plan->cos_theta[a], sine = plan->sin_theta[a];
        double inv_sine = plan->inv_sin_theta[a];
        double base_angle = shift - centre * (cosine + sine);
        for (int ix = ix0; ix < ix1; ix++) {
            int from = plan->mask_from[ix] > z0 ? plan->mask_from[ix] : z0;
            int to = plan->mask_to[ix] < z1 ? plan->mask_to[ix] : z1;
            double base = base_angle + ix * cosine;
            if (from >= to || !columns_on_detector(base, sine, inv_sine, limit, &from, &to))
                continue;
            float *restrict acc_row = acc + (size_t)(ix - ix0) * (size_t)cols * (size_t)slots;
            if (slots == 1) {
                accumulate_single(acc_row + (from - z0), q, base + from * sine, sine, to - from);
                continue;
            }
            for (int iz = from; iz < to; iz++) {
                double u = base + iz * sine;
                int i = (int)u;
                float frac = (float)(u - i);
                const float *restrict left = q + (size_t)i * (size_t)slots;
                const float *restrict right = left + slots;
                float *restrict sum = acc_row + (size_t)(iz - z0) * (size_t)slots;
                for (int k = 0; k < slots; k++)
                    sum[k] += left[k] + frac * (right[k] - left[k]);
            }
        }
    }
}

/* Compiled twice, the copy for x86-64-v3 (AVX2, FMA) chosen at load time
 * where the CPU has it (GCC on x86-64): 8-wide updates, 25-45 % more per
 * core on the development VM (bench_fbp, test/bench/RESULTS.md). Every process
 * of a machine takes the same copy, so runs on any number of ranks still
 * agree bit for bit; machines with and without AVX2 differ by rounding
 * (the fused multiply-adds). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define X86_64_V3_COPY __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define X86_64_V3_COPY /* other machines: the one copy */
#endif
X86_64_V3_COPY
static void tile_task(void *ctx, int task, int worker)
{
    const struct job *job = ctx;
    const savu_backproject_plan *plan = job->plan;
    const struct slice_group *group = job->group;
    int w = plan->width;
    int ix0 = (task / job->n_col_tiles) * job->tile_rows;
    int z0 = (task % job->n_col_tiles) * job->tile_cols;
    int ix1 = ix0 + job->tile_rows < w ? ix0 + job->tile_rows : w;
    int z1 = z0 + job->tile_cols < w ? z0 + job->tile_cols : w;
    float *acc = job->scratch + (size_t)worker * TILE_ROWS * TILE_SLOTS;
    switch (group->slots) {
    case 1:
        accumulate_tile(job, ix0, ix1, z0, z1, acc, 1);
        break;
    case 4:
        accumulate_tile(job, ix0, ix1, z0, z1, acc, 4);
        break;
    case 8:
        accumulate_tile(job, ix0, ix1, z0, z1, acc, 8);
        break;
    default:
        accumulate_tile(job, ix0, ix1, z0, z1, acc, MAX_GROUP);
        break;
    }
    int slots = group->slots;
    int cols = z1 - z0;
    for (int k = 0; k < group->n; k++) {
        float *slice = job->out + (size_t)group->slice[k] * (size_t)w * (size_t)w;
        for (int ix = ix0; ix < ix1; ix++) {
            const float *src = acc + (size_t)(ix - ix0) * (size_t)cols * (size_t)slots + k;
            float *dst = slice + (size_t)ix * (size_t)w + z0;
            for (int c = 0; c < cols; c++)
                dst[c] = src[(size_t)c * (size_t)slots];
        }
    }
}

/* ---- grouping slices by centre of rotation ---- */

static int slots_for(int n)
{
    return n <= 1 ? 1 : n <= 4 ? 4 : n <= 8 ? 8 : MAX_GROUP;
}

/* Groups of up to MAX_GROUP slices with equal cor (slice_groups.h); returns
 * the number of groups written to groups[] (room for n_slices), or -1 when
 * out of memory. */
static int group_slices(int n_slices, const double *cor, struct slice_group *groups)
{
    if (n_slices < 1)
        return 0;
    int *order = malloc(sizeof *order * (size_t)n_slices);
    int *starts = malloc(sizeof *starts * ((size_t)n_slices + 1));
    int n_groups = order && starts
                       ? savu_group_by_cor(n_slices, cor, MAX_GROUP, order, starts) : -1;
    for (int g = 0; g < n_groups; g++) {
        struct slice_group *group = &groups[g];
        group->n = starts[g + 1] - starts[g];
        group->cor = cor[order[starts[g]]];
        for (int k = 0; k < group->n; k++)
            group->slice[k] = order[starts[g] + k];
        group->slots = slots_for(group->n);
    }
    free(order);
    free(starts);
    return n_groups;
}

/* ---- the order of the work: groups overlapped ---- */

/* The groups of a call run as one batch of tasks, so that no thread waits
 * at the end of a group for the others' last tiles: group g + 1 is packed
 * halfway through group g's tiles, and a thread out of group g's tiles goes
 * straight on to group g + 1's. Two packed buffers alternate (group g packs
 * into buffer g % 2 once group g - 2's tiles are done); where memory allows
 * only one, group g + 1 is packed after all of group g's tiles. A task that depends
 * on others waits for them; they always come earlier in the batch, which
 * the pool hands out in order, so the earliest unfinished task never waits
 * and the batch always progresses (with one thread no task waits). Which
 * thread runs a tile does not change its arithmetic: results stay
 * bit-identical for any number of threads. */
enum step_kind { STEP_PACK, STEP_TILE };

struct step {
    int group, index;
    enum step_kind kind;
};

struct group_run {
    struct job job;
    int n_tiles;
    atomic_int packed, tiled; /* tasks done */
};

struct batch {
    struct group_run *runs;
    struct step *steps;
    int n_pack;    /* packing tasks of every group */
    int n_buffers; /* packed buffers: 1 or 2 */
};

static void wait_until(atomic_int *done, int count)
{
    while (atomic_load_explicit(done, memory_order_acquire) < count)
        sched_yield();
}

static void batch_task(void *ctx, int task, int worker)
{
    const struct batch *b = ctx;
    const struct step st = b->steps[task];
    struct group_run *run = &b->runs[st.group];
    if (st.kind == STEP_PACK) {
        int before = st.group - b->n_buffers; /* the last group in its buffer */
        if (before >= 0)
            wait_until(&b->runs[before].tiled, b->runs[before].n_tiles);
        pack_task(&run->job, st.index, worker);
        atomic_fetch_add_explicit(&run->packed, 1, memory_order_release);
    } else {
        wait_until(&run->packed, b->n_pack);
        tile_task(&run->job, st.index, worker);
        atomic_fetch_add_explicit(&run->tiled, 1, memory_order_release);
    }
}

/* The batch's order: group 0's packing; then for each group g the first
 * half of its tiles (all of them with one buffer), group g + 1's packing,
 * the rest of its tiles. Returns the number of steps. */
static int order_steps(const struct batch *b, int n_groups, struct step *steps)
{
    const struct group_run *runs = b->runs;
    int n = 0;
    for (int i = 0; n_groups > 0 && i < b->n_pack; i++)
        steps[n++] = (struct step){0, i, STEP_PACK};
    for (int g = 0; g < n_groups; g++) {
        int half = b->n_buffers > 1 ? runs[g].n_tiles / 2 : runs[g].n_tiles;
        for (int i = 0; i < half; i++)
            steps[n++] = (struct step){g, i, STEP_TILE};
        for (int i = 0; g + 1 < n_groups && i < b->n_pack; i++)
            steps[n++] = (struct step){g + 1, i, STEP_PACK};
        for (int i = half; i < runs[g].n_tiles; i++)
            steps[n++] = (struct step){g, i, STEP_TILE};
    }
    return n;
}

/* ---- execution ---- */

static int check_execute_args(const savu_backproject_plan *plan, const float *filtered,
                              int n_slices, const double *cor, const float *out, savu_error *err)
{
    if (!plan)
        return savu_error_set(err, "backprojection: no plan");
    if (n_slices < 0)
        return savu_error_set(err, "backprojection: number of slices %d is negative", n_slices);
    if (n_slices > 0 && (!filtered || !cor || !out))
        return savu_error_set(err, "backprojection: missing %s",
                              !filtered ? "sinograms" : !cor ? "centres of rotation" : "output");
    for (int s = 0; s < n_slices; s++) {
        if (!isfinite(cor[s]) || fabs(cor[s]) > MAX_ABS_COR)
            return savu_error_set(err, "backprojection: centre of rotation %g of slice %d is not a "
                                       "finite number within +-%g", cor[s], s, MAX_ABS_COR);
    }
    return 0;
}

int savu_backproject_execute(const savu_backproject_plan *plan, savu_thread_pool *pool,
                             const float *filtered, int n_slices, const double *cor, float *out,
                             savu_error *err)
{
    if (check_execute_args(plan, filtered, n_slices, cor, out, err) != 0)
        return -1;
    if (n_slices <= 0)
        return 0;
    int w = plan->width;
    int n_workers = savu_thread_pool_size(pool);
    struct slice_group *groups = malloc(sizeof *groups * (size_t)n_slices);
    int n_groups = groups ? group_slices(n_slices, cor, groups) : -1;
    int max_slots = 1;
    for (int g = 0; g < n_groups; g++)
        max_slots = groups[g].slots > max_slots ? groups[g].slots : max_slots;
    size_t row_floats = (size_t)(w + 2 * EDGE_PAD) * (size_t)max_slots;
    size_t packed_floats = row_floats * (size_t)plan->n_angles;
    int n_buffers = n_groups > 1 ? 2 : 1;
    float *packed = n_groups > 0 ? malloc(sizeof(float) * packed_floats * (size_t)n_buffers) : NULL;
    if (!packed && n_buffers == 2) /* one buffer: groups one after the other */
        packed = malloc(sizeof(float) * packed_floats * (size_t)(n_buffers = 1));
    float *scratch = malloc(sizeof(float) * TILE_ROWS * TILE_SLOTS * (size_t)n_workers);
    struct group_run *runs = n_groups > 0 ? calloc((size_t)n_groups, sizeof *runs) : NULL;
    int n_pack = (plan->n_angles + ANGLES_PER_PACK - 1) / ANGLES_PER_PACK;
    size_t max_steps = 0;
    for (int g = 0; g < n_groups && runs; g++) {
        int slots = groups[g].slots;
        int tile_rows = slots == 1 ? LONE_TILE_ROWS : TILE_ROWS;
        int row_slots = slots == 1 ? LONE_TILE_SLOTS : TILE_SLOTS;
        int tile_cols = row_slots / slots < w ? row_slots / slots : w;
        runs[g].job = (struct job){
            .plan = plan,
            .filtered = filtered,
            .out = out,
            .group = &groups[g],
            .packed = packed ? packed + (size_t)(g % n_buffers) * packed_floats : NULL,
            .packed_row = (size_t)(w + 2 * EDGE_PAD) * (size_t)slots,
            .tile_rows = tile_rows,
            .tile_cols = tile_cols,
            .n_col_tiles = (w + tile_cols - 1) / tile_cols,
            .scratch = scratch,
        };
        runs[g].n_tiles = ((w + tile_rows - 1) / tile_rows) * runs[g].job.n_col_tiles;
        atomic_init(&runs[g].packed, 0);
        atomic_init(&runs[g].tiled, 0);
        max_steps += (size_t)n_pack + (size_t)runs[g].n_tiles;
    }
    struct step *steps = max_steps > 0 && max_steps <= INT_MAX
                             ? malloc(sizeof *steps * max_steps) : NULL;
    if (n_groups < 0 || !packed || !scratch || !runs || !steps) {
        free(groups);
        free(packed);
        free(scratch);
        free(runs);
        free(steps);
        return savu_error_set(err, "backprojection: out of memory for %d angles x %d pixels x %d "
                                   "slices", plan->n_angles, w, max_slots);
    }
    struct batch batch = {runs, steps, n_pack, n_buffers};
    savu_thread_pool_run(pool, order_steps(&batch, n_groups, steps), batch_task, &batch);
    free(runs);
    free(steps);
    free(groups);
    free(packed);
    free(scratch);
    return 0;
}
