/* slice_groups.h: slices grouped by centre of rotation, for the
 * backprojectors that share one interpolation among several slices (the CPU
 * groups up to 16, the GPU's fp16x4 path packs 4): slices with the same
 * centre are backprojected together, in order of centre and then of slice. */
#ifndef SAVU_SLICE_GROUPS_H
#define SAVU_SLICE_GROUPS_H

/* Orders slices 0 .. n-1 by cor[] (then by index) into order[] (room for n)
 * and cuts them into runs of equal centre of at most max_size slices: run g
 * is order[starts[g] .. starts[g + 1] - 1] (starts: room for n + 1).
 * Returns the number of runs, or -1 when out of memory. */
int savu_group_by_cor(int n, const double *cor, int max_size, int *order, int *starts);

#endif
