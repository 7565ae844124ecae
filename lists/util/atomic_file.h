/* atomic_file.h: replacing a file atomically. The new content goes to a
 * temporary file beside the target (same directory, so the same filesystem),
 * is made durable (fsync), then renamed over the target. Any failure removes
 * the temporary and leaves an existing target untouched. Used to save
 * process lists (nexus_write.c) and by the engine for its outputs; in
 * lists/util/, what every floor shares. */
#ifndef SAVU_ATOMIC_FILE_H
#define SAVU_ATOMIC_FILE_H

#include <stddef.h>
#include "error.h"

typedef struct savu_atomic_file {
    char *target;     /* the path to replace */
    char *tmp_path;   /* "<dir>/.<name>.XXXXXX" */
    int fd;           /* open on tmp_path */
} savu_atomic_file;

/* Creates the empty temporary, with the target's permissions when it exists
 * (else 0666 less the umask). Error: "cannot write <target>: <reason>". */
int savu_atomic_begin(savu_atomic_file *f, const char *target, savu_error *err);

/* Appends bytes to the temporary. Error: "cannot write <target>: <reason>"
 * (then call savu_atomic_abort). */
int savu_atomic_write(savu_atomic_file *f, const void *data, size_t size, savu_error *err);

/* Makes the temporary durable and renames it over the target; on failure the
 * temporary is removed. Releases f either way. */
int savu_atomic_commit(savu_atomic_file *f, savu_error *err);

/* Removes the temporary and releases f. */
void savu_atomic_abort(savu_atomic_file *f);

/* The folder of path ("." when it names none, "/" for a file in the
 * root), malloc'd; NULL when out of memory. */
char *savu_path_folder(const char *path);

/* fsync of path's folder, which makes a rename in it durable (a filesystem
 * that cannot sync folders is no error). */
void savu_sync_folder_of(const char *path);

/* Replaces target with the `size` bytes of data in one go: begin, write,
 * commit (abort when the write fails). Errors as above. */
int savu_atomic_write_file(const char *target, const void *data, size_t size, savu_error *err);

#endif
