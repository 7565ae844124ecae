/* run_stream.c: running the engine for `run`: posix_spawn in a process
 * group of its own (so that the terminal's Ctrl-C comes to savu_config
 * alone), its standard output and error read through pipes and forwarded
 * line by line as they come (on a terminal each section's progress lines
 * are redrawn on one line), and Ctrl-C handled while it runs: the first
 * writes `killsignal` in the output folder, which makes the engine stop
 * cleanly after its current block (when the folder does not exist yet, as
 * soon as it does); the second sends SIGTERM to the engine's process group,
 * later ones SIGKILL. Returns once the engine has exited. See
 * run_engine.h. */
#define _GNU_SOURCE /* ppoll, pipe2 */
#include "run_engine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "display.h"

#define LINE_LIMIT 65536      /* a longer line is forwarded in pieces */
#define TICK_NS 100000000L    /* how often the engine is looked at (0.1 s) */
#define EXIT_GRACE_S 2.0      /* output still read after the engine exited */

static volatile sig_atomic_t interrupts;

static void on_interrupt(int sig)
{
    (void)sig;
    interrupts++;
}

typedef struct line_buf {
    int fd;              /* -1 once closed */
    bool is_err;
    char *data;
    size_t len, cap;
} line_buf;

typedef struct stream_state {
    pid_t pid;
    bool terminal;       /* stdout is a terminal: progress lines are redrawn */
    char *drawn_key;     /* "progress: section i/n name" of the line drawn without
                            its newline, or NULL */
    bool stop_pending;   /* Ctrl-C pressed, killsignal not written yet */
    run_outcome *out;
} stream_state;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Ends a progress line left without its newline. */
static void end_drawn_line(stream_state *st)
{
    if (!st->drawn_key)
        return;
    fputc('\n', stdout);
    fflush(stdout);
    free(st->drawn_key);
    st->drawn_key = NULL;
}

/* Writes killsignal when the output folder exists. Returns false when it
 * does not exist yet. */
static bool write_killsignal(stream_state *st, const char *why)
{
    struct stat sb;
    const char *folder = st->out->folder;
    if (!folder || stat(folder, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return false;
    st->stop_pending = false;
    char *path = NULL;
    if (asprintf(&path, "%s/killsignal", folder) < 0) {
        printf("%s: out of memory (Ctrl-C again kills savu).\n", why);
        fflush(stdout);
        return true;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd >= 0) {
        close(fd);
        st->out->killsignal = true;
        printf("%s: asking savu to stop after its current block (wrote %s); Ctrl-C again kills "
               "it.\n", why, path);
    } else {
        printf("%s: cannot write %s: %s (Ctrl-C again kills savu).\n", why, path, strerror(errno));
    }
    fflush(stdout);
    free(path);
    return true;
}

/* The n-th Ctrl-C of the run. */
static void interrupted(stream_state *st, int n)
{
    end_drawn_line(st);
    if (n == 1) {
        st->stop_pending = true;
        if (!write_killsignal(st, "Ctrl-C")) {
            printf("Ctrl-C: savu will be asked to stop as soon as it has made its output folder; "
                   "Ctrl-C again kills it.\n");
            fflush(stdout);
        }
    } else if (n == 2) {
        st->stop_pending = false;
        printf("Ctrl-C: killing savu.\n");
        fflush(stdout);
        kill(-st->pid, SIGTERM);
    } else {
        kill(-st->pid, SIGKILL);
    }
}

/* Keeps the value of a "label VALUE" line. */
static bool take_value(const char *line, const char *label, char **slot)
{
    size_t n = strlen(label);
    if (strncmp(line, label, n) != 0 || !line[n])
        return false;
    char *value = strdup(line + n);
    if (value) {
        free(*slot);
        *slot = value;
    }
    return true;
}

static void stdout_line(stream_state *st, const char *line)
{
    if (take_value(line, "output folder: ", &st->out->folder) && st->stop_pending)
        write_killsignal(st, "Stopping");
    take_value(line, "preview: ", &st->out->preview);
    if (st->terminal && strncmp(line, "progress: ", 10) == 0) {
        const char *sep = strstr(line + 10, ": ");
        size_t key_len = sep ? (size_t)(sep - line) : strlen(line);
        if (st->drawn_key &&
            (strlen(st->drawn_key) != key_len || strncmp(st->drawn_key, line, key_len) != 0))
            end_drawn_line(st); /* a new section: the last one's line stays */
        printf("\r%.*s\033[K", display_width() - 1, line);
        fflush(stdout);
        if (!st->drawn_key)
            st->drawn_key = strndup(line, key_len);
        return;
    }
    end_drawn_line(st);
    printf("%s\n", line);
    fflush(stdout);
}

static void emit(stream_state *st, const line_buf *b, char *line, size_t len)
{
    if (len && line[len - 1] == '\r')
        len--;
    line[len] = '\0';
    if (b->is_err) {
        end_drawn_line(st);
        fprintf(stderr, "%s\n", line);
        fflush(stderr);
    } else {
        stdout_line(st, line);
    }
}

static void close_buf(line_buf *b)
{
    if (b->fd >= 0)
        close(b->fd);
    b->fd = -1;
}

/* Reads what is there; forwards each complete line. */
static void read_some(stream_state *st, line_buf *b)
{
    char chunk[4096];
    ssize_t n = read(b->fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        if (b->len)
            emit(st, b, b->data, b->len);
        b->len = 0;
        close_buf(b);
        return;
    }
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t want = (b->len + (size_t)n + 1) * 2;
        char *grown = realloc(b->data, want);
        if (!grown) { /* forward what there is, as it is */
            if (b->len)
                emit(st, b, b->data, b->len);
            b->len = 0;
            fwrite(chunk, 1, (size_t)n, b->is_err ? stderr : stdout);
            return;
        }
        b->data = grown;
        b->cap = want;
    }
    memcpy(b->data + b->len, chunk, (size_t)n);
    b->len += (size_t)n;
    size_t start = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->data[i] == '\n') {
            emit(st, b, b->data + start, i - start);
            start = i + 1;
        }
    }
    memmove(b->data, b->data + start, b->len - start);
    b->len -= start;
    if (b->len >= LINE_LIMIT) {
        emit(st, b, b->data, b->len);
        b->len = 0;
    }
}

