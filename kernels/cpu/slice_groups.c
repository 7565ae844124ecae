/* slice_groups.c: slices grouped by centre of rotation (slice_groups.h). */
#include "slice_groups.h"

#include <stdlib.h>

struct slice_cor {
    double cor;
    int slice;
};

static int compare_slice_cor(const void *a, const void *b)
{
    const struct slice_cor *x = a, *y = b;
    if (x->cor != y->cor)
        return x->cor < y->cor ? -1 : 1;
    return (x->slice > y->slice) - (x->slice < y->slice);
}

int savu_group_by_cor(int n, const double *cor, int max_size, int *order, int *starts)
{
    struct slice_cor *sorted = malloc(sizeof *sorted * (size_t)(n > 0 ? n : 1));
    if (!sorted)
        return -1;
    for (int s = 0; s < n; s++) {
        sorted[s].cor = cor[s];
        sorted[s].slice = s;
    }
    qsort(sorted, (size_t)n, sizeof *sorted, compare_slice_cor);
    int runs = 0;
    for (int s = 0; s < n; s++) {
        order[s] = sorted[s].slice;
        if (s == 0 || s - starts[runs - 1] == max_size || sorted[s].cor != sorted[s - 1].cor)
            starts[runs++] = s;
    }
    starts[runs] = n;
    free(sorted);
    return runs;
}
