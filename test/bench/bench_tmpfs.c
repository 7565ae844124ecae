/* bench_tmpfs.c: how fast a large result gets into a memory-backed
 * filesystem (tmpfs, e.g. /dev/shm), which bounds the warm GPU figure with
 * a float32 volume (test/bench/RESULTS.md, sessions 8 and 9). The same
 * bytes are copied from memory into tmpfs files on T threads, five ways:
 *  - ahead: one file mapped shared; one thread allocates it with
 *    fallocate(2) while the copying threads follow (the engine until
 *    session 9); tmpfs runs fallocate under the file's lock;
 *  - populate: one file mapped shared; each copying thread allocates its
 *    own range just before copying, with madvise(MADV_POPULATE_WRITE)
 *    (Linux 5.14), which returns an error instead of raising SIGBUS when
 *    the filesystem is full (the engine's reslice files);
 *  - files: each thread allocates (fallocate) and fills a file of its own;
 *  - files, populate: each thread its own file, mapped, each chunk's pages
 *    allocated with MADV_POPULATE_WRITE just before its copy;
 *  - files, pwrite: each thread pwrite(2)s into its own file: tmpfs need
 *    not zero a page that a write fills whole, where a mapping's pages are
 *    zeroed when allocated (the engine's stripe files of results).
 * The source is one 8-MiB chunk (in the caches), or with --source-gib N
 * N GiB of memory, as the engine's blocks are.
 * The threads take 8-MiB chunks in turn, so that they move through the file
 * together as the engine's I/O threads move through a block. Prints
 * seconds and GB/s for each; the files are removed.
 *
 *   bench_tmpfs [--gib N] [--source-gib N] [--threads T] [DIR]  (8 GiB, all CPUs, /dev/shm)
 *
 * Not run by make check. */
#define _GNU_SOURCE /* fallocate */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define CHUNK ((size_t)8 << 20) /* bytes copied per step, and allocated ahead per step */

enum way { AHEAD, POPULATE, FILES, FILES_POPULATE, FILES_PWRITE };
static const char *const way_names[] = {"ahead (one fallocate thread)",
                                        "populate (each thread its own range)",
                                        "files (one file per thread)",
                                        "files, populate (one file per thread)",
                                        "files, pwrite (one file per thread)"};

struct shared {
    enum way way;
    const char *dir;
    size_t bytes;        /* in all */
    int threads;
    const char *source;  /* source_bytes to copy from, a chunk at a time */
    size_t source_bytes;
    int fd;              /* AHEAD, POPULATE: the one file */
    char *map;
    atomic_size_t allocated; /* AHEAD: bytes allocated so far */
    atomic_int failed;
};

