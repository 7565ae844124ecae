/* rank_spread.c: a per-rank figure's least, median and most over the ranks
 * (see rank_spread.h). */
#include <stdlib.h>
#include <string.h>
#include "mpi_agree.h"
#include "rank_spread.h"

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void rank_spread_of(const double *values, int count, struct rank_spread *out)
{
    out->min_rank = out->max_rank = 0;
    for (int r = 1; r < count; r++) {
        if (values[r] < values[out->min_rank])
            out->min_rank = r;
        if (values[r] > values[out->max_rank])
            out->max_rank = r;
    }
    out->min = values[out->min_rank];
    out->max = values[out->max_rank];
    double *sorted = malloc(sizeof *sorted * (size_t)count);
    if (!sorted) { /* the middle of the extremes: still between them */
        out->median = (out->min + out->max) / 2;
        return;
    }
    memcpy(sorted, values, sizeof *sorted * (size_t)count);
    qsort(sorted, (size_t)count, sizeof *sorted, by_value);
    out->median = count % 2 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    free(sorted);
}

int rank_spread_gather(MPI_Comm comm, const double *mine, int n, struct rank_spread *out)
{
    int rank, ranks;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &ranks);
    /* Rank 0 receives [rank][figure]; every rank learns whether it could
     * before the gather, so that none is left waiting. */
    double *all = rank == 0 ? malloc(sizeof *all * (size_t)n * (size_t)ranks) : NULL;
    if (mpi_agree(comm, rank == 0 && !all ? -1 : 0, NULL) != 0) {
        free(all);
        return -1;
    }
    int rc = MPI_Gather(mine, n, MPI_DOUBLE, all, n, MPI_DOUBLE, 0, comm) == MPI_SUCCESS ? 0 : -1;
    if (rank == 0 && rc == 0) {
        double *column = malloc(sizeof *column * (size_t)ranks);
        for (int i = 0; column && i < n; i++) {
            for (int r = 0; r < ranks; r++)
                column[r] = all[(size_t)r * n + i];
            rank_spread_of(column, ranks, &out[i]);
        }
        rc = column ? 0 : -1;
        free(column);
    }
    free(all);
    return rc;
}
