/* error.h: the one-line error record that every function of every floor
 * (lists/, plugins/, kernels/, engine/, shell/) fills when it fails; in
 * lists/util/, what every floor shares. Functions return 0 on success and -1
 * on failure. */
#ifndef SAVU_ERROR_H
#define SAVU_ERROR_H

#include <stddef.h>

typedef struct savu_error {
    char msg[1024];
} savu_error;

/* Formats into err->msg (when err is not NULL); always returns -1. */
int savu_error_set(savu_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prepends "prefix" to an existing message; returns -1. */
int savu_error_prefix(savu_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
