/* completion.c: what the word under the cursor can become. The line up to
 * the cursor is split into words (quotes keep spaces inside a word); the
 * first word is a command, later words are its options (completed from the
 * command's syntax; after one, the words it may take) and positional
 * arguments, and a table says what each command's positional arguments
 * are: plugin names, positions, a parameter address, a value, a level or a
 * file. In `mod P.x` and `disp P.x` the text after the last '.' is
 * completed on its own. See completion.h. */
#include "completion.h"

#include <stdlib.h>
#include <string.h>
#include "command_table.h"
#include "completion_internal.h"

typedef enum arg_kind {
    ARG_NOTHING,
    ARG_PLUGIN,            /* an available plugin's name */
    ARG_POSITION,          /* a position of the list */
    ARG_UNUSED_POSITION,   /* a position not given earlier on the line */
    ARG_POSITION_OR_STATE, /* set: more positions, or on/off */
    ARG_PREVIEW_POSITION,  /* expand: a position whose plugin has a preview */
    ARG_DISP_TARGET,       /* disp: a position, or P.param */
    ARG_DISP_STOP,         /* disp: a position, unless a parameter came first */
    ARG_MOD_TARGET,        /* mod: P.param (or a name with -g) */
    ARG_MOD_VALUE,         /* mod: the value of the parameter named before */
    ARG_LEVEL,
    ARG_FILE,
    ARG_OPTION_VALUE       /* the value of the option before it */
} arg_kind;

/* What the positional arguments of a command are: the first, the second,
 * and every later one. */
typedef struct arg_rule {
    const char *command;
    arg_kind first, second, rest;
} arg_rule;

static const arg_rule rules[] = {
    {"add", ARG_PLUGIN, ARG_POSITION, ARG_NOTHING},
    {"cite", ARG_POSITION, ARG_POSITION, ARG_NOTHING},
    {"disp", ARG_DISP_TARGET, ARG_DISP_STOP, ARG_NOTHING},
    {"dupl", ARG_POSITION, ARG_POSITION, ARG_NOTHING},
    {"expand", ARG_PREVIEW_POSITION, ARG_NOTHING, ARG_NOTHING},
    {"level", ARG_LEVEL, ARG_NOTHING, ARG_NOTHING},
    {"list", ARG_PLUGIN, ARG_NOTHING, ARG_NOTHING},
    {"mod", ARG_MOD_TARGET, ARG_MOD_VALUE, ARG_NOTHING},
    {"move", ARG_POSITION, ARG_POSITION, ARG_NOTHING},
    {"open", ARG_FILE, ARG_NOTHING, ARG_NOTHING},
    {"ref", ARG_UNUSED_POSITION, ARG_UNUSED_POSITION, ARG_UNUSED_POSITION},
    {"rem", ARG_UNUSED_POSITION, ARG_UNUSED_POSITION, ARG_UNUSED_POSITION},
    {"replace", ARG_POSITION, ARG_PLUGIN, ARG_NOTHING},
    {"run", ARG_FILE, ARG_FILE, ARG_NOTHING},
    {"save", ARG_FILE, ARG_NOTHING, ARG_NOTHING},
    {"set", ARG_UNUSED_POSITION, ARG_POSITION_OR_STATE, ARG_POSITION_OR_STATE},
};

#define MAX_WORDS 256 /* words of a line looked at; later ones are not completed */

/* The line up to the cursor, taken apart. */
typedef struct line_parts {
    char *words[MAX_WORDS]; /* complete words before the one being completed */
    int n_words;
    bool too_many_words;    /* words were left out: nothing is completed */
    char *word;             /* the word being completed (after an opening quote) */
    int word_start;         /* where it starts in the line */
    const char *prefix;     /* what the matches must start with: word, or its
                               part after the last '.' of a parameter address */
    /* From the words: */
    const char *command;    /* NULL while completing the command itself */
    char *positionals[MAX_WORDS]; /* the command's positional arguments so far */
    int n_positionals;
    bool word_is_option;    /* the word is an option of the command */
    const char *option;     /* the last option before the word */
    bool mod_global, mod_default; /* mod -g, mod -d */
    arg_kind kind;          /* what the word is */
} line_parts;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static bool is_quote(char c)
{
    return c == '\'' || c == '"';
}

static void free_parts(line_parts *lp)
{
    for (int i = 0; i < lp->n_words; i++)
        free(lp->words[i]);
    free(lp->word);
}

/* Splits line[0..point) into lp->words and lp->word. Returns -1 when out of
 * memory. */
