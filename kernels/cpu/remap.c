/* remap.c: linear interpolation of frames at fixed source points
 * (remap.h). The weights are scipy's for order 1 (w0 = 1 - t, w1 = 1 - w0
 * in each direction, t the point's distance past its top-left neighbour).
 * A point whose four neighbours are (y0, x0), (y0, x0 + 1), (y0 + 1, x0),
 * (y0 + 1, x0 + 1) inside the frame keeps the offset of the first; the
 * others (at the last row or column, or past an edge) keep the four
 * offsets the edge rule gives them, in a list applied after the rest. */
#include "remap.h"

#include <stdint.h>
#include <stdlib.h>

struct edge_point {
    long p;                  /* the output pixel */
    int32_t at[4];           /* offsets of (y0, x0), (y0, x1), (y1, x0), (y1, x1) */
    double ty, tx;           /* distances past y0 and x0 (exact: y0 may be < 0) */
};

struct savu_remap {
    long rows, cols, n_points;
    enum savu_remap_edge edge;
    int32_t *offset;         /* per point: the top-left neighbour */
    float *ty, *tx;          /* per point: its distances past it, in [0, 1) */
    struct edge_point *edges;
    long n_edges, edges_cap;
};

/* floor(v) for |v| < 2^62: floor() is a call into libm without SSE4.1. */
static long floor_long(double v)
{
    long i = (long)v;
    return i - (v < (double)i);
}

/* Index i of a dimension of n, by the edge rule, for i outside [0, n). */
static long edge_index(long i, long n, enum savu_remap_edge edge)
{
    if (n == 1)
        return 0;
    if (edge == SAVU_REMAP_INSIDE) /* only n itself, with weight 0 */
        return i < 0 ? 0 : n - 1;
    long period = 2 * (n - 1), j = ((i % period) + period) % period;
    return j < n ? j : period - j;
}

static long inside(long i, long n, enum savu_remap_edge edge)
{
    return i >= 0 && i < n ? i : edge_index(i, n, edge);
}

savu_remap *savu_remap_create(long in_rows, long in_cols, long n_points,
                              enum savu_remap_edge edge, savu_error *err)
{
    if (in_rows < 1 || in_cols < 1 || n_points < 0 || in_rows * in_cols > INT32_MAX) {
        savu_error_set(err, "remap: frames of %ld x %ld pixels are not 1 to 2^31 pixels",
                       in_rows, in_cols);
        return NULL;
    }
    savu_remap *m = calloc(1, sizeof *m);
    const size_t n = (size_t)(n_points ? n_points : 1);
    if (m) {
        m->offset = calloc(n, sizeof(int32_t));
        m->ty = calloc(n, sizeof(float));
        m->tx = calloc(n, sizeof(float));
    }
    if (!m || !m->offset || !m->ty || !m->tx) {
        savu_remap_destroy(m);
        savu_error_set(err, "remap: out of memory for %ld points", n_points);
        return NULL;
    }
    m->rows = in_rows;
    m->cols = in_cols;
    m->n_points = n_points;
    m->edge = edge;
    return m;
}

int savu_remap_set(savu_remap *m, long p, double y, double x, savu_error *err)
{
    const long rows = m->rows, cols = m->cols;
    const long y0 = floor_long(y), x0 = floor_long(x);
    const double ty = y - (double)y0, tx = x - (double)x0;
    m->ty[p] = (float)ty;
    m->tx[p] = (float)tx;
    if (y0 >= 0 && y0 + 1 < rows && x0 >= 0 && x0 + 1 < cols) {
        m->offset[p] = (int32_t)(y0 * cols + x0);
        return 0;
    }
    m->offset[p] = 0;
    if (m->n_edges == m->edges_cap) {
        long cap = m->edges_cap ? 2 * m->edges_cap : 1024;
        struct edge_point *grown = realloc(m->edges, sizeof *grown * (size_t)cap);
        if (!grown)
            return savu_error_set(err, "remap: out of memory for the points at the edges");
        m->edges = grown;
        m->edges_cap = cap;
    }
    const long r0 = inside(y0, rows, m->edge), r1 = inside(y0 + 1, rows, m->edge);
    const long c0 = inside(x0, cols, m->edge), c1 = inside(x0 + 1, cols, m->edge);
    m->edges[m->n_edges++] = (struct edge_point){
        p,
        {(int32_t)(r0 * cols + c0), (int32_t)(r0 * cols + c1), (int32_t)(r1 * cols + c0),
         (int32_t)(r1 * cols + c1)},
        ty, tx};
    return 0;
}

/* Four neighbours a, b (the row above), c, d (below) at distances ty, tx. */
static inline float interpolate(float a, float b, float c, float d, double ty, double tx)
{
    const double wy0 = 1.0 - ty, wy1 = 1.0 - wy0;
    const double wx0 = 1.0 - tx, wx1 = 1.0 - wx0;
    double t = (double)a * wy0 * wx0;
    t += (double)b * wy0 * wx1;
    t += (double)c * wy1 * wx0;
    t += (double)d * wy1 * wx1;
    return (float)t;
}

void savu_remap_apply(const savu_remap *m, const float *in, float *out)
{
    const long cols = m->cols;
    /* (A frame of one row or column has every point in the edge list.) */
    const long n = m->rows > 1 && cols > 1 ? m->n_points : 0;
    const int32_t *restrict offset = m->offset;
    const float *restrict ty = m->ty, *restrict tx = m->tx;
    for (long p = 0; p < n; p++) {
        const float *a = in + offset[p];
        out[p] = interpolate(a[0], a[1], a[cols], a[cols + 1], ty[p], tx[p]);
    }
    for (long e = 0; e < m->n_edges; e++) {
        const struct edge_point *ep = &m->edges[e];
        out[ep->p] = interpolate(in[ep->at[0]], in[ep->at[1]], in[ep->at[2]], in[ep->at[3]],
                                 ep->ty, ep->tx);
    }
}

void savu_remap_destroy(savu_remap *m)
{
    if (!m)
        return;
    free(m->offset);
    free(m->ty);
    free(m->tx);
    free(m->edges);
    free(m);
}
