/* session.c: creating and freeing a session, the modified flag (content
 * generations), the visibility level names, and yes/no confirmations. */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "repl.h"

void shell_session_init(shell_session *s)
{
    memset(s, 0, sizeof *s);
    s->list = savu_plist_new();
    s->level = SAVU_VIS_BASIC;
    s->expand_dim = -1;
}

void shell_session_free(shell_session *s)
{
    savu_plist_free(s->list);
    free(s->filename);
    shell_undo_clear(&s->undo);
    shell_undo_clear(&s->redo);
    free(s->undo.items);
    free(s->redo.items);
    s->list = NULL;
    s->filename = NULL;
}

bool shell_session_modified(const shell_session *s)
{
    return s->generation != s->saved_generation;
}

void shell_session_changed(shell_session *s)
{
    s->generation = ++s->last_generation;
    s->touched = true;
}

void shell_session_mark_saved(shell_session *s)
{
    s->saved_generation = s->generation;
}

void shell_session_set_filename(shell_session *s, char *filename)
{
    free(s->filename);
    s->filename = filename;
}

void shell_session_set_list(shell_session *s, savu_process_list *list)
{
    savu_plist_free(s->list);
    s->list = list;
}

static const char *const level_names[] = {"basic", "intermediate", "advanced"};

const char *shell_level_name(enum savu_visibility level)
{
    return level <= SAVU_VIS_ADVANCED ? level_names[level] : "advanced";
}

int shell_level_parse(const char *text, enum savu_visibility *out)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(text, level_names[i]) == 0) {
            *out = (enum savu_visibility)i;
            return 0;
        }
    return -1;
}

int shell_confirm(shell_session *s, const char *question, savu_error *err)
{
    if (s->assume_yes)
        return 1;
    char *answer = NULL;
    int rc = shell_input_read(s->input, question, &answer);
    if (rc < 0) {
        if (s->interactive) {
            printf("\n");
            return 0;
        }
        return savu_error_set(err, "the input ended before the answer to '%s' (give the answer on "
                                   "the next line, or run with -y)", question);
    }
    bool yes = (answer[0] == 'y' || answer[0] == 'Y') && answer[1] == '\0';
    free(answer);
    return yes ? 1 : 0;
}
