/* raw_io.h: moving a dataset's data straight between memory and its HDF5
 * file with pread(2)/pwrite(2), where HDF5 says where the bytes lie: a
 * contiguous dataset (one offset), or chunks stored without filters (one
 * address per chunk). HDF5 moves a selection one call at a time through its
 * own buffers; these calls copy nothing and may run on several threads at
 * once (the engine's I/O threads), which is what makes a many-GB block read
 * or written at memory speed.
 *
 * Only the data go this way: HDF5 still creates, describes and closes the
 * file. A layout is taken only when HDF5 will never touch those bytes itself
 * (no fill values written, storage allocated) and the elements are stored
 * in this machine's own byte order. */
#ifndef SAVU_RAW_IO_H
#define SAVU_RAW_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <hdf5.h>

#define RAW_MAX_DIMS 8

/* Where the elements of a 1- to RAW_MAX_DIMS-D dataset lie in its file. */
struct raw_layout {
    int ndims;
    hsize_t dims[RAW_MAX_DIMS];
    hsize_t chunk[RAW_MAX_DIMS];  /* the chunk shape; = dims when contiguous */
    hsize_t n_chunks[RAW_MAX_DIMS];
    haddr_t *chunk_addr;          /* per chunk (row-major over n_chunks) */
    size_t element_size;
    char *file_name;              /* the file holding the data (an external
                                   * link may lead to another one) */
};

/* Fills *out when the data of `dset` can be moved raw as elements of
 * mem_type (a native type: its size and byte order must equal the file's):
 * a contiguous dataset with allocated storage, or chunked with no filters
 * and every chunk allocated (at most 16384 chunks), in a file without a
 * user block. 1 when usable; 0 when not (HDF5 must move the
 * data; *out is empty); -1 when out of memory. */
int raw_layout_of(hid_t dset, hid_t mem_type, struct raw_layout *out);

void raw_layout_free(struct raw_layout *layout);

/* The file offset of element coord, and through *run how many elements
 * from it (at most `want`) follow contiguously along the last dimension
 * inside its chunk. */
off_t raw_layout_offset(const struct raw_layout *layout, const hsize_t coord[], hsize_t want,
                        hsize_t *run);

/* Reads len bytes at off in full (retrying short reads and EINTR). 0, or
 * an errno value (EIO for a file that ends early). */
int raw_pread_full(int fd, void *buf, size_t len, off_t off);

/* Writes (or reads) the n buffers of iov, one after the other from off, in
 * full (batches of IOV_MAX; short transfers and EINTR retried). iov is
 * changed. 0, or an errno value (EIO for a read past the end). */
int raw_vector_full(int fd, bool writing, struct iovec *iov, int n, off_t off);

#endif
