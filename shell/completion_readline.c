/* completion_readline.c: hands shell_complete's matches to GNU Readline.
 * Words break at white space, and also at '.' where a parameter address
 * ("3.preview.dim1") is completed part by part; readline's own file-name
 * completion is used only where shell_complete asks for file names. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <readline/readline.h>
#include "completion.h"
#include "repl.h"

static const shell_session *completing_for;

static char *word_break_characters(void)
{
    static char with_dot[] = " \t\n.", plain[] = " \t\n";
    int start = shell_completion_word_start(rl_line_buffer, rl_point);
    return start > 0 && rl_line_buffer[start - 1] == '.' ? with_dot : plain;
}

/* Length of the common beginning of all matches. */
static size_t common_length(char *const *matches, size_t n, bool ignore_case)
{
    size_t len = strlen(matches[0]);
    for (size_t i = 1; i < n; i++) {
        size_t k = 0;
        while (k < len && matches[i][k] &&
               (ignore_case ? strncasecmp(matches[i] + k, matches[0] + k, 1) == 0
                            : matches[i][k] == matches[0][k]))
            k++;
        len = k;
    }
    return len;
}

/* A match for the text readline replaces, which starts at `start` in the
 * line, while the match replaces the text from c->word_start. */
static char *for_readline_start(const shell_completion *c, const char *match, int start)
{
    if (start == c->word_start)
        return strdup(match);
    if (start > c->word_start) {
        size_t skip = (size_t)(start - c->word_start);
        return strdup(strlen(match) > skip ? match + skip : "");
    }
    size_t extra = (size_t)(c->word_start - start), len = strlen(match);
    char *text = malloc(extra + len + 1);
    if (text) {
        memcpy(text, rl_line_buffer + start, extra);
        memcpy(text + extra, match, len + 1);
    }
    return text;
}

/* Readline's form: [0] what replaces the text (the common beginning, or
 * the only match), then the matches, then NULL. */
static char **readline_matches(const shell_completion *c, const char *text, int start)
{
    char **out = calloc(c->n + 2, sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < c->n; i++)
        if (!(out[i + 1] = for_readline_start(c, c->matches[i], start)))
            goto fail;
    if (c->n == 1) {
        out[0] = out[1];
        out[1] = NULL;
        return out;
    }
    size_t len = common_length(out + 1, c->n, !c->filenames);
    out[0] = len < strlen(text) ? strdup(text) : strndup(out[1], len);
    if (out[0])
        return out;
fail:
    for (size_t i = 0; i <= c->n; i++)
        free(out[i]);
    free(out);
    return NULL;
}

static char **complete_for_readline(const char *text, int start, int end)
{
    rl_attempted_completion_over = 1; /* no file names unless asked for */
    shell_completion c;
    if (!completing_for || shell_complete(completing_for, rl_line_buffer, end, &c) < 0)
        return NULL;
    char **matches = c.n ? readline_matches(&c, text, start) : NULL;
    if (matches) {
        rl_completion_append_character = (unsigned char)c.append;
        rl_filename_completion_desired = c.filenames;
    }
    shell_completion_free(&c);
    return matches;
}

void shell_completion_install(shell_session *s)
{
    completing_for = s;
    rl_readline_name = "savu_config";
    rl_attempted_completion_function = complete_for_readline;
    rl_completion_word_break_hook = word_break_characters;
    rl_completer_word_break_characters = " \t\n";
    rl_completer_quote_characters = "'\"";
    rl_filename_quote_characters = " \t\n'\"";
}
