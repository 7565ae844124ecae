/* citations_text.c: run_log/citations.txt and citations.bib of a run
 * (citations_text.h), laid out as Savu's citation extractor lays out
 * citations.txt:
 *
 *     DESCRIPTION
 *     <description> \ref{<key>}(<Surname>, <Year>).  <description> ...
 *
 *     BIBTEX
 *     <entry>
 *
 *     <entry>
 *
 *     ENDNOTE
 *     <record>
 *
 *     <record>
 *
 * One sentence per citation: its description (less a final full stop) and
 * its reference, each part only when known; empty records are left out.
 * The citations are gathered once, in order (the framework's, then each
 * active entry's), as an array of JSON objects {description, doi, bibtex,
 * endnote}, a work cited once: a later citation with the same DOI (case and
 * a resolver prefix aside) or the same BibTeX key is a repeat. The key,
 * surname and year come from the BibTeX record, the surname and year from
 * the EndNote one (%A, %D) when the BibTeX record lacks them. Savu's own
 * extractor prints the whole first %A line ("Vo, Nghia T") and the %D line;
 * here it is the surname alone, as a paper cites. */
#define _GNU_SOURCE /* open_memstream, strcasecmp */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "atomic_file.h"
#include "bibtex.h"
#include "citations.h"
#include "citations_text.h"
#include "nexus.h"

/* ---- gathering ---- */

static const char *field(const json_t *citation, const char *name)
{
    const char *s = json_string_value(json_object_get(citation, name));
    return s ? s : "";
}

static bool same_key(const json_t *a, const json_t *b)
{
    char *ka = bibtex_key(field(a, "bibtex")), *kb = bibtex_key(field(b, "bibtex"));
    bool same = ka && kb && strcmp(ka, kb) == 0;
    free(ka);
    free(kb);
    return same;
}

/* A DOI without the resolver prefix Savu's records sometimes carry:
 * "https://doi.org/10.1364/OE.22.019078" -> "10.1364/OE.22.019078". */
static const char *bare_doi(const char *doi)
{
    static const char *const prefixes[] = { "https://doi.org/", "http://doi.org/",
                                            "https://dx.doi.org/", "http://dx.doi.org/", "doi:" };
    doi += strspn(doi, " \t");
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncasecmp(doi, prefixes[i], strlen(prefixes[i])) == 0)
            return doi + strlen(prefixes[i]);
    return doi;
}

/* The same work: the same DOI (DOIs ignore case) or the same BibTeX key. */
static bool same_work(const json_t *a, const json_t *b)
{
    const char *da = bare_doi(field(a, "doi")), *db = bare_doi(field(b, "doi"));
    if (*da && *db && strcasecmp(da, db) == 0)
        return true;
    return same_key(a, b);
}

/* Appends c (reference stolen) unless the list already cites its work. */
static int append_unique(json_t *list, json_t *c)
{
    if (!c)
        return -1;
    size_t i;
    json_t *old;
    json_array_foreach(list, i, old) {
        if (same_work(old, c)) {
            json_decref(c);
            return 0;
        }
    }
    return json_array_append_new(list, c);
}

static json_t *framework_citation(const struct savu_citation *c)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "description", c->description ? c->description : "",
                     "doi", c->doi ? c->doi : "", "bibtex", c->bibtex ? c->bibtex : "",
                     "endnote", c->endnote ? c->endnote : "");
}

static int append_entry_citations(json_t *list, const savu_entry *e)
{
    json_t *cites = savu_entry_citations(e);
    if (!cites)
        return -1;
    int rc = 0;
    size_t i;
    json_t *c;
    json_array_foreach(cites, i, c) {
        if (rc == 0)
            rc = append_unique(list, json_incref(c));
    }
    json_decref(cites);
    return rc;
}

