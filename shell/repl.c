/* repl.c: reading lines (GNU Readline's callback interface on a terminal,
 * so that Ctrl-C can abandon the line being typed; plain lines from a pipe
 * or script) and the loop that runs them as commands. See repl.h. */
#include "repl.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>
#include "command_table.h"

#define HISTORY_FILE ".savuhist"
#define HISTORY_LENGTH 1000

struct shell_input {
    FILE *stream;       /* NULL: readline on the terminal */
    char *name;         /* script file name, NULL for stdin */
    long line_number;
};

shell_input *shell_input_terminal(void)
{
    return calloc(1, sizeof(shell_input));
}

shell_input *shell_input_stream(FILE *f, const char *name)
{
    shell_input *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->stream = f;
    in->name = name ? strdup(name) : NULL;
    return in;
}

void shell_input_free(shell_input *in)
{
    if (!in)
        return;
    if (in->stream && in->stream != stdin)
        fclose(in->stream);
    free(in->name);
    free(in);
}

long shell_input_line_number(const shell_input *in)
{
    return in->line_number;
}

static int read_stream_line(shell_input *in, char **line)
{
    size_t cap = 0;
    *line = NULL;
    ssize_t n = getline(line, &cap, in->stream);
    if (n < 0) {
        free(*line);
        *line = NULL;
        return -1;
    }
    while (n > 0 && ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
        (*line)[--n] = '\0';
    in->line_number++;
    return 0;
}

/* ---- the terminal: readline's callback interface ---- */

static volatile sig_atomic_t got_sigint;
static char *accepted_line;
static bool line_done;

static void on_sigint(int sig)
{
    (void)sig;
    got_sigint = 1;
}

static void on_line(char *line)
{
    accepted_line = line; /* NULL at end of input */
    line_done = true;
    rl_callback_handler_remove();
}

/* Abandons the line being typed after Ctrl-C. */
static void abandon_line(void)
{
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_crlf();
    rl_callback_handler_remove();
}

/* SIGINT is blocked except while waiting in pselect, so that a Ctrl-C
 * always ends the wait (and none is missed while readline works). */
static int read_terminal_line(shell_input *in, const char *prompt, char **line)
{
    struct sigaction sa, old_action;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_action);
    sigset_t block, original_mask, waiting_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &original_mask);
    waiting_mask = original_mask;
    sigdelset(&waiting_mask, SIGINT);

    bool interrupted = false;
    line_done = false;
    accepted_line = NULL;
    got_sigint = 0;
    rl_callback_handler_install(prompt, on_line);
    int fd = fileno(rl_instream ? rl_instream : stdin);
    while (!line_done) {
        if (got_sigint) {
            abandon_line();
            interrupted = true;
            break;
        }
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(fd, &fds);
        int ready = pselect(fd + 1, &fds, NULL, NULL, NULL, &waiting_mask);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0) {
            rl_callback_handler_remove();
            break;
        }
        rl_callback_read_char();
    }
    sigprocmask(SIG_SETMASK, &original_mask, NULL); /* a late Ctrl-C still comes to us */
    sigaction(SIGINT, &old_action, NULL);
    if (interrupted) {
        *line = strdup("");
        return *line ? 1 : -1;
    }
    if (!line_done || !accepted_line) {
        rl_crlf(); /* end of input: leave the prompt's line */
        return -1;
    }
    in->line_number++;
    *line = accepted_line;
    return 0;
}

int shell_input_read(shell_input *in, const char *prompt, char **line)
{
    if (in->stream)
        return read_stream_line(in, line);
    return read_terminal_line(in, prompt, line);
}

/* ---- history file ---- */

static char *history_path(void)
{
    const char *home = getenv("HOME");
    if (!home || !home[0])
        return NULL;
    size_t len = strlen(home) + sizeof HISTORY_FILE + 1;
    char *path = malloc(len);
    if (path)
        snprintf(path, len, "%s/%s", home, HISTORY_FILE);
    return path;
}

/* ---- the loop ---- */

/* "<stem> >>> " with the open file's name without directory and extension,
 * else ">>> ". */
static void make_prompt(const shell_session *s, char *out, size_t size)
{
    if (!s->filename) {
        snprintf(out, size, ">>> ");
        return;
    }
    const char *base = strrchr(s->filename, '/');
    base = base ? base + 1 : s->filename;
    const char *dot = strrchr(base, '.');
    int len = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    snprintf(out, size, "%.*s >>> ", len, base);
}

void shell_report_error(shell_session *s, const char *line, long line_number, const savu_error *err)
{
    fflush(stdout);
    if (s->interactive) {
        fprintf(stderr, "%s\n", err->msg);
    } else {
        const shell_input *in = s->input;
        fprintf(stderr, "savu_config: %s%sline %ld: %s: %s\n", in && in->name ? in->name : "",
                in && in->name ? ": " : "", line_number, line, err->msg);
    }
    if (s->full_errors) {
        char name[64] = "";
        sscanf(line, "%63s", name);
        const shell_command *cmd = shell_command_find(name);
        fprintf(stderr, "  command: '%s'\n", line);
        if (cmd)
            fprintf(stderr, "  usage: %s\n", cmd->syntax.usage);
    }
    fflush(stderr);
}

static bool is_blank_or_comment(const char *line)
{
    line += strspn(line, " \t");
    return line[0] == '\0' || line[0] == '#';
}

int shell_repl_run(shell_session *s)
{
    shell_input *in = s->input;
    char *hist = NULL;
    if (s->interactive) {
        stifle_history(HISTORY_LENGTH);
        hist = history_path();
        if (hist)
            read_history(hist);
        if (shell_completion_install)
            shell_completion_install(s);
    }
    int status = 0;
    while (!s->finished) {
        char prompt[300], *line = NULL;
        make_prompt(s, prompt, sizeof prompt);
        int got = shell_input_read(in, prompt, &line);
        if (got < 0)
            break;
        if (got > 0) { /* Ctrl-C: a new prompt */
            free(line);
            continue;
        }
        if (!s->interactive && is_blank_or_comment(line)) {
            free(line);
            continue;
        }
        long number = shell_input_line_number(in);
        if (!is_blank_or_comment(line))
            add_history(line);
        savu_error err = {{0}};
        if (shell_execute_line(s, line, &err) < 0) {
            shell_report_error(s, line, number, &err);
            if (!s->interactive) {
                status = 1;
                if (!s->keep_going) {
                    free(line);
                    break;
                }
            }
        }
        free(line);
    }
    if (hist) {
        write_history(hist);
        history_truncate_file(hist, HISTORY_LENGTH);
        free(hist);
    }
    if (!s->finished && shell_session_modified(s) && status == 0)
        fprintf(stderr, "savu_config: the process list has unsaved changes; they are lost.\n");
    return status;
}
