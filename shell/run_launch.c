/* run_launch.c: what `run` starts: finding the savu engine, the launcher's
 * command line with the number of processes put in, the child's
 * environment, and the command shown to the user. See run_engine.h. */
#define _GNU_SOURCE /* asprintf */
#include "run_engine.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "options.h"

extern char **environ;

int run_strv_add(run_strv *s, const char *text)
{
    if (s->n + 2 > s->cap) {
        size_t want = s->cap ? s->cap * 2 : 16;
        char **grown = realloc(s->v, want * sizeof *grown);
        if (!grown)
            return -1;
        s->v = grown;
        s->cap = want;
    }
    char *copy = strdup(text);
    if (!copy)
        return -1;
    s->v[s->n++] = copy;
    s->v[s->n] = NULL;
    return 0;
}

void run_strv_free(run_strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* path made absolute against the working directory (symbolic links kept). */
static char *absolute(const char *path)
{
    while (path[0] == '.' && path[1] == '/')
        for (path += 2; *path == '/'; path++)
            ;
    if (path[0] == '/')
        return strdup(path);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    char *out = NULL;
    if (asprintf(&out, "%s/%s", cwd, path) < 0)
        return NULL;
    return out;
}

static bool is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* name looked up in the directories of PATH; malloc'd, or NULL. */
static char *search_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (1) {
        size_t len = strcspn(path, ":");
        char *candidate = NULL;
        if (asprintf(&candidate, "%.*s/%s", (int)(len ? len : 1), len ? path : ".", name) < 0)
            return NULL;
        if (is_executable_file(candidate)) {
            char *found = absolute(candidate);
            free(candidate);
            return found;
        }
        free(candidate);
        if (!path[len])
            return NULL;
        path += len + 1;
    }
}

/* `savu` in dir, or NULL. */
static char *in_directory(const char *dir, size_t len)
{
    char *candidate = NULL;
    if (asprintf(&candidate, "%.*s/savu", (int)len, dir) < 0)
        return NULL;
    if (is_executable_file(candidate))
        return candidate;
    free(candidate);
    return NULL;
}

/* `savu` next to this program; a libtool wrapper runs it from .libs/, so
 * the directory above is looked in too. */
static char *beside_self(void)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return NULL;
    size_t dir_len = (size_t)(slash - self);
    char *found = in_directory(self, dir_len);
    if (!found && dir_len >= 6 && strncmp(slash - 6, "/.libs", 6) == 0)
        found = in_directory(self, dir_len - 6);
    return found;
}

char *run_find_engine(savu_error *err)
{
    const char *chosen = getenv("SAVU_ENGINE");
    if (chosen && chosen[0]) {
        char *found = NULL;
        if (strchr(chosen, '/'))
            found = is_executable_file(chosen) ? absolute(chosen) : NULL;
        else
            found = search_path(chosen);
        if (!found)
            savu_error_set(err, "run: SAVU_ENGINE is '%s', which is not an executable file",
                           chosen);
        return found;
    }
    char *found = beside_self();
    if (!found)
        found = search_path("savu");
    if (!found)
        savu_error_set(err, "run: cannot find the savu engine (neither next to savu_config nor on "
                            "PATH; SAVU_ENGINE may name it)");
    return found;
}

/* word with every "{n}" replaced by the number; malloc'd. */
static char *substitute(const char *word, int nprocs)
{
    char number[16];
    snprintf(number, sizeof number, "%d", nprocs);
    size_t count = 0;
    for (const char *p = strstr(word, "{n}"); p; p = strstr(p + 3, "{n}"))
        count++;
    char *out = malloc(strlen(word) + count * strlen(number) + 1);
    if (!out)
        return NULL;
    char *o = out;
    for (const char *p = word; *p;) {
        if (strncmp(p, "{n}", 3) == 0) {
            o = stpcpy(o, number);
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

int run_build_command(int nprocs, const char *engine, char *const *engine_args, size_t n_args,
                      run_strv *out, savu_error *err)
{
    memset(out, 0, sizeof *out);
    const char *launcher = getenv("SAVU_LAUNCHER");
    if (!launcher)
        launcher = RUN_DEFAULT_LAUNCHER;
    char **words = NULL;
    int n = shell_split_words(launcher, &words, err);
    if (n < 0)
        return savu_error_prefix(err, "run: SAVU_LAUNCHER: ");
    int rc = 0;
    if (n == 0 && nprocs != 1)
        rc = savu_error_set(err, "run: -n %d needs a launcher, and SAVU_LAUNCHER is empty (it runs "
                                 "the engine as one process)", nprocs);
    for (int i = 0; rc == 0 && i < n; i++) {
        char *bare = shell_unquote(words[i]);
        char *word = bare ? substitute(bare, nprocs) : NULL;
        if (!word || run_strv_add(out, word) < 0)
            rc = savu_error_set(err, "out of memory");
        free(word);
        free(bare);
    }
    shell_words_free(words, n);
    if (rc == 0 && n > 0) { /* the launcher must be there before anything is saved */
        const char *program = out->v[0];
        char *found = strchr(program, '/') ? (is_executable_file(program) ? strdup(program) : NULL)
                                           : search_path(program);
        if (!found)
            rc = savu_error_set(err, "run: cannot find the launcher '%s'%s", program,
                                getenv("SAVU_LAUNCHER") ? " (SAVU_LAUNCHER)"
                                                        : " (is MPI installed? SAVU_LAUNCHER "
                                                          "chooses another launcher)");
        free(found);
    }
    if (rc == 0 && run_strv_add(out, engine) < 0)
        rc = savu_error_set(err, "out of memory");
    for (size_t i = 0; rc == 0 && i < n_args; i++)
        if (run_strv_add(out, engine_args[i]) < 0)
            rc = savu_error_set(err, "out of memory");
    if (rc < 0)
        run_strv_free(out);
    return rc;
}

int run_child_environment(run_strv *out)
{
    memset(out, 0, sizeof *out);
    for (char **e = environ; e && *e; e++)
        if (run_strv_add(out, *e) < 0)
            goto oom;
    if (geteuid() == 0) {
        static const char *const wanted[] = {"OMPI_ALLOW_RUN_AS_ROOT",
                                             "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"};
        for (size_t i = 0; i < 2; i++) {
            if (getenv(wanted[i]))
                continue;
            char setting[64];
            snprintf(setting, sizeof setting, "%s=1", wanted[i]);
            if (run_strv_add(out, setting) < 0)
                goto oom;
        }
    }
    if (!out->v && run_strv_add(out, "PATH=/usr/local/bin:/usr/bin:/bin") < 0)
        goto oom;
    return 0;
oom:
    run_strv_free(out);
    return -1;
}

static bool needs_quotes(const char *w)
{
    return !w[0] || strpbrk(w, " \t\n'\"\\$`*?[]{}()<>|&;#~") != NULL;
}

char *run_command_text(char *const *argv)
{
    size_t len = 1;
    for (size_t i = 0; argv[i]; i++)
        len += 4 * strlen(argv[i]) + 3;
    char *out = malloc(len), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; argv[i]; i++) {
        if (i)
            *o++ = ' ';
        if (!needs_quotes(argv[i])) {
            o = stpcpy(o, argv[i]);
            continue;
        }
        *o++ = '\'';
        for (const char *c = argv[i]; *c; c++) {
            if (*c == '\'')
                o = stpcpy(o, "'\\''");
            else
                *o++ = *c;
        }
        *o++ = '\'';
    }
    *o = '\0';
    return out;
}
