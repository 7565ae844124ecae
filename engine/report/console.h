/* console.h: whether the person running savu sees its standard output on a
 * terminal, for the progress bar and coloured labels. Under mpirun a rank's
 * stdout is a pseudo-terminal of mpirun's whatever mpirun's own output is,
 * so there the answer is mpirun's: the parent's stdout (/proc) is a
 * terminal device. SAVU_PROGRESS=plain or =bar overrides the answer. */
#ifndef SAVU_CONSOLE_H
#define SAVU_CONSOLE_H

#include <stdbool.h>

/* Whether file descriptor fd (1 or 2) reaches a terminal. */
bool console_is_terminal(int fd);

#endif
