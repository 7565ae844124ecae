/* cmd_cite.c: `cite`: the citations of the framework, then those of each
 * plugin in the list (or a range of it); a citation that depends on a
 * parameter value is shown only while the value matches (nexus.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "citations.h"
#include "cmd_common.h"
#include "command_table.h"
#include "display.h"
#include "nexus.h"

#define MARGIN 6

static void citation_rule(void)
{
    printf("%*s", MARGIN, "");
    int width = display_width();
    for (int i = MARGIN; i < width; i++)
        putchar('-');
    putchar('\n');
}

/* A field: short ones on the label's line, multi-line ones (BibTeX,
 * EndNote) below it. */
static void citation_field(const char *label, const char *text)
{
    if (!text || !*text)
        return;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%*s%s: ", MARGIN, "", label);
    if (!strchr(text, '\n')) {
        display_hanging(stdout, prefix, NULL, MARGIN + 2, text);
        return;
    }
    printf("%*s%s:\n", MARGIN, "", label);
    const char *line = text;
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        int len = nl ? (int)(nl - line) : (int)strlen(line);
        char *one = strndup(line, (size_t)len);
        if (one) {
            char prefix[16];
            snprintf(prefix, sizeof prefix, "%*s", MARGIN + 2, "");
            display_hanging(stdout, prefix, NULL, MARGIN + 4, one);
            free(one);
        }
        line = nl ? nl + 1 : NULL;
    }
}

static void show_citation(const char *name, const char *description, const char *doi,
                          const char *bibtex, const char *endnote)
{
    citation_rule();
    citation_field("Name", name);
    citation_field("Description", description);
    citation_field("Doi", doi);
    citation_field("Bibtex", bibtex);
    citation_field("Endnote", endnote);
}

static const char *field(const json_t *citation, const char *key)
{
    return json_string_value(json_object_get(citation, key));
}

static void show_entry_citations(const savu_entry *e)
{
    char title[256];
    snprintf(title, sizeof title, " %s%s) %s", e->active ? "" : "***OFF*** ", e->pos, e->name);
    display_bar(stdout, e->active ? STYLE_TITLE : STYLE_OFF, title);
    json_t *citations = savu_entry_citations(e);
    size_t i;
    json_t *c;
    json_array_foreach(citations, i, c) {
        show_citation(field(c, "name"), field(c, "description"), field(c, "doi"),
                      field(c, "bibtex"), field(c, "endnote"));
    }
    if (!citations || json_array_size(citations) == 0)
        printf("\n No citations\n");
    json_decref(citations);
}

int cmd_cite(shell_session *s, const shell_args *a, savu_error *err)
{
    const savu_process_list *pl = s->list;
    int first = 0, last = (int)pl->n - 1;
    if (a->n_pos > 0) {
        first = last = shell_entry_index(s, a->pos[0], err);
        if (first < 0)
            return -1;
    }
    if (a->n_pos > 1) {
        last = shell_entry_index(s, a->pos[1], err);
        if (last < 0)
            return -1;
        if (last < first)
            return savu_error_set(err, "cite: the range %s to %s is empty: stop comes before "
                                       "start.", a->pos[0], a->pos[1]);
    }
    putchar('\n');
    display_rule(stdout, '*');
    display_bar(stdout, STYLE_TITLE, "Framework Citations");
    for (size_t i = 0; i < savu_framework_citation_count; i++) {
        const struct savu_citation *c = &savu_framework_citations[i];
        show_citation(c->label, c->description, c->doi, c->bibtex, c->endnote);
    }
    putchar('\n');
    for (int i = first; i <= last; i++)
        show_entry_citations(pl->entries[i]);
    display_rule(stdout, '*');
    putchar('\n');
    return 0;
}
