/* mpi_transport.c: ob1 for single-node runs (see mpi_transport.h). */
#include <stdlib.h>
#include <string.h>
#include "mpi_transport.h"

bool mpi_transport_wants_ob1(const char *world_size, const char *local_size, const char *pml)
{
    if (pml)
        return false;
    if (!world_size && !local_size)
        return true; /* no mpirun: one process */
    return world_size && local_size && *world_size && strcmp(world_size, local_size) == 0;
}

bool mpi_transport_choose(void)
{
    if (!mpi_transport_wants_ob1(getenv("OMPI_COMM_WORLD_SIZE"),
                                 getenv("OMPI_COMM_WORLD_LOCAL_SIZE"), getenv("OMPI_MCA_pml")))
        return false;
    return setenv("OMPI_MCA_pml", "ob1", 0) == 0;
}
