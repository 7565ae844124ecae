/* block_schedule.h: how a rank's frames of a section are cut into blocks.
 * Blocks of `block` frames, except the last one, which is halved again and
 * again while its halves keep at least `min` frames (64 -> 32, 16, 16;
 * 40 -> 20, 20; min is what a kernel needs to run at full speed). The last
 * block is the one whose writing overlaps no computing: a small one leaves
 * little to write once the computing ends. Every rank follows the schedule
 * of the largest range (frame_range_max), so that all go through the same
 * number of blocks; a rank with fewer frames has empty blocks at its end. */
#ifndef SAVU_BLOCK_SCHEDULE_H
#define SAVU_BLOCK_SCHEDULE_H

struct block_schedule {
    long frames;    /* the largest range of frames any rank has */
    long block;     /* frames of the full blocks (the largest block) */
    long n_full;    /* full blocks before the tail */
    long tail;      /* frames of the tail (the old last block), cut in pieces */
    long min;       /* the smallest piece */
    long n_blocks;  /* full blocks and tail pieces */
};

/* The schedule for ranges of at most `frames` frames in blocks of at most
 * `block` (>= 1), tail pieces of at least `min` (>= 1). */
void block_schedule_init(struct block_schedule *s, long frames, long block, long min);

/* Block b's first frame, counted from the start of a rank's range. */
long block_schedule_start(const struct block_schedule *s, long b);

/* Block b's frames for a rank with `count` frames (0 past them). */
long block_schedule_length(const struct block_schedule *s, long b, long count);

/* The tail's pieces as text ("32, 16, 16"), or "" when the tail is one
 * block; into buf. */
const char *block_schedule_describe_tail(const struct block_schedule *s, char *buf,
                                         unsigned long size);

#endif
