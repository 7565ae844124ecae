/* raw_io.c: where a dataset's bytes lie in its file, and full positional
 * reads and writes (see raw_io.h). */
#define _GNU_SOURCE /* IOV_MAX */
#include "raw_io.h"

#include <errno.h>
#include <limits.h>
#include <sys/uio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Buffers per vectored call: the system's limit (1024 on Linux), else
 * POSIX's least. */
#ifdef IOV_MAX
#define RAW_IOV_BATCH IOV_MAX
#else
#define RAW_IOV_BATCH 16
#endif

/* More chunks than this are left to HDF5: HDF5 1.10 finds a chunk's
 * address by walking the chunks before it, so asking for all of them
 * takes time that grows with the square of their number (16384 chunks:
 * about 2 s). */
#define RAW_MAX_CHUNKS ((hsize_t)1 << 14)

static bool same_type(hid_t dset, hid_t mem_type)
{
    hid_t type = H5Dget_type(dset);
    bool same = type >= 0 && H5Tequal(type, mem_type) > 0;
    if (type >= 0)
        H5Tclose(type);
    return same;
}

static char *file_name_of(hid_t dset)
{
    ssize_t n = H5Fget_name(dset, NULL, 0);
    char *name = n > 0 ? malloc((size_t)n + 1) : NULL;
    if (name && H5Fget_name(dset, name, (size_t)n + 1) != n) {
        free(name);
        name = NULL;
    }
    return name;
}

/* Every chunk's address; false when one is missing or filtered. */
static bool find_chunks(hid_t dset, struct raw_layout *l, hsize_t total)
{
    hsize_t chunk_bytes = l->element_size;
    for (int d = 0; d < l->ndims; d++)
        chunk_bytes *= l->chunk[d];
    for (hsize_t i = 0; i < total; i++) {
        hsize_t start[RAW_MAX_DIMS], rest = i;
        for (int d = l->ndims - 1; d >= 0; d--) {
            start[d] = rest % l->n_chunks[d] * l->chunk[d];
            rest /= l->n_chunks[d];
        }
        unsigned mask = 0;
        haddr_t addr = HADDR_UNDEF;
        hsize_t size = 0;
        if (H5Dget_chunk_info_by_coord(dset, start, &mask, &addr, &size) < 0 || mask != 0 ||
            addr == HADDR_UNDEF || size != chunk_bytes)
            return false;
        l->chunk_addr[i] = addr;
    }
    return true;
}

/* The layout from the creation properties; 1, 0 (not raw), -1 (memory). */
static int describe(hid_t dset, hid_t dcpl, struct raw_layout *l)
{
    H5D_layout_t kind = H5Pget_layout(dcpl);
    hsize_t total = 1;
    if (kind == H5D_CONTIGUOUS) {
        if (H5Pget_external_count(dcpl) != 0)
            return 0;
        for (int d = 0; d < l->ndims; d++) {
            l->chunk[d] = l->dims[d];
            l->n_chunks[d] = 1;
        }
    } else if (kind == H5D_CHUNKED) {
        if (H5Pget_nfilters(dcpl) != 0 || H5Pget_chunk(dcpl, l->ndims, l->chunk) != l->ndims)
            return 0;
        for (int d = 0; d < l->ndims; d++) {
            if (l->chunk[d] < 1)
                return 0;
            l->n_chunks[d] = (l->dims[d] + l->chunk[d] - 1) / l->chunk[d];
            total *= l->n_chunks[d];
            if (total > RAW_MAX_CHUNKS)
                return 0;
        }
    } else {
        return 0; /* compact or virtual */
    }
    if (!(l->chunk_addr = malloc(sizeof *l->chunk_addr * (size_t)(total ? total : 1))))
        return -1;
    if (kind == H5D_CONTIGUOUS) {
        l->chunk_addr[0] = H5Dget_offset(dset);
        return l->chunk_addr[0] != HADDR_UNDEF;
    }
    return find_chunks(dset, l, total);
}