static int split_line(const char *line, int point, line_parts *lp)
{
    int i = 0;
    for (;;) {
        while (i < point && is_space(line[i]))
            i++;
        int start = i;
        char quote = 0;
        while (i < point && (quote || !is_space(line[i]))) {
            if (quote && line[i] == quote)
                quote = 0;
            else if (!quote && is_quote(line[i]))
                quote = line[i];
            i++;
        }
        if (i == point) { /* the word under the cursor (maybe empty) */
            if (start < point && is_quote(line[start]))
                start++;
            lp->word_start = start;
            lp->word = strndup(line + start, (size_t)(point - start));
            return lp->word ? 0 : -1;
        }
        if (lp->n_words == MAX_WORDS) {
            lp->too_many_words = true;
            continue;
        }
        lp->words[lp->n_words] = strndup(line + start, (size_t)(i - start));
        if (!lp->words[lp->n_words])
            return -1;
        lp->n_words++;
    }
}

/* "-d", "--off", "-vv"; not "-1" (a value) nor "--" (end of options). */
static bool is_option_word(const char *w)
{
    if (w[0] != '-')
        return false;
    char c = w[1];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c == '-' && w[2] != '\0');
}

/* How many values follow option w of command cmd (SHELL_NARGS_ANY: all). */
static int option_values(const shell_command *cmd, const char *w)
{
    const shell_option *o = cmd ? cmd->syntax.options : NULL;
    for (; o && (o->short_name || o->long_name); o++)
        if ((o->short_name && strcmp(o->short_name, w) == 0) ||
            (o->long_name && strcmp(o->long_name, w) == 0))
            return o->nargs;
    return 0;
}

static const arg_rule *rule_for(const char *command)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rules[i].command, command) == 0)
            return &rules[i];
    return NULL;
}

/* Sorts the words after the command into options and positionals, and
 * decides what the word being completed is. */
static void classify(line_parts *lp)
{
    lp->prefix = lp->word;
    if (lp->n_words == 0)
        return; /* the command */
    lp->command = lp->words[0];
    if (lp->too_many_words)
        return;
    const shell_command *cmd = shell_command_find(lp->command);
    bool options_ended = false;
    int skip = 0; /* values of the last option still to come */
    for (int i = 1; i < lp->n_words; i++) {
        const char *w = lp->words[i];
        if (skip != 0 && !(skip == SHELL_NARGS_ANY && is_option_word(w))) {
            if (skip > 0)
                skip--;
            continue;
        }
        skip = 0;
        if (!options_ended && strcmp(w, "--") == 0) {
            options_ended = true;
        } else if (!options_ended && is_option_word(w)) {
            skip = option_values(cmd, w);
            lp->option = w;
            bool mod = strcmp(lp->command, "mod") == 0;
            lp->mod_global |= mod && (strcmp(w, "-g") == 0 || strcmp(w, "--globalpar") == 0);
            lp->mod_default |= mod && (strcmp(w, "-d") == 0 || strcmp(w, "--default") == 0);
        } else {
            lp->positionals[lp->n_positionals++] = lp->words[i];
        }
    }
    if (skip != 0 && !(skip == SHELL_NARGS_ANY && lp->word[0] == '-')) {
        lp->kind = ARG_OPTION_VALUE;
        return;
    }
    const arg_rule *rule = rule_for(lp->command);
    if (rule) {
        int n = lp->n_positionals;
        lp->kind = n == 0 ? rule->first : n == 1 ? rule->second : rule->rest;
    }
    lp->word_is_option = !options_ended && lp->word[0] == '-' && lp->kind != ARG_MOD_VALUE;
    bool address = lp->kind == ARG_DISP_TARGET || (lp->kind == ARG_MOD_TARGET && !lp->mod_global);
    const char *last_dot = strrchr(lp->word, '.');
    if (!lp->word_is_option && address && last_dot) {
        lp->prefix = last_dot + 1;
        lp->word_start += (int)(lp->prefix - lp->word);
    }
}

static int analyse(const char *line, int point, line_parts *lp)
{
    memset(lp, 0, sizeof *lp);
    int len = (int)strlen(line);
    if (point < 0 || point > len)
        point = point < 0 ? 0 : len;
    if (split_line(line, point, lp) < 0)
        return -1;
    classify(lp);
    return 0;
}

