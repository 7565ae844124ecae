/* mpi_agree.c: one outcome for a collective step on every rank (see
 * mpi_agree.h). The wait for the other ranks sleeps between tests instead
 * of spinning in MPI: a rank's I/O thread waits here while the rank's own
 * compute threads, on the same cores, still work. */
#include <time.h>
#include "mpi_agree.h"

/* Between two tests of a pending reduction. */
#define POLL_NS 100000L

static int min_all(int *mine, int *result, MPI_Comm comm)
{
    MPI_Request request;
    if (MPI_Iallreduce(mine, result, 1, MPI_INT, MPI_MIN, comm, &request) != MPI_SUCCESS)
        return -1;
    int done = 0;
    while (MPI_Test(&request, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && !done)
        nanosleep(&(struct timespec){0, POLL_NS}, NULL);
    return done ? 0 : -1;
}

int mpi_agree(MPI_Comm comm, int rc, savu_error *err)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int mine = rc < 0 ? rank : size, first = size;
    if (min_all(&mine, &first, comm) != 0)
        return savu_error_set(err, "MPI error in MPI_Iallreduce while agreeing on a result");
    if (first == size)
        return 0;
    savu_error local = { "" };
    savu_error *message = err ? err : &local;
    if (MPI_Bcast(message->msg, (int)sizeof message->msg, MPI_CHAR, first, comm) != MPI_SUCCESS)
        return savu_error_set(err, "MPI error in MPI_Bcast while agreeing on a result");
    message->msg[sizeof message->msg - 1] = '\0';
    return -1;
}