static int spawn(char *const *argv, char *const *envp, int out_w, int err_w, pid_t *pid,
                 savu_error *err)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_w, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_w, STDERR_FILENO);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    int reset[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGTSTP};
    for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++)
        sigaddset(&defaults, reset[i]);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    int rc = posix_spawnp(pid, argv[0], &actions, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
        return savu_error_set(err, "run: cannot start %s: %s", argv[0], strerror(rc));
    return 0;
}

void run_outcome_free(run_outcome *o)
{
    free(o->folder);
    free(o->preview);
    memset(o, 0, sizeof *o);
}

/* Forwards output and handles Ctrl-C until the engine has exited (and its
 * output has ended, or EXIT_GRACE_S later). waiting: the signal mask that
 * lets SIGINT in. Returns the wait status. */
static int follow(stream_state *st, line_buf *bufs, const sigset_t *waiting)
{
    int handled = 0, wstatus = 0;
    bool reaped = false;
    double reaped_at = 0;
    for (;;) {
        while (handled < interrupts)
            interrupted(st, ++handled);
        if (st->stop_pending)
            write_killsignal(st, "Stopping");
        if (!reaped) {
            pid_t r = waitpid(st->pid, &wstatus, WNOHANG);
            if (r == st->pid || (r < 0 && errno == ECHILD)) {
                reaped = true;
                reaped_at = now_seconds();
            }
        }
        bool open = bufs[0].fd >= 0 || bufs[1].fd >= 0;
        if (reaped && (!open || now_seconds() - reaped_at > EXIT_GRACE_S))
            return wstatus;
        struct pollfd fds[2];
        nfds_t n = 0;
        for (int i = 0; i < 2; i++)
            if (bufs[i].fd >= 0)
                fds[n++] = (struct pollfd){.fd = bufs[i].fd, .events = POLLIN};
        struct timespec tick = {0, TICK_NS};
        int ready = ppoll(n ? fds : NULL, n, &tick, waiting);
        if (ready < 0 && errno != EINTR) {
            close_buf(&bufs[0]); /* cannot wait for output: only for the exit */
            close_buf(&bufs[1]);
            nanosleep(&tick, NULL);
            continue;
        }
        for (nfds_t k = 0; ready > 0 && k < n; k++) {
            if (!fds[k].revents)
                continue;
            line_buf *b = bufs[0].fd == fds[k].fd ? &bufs[0] : &bufs[1];
            read_some(st, b);
        }
    }
}

int run_engine_stream(char *const *argv, char *const *envp, const char *folder, run_outcome *out,
                      savu_error *err)
{
    memset(out, 0, sizeof *out);
    out->folder = strdup(folder);
    int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
    if (!out->folder || pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        savu_error_set(err, "run: cannot make pipes for the engine: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            if (out_pipe[i] >= 0)
                close(out_pipe[i]);
            if (err_pipe[i] >= 0)
                close(err_pipe[i]);
        }
        run_outcome_free(out);
        return -1;
    }
    /* SIGINT is caught from now on, and blocked except while waiting in
     * ppoll, so that none is missed. */
    struct sigaction sa, old_action;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    interrupts = 0;
    sigaction(SIGINT, &sa, &old_action);
    sigset_t block, original, waiting;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &original);
    waiting = original;
    sigdelset(&waiting, SIGINT);

    fflush(stdout);
    fflush(stderr);
    stream_state st = {.terminal = isatty(STDOUT_FILENO), .out = out};
    int rc = spawn(argv, envp, out_pipe[1], err_pipe[1], &st.pid, err);
    close(out_pipe[1]);
    close(err_pipe[1]);
    int wstatus = 0;
    line_buf bufs[2] = {{.fd = out_pipe[0]}, {.fd = err_pipe[0], .is_err = true}};
    if (rc == 0)
        wstatus = follow(&st, bufs, &waiting);
    end_drawn_line(&st);
    for (int i = 0; i < 2; i++) {
        close_buf(&bufs[i]);
        free(bufs[i].data);
    }
    /* A Ctrl-C pressed after the engine ended is dropped, not let loose. */
    struct timespec zero = {0, 0};
    while (sigtimedwait(&block, NULL, &zero) > 0)
        ;
    sigaction(SIGINT, &old_action, NULL);
    sigprocmask(SIG_SETMASK, &original, NULL);
    if (rc < 0) {
        run_outcome_free(out);
        return -1;
    }
    out->interrupts = interrupts;
    out->exited = WIFEXITED(wstatus);
    out->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
                  : WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
    return 0;
}