static void match_options(shell_match_list *m, const char *command)
{
    const shell_command *cmd = shell_command_find(command);
    if (!cmd)
        return;
    shell_match_add(m, "-h");
    shell_match_add(m, "--help");
    for (const shell_option *o = cmd->syntax.options; o && (o->short_name || o->long_name); o++) {
        shell_match_add(m, o->short_name);
        shell_match_add(m, o->long_name);
    }
}

/* mod P.x / disp P.x: the part after the position. */
static void match_address(shell_match_list *m, const shell_session *s, const char *word)
{
    const char *dot = strchr(word, '.');
    const savu_entry *e = shell_completion_entry(s->list, word, (size_t)(dot - word));
    if (e)
        shell_match_param_part(m, e, s->level, dot + 1);
}

static void match_mod_value(shell_match_list *m, const shell_session *s, const line_parts *lp)
{
    const char *target = lp->positionals[0];
    if (lp->mod_default)
        return;
    if (lp->mod_global) {
        shell_match_global_values(m, s->list, target);
        return;
    }
    const char *dot = strchr(target, '.');
    if (!dot)
        return;
    const savu_entry *e = shell_completion_entry(s->list, target, (size_t)(dot - target));
    if (e)
        shell_match_param_values(m, e, dot + 1);
}

/* Gathers the matches; *append is set to '\0' where the word goes on. */
static void gather(const shell_session *s, const line_parts *lp, shell_match_list *m, char *append)
{
    if (!lp->command) {
        shell_match_commands(m);
        return;
    }
    if (lp->word_is_option) {
        match_options(m, lp->command);
        return;
    }
    bool address = strchr(lp->word, '.') != NULL;
    switch (lp->kind) {
    case ARG_NOTHING:
        break;
    case ARG_PLUGIN:
        shell_match_plugins(m);
        break;
    case ARG_POSITION:
        shell_match_positions(m, s->list, "", NULL, 0, false);
        break;
    case ARG_UNUSED_POSITION:
        shell_match_positions(m, s->list, "", lp->positionals, lp->n_positionals, false);
        break;
    case ARG_POSITION_OR_STATE:
        shell_match_positions(m, s->list, "", lp->positionals, lp->n_positionals, false);
        shell_match_add(m, "on");
        shell_match_add(m, "off");
        break;
    case ARG_PREVIEW_POSITION:
        shell_match_positions(m, s->list, "", NULL, 0, true);
        break;
    case ARG_DISP_STOP:
        if (!strchr(lp->positionals[0], '.'))
            shell_match_positions(m, s->list, "", NULL, 0, false);
        break;
    case ARG_DISP_TARGET:
        if (address)
            match_address(m, s, lp->word);
        else
            shell_match_positions(m, s->list, "", NULL, 0, false);
        break;
    case ARG_MOD_TARGET:
        if (lp->mod_global) {
            shell_match_global_names(m, s->list, s->level);
        } else if (address) {
            match_address(m, s, lp->word);
        } else {
            shell_match_positions(m, s->list, ".", NULL, 0, false);
            *append = '\0';
        }
        break;
    case ARG_MOD_VALUE:
        match_mod_value(m, s, lp);
        break;
    case ARG_LEVEL:
        shell_match_levels(m);
        break;
    case ARG_FILE:
        shell_match_add_files(m);
        break;
    case ARG_OPTION_VALUE:
        shell_match_option_choices(m, lp->command, lp->option);
        break;
    }
}

int shell_complete(const shell_session *s, const char *line, int point, shell_completion *out)
{
    memset(out, 0, sizeof *out);
    line_parts lp;
    if (analyse(line, point, &lp) < 0) {
        free_parts(&lp);
        return -1;
    }
    shell_match_list m = {.prefix = lp.prefix};
    char append = ' ';
    gather(s, &lp, &m, &append);
    int word_start = lp.word_start;
    free_parts(&lp);
    if (!m.items && !m.out_of_memory) {
        m.items = calloc(1, sizeof *m.items);
        m.out_of_memory = !m.items;
    }
    if (m.out_of_memory) {
        shell_match_list_free(&m);
        return -1;
    }
    out->matches = m.items;
    out->n = m.n;
    out->word_start = word_start;
    out->append = append;
    out->filenames = m.filenames;
    return 0;
}

void shell_completion_free(shell_completion *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->matches[i]);
    free(c->matches);
    memset(c, 0, sizeof *c);
}

int shell_completion_word_start(const char *line, int point)
{
    line_parts lp;
    int start = analyse(line, point, &lp) == 0 ? lp.word_start : point;
    free_parts(&lp);
    return start;
}
