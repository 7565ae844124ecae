/* rank_spread.h: how a figure measured on every rank (a section's compute
 * time, its reading, its writing) spreads over the ranks: the least, the
 * median and the most, with the ranks that hold the extremes. It shows
 * which rank the others wait for. */
#ifndef SAVU_RANK_SPREAD_H
#define SAVU_RANK_SPREAD_H

#include <mpi.h>

struct rank_spread {
    double min, median, max;
    int min_rank, max_rank;
};

/* The spread of values[0 .. count), value r being rank r's (count >= 1).
 * The median of an even count is the mean of the two middle values. */
void rank_spread_of(const double *values, int count, struct rank_spread *out);

/* Collective over comm: each rank gives its n figures; on rank 0, out[i]
 * is the spread of figure i over the ranks (other ranks: out untouched).
 * 0, or -1 when MPI or memory failed (on any rank). */
int rank_spread_gather(MPI_Comm comm, const double *mine, int n, struct rank_spread *out);

#endif
