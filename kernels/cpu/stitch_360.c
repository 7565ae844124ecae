/* stitch_360.c: a 360-degree half-acquisition sinogram stitched into a
 * 180-degree one (stitch_360.h): the geometry of the two halves, the cubic
 * spline that moves the flipped half by the fraction of a pixel left over,
 * and the blend. */
#include "stitch_360.h"

#include <math.h>
#include <stdbool.h>
#include "spline.h"

/* Where a 360-degree sinogram's halves go. The second half-turn, flipped
 * left to right, is the first seen from the other side of the axis: raw
 * column j of it belongs at the mirror image 2 c - j of its column. So the
 * halves overlap by 2 (W - c) - 1 columns (axis right of the middle) or
 * 2 c + 1 (left): `overlap` columns, rounded, with the second half moved by
 * the fraction left over (`shift`, in (-0.5, 0.5]). In the 2W-wide output
 * the first half starts at column first1 and the second at first2; the
 * rest repeats the outer half's edge. */
struct stitch {
    bool left;
    long overlap, first1, first2;
    double shift;       /* the second half is read at x + shift */
    double cor;         /* the axis in the output */
};

static struct stitch stitch_geometry(double c, long width)
{
    struct stitch g = {.left = c < (width - 1) / 2.0};
    double overlap = g.left ? 2.0 * c + 1.0 : 2.0 * (width - c) - 1.0;
    g.overlap = (long)floor(overlap + 0.5);
    double fraction = overlap - (double)g.overlap;
    if (g.left) {
        /* second half first, ending where the first begins to overlap */
        g.first2 = g.overlap, g.first1 = width;
        g.shift = -fraction;
        g.cor = (double)width + c;
    } else {
        g.first1 = 0, g.first2 = width - g.overlap;
        g.shift = fraction;
        g.cor = c;
    }
    return g;
}

/* The linear wedge over the overlap (numpy.linspace(1, 0, overlap)): the
 * weight of the half whose overlap is its last columns, at position i of
 * the overlap (the other half has 1 minus it). */
static double wedge(long i, long overlap)
{
    return overlap == 1 ? 1.0 : 1.0 - (double)i / (double)(overlap - 1);
}

size_t savu_stitch_360_scratch(long width)
{
    return (size_t)(width + 2 * SPLINE_PAD);
}

long savu_stitch_360_overlap(double centre, long width)
{
    return stitch_geometry(centre, width).overlap;
}

double savu_stitch_360_cor(double centre, long width)
{
    return stitch_geometry(centre, width).cor;
}

void savu_stitch_360(const float *sino, long angles, long width, double centre, float *out,
                     double *coef)
{
    const long W = width, H = (angles + 1) / 2;
    const struct stitch g = stitch_geometry(centre, W);
    /* The halves' overlapping columns, in each half's own columns: the
     * first half's start (left) or end (right), the second's other end. */
    const long o1 = g.left ? 0 : W - g.overlap, o2 = g.left ? W - g.overlap : 0;
    double sum1 = 0, sum2 = 0;
    for (long r = 0; r < H; r++) {
        const float *row1 = sino + r * W, *row2 = sino + (angles - H + r) * W;
        savu_spline_row(row2, W, 1, coef);
        float *o = out + r * 2 * W;
        for (long x = 0; x < 2 * W; x++)
            o[x] = 0.0f;
        for (long x = 0; x < W; x++) {
            /* second half: flipped, moved by the fraction */
            double v2 = savu_spline_at(coef, W, (double)(W - 1 - x) - g.shift);
            o[g.first2 + x] = (float)v2;
        }
        for (long i = 0; i < g.overlap; i++) {
            sum1 += fabsf(row1[o1 + i]);
            sum2 += fabsf(o[g.first2 + o2 + i]);
        }
    }
    /* the second half scaled to the first's mean over the overlap (Savu) */
    const double ratio = sum2 != 0 ? sum1 / sum2 : 1.0;
    for (long r = 0; r < H; r++) {
        const float *row1 = sino + r * W;
        float *o = out + r * 2 * W;
        for (long x = 0; x < W; x++) {
            double v2 = o[g.first2 + x] * ratio;
            /* the wedges: the half on the left fades out over the overlap */
            long i2 = x - o2;
            double w2 = i2 < 0 || i2 >= g.overlap ? 1.0
                        : g.left                 ? wedge(i2, g.overlap)
                                                 : 1.0 - wedge(i2, g.overlap);
            o[g.first2 + x] = (float)(v2 * w2);
        }
        for (long x = 0; x < W; x++) {
            long i1 = x - o1;
            double w1 = i1 < 0 || i1 >= g.overlap ? 1.0
                        : g.left                 ? 1.0 - wedge(i1, g.overlap)
                                                 : wedge(i1, g.overlap);
            o[g.first1 + x] += (float)(row1[x] * w1);
        }
        /* beyond the stitched width: the outer half's edge repeated */
        if (g.left)
            for (long x = 0; x < g.first2; x++)
                o[x] = o[g.first2];
        else
            for (long x = g.first2 + W; x < 2 * W; x++)
                o[x] = o[g.first2 + W - 1];
    }
}

