/* result_raw.h: the frames of a result file's float32 dataset (3 spatial
 * dims, then one per tuned parameter) moved straight between a block and
 * the file (raw_io.h) on the I/O threads, as float32 or, for a dataset
 * stored as float16 or scaled uint16, converted (half_float.h,
 * scaled_u16.h; written only). The dataset is laid out as HDF5
 * allotted it: contiguous, or in unfiltered chunks that hold whole rows of
 * the last spatial dim and one variant (Savu's chunks do). A block [variant][frame][rows of
 * the other two dims] is a list of rows; each task takes a share of them,
 * sorts them by their place in the file and moves each run of rows that
 * are neighbours in the file with one vectored call: no transposing copy,
 * no HDF5 buffers. Each rank moves its own frames through its own
 * descriptor: no MPI-IO, no collective calls. */
#ifndef SAVU_RESULT_RAW_H
#define SAVU_RESULT_RAW_H

#include <stdbool.h>
#include "raw_io.h"

struct savu_thread_pool;

struct result_raw {
    int fd;                        /* the file, open read-write; -1: closed */
    bool has_direct;               /* direct_fd: the file open for writing */
    int direct_fd;                 /* with O_DIRECT (result_raw_open_direct) */
    struct raw_layout layout;      /* the dataset's dims, chunks and addresses */
    struct savu_thread_pool *pool; /* the I/O threads (NULL: the caller) */
    char *map;                     /* the data's bytes mapped for writing, or NULL */
    off_t map_from;                /* file offset of map[0] */
    size_t map_len;
    struct result_raw *stripes;    /* n_stripes > 0: the frames along the
                                    * written dim lie in these files instead,
                                    * frame f as frame f / n_stripes of stripe
                                    * f % n_stripes (each its own fd and
                                    * layout, written with pwrite(2); fd -1:
                                    * no frames). Stripe files live in
                                    * memory (result_parts.h): never mapped,
                                    * no write-back to start. */
    int n_stripes;
    bool to_uint16;                /* a 2-byte dataset holds uint16 scaled from
                                    * [u16_min, u16_max] (scaled_u16.h); else float16 */
    double u16_min, u16_max;
};

/* Maps the data for writing when the file lies on a
 * memory-backed filesystem (tmpfs): there the kernel lets one pwrite(2)
 * into a file run at a time (measured: 2.1 GB/s into one file whatever the
 * threads), while copies into a shared mapping run on all the I/O threads.
 * Each write allocates the pages it is about to fill
 * (madvise(MADV_POPULATE_WRITE)), so a full filesystem is an error, never a
 * SIGBUS. tmpfs still allocates one file's pages one caller at a time
 * (about 5 GB/s on 16 threads): results written only are faster as stripe
 * files written with pwrite(2) (result_parts.h), left unmapped. On disks
 * the device is slower than that bound, and writes stay pwrite(2). Nothing
 * happens when the filesystem is not memory-backed or the mapping fails. */
void result_raw_map(struct result_raw *raw);

/* Whether a filesystem (statfs(2)) keeps its files in memory: tmpfs, ramfs. */
struct statfs;
bool result_raw_memory_backed(const struct statfs *fs);

void result_raw_unmap(struct result_raw *raw);

/* Results on a disk: opens `path` (the raw's file) a second time with
 * O_DIRECT, through which runs of rows whose file offset, memory and
 * length are all aligned to DIRECT_ALIGN go straight to the device (rows
 * that are neighbours in memory count as one buffer: a frame of 512
 * float32 rows of a contiguous dataset is one run); the rest go through fd
 * and the page cache.
 * Buffered writes of a volume larger than the kernel's dirty-page budget
 * reach the disk at the pace of its flusher threads (measured on the GPU
 * host: 1.1 GB/s buffered, 1.8 GB/s with dd and direct I/O). Nothing for
 * a memory-backed filesystem or where O_DIRECT cannot open (open(2)
 * refuses it where the filesystem does not support it). */
#define DIRECT_ALIGN 4096
void result_raw_open_direct(struct result_raw *raw, const char *path);

/* Closes the descriptors (of the stripes too), after fdatasync(2) when
 * `sync`; 0, or the first errno value. */
int result_raw_close(struct result_raw *raw, bool sync);

/* Unmaps, closes and frees the layouts and the stripes. */
void result_raw_free(struct result_raw *raw);

/* Whether a dataset of this layout can move raw: rows of the last spatial
 * dim (dim 2) lie whole and alone in one chunk (chunks span all of dim 2
 * and one index of each tuning dim; a contiguous 3-D dataset is one such
 * chunk). */
bool result_raw_suits(const struct raw_layout *layout);

/* Moves frames [first, first + n) along dim (0 or 1), every variant,
 * between the file and block [variant][n][...]: writes when `writing`,
 * else reads. 0, or an errno value (ENOMEM when out of memory, EIO for a
 * read past the end of the file). */
int result_raw_move(const struct result_raw *raw, bool writing, int dim, hsize_t first,
                    hsize_t n, float *block);

/* Asks the kernel to start writing the file's dirty pages to the device
 * now (sync_file_range(2), without waiting), so that they go out while
 * later blocks compute instead of all at the final fdatasync: below the
 * kernel's dirty-memory threshold nothing is written back for 30 s, and a
 * run shorter than that would otherwise wait for all of its output at the
 * end. Nothing for a mapped (memory-backed) file; a hint: errors are left
 * to the final sync. */
void result_raw_start_writeback(const struct result_raw *raw);

#endif
