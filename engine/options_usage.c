/* options_usage.c: the text of `savu --help`, made from the one table of
 * the engine's options (lists/run_options.h): a line per option, its names
 * and argument on the left and its help, wrapped, from column 25. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "options.h"
#include "run_options.h"

#define HELP_COLUMN 25
#define LINE_WIDTH 79
#define USAGE_SIZE 8192

/* Text appended to a fixed buffer (cut where it is full). */
typedef struct text_buffer {
    char *text;
    size_t size, used;
    size_t column; /* of the line being written */
} text_buffer;

__attribute__((format(printf, 2, 3))) static void append(text_buffer *b, const char *format, ...)
{
    if (b->used >= b->size)
        return;
    va_list args;
    va_start(args, format);
    int n = vsnprintf(b->text + b->used, b->size - b->used, format, args);
    va_end(args);
    if (n < 0 || (size_t)n >= b->size - b->used) {
        b->used = b->size; /* full: nothing more */
        return;
    }
    const char *added = b->text + b->used;
    size_t after_newline = (size_t)n;
    while (after_newline > 0 && added[after_newline - 1] != '\n')
        after_newline--;
    b->column = after_newline ? (size_t)n - after_newline : b->column + (size_t)n;
    b->used += (size_t)n;
}

/* The help from the current column on (after two spaces at least), its
 * words wrapped at LINE_WIDTH onto lines that start at HELP_COLUMN. */
static void append_help(text_buffer *b, const char *help)
{
    append(b, "%*s", b->column + 2 < HELP_COLUMN ? (int)(HELP_COLUMN - b->column) : 2, "");
    size_t line_start = b->column;
    for (const char *word = help; *word; word += strspn(word, " ")) {
        int len = (int)strcspn(word, " ");
        if (b->column > line_start && b->column + 1 + (size_t)len > LINE_WIDTH) {
            append(b, "\n%*s", HELP_COLUMN, "");
            line_start = b->column;
        } else if (b->column > line_start) {
            append(b, " ");
        }
        append(b, "%.*s", len, word);
        word += len;
    }
    append(b, "\n");
}

/* "  -f, --folder NAME      help" or "      --max-memory SIZE  help". */
static void append_option(text_buffer *b, const savu_run_option *o)
{
    append(b, "  %-2s%s%s%s%s", o->short_name ? o->short_name : "", o->short_name ? ", " : "  ",
           o->long_name, o->arg_name ? " " : "", o->arg_name ? o->arg_name : "");
    append_help(b, o->help);
}

const char *engine_usage(void)
{
    static char text[USAGE_SIZE];
    if (text[0])
        return text;
    text_buffer b = {text, sizeof text, 0, 0};
    append(&b, "usage: savu DATA PROCESS_LIST OUT_FOLDER [options]\n"
               "Runs a process list over an NXtomo file; run it under `mpirun -np N savu ...`\n"
               "for N processes.\n");
    for (int id = 0; id < SAVU_RUN_OPTION_COUNT; id++)
        append_option(&b, savu_run_option_at(id));
    append(&b, "See savu(1).\n");
    return text;
}
