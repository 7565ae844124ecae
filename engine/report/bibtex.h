/* bibtex.h: reading the few fields of a citation record that the run log's
 * methods paragraph needs (citations_text.c): a BibTeX entry's key and
 * fields, the surname of the first author, and EndNote tags as a fallback.
 * Lenient: Savu's records have odd spacing, unbraced values and braces
 * inside values. Every result is malloc'd; NULL means absent (or out of
 * memory). */
#ifndef SAVU_BIBTEX_H
#define SAVU_BIBTEX_H

/* "@article{vo2014reliable, ..." -> "vo2014reliable". */
char *bibtex_key(const char *bibtex);

/* The value of a field (name matched case-insensitively), without its outer
 * braces or quotes, whitespace runs made single spaces: year={2014} ->
 * "2014", year=2021 -> "2021", title={A {B}} -> "A {B}". */
char *bibtex_field(const char *bibtex, const char *name);

/* The first author's surname, braces removed, from an author field:
 * "Vo, Nghia T and Drakopoulos, Michael" -> "Vo", "Nicola Wadeson and ..."
 * -> "Wadeson", "Ludwig van Beethoven" -> "van Beethoven",
 * "{The HDF Group}" -> "The HDF Group". */
char *bibtex_first_surname(const char *authors);

/* The text of the first EndNote line with this tag ("%A", "%D"). */
char *endnote_tag(const char *endnote, const char *tag);

#endif
