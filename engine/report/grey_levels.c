/* grey_levels.c: percentile grey ranges and composed panel images (see
 * grey_levels.h). The percentiles are found by a two-pass radix selection:
 * each finite float maps to a 32-bit key that sorts as the float does; a
 * histogram of the keys' upper 16 bits finds the bin that holds the k-th
 * value, and a histogram of the lower 16 bits of that bin's keys finds the
 * key itself. Each task counts a share of the values into its own
 * histogram; the sums do not depend on which thread counted what. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "grey_levels.h"

#define BINS 65536

/* A float's key: unsigned order of keys = numeric order of finite floats
 * (-0 just below +0). */
static uint32_t sort_key(float x)
{
    uint32_t b;
    memcpy(&b, &x, sizeof b);
    return (b & 0x80000000u) ? ~b : b | 0x80000000u;
}

static float key_value(uint32_t key)
{
    uint32_t b = (key & 0x80000000u) ? key & 0x7fffffffu : ~key;
    float x;
    memcpy(&x, &b, sizeof x);
    return x;
}

struct counting {
    const grey_panel *panels;
    int n_panels, n_tasks;
    size_t total;
    uint32_t *hist;          /* n_tasks x 2 x BINS */
    int pass;                /* 1: upper bits of every key; 2: lower bits within bins */
    uint32_t bin[2];         /* pass 2: the upper bits wanted */
};

static void count_task(void *ctx, int task, int worker)
{
    (void)worker;
    struct counting *c = ctx;
    uint32_t *h = c->hist + (size_t)task * 2 * BINS;
    size_t from = c->total * (size_t)task / (size_t)c->n_tasks;
    size_t to = c->total * (size_t)(task + 1) / (size_t)c->n_tasks;
    size_t base = 0;
    for (int p = 0; p < c->n_panels && base < to; p++) {
        size_t size = (size_t)c->panels[p].rows * (size_t)c->panels[p].cols;
        size_t a = from > base ? from - base : 0, b = to - base < size ? to - base : size;
        const float *v = c->panels[p].values;
        for (size_t i = a; i < b; i++) {
            if (!isfinite(v[i]))
                continue;
            uint32_t k = sort_key(v[i]);
            if (c->pass == 1)
                h[k >> 16]++;
            else
                for (int t = 0; t < 2; t++)
                    h[t * BINS + (k & 0xffffu)] += (k >> 16) == c->bin[t];
        }
        base += size;
    }
}

/* Runs one counting pass and sums the tasks' histograms into sum[2][BINS]. */
static void count(struct counting *c, savu_thread_pool *pool, uint64_t *sum)
{
    memset(c->hist, 0, sizeof *c->hist * (size_t)c->n_tasks * 2 * BINS);
    savu_thread_pool_run(pool, c->n_tasks, count_task, c);
    memset(sum, 0, sizeof *sum * 2 * BINS);
    for (int t = 0; t < c->n_tasks; t++)
        for (size_t i = 0; i < 2 * BINS; i++)
            sum[i] += c->hist[(size_t)t * 2 * BINS + i];
}

/* The bin of a histogram that holds the k-th value; *k becomes its rank in
 * the bin. */
static uint32_t bin_of(const uint64_t *h, uint64_t *k)
{
    uint32_t b = 0;
    while (*k >= h[b]) {
        *k -= h[b];
        b++;
    }
    return b;
}

int grey_percentile_range(const grey_panel *panels, int n_panels, double low_fraction,
                          double high_fraction, savu_thread_pool *pool, float *lo, float *hi)
{
    struct counting c = {.panels = panels, .n_panels = n_panels, .pass = 1};
    for (int p = 0; p < n_panels; p++)
        c.total += (size_t)panels[p].rows * (size_t)panels[p].cols;
    c.n_tasks = savu_thread_pool_size(pool);
    c.hist = malloc(sizeof *c.hist * (size_t)c.n_tasks * 2 * BINS);
    uint64_t *sum = malloc(sizeof *sum * 2 * BINS);
    if (!c.hist || !sum) {
        free(c.hist);
        free(sum);
        return -1;
    }
    count(&c, pool, sum);
    uint64_t n = 0;
    for (size_t i = 0; i < BINS; i++)
        n += sum[i];
    *lo = *hi = 0;
    if (n > 0) {
        uint64_t k[2] = {(uint64_t)(low_fraction * (double)(n - 1) + 0.5),
                         (uint64_t)(high_fraction * (double)(n - 1) + 0.5)};
        for (int t = 0; t < 2; t++)
            c.bin[t] = bin_of(sum, &k[t]);
        c.pass = 2;
        count(&c, pool, sum);
        *lo = key_value(c.bin[0] << 16 | bin_of(sum, &k[0]));
        *hi = key_value(c.bin[1] << 16 | bin_of(sum + BINS, &k[1]));
    }
    free(c.hist);
    free(sum);
    return 0;
}

unsigned char grey_level(float x, float lo, float hi)
{
    if (isnan(x))
        return 0;
    if (!(hi > lo))
        return 128;
    double g = ((double)x - lo) / ((double)hi - lo) * 255.0;
    return g <= 0 ? 0 : g >= 255 ? 255 : (unsigned char)(g + 0.5);
}

struct composing {
    const grey_panel *panels;
    int n_panels, n_tasks;
    long gap, width, height;
    float lo, hi;
    unsigned char *pixels;
};

static void compose_task(void *ctx, int task, int worker)
{
    (void)worker;
    const struct composing *c = ctx;
    long from = c->height * task / c->n_tasks, to = c->height * (task + 1) / c->n_tasks;
    for (long r = from; r < to; r++) {
        unsigned char *row = c->pixels + (size_t)r * (size_t)c->width;
        long left = 0;
        for (int k = 0; k < c->n_panels; k++) {
            const grey_panel *p = &c->panels[k];
            if (r < p->rows) {
                const float *v = p->values + (size_t)r * (size_t)p->cols;
                for (long x = 0; x < p->cols; x++)
                    row[left + x] = grey_level(v[x], c->lo, c->hi);
            }
            left += p->cols + c->gap;
        }
    }
}

unsigned char *grey_compose(const grey_panel *panels, int n_panels, long gap,
                            unsigned char background, float lo, float hi,
                            savu_thread_pool *pool, long *width, long *height)
{
    *width = (n_panels - 1) * gap;
    *height = 0;
    for (int k = 0; k < n_panels; k++) {
        *width += panels[k].cols;
        if (panels[k].rows > *height)
            *height = panels[k].rows;
    }
    unsigned char *pixels = malloc((size_t)*width * (size_t)*height);
    if (!pixels)
        return NULL;
    memset(pixels, background, (size_t)*width * (size_t)*height);
    struct composing c = {panels, n_panels, savu_thread_pool_size(pool), gap, *width,
                          *height, lo, hi, pixels};
    if (c.n_tasks > *height)
        c.n_tasks = (int)*height;
    savu_thread_pool_run(pool, c.n_tasks, compose_task, &c);
    return pixels;
}
