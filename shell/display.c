/* display.c: display primitives: the terminal's width, whether to colour,
 * rules, separators, coloured bars and word wrapping. See display.h. */
#include "display.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DEFAULT_WIDTH 80
#define MIN_WIDTH 40
#define MAX_WIDTH 160

int display_width(void)
{
    int width = 0;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        width = ws.ws_col;
    } else {
        const char *columns = getenv("COLUMNS");
        if (columns && *columns)
            width = atoi(columns);
    }
    if (width <= 0)
        width = DEFAULT_WIDTH;
    if (width < MIN_WIDTH)
        width = MIN_WIDTH;
    if (width > MAX_WIDTH)
        width = MAX_WIDTH;
    return width;
}

bool display_colour(void)
{
    const char *no_color = getenv("NO_COLOR");
    if (no_color && no_color[0])
        return false;
    return isatty(STDOUT_FILENO);
}

void display_style_on(FILE *out, const char *sgr)
{
    if (sgr && display_colour())
        fprintf(out, "\033[%sm", sgr);
}

void display_style_off(FILE *out, const char *sgr)
{
    if (sgr && display_colour())
        fputs("\033[0m", out);
}

/* Columns a UTF-8 string takes (one per character). */
static int text_columns(const char *s, size_t len)
{
    int cols = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            cols++;
    return cols;
}

/* Bytes of s that fill at most `cols` columns, not splitting a character. */
static size_t bytes_for_columns(const char *s, size_t len, int cols)
{
    size_t i = 0;
    int used = 0;
    while (i < len) {
        size_t next = i + 1;
        while (next < len && ((unsigned char)s[next] & 0xC0) == 0x80)
            next++;
        if (used + 1 > cols)
            break;
        used++;
        i = next;
    }
    return i ? i : (len ? 1 : 0);
}

void display_rule(FILE *out, char c)
{
    int width = display_width();
    for (int i = 0; i < width; i++)
        fputc(c, out);
    fputc('\n', out);
}

void display_separator(FILE *out, const char *text)
{
    int width = display_width();
    int used = 2 + text_columns(text, strlen(text));
    fprintf(out, "--%s", text);
    for (int i = used; i < width; i++)
        fputc('-', out);
    fputc('\n', out);
}

void display_bar(FILE *out, const char *sgr, const char *text)
{
    if (!display_colour()) {
        fprintf(out, "%s\n", text);
        return;
    }
    int width = display_width();
    int cols = text_columns(text, strlen(text));
    display_style_on(out, sgr);
    fputs(text, out);
    for (int i = cols; i < width; i++)
        fputc(' ', out);
    display_style_off(out, sgr);
    fputc('\n', out);
}

/* Writes one paragraph (no newlines) wrapped into `room` columns; the
 * first line has first_room columns and no indent (the caller wrote it). */
static void wrap_paragraph(FILE *out, const char *sgr, const char *p, size_t len, int indent,
                           int first_room, int room)
{
    bool first = true;
    int avail = first_room;
    size_t i = 0;
    while (i < len && p[i] == ' ')
        i++;
    do {
        if (!first)
            fprintf(out, "%*s", indent, "");
        /* take words while they fit */
        size_t line_start = i, line_end = i, j = i;
        while (j < len) {
            size_t word_end = j;
            while (word_end < len && p[word_end] != ' ')
                word_end++;
            if (text_columns(p + line_start, word_end - line_start) > avail) {
                if (line_end == line_start) /* a word longer than the line: cut it */
                    line_end = line_start + bytes_for_columns(p + line_start, len - line_start, avail);
                break;
            }
            line_end = word_end;
            j = word_end;
            while (j < len && p[j] == ' ')
                j++;
        }
        display_style_on(out, sgr);
        fwrite(p + line_start, 1, line_end - line_start, out);
        display_style_off(out, sgr);
        fputc('\n', out);
        i = line_end;
        while (i < len && p[i] == ' ')
            i++;
        first = false;
        avail = room;
    } while (i < len);
}

static void wrap_text(FILE *out, const char *sgr, int indent, int first_room, const char *text)
{
    int width = display_width();
    int room = width - indent;
    if (room < 20)
        room = 20;
    if (first_room < 1)
        first_room = room;
    bool first = true;
    const char *p = text;
    do {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (!first)
            fprintf(out, "%*s", indent, "");
        if (len == 0) {
            fputc('\n', out);
        } else {
            wrap_paragraph(out, sgr, p, len, indent, first ? first_room : room, room);
        }
        first = false;
        p = nl ? nl + 1 : NULL;
    } while (p && *p);
}

void display_wrapped(FILE *out, const char *sgr, int indent, const char *text)
{
    if (!text || !*text)
        return;
    fprintf(out, "%*s", indent, "");
    wrap_text(out, sgr, indent, display_width() - indent, text);
}

void display_hanging(FILE *out, const char *prefix, const char *sgr, int indent, const char *text)
{
    int width = display_width();
    int used = text_columns(prefix, strlen(prefix));
    fputs(prefix, out);
    if (!text || !*text) {
        fputc('\n', out);
        return;
    }
    if (used <= width - 24) {
        wrap_text(out, sgr, used, width - used, text);
    } else { /* too little room after the prefix: the text on its own lines */
        fputc('\n', out);
        display_wrapped(out, sgr, indent, text);
    }
}

void display_notice(FILE *out, const char *text)
{
    if (!text || !*text) {
        fputc('\n', out);
        return;
    }
    wrap_text(out, NULL, 2, display_width(), text);
}
