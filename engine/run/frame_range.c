/* frame_range.c: each rank's share of a section's frames (frame_range.h). */
#include "frame_range.h"

struct frame_range frame_range_of(long total, int rank, int ranks)
{
    long base = total / ranks, extra = total % ranks;
    long first = rank * base + (rank < extra ? rank : extra);
    return (struct frame_range){first, base + (rank < extra ? 1 : 0)};
}

long frame_range_max(long total, int ranks)
{
    return total / ranks + (total % ranks ? 1 : 0);
}
