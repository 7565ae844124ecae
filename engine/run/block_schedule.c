/* block_schedule.c: full blocks, then the last block cut in halves (see
 * block_schedule.h). */
#include "block_schedule.h"

#include <stdio.h>

/* Tail pieces: ceil(t / 2) while t >= 2 * min, then what is left. */
static long pieces(long tail, long min)
{
    long n = 1;
    for (long t = tail; t >= 2 * min; t /= 2)
        n++;
    return n;
}

/* Piece k of the tail (0-based) and where it starts in the tail. */
static long piece(long tail, long min, long k, long *start)
{
    long t = tail, at = 0;
    for (long i = 0; i < k && t >= 2 * min; i++) {
        at += t - t / 2;
        t /= 2;
    }
    *start = at;
    return t >= 2 * min ? t - t / 2 : t;
}

void block_schedule_init(struct block_schedule *s, long frames, long block, long min)
{
    block = block > 0 ? block : 1;
    min = min > 0 ? min : 1;
    *s = (struct block_schedule){.frames = frames > 0 ? frames : 0, .block = block, .min = min};
    if (s->frames == 0)
        return;
    long blocks = (s->frames + block - 1) / block;
    s->n_full = blocks - 1;
    s->tail = s->frames - s->n_full * block;
    s->n_blocks = s->n_full + pieces(s->tail, min);
}

long block_schedule_start(const struct block_schedule *s, long b)
{
    if (b <= s->n_full)
        return b * s->block;
    if (b >= s->n_blocks)
        return s->frames;
    long at;
    piece(s->tail, s->min, b - s->n_full, &at);
    return s->n_full * s->block + at;
}

long block_schedule_length(const struct block_schedule *s, long b, long count)
{
    if (b < 0 || b >= s->n_blocks)
        return 0;
    long at, n = b < s->n_full ? s->block : piece(s->tail, s->min, b - s->n_full, &at);
    long left = count - block_schedule_start(s, b);
    return left <= 0 ? 0 : left < n ? left : n;
}

const char *block_schedule_describe_tail(const struct block_schedule *s, char *buf,
                                         unsigned long size)
{
    long n = s->n_blocks - s->n_full;
    int used = 0;
    buf[0] = '\0';
    for (long k = 0; n > 1 && k < n && used >= 0 && (unsigned long)used < size; k++) {
        long at;
        used += snprintf(buf + used, size - (unsigned long)used, "%s%ld", k ? ", " : "",
                         piece(s->tail, s->min, k, &at));
    }
    return buf;
}
