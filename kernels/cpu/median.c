/* median.c: the median filter and median dezinger of median.h. The
 * neighbourhood of each pixel is gathered into scratch and its middle
 * element selected. For k = 3 inside the frame, MEDIAN_LANES pixels at a
 * time, each neighbour a row of lanes, so that every step is the same
 * min and max across the lanes (vector instructions, no branches): the
 * exchange network of 3 x 3 (9 values, 19 exchanges), Paeth's forgetful
 * selection for 3 x 3 x 3 (27 values). Elsewhere, one pixel at a time: the
 * same network, or Wirth's selection for other sizes. Rows of the
 * neighbourhood are resolved once per output row; columns off the frame's
 * edge are replaced by the centre's column, as larix does. */
#include "median.h"

#include <math.h>

static inline float clean(float v)
{
    return isnan(v) ? 0.0f : v;
}

#define SORT2(a, b)                                                                                \
    do {                                                                                           \
        float lo_ = (a) < (b) ? (a) : (b), hi_ = (a) < (b) ? (b) : (a);                            \
        (a) = lo_;                                                                                 \
        (b) = hi_;                                                                                 \
    } while (0)

/* The exchange network of Paeth / Devillard: after these 19 exchanges of 9
 * values, the middle one is at 4. */
static const unsigned char median9_network[19][2] = {
    {1, 2}, {4, 5}, {7, 8}, {0, 1}, {3, 4}, {6, 7}, {1, 2}, {4, 5}, {7, 8}, {0, 3},
    {5, 8}, {4, 7}, {3, 6}, {1, 4}, {2, 5}, {4, 7}, {4, 2}, {6, 4}, {4, 2}};

/* The median of 9 values. */
static float median9(float *p)
{
    for (int e = 0; e < 19; e++)
        SORT2(p[median9_network[e][0]], p[median9_network[e][1]]);
    return p[4];
}

/* Pixels worked on together (k = 3, inside the frame). */
#define MEDIAN_LANES 16

/* Rows a and b of lanes exchanged into order, lane by lane. */
static inline void sort2_lanes(float *restrict a, float *restrict b)
{
    for (int i = 0; i < MEDIAN_LANES; i++) {
        float lo = a[i] < b[i] ? a[i] : b[i], hi = a[i] < b[i] ? b[i] : a[i];
        a[i] = lo;
        b[i] = hi;
    }
}

/* The median of 9 rows of lanes (the network of median9), into row 4. */
static void median9_lanes(float (*p)[MEDIAN_LANES])
{
    for (int e = 0; e < 19; e++)
        sort2_lanes(p[median9_network[e][0]], p[median9_network[e][1]]);
}

/* The median of n (odd) rows of lanes by forgetful selection: of the first
 * n / 2 + 2 rows neither the least nor the greatest can be the median, so
 * both are dropped and the next row taken in, until three rows are left,
 * whose median is the median of all. Returns the row holding it. */
static float *median_forgetful_lanes(float (*p)[MEDIAN_LANES], int n)
{
    float *set[64] = {NULL};
    int size = n / 2 + 2, next = size;
    for (int j = 0; j < size; j++)
        set[j] = p[j];
    while (size > 3) {
        for (int j = 1; j < size; j++)
            sort2_lanes(set[0], set[j]);
        for (int j = 1; j < size - 1; j++)
            sort2_lanes(set[j], set[size - 1]);
        /* least in set[0], greatest in set[size - 1]: both go */
        size--;
        if (next < n)
            set[0] = p[next++];
        else
            set[0] = set[--size];
    }
    sort2_lanes(set[0], set[1]);
    sort2_lanes(set[1], set[2]);
    sort2_lanes(set[0], set[1]);
    return set[1];
}

/* The element of rank m of a[0..n) (a is reordered): Wirth's selection. */
static float select_rank(float *a, int n, int m)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        float x = a[m];
        int i = lo, j = hi;
        do {
            while (a[i] < x)
                i++;
            while (x < a[j])
                j--;
            if (i <= j) {
                float t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < m)
            lo = i;
        if (m < i)
            hi = j;
    }
    return a[m];
}

