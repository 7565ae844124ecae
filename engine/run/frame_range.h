/* frame_range.h: how the frames of a section are shared among MPI ranks —
 * each rank owns one contiguous range, the ranges in rank order and as even
 * as can be (sizes differ by at most one frame). The sections split their
 * frames this way, and results written as one set of files per rank
 * (result_parts.h) by the same rule. */
#ifndef SAVU_FRAME_RANGE_H
#define SAVU_FRAME_RANGE_H

struct frame_range {
    long first, count;
};

/* Rank `rank` of `ranks`: its range of `total` frames. */
struct frame_range frame_range_of(long total, int rank, int ranks);

/* The largest range any rank gets. */
long frame_range_max(long total, int ranks);

#endif