/* Whether the dataset's file starts with a user block: HDF5's addresses
 * are then relative to its end, and which calls add it is not written
 * down, so such files are left to HDF5. */
static bool has_user_block(hid_t dset)
{
    hid_t file = H5Iget_file_id(dset);
    hid_t fcpl = file >= 0 ? H5Fget_create_plist(file) : -1;
    hsize_t size = 1;
    if (fcpl >= 0 && H5Pget_userblock(fcpl, &size) < 0)
        size = 1;
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (file >= 0)
        H5Fclose(file);
    return size != 0;
}

int raw_layout_of(hid_t dset, hid_t mem_type, struct raw_layout *out)
{
    memset(out, 0, sizeof *out);
    if (!same_type(dset, mem_type) || has_user_block(dset))
        return 0;
    out->element_size = H5Tget_size(mem_type);
    hid_t space = H5Dget_space(dset);
    int ndims = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    if (ndims >= 1 && ndims <= RAW_MAX_DIMS)
        H5Sget_simple_extent_dims(space, out->dims, NULL);
    if (space >= 0)
        H5Sclose(space);
    if (ndims < 1 || ndims > RAW_MAX_DIMS)
        return 0;
    out->ndims = ndims;
    hid_t dcpl = H5Dget_create_plist(dset);
    if (dcpl < 0)
        return 0;
    int rc = describe(dset, dcpl, out);
    H5Pclose(dcpl);
    if (rc == 1 && !(out->file_name = file_name_of(dset)))
        rc = 0;
    if (rc != 1)
        raw_layout_free(out);
    return rc;
}

void raw_layout_free(struct raw_layout *layout)
{
    free(layout->chunk_addr);
    free(layout->file_name);
    memset(layout, 0, sizeof *layout);
}

off_t raw_layout_offset(const struct raw_layout *l, const hsize_t coord[], hsize_t want,
                        hsize_t *run)
{
    hsize_t chunk_index = 0, inside = 0;
    for (int d = 0; d < l->ndims; d++) {
        chunk_index = chunk_index * l->n_chunks[d] + coord[d] / l->chunk[d];
        inside = inside * l->chunk[d] + coord[d] % l->chunk[d];
    }
    int last = l->ndims - 1;
    hsize_t in_chunk = l->chunk[last] - coord[last] % l->chunk[last];
    hsize_t in_dims = l->dims[last] - coord[last];
    hsize_t most = in_chunk < in_dims ? in_chunk : in_dims;
    *run = want < most ? want : most;
    return (off_t)(l->chunk_addr[chunk_index] + inside * l->element_size);
}

/* Drops `done` bytes from the front of iov[first..n); returns the new first. */
static int advance(struct iovec *iov, int n, size_t done, int first)
{
    while (first < n && done >= iov[first].iov_len) {
        done -= iov[first].iov_len;
        first++;
    }
    if (first < n) {
        iov[first].iov_base = (char *)iov[first].iov_base + done;
        iov[first].iov_len -= done;
    }
    return first;
}

int raw_vector_full(int fd, bool writing, struct iovec *iov, int n, off_t off)
{
    int first = advance(iov, n, 0, 0);
    while (first < n) {
        int batch = n - first < RAW_IOV_BATCH ? n - first : RAW_IOV_BATCH;
        ssize_t moved = writing ? pwritev(fd, iov + first, batch, off)
                                : preadv(fd, iov + first, batch, off);
        if (moved < 0 && errno == EINTR)
            continue;
        if (moved < 0)
            return errno;
        if (moved == 0)
            return EIO;
        off += moved;
        first = advance(iov, n, (size_t)moved, first);
    }
    return 0;
}

int raw_pread_full(int fd, void *buf, size_t len, off_t off)
{
    struct iovec one = { .iov_base = buf, .iov_len = len };
    return raw_vector_full(fd, false, &one, 1, off);
}
