/* console.c: is the user's console a terminal? (see console.h) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "console.h"

/* Whether the parent's descriptor fd is a terminal device. */
static bool parent_is_terminal(int fd)
{
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)getppid(), fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return false;
    target[n] = '\0';
    return strncmp(target, "/dev/pts/", 9) == 0 || strncmp(target, "/dev/tty", 8) == 0;
}

bool console_is_terminal(int fd)
{
    const char *forced = getenv("SAVU_PROGRESS");
    if (forced && strcmp(forced, "plain") == 0)
        return false;
    if (forced && strcmp(forced, "bar") == 0)
        return true;
    if (!isatty(fd))
        return false;
    if (getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_RANK") || getenv("PMIX_RANK"))
        return parent_is_terminal(fd);
    return true;
}
