/* slab_remote.h: frames of another rank's slab on the same node, read
 * straight from its memory with process_vm_readv(2), for a block that one
 * rank takes over from another (block_claims.h). The ranks' addresses come
 * from reslice_node_peers (reslice_node.h), which also checks that every
 * rank can read every other. */
#ifndef SAVU_SLAB_REMOTE_H
#define SAVU_SLAB_REMOTE_H

#include "reslice_node.h"
#include "slab.h"

/* Frames [first, first + n) of every variant of the slab that `peer`
 * holds, whose range is `range` and whose frames hold frame_size floats,
 * into out as [variant][n][frame]. 0, or an errno value. */
int slab_remote_read(const struct reslice_peer *peer, struct frame_range range, long variants,
                     long frame_size, long first, long n, float *out);

#endif
