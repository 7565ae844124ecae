/* mpi_transport.h: Open MPI's point-to-point layer for a run on one node.
 * By default Open MPI starts UCX (pml ucx), whose probing of the network
 * takes about 0.2 s of MPI_Init (0.28 -> 0.07 s measured with pml ob1 on
 * the development VM, 0.25 -> 0.04 s on the GPU hosts) and buys nothing
 * when every rank shares the node's memory. So when all ranks are on one
 * node (mpirun's world size equals its local size, or no mpirun at all)
 * and nobody chose (OMPI_MCA_pml unset: mpirun --mca pml X sets it too),
 * the engine asks for ob1, whose shared-memory transport (vader) carries
 * the traffic. Other MPI libraries ignore the variable. */
#ifndef SAVU_MPI_TRANSPORT_H
#define SAVU_MPI_TRANSPORT_H

#include <stdbool.h>

/* Whether a run with these launcher variables should ask for ob1: world
 * and local size as Open MPI's mpirun gives them (OMPI_COMM_WORLD_SIZE,
 * OMPI_COMM_WORLD_LOCAL_SIZE; both NULL without mpirun) and the user's
 * OMPI_MCA_pml (NULL: unset). */
bool mpi_transport_wants_ob1(const char *world_size, const char *local_size, const char *pml);

/* Before MPI_Init: sets OMPI_MCA_pml=ob1 where mpi_transport_wants_ob1
 * says so, from this process's environment; returns whether it did. */
bool mpi_transport_choose(void);

#endif
