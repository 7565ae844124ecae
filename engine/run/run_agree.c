/* run_agree.c: the ranks' common outcome after each block (see run.h). The
 * kill signal is looked for by rank 0 alone and broadcast, so that every
 * rank stops after the same block and no collective write is left waiting. */
#include <unistd.h>
#include "mpi_agree.h"
#include "run.h"
#include "run_log.h"

int run_agree(struct run *run, int rc, savu_error *err)
{
    if (mpi_agree(run->comm, rc, err) != 0)
        return -1;
    int kill = run->rank == 0 && access(run->kill_path, F_OK) == 0;
    if (MPI_Bcast(&kill, 1, MPI_INT, 0, run->comm) != MPI_SUCCESS)
        return savu_error_set(err, "MPI error in MPI_Bcast of the kill signal");
    if (kill && !run->killed)
        savu_log(LOG_WARNING, "found %s: stopping the run", run->kill_path);
    run->killed = run->killed || kill;
    return kill ? 1 : 0;
}
