/* png_grey.h: an 8-bit grey PNG written atomically (a temporary renamed when
 * complete), its rows compressed in bands of fixed height on a thread pool:
 * the file's bytes do not depend on the number of threads. */
#ifndef SAVU_PNG_GREY_H
#define SAVU_PNG_GREY_H

#include "error.h"
#include "cpu/thread_pool.h"

/* width x height pixels (row-major) to path; pool may be NULL (the calling
 * thread). Error: "cannot write PATH: reason". */
int png_grey_write(const char *path, const unsigned char *pixels, long width, long height,
                   savu_thread_pool *pool, savu_error *err);

#endif
