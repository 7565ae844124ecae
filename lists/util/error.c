/* error.c: filling the one-line error record (error.h). */
#include "error.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int savu_error_set(savu_error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int savu_error_prefix(savu_error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char prefix[sizeof err->msg];
    char old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t used = strlen(prefix);
    memcpy(err->msg, prefix, used + 1);
    size_t room = sizeof err->msg - 1 - used;
    size_t take = strnlen(old, room);
    memcpy(err->msg + used, old, take);
    err->msg[used + take] = '\0';
    return -1;
}