/* Scratch: the values, then (at an even float offset) the row pointers. */
static size_t values_floats(int k, int n_planes)
{
    size_t n = (size_t)k * k * n_planes;
    return n + (n & 1);
}

size_t median_scratch_floats(int k, int n_planes)
{
    /* values, row pointers (a pointer: two floats), then lanes */
    return values_floats(k, n_planes) + (size_t)k * n_planes * 2 +
           (size_t)k * k * n_planes * MEDIAN_LANES;
    _Static_assert(sizeof(float *) <= 2 * sizeof(float), "pointers of 8 bytes at most");
}

void median_rows(const struct median_frame *f, long row_begin, long row_end, float *scratch)
{
    const int k = f->k, r = k / 2, np = f->n_planes, n = k * k * np;
    const long cols = f->cols;
    const float *centre_plane = f->planes[np / 2];
    float *vals = scratch;
    /* Row pointers of the neighbourhood: plane p, row offset d. */
    const float **rp = (const float **)(void *)(scratch + values_floats(k, np));
    float(*lanes)[MEDIAN_LANES] =
        (float(*)[MEDIAN_LANES])(scratch + values_floats(k, np) + (size_t)k * np * 2);
    for (long y = row_begin; y < row_end; y++) {
        for (int p = 0; p < np; p++)
            for (int d = -r; d <= r; d++) {
                long yy = y + d;
                if (yy < 0 || yy >= f->rows)
                    yy = y;
                rp[p * k + d + r] = f->planes[p] + yy * cols;
            }
        const float *centre = centre_plane + y * cols;
        float *out = f->out + y * cols;
        for (long x = 0; x < cols;) {
            if (k == 3 && x >= r && x + r + MEDIAN_LANES <= cols) {
                /* MEDIAN_LANES pixels inside the frame: row q * 3 + d of
                 * lanes holds neighbour (q, d) of each */
                for (int q = 0; q < k * np; q++)
                    for (int d = 0; d < k; d++) {
                        const float *src = rp[q] + x - r + d;
                        for (int i = 0; i < MEDIAN_LANES; i++)
                            lanes[q * k + d][i] = clean(src[i]);
                    }
                const float *med = lanes[4];
                if (n == 9)
                    median9_lanes(lanes);
                else
                    med = median_forgetful_lanes(lanes, n);
                for (int i = 0; i < MEDIAN_LANES; i++) {
                    float v = clean(centre[x + i]);
                    out[x + i] = fabsf(v - med[i]) >= f->threshold ? med[i] : v;
                }
                x += MEDIAN_LANES;
                continue;
            }
            int c = 0;
            if (x >= r && x + r < cols) {
                for (int q = 0; q < k * np; q++) {
                    const float *row = rp[q] + x - r;
                    for (int d = 0; d < k; d++)
                        vals[c++] = clean(row[d]);
                }
            } else {
                for (int q = 0; q < k * np; q++)
                    for (int d = -r; d <= r; d++) {
                        long xx = x + d;
                        if (xx < 0 || xx >= cols)
                            xx = x;
                        vals[c++] = clean(rp[q][xx]);
                    }
            }
            float med = n == 9 ? median9(vals) : select_rank(vals, n, n / 2);
            float v = clean(centre[x]);
            out[x] = fabsf(v - med) >= f->threshold ? med : v;
            x++;
        }
    }
}

double median_frame_std(const float *v, long n)
{
    if (n <= 0)
        return 0.0;
    double sum = 0.0;
    for (long i = 0; i < n; i++)
        sum += clean(v[i]);
    double mean = sum / n, ss = 0.0;
    for (long i = 0; i < n; i++) {
        double d = clean(v[i]) - mean;
        ss += d * d;
    }
    return sqrt(ss / n);
}
