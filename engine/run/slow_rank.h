/* slow_rank.h: SAVU_SLOW_RANK=RANK:SECONDS, an aid for tests and
 * demonstrations of --balance: rank RANK waits SECONDS after computing
 * each block, as a rank on busier cores would take longer. Unset (or
 * malformed, or another rank): no wait. */
#ifndef SAVU_SLOW_RANK_H
#define SAVU_SLOW_RANK_H

/* Seconds this rank waits after each block (0: none). */
double slow_rank_delay(int rank);

#endif
