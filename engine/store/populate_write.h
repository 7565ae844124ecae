/* populate_write.h: MADV_POPULATE_WRITE (Linux 5.14: madvise(2) allocates
 * the pages of a range for writing without writing them, and returns an
 * error where touching them would raise SIGBUS), for C libraries whose
 * headers predate it. Include after <sys/mman.h>. */
#ifndef SAVU_POPULATE_WRITE_H
#define SAVU_POPULATE_WRITE_H

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#endif