struct worker {
    pthread_t thread;
    struct shared *sh;
    int index;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *allocate_ahead(void *arg)
{
    struct shared *sh = arg;
    for (size_t at = 0; at < sh->bytes; at += CHUNK) {
        size_t n = sh->bytes - at < CHUNK ? sh->bytes - at : CHUNK;
        if (fallocate(sh->fd, 0, (off_t)at, (off_t)n) != 0) {
            atomic_store(&sh->failed, errno);
            break;
        }
        atomic_store(&sh->allocated, at + n);
    }
    return NULL;
}

static char *file_name(const struct shared *sh, int index)
{
    char *name = malloc(strlen(sh->dir) + 32);
    if (name)
        sprintf(name, "%s/bench_tmpfs.%d.%d", sh->dir, (int)getpid(), index);
    return name;
}

/* Worker i copies chunks i, i + T, i + 2T, ... of the bytes, so that the
 * threads move through the file together as the engine's I/O threads move
 * through a block (with FILES, its chunks lie one after another in its own
 * file). */
static void *copy_share(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    size_t chunks = (sh->bytes + CHUNK - 1) / CHUNK, step = (size_t)sh->threads;
    size_t mine = chunks > (size_t)w->index ? (chunks - (size_t)w->index + step - 1) / step : 0;
    if (mine == 0)
        return NULL;
    char *own = NULL;
    int fd = -1;
    bool own_file = sh->way >= FILES;
    if (own_file) {
        char *name = file_name(sh, w->index);
        fd = name ? open(name, O_RDWR | O_CREAT | O_TRUNC, 0600) : -1;
        free(name);
        if (fd < 0 ||
            (sh->way == FILES ? fallocate(fd, 0, 0, (off_t)(mine * CHUNK))
                              : ftruncate(fd, (off_t)(mine * CHUNK))) != 0 ||
            (sh->way != FILES_PWRITE &&
             (own = mmap(NULL, mine * CHUNK, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) ==
                 MAP_FAILED)) {
            atomic_store(&sh->failed, errno ? errno : EIO);
            if (fd >= 0)
                close(fd);
            return NULL;
        }
    }
    for (size_t k = 0; k < mine && !atomic_load(&sh->failed); k++) {
        size_t at = ((size_t)w->index + k * step) * CHUNK;
        size_t n = sh->bytes - at < CHUNK ? sh->bytes - at : CHUNK;
        char *dst = own_file ? own + k * CHUNK : sh->map + at;
        const char *src = sh->source + at % sh->source_bytes;
        if (sh->way == FILES_PWRITE) {
            if (pwrite(fd, src, n, (off_t)(k * CHUNK)) != (ssize_t)n)
                atomic_store(&sh->failed, errno ? errno : EIO);
            continue;
        }
        if (sh->way == AHEAD)
            while (atomic_load(&sh->allocated) < at + n && !atomic_load(&sh->failed))
                sched_yield();
        if ((sh->way == POPULATE || sh->way == FILES_POPULATE) &&
            madvise(dst, n, MADV_POPULATE_WRITE) != 0) {
            atomic_store(&sh->failed, errno);
            break;
        }
        if (!atomic_load(&sh->failed))
            memcpy(dst, src, n);
    }
    if (own)
        munmap(own, mine * CHUNK);
    if (fd >= 0)
        close(fd);
    return NULL;
}

static int run_way(struct shared *sh, enum way way)
{
    sh->way = way;
    atomic_store(&sh->allocated, 0);
    atomic_store(&sh->failed, 0);
    sh->fd = -1;
    sh->map = NULL;
    char *name = file_name(sh, -1);
    double t0 = now();
    pthread_t allocator;
    int allocating = 0;
    if (way < FILES) {
        sh->fd = name ? open(name, O_RDWR | O_CREAT | O_TRUNC, 0600) : -1;
        if (sh->fd < 0 || ftruncate(sh->fd, (off_t)sh->bytes) != 0 ||
            (sh->map = mmap(NULL, sh->bytes, PROT_READ | PROT_WRITE, MAP_SHARED, sh->fd, 0)) ==
                MAP_FAILED) {
            fprintf(stderr, "bench_tmpfs: cannot map %s: %s\n", name ? name : "?", strerror(errno));
            free(name);
            return -1;
        }
        if (way == AHEAD)
            allocating = pthread_create(&allocator, NULL, allocate_ahead, sh) == 0;
    }
    struct worker *w = calloc((size_t)sh->threads, sizeof *w);
    for (int i = 0; w && i < sh->threads; i++) {
        w[i] = (struct worker){.sh = sh, .index = i};
        pthread_create(&w[i].thread, NULL, copy_share, &w[i]);
    }
    for (int i = 0; w && i < sh->threads; i++)
        pthread_join(w[i].thread, NULL);
    if (allocating)
        pthread_join(allocator, NULL);
    double seconds = now() - t0;
    int failed = atomic_load(&sh->failed);
    if (failed)
        printf("%-40s failed: %s\n", way_names[way], strerror(failed));
    else
        printf("%-40s %6.2f s, %5.2f GB/s\n", way_names[way], seconds, sh->bytes / 1e9 / seconds);
    if (sh->map)
        munmap(sh->map, sh->bytes);
    if (sh->fd >= 0)
        close(sh->fd);
    if (name)
        unlink(name);
    free(name);
    for (int i = 0; way >= FILES && i < sh->threads; i++) {
        char *part = file_name(sh, i);
        if (part)
            unlink(part);
        free(part);
    }
    free(w);
    return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
    struct shared sh = {.dir = "/dev/shm", .bytes = (size_t)8 << 30,
                        .threads = (int)sysconf(_SC_NPROCESSORS_ONLN)};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--gib") == 0 && i + 1 < argc)
            sh.bytes = (size_t)(atof(argv[++i]) * (1 << 30));
        else if (strcmp(argv[i], "--source-gib") == 0 && i + 1 < argc)
            sh.source_bytes = (size_t)(atof(argv[++i]) * (1 << 30)) / CHUNK * CHUNK;
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            sh.threads = atoi(argv[++i]);
        else if (argv[i][0] != '-')
            sh.dir = argv[i];
        else {
            fprintf(stderr, "usage: bench_tmpfs [--gib N] [--source-gib N] [--threads T] [DIR]\n");
            return 2;
        }
    }
    if (sh.threads < 1 || sh.bytes < CHUNK) {
        fprintf(stderr, "bench_tmpfs: need at least 1 thread and 8 MiB\n");
        return 2;
    }
    if (sh.source_bytes < CHUNK)
        sh.source_bytes = CHUNK;
    char *source = malloc(sh.source_bytes);
    if (!source)
        return 1;
    memset(source, 0x3f, sh.source_bytes);
    sh.source = source;
    printf("%.1f GiB into %s on %d threads, from %.3f GiB\n", sh.bytes / (double)(1 << 30), sh.dir,
           sh.threads, sh.source_bytes / (double)(1 << 30));
    int rc = 0;
    for (enum way way = AHEAD; way <= FILES_PWRITE; way++)
        rc |= run_way(&sh, way);
    free(source);
    return rc ? 1 : 0;
}
