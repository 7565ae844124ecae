/* median.c: the median filter and median dezinger of median.h. The
 * neighbourhood of each pixel is gathered into scratch and its middle
 * element selected: a fixed exchange network for 3 x 3 (9 values, 19
 * exchanges), Wirth's selection for every other size (3 x 3 x 3 included).
 * Rows of the neighbourhood are resolved once per output row; columns off
 * the frame's edge are replaced by the centre's column, as larix does. */
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

/* The median of 9 values (the exchange network of Paeth / Devillard). */
static float median9(float *p)
{
    SORT2(p[1], p[2]); SORT2(p[4], p[5]); SORT2(p[7], p[8]);
    SORT2(p[0], p[1]); SORT2(p[3], p[4]); SORT2(p[6], p[7]);
    SORT2(p[1], p[2]); SORT2(p[4], p[5]); SORT2(p[7], p[8]);
    SORT2(p[0], p[3]); SORT2(p[5], p[8]); SORT2(p[4], p[7]);
    SORT2(p[3], p[6]); SORT2(p[1], p[4]); SORT2(p[2], p[5]);
    SORT2(p[4], p[7]); SORT2(p[4], p[2]); SORT2(p[6], p[4]);
    SORT2(p[4], p[2]);
    return p[4];
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
    return values_floats(k, n_planes) + (size_t)k * n_planes * 2; /* a pointer: two floats */
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
        for (long x = 0; x < cols; x++) {
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
