/* mpi_agree.h: making the outcome of a collective step the same on every MPI
 * rank. Each rank brings its own result; all leave with -1 when any failed,
 * and with the error message of the lowest failing rank, so that every rank
 * takes the same path afterwards (no rank waits in a collective call that the
 * others skipped) and reports the same one line. */
#ifndef SAVU_MPI_AGREE_H
#define SAVU_MPI_AGREE_H

#include <mpi.h>
#include "error.h"

/* rc: this rank's result (0 or -1; on -1 err->msg says why). Collective over
 * comm. Returns 0 when every rank succeeded, else -1 with err->msg set to the
 * first failing rank's message on every rank. Should MPI itself fail, -1
 * with "MPI error in ...". */
int mpi_agree(MPI_Comm comm, int rc, savu_error *err);

#endif
