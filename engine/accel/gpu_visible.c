/* gpu_visible.c: the CUDA_VISIBLE_DEVICES entry of a process (see
 * gpu_visible.h). */
#include <stdio.h>
#include <string.h>
#include "gpu_visible.h"

int gpu_own_entry(const char *visible, int driver_gpus, int local_rank, char *out,
                  size_t size)
{
    char entries[16][64];
    int n = 0;
    if (visible) {
        for (const char *p = visible; *p && n < 16;) {
            size_t len = strcspn(p, ",");
            if (len == 0 || len >= sizeof entries[0])
                return 0; /* leave anything unusual to CUDA */
            snprintf(entries[n++], sizeof entries[0], "%.*s", (int)len, p);
            p += len + (p[len] == ',');
        }
    } else {
        n = driver_gpus < 16 ? driver_gpus : 16;
        for (int i = 0; i < n; i++)
            snprintf(entries[i], sizeof entries[0], "%d", i);
    }
    if (n < 2 || local_rank < 0)
        return 0;
    snprintf(out, size, "%s", entries[local_rank % n]);
    return 1;
}
