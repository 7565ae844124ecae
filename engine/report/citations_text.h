/* citations_text.h: run_log/citations.txt and run_log/citations.bib of a run
 * (reference savu-engine.md §4): a DESCRIPTION paragraph — a "methods
 * section" naming each cited work as \ref{key}(FirstAuthor, Year) — then
 * every BibTeX entry, then every EndNote entry; the .bib file holds the
 * BibTeX entries alone. Citations come from the framework
 * (plugins/citations.h) and from each active entry of the process list
 * (savu_entry_citations), each cited once (same DOI or BibTeX key), in
 * list order. Both files are written atomically. */
#ifndef SAVU_CITATIONS_TEXT_H
#define SAVU_CITATIONS_TEXT_H

#include "error.h"
#include "process_list.h"

/* The whole text of citations.txt (malloc'd). */
char *citations_text(const savu_process_list *pl);

/* Writes <dir>/citations.txt and <dir>/citations.bib. Error: "cannot write
 * <path>: <reason>". */
int citations_text_write(const char *dir, const savu_process_list *pl, savu_error *err);

#endif
