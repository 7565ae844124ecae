/* slow_rank.c: the SAVU_SLOW_RANK variable (see slow_rank.h). */
#include <stdio.h>
#include <stdlib.h>
#include "slow_rank.h"

double slow_rank_delay(int rank)
{
    const char *v = getenv("SAVU_SLOW_RANK");
    int slow;
    double seconds;
    char end;
    if (!v || sscanf(v, "%d:%lf%c", &slow, &seconds, &end) != 2 || slow != rank ||
        !(seconds > 0 && seconds < 3600))
        return 0;
    return seconds;
}