/* Every citation of the run, each work once; NULL when out of memory. */
static json_t *run_citations(const savu_process_list *pl)
{
    json_t *list = json_array();
    int rc = list ? 0 : -1;
    for (size_t i = 0; i < savu_framework_citation_count && rc == 0; i++)
        rc = append_unique(list, framework_citation(&savu_framework_citations[i]));
    for (size_t i = 0; pl && i < pl->n && rc == 0; i++)
        if (pl->entries[i]->active)
            rc = append_entry_citations(list, pl->entries[i]);
    if (rc < 0) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* ---- writing the text ---- */

/* Writes text without its trailing whitespace (and, with drop_period, a
 * final full stop). */
static void put_trimmed(FILE *out, const char *text, bool drop_period)
{
    size_t n = strlen(text);
    while (n > 0 && strchr(" \t\r\n", text[n - 1]))
        n--;
    if (drop_period && n > 0 && text[n - 1] == '.')
        n--;
    fwrite(text, 1, n, out);
}

static char *first_surname(const json_t *c)
{
    char *authors = bibtex_field(field(c, "bibtex"), "author");
    if (!authors)
        authors = endnote_tag(field(c, "endnote"), "%A");
    char *surname = authors ? bibtex_first_surname(authors) : NULL;
    free(authors);
    return surname;
}

static char *year_of(const json_t *c)
{
    char *year = bibtex_field(field(c, "bibtex"), "year");
    return year ? year : endnote_tag(field(c, "endnote"), "%D");
}

/* " \ref{key}(Surname, Year)", each part only when known. */
static void put_reference(FILE *out, const json_t *c)
{
    char *key = bibtex_key(field(c, "bibtex"));
    char *surname = first_surname(c), *year = year_of(c);
    if (key)
        fprintf(out, " \\ref{%s}", key);
    if (surname || year)
        fprintf(out, "%s(%s%s%s)", key ? "" : " ", surname ? surname : "",
                surname && year ? ", " : "", year ? year : "");
    free(key);
    free(surname);
    free(year);
}

/* The methods paragraph: one sentence per citation. */
static void put_description(FILE *out, const json_t *list)
{
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) {
        if (i > 0)
            fputs("  ", out);
        put_trimmed(out, field(c, "description"), true);
        put_reference(out, c);
        fputc('.', out);
    }
    fputc('\n', out);
}

/* The non-empty records of one kind ("bibtex", "endnote"), a blank line
 * between them. */
static void put_records(FILE *out, const json_t *list, const char *kind)
{
    bool first = true;
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) {
        const char *text = field(c, kind);
        if (!text[strspn(text, " \t\r\n")])
            continue;
        if (!first)
            fputc('\n', out);
        put_trimmed(out, text, false);
        fputc('\n', out);
        first = false;
    }
}

/* citations.txt, or with bib_only citations.bib, as a new string. */
static char *render(const savu_process_list *pl, bool bib_only)
{
    json_t *list = run_citations(pl);
    char *text = NULL;
    size_t size = 0;
    FILE *out = list ? open_memstream(&text, &size) : NULL;
    if (!out) {
        json_decref(list);
        return NULL;
    }
    if (bib_only) {
        put_records(out, list, "bibtex");
    } else {
        fputs("DESCRIPTION\n", out);
        put_description(out, list);
        fputs("\nBIBTEX\n", out);
        put_records(out, list, "bibtex");
        fputs("\nENDNOTE\n", out);
        put_records(out, list, "endnote");
    }
    bool failed = ferror(out);
    if (fclose(out) != 0 || failed) {
        free(text);
        text = NULL;
    }
    json_decref(list);
    return text;
}

char *citations_text(const savu_process_list *pl)
{
    return render(pl, false);
}

/* ---- files ---- */

static int write_file(const char *dir, const char *name, const savu_process_list *pl,
                      bool bib_only, savu_error *err)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *path = malloc(size);
    if (!path)
        return savu_error_set(err, "cannot write %s/%s: out of memory", dir, name);
    snprintf(path, size, "%s/%s", dir, name);
    char *text = render(pl, bib_only);
    int rc = text ? savu_atomic_write_file(path, text, strlen(text), err)
                  : savu_error_set(err, "cannot write %s: out of memory", path);
    free(text);
    free(path);
    return rc;
}

int citations_text_write(const char *dir, const savu_process_list *pl, savu_error *err)
{
    if (write_file(dir, "citations.txt", pl, false, err) < 0)
        return -1;
    return write_file(dir, "citations.bib", pl, true, err);
}
