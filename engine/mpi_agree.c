/* mpi_agree.c: one outcome for a collective step on every rank (see
 * mpi_agree.h). */
#include "mpi_agree.h"

int mpi_agree(MPI_Comm comm, int rc, savu_error *err)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int mine = rc < 0 ? rank : size, first = size;
    if (MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm) != MPI_SUCCESS)
        return savu_error_set(err, "MPI error in MPI_Allreduce while agreeing on a result");
    if (first == size)
        return 0;
    savu_error local = { "" };
    savu_error *message = err ? err : &local;
    if (MPI_Bcast(message->msg, (int)sizeof message->msg, MPI_CHAR, first, comm) != MPI_SUCCESS)
        return savu_error_set(err, "MPI error in MPI_Bcast while agreeing on a result");
    message->msg[sizeof message->msg - 1] = '\0';
    return -1;
}
