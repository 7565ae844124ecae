/* big_alloc.c: huge-page-friendly allocation (see big_alloc.h). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include "big_alloc.h"

#define HUGE_PAGE ((size_t)2 << 20)

void *big_alloc(size_t bytes)
{
    if (bytes < 16 * HUGE_PAGE)
        return malloc(bytes ? bytes : 1);
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, bytes) != 0)
        return NULL;
    madvise(p, bytes, MADV_HUGEPAGE); /* advice only: fine where unsupported */
    return p;
}
