/* atomic_file.c: replacing a file atomically through a temporary beside it
 * and rename(2) (see atomic_file.h). */
#include "atomic_file.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *savu_path_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
}

/* The folder part of path (savu_path_folder) and the name part. */
static int split_path(const char *path, char **dir, const char **name)
{
    const char *slash = strrchr(path, '/');
    *name = slash ? slash + 1 : path;
    *dir = savu_path_folder(path);
    return *dir ? 0 : -1;
}

static mode_t mode_for(const char *target)
{
    struct stat st;
    if (stat(target, &st) == 0 && S_ISREG(st.st_mode))
        return st.st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

static void release(savu_atomic_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    free(f->tmp_path);
    free(f->target);
    f->fd = -1;
    f->tmp_path = f->target = NULL;
}

int savu_atomic_begin(savu_atomic_file *f, const char *target, savu_error *err)
{
    f->fd = -1;
    f->tmp_path = NULL;
    f->target = strdup(target);
    char *dir = NULL;
    const char *name = NULL;
    if (!f->target || split_path(target, &dir, &name) < 0) {
        release(f);
        return savu_error_set(err, "cannot write %s: out of memory", target);
    }
    if (!*name) {
        free(dir);
        release(f);
        return savu_error_set(err, "cannot write %s: Is a directory", target);
    }
    size_t size = strlen(dir) + strlen(name) + 16;
    f->tmp_path = malloc(size);
    if (f->tmp_path) {
        snprintf(f->tmp_path, size, "%s/.%s.XXXXXX", dir, name);
        f->fd = mkstemp(f->tmp_path);
    }
    free(dir);
    if (f->fd < 0) {
        int saved = f->tmp_path ? errno : ENOMEM;
        release(f);
        return savu_error_set(err, "cannot write %s: %s", target, strerror(saved));
    }
    if (fchmod(f->fd, mode_for(target)) < 0) {
        int saved = errno;
        savu_atomic_abort(f);
        return savu_error_set(err, "cannot write %s: %s", target, strerror(saved));
    }
    return 0;
}

int savu_atomic_write(savu_atomic_file *f, const void *data, size_t size, savu_error *err)
{
    const unsigned char *p = data;
    while (size > 0) {
        ssize_t n = write(f->fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return savu_error_set(err, "cannot write %s: %s", f->target, strerror(n < 0 ? errno : EIO));
        p += n;
        size -= (size_t)n;
    }
    return 0;
}

void savu_sync_folder_of(const char *path)
{
    char *dir = savu_path_folder(path);
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int savu_atomic_commit(savu_atomic_file *f, savu_error *err)
{
    if (fsync(f->fd) < 0 || rename(f->tmp_path, f->target) < 0) {
        int saved = errno;
        savu_error_set(err, "cannot write %s: %s", f->target, strerror(saved));
        savu_atomic_abort(f);
        return -1;
    }
    savu_sync_folder_of(f->target);
    release(f);
    return 0;
}

void savu_atomic_abort(savu_atomic_file *f)
{
    if (f->tmp_path)
        unlink(f->tmp_path);
    release(f);
}

int savu_atomic_write_file(const char *target, const void *data, size_t size, savu_error *err)
{
    savu_atomic_file f;
    if (savu_atomic_begin(&f, target, err) < 0)
        return -1;
    if (savu_atomic_write(&f, data, size, err) < 0) {
        savu_atomic_abort(&f);
        return -1;
    }
    return savu_atomic_commit(&f, err);
}
