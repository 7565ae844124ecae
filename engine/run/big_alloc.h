/* big_alloc.h: memory for large buffers (slabs, blocks): aligned to 2 MiB
 * and marked for transparent huge pages, so that touching tens of GiB
 * takes thousands of page faults rather than millions. Free with free(). */
#ifndef SAVU_BIG_ALLOC_H
#define SAVU_BIG_ALLOC_H

#include <stddef.h>

/* bytes of uninitialised memory (NULL when out of memory; 0 bytes gives a
 * small valid block). */
void *big_alloc(size_t bytes);

#endif
