/* slab_remote.c: another rank's frames by cross-memory attach (see
 * slab_remote.h). */
#define _GNU_SOURCE /* process_vm_readv */
#include <errno.h>
#include <stdint.h>
#include <sys/uio.h>
#include "slab_remote.h"

/* bytes from the peer's address `from` into `to`, in as many calls as the
 * kernel needs. */
static int read_all(pid_t pid, char *to, intptr_t from, size_t bytes)
{
    while (bytes > 0) {
        struct iovec local = {to, bytes}, remote = {(void *)from, bytes};
        ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
        if (got <= 0)
            return got < 0 ? errno : EIO;
        to += got;
        from += got;
        bytes -= (size_t)got;
    }
    return 0;
}

int slab_remote_read(const struct reslice_peer *peer, struct frame_range range, long variants,
                     long frame_size, long first, long n, float *out)
{
    if (first < range.first || first + n > range.first + range.count)
        return EINVAL;
    const size_t frame_bytes = sizeof(float) * (size_t)frame_size;
    for (long v = 0; v < variants; v++) {
        intptr_t from = (intptr_t)peer->address +
                        (intptr_t)(((size_t)v * range.count + (size_t)(first - range.first)) * frame_bytes);
        int rc = read_all((pid_t)peer->pid, (char *)(out + (size_t)v * n * frame_size), from,
                          (size_t)n * frame_bytes);
        if (rc != 0)
            return rc;
    }
    return 0;
}
