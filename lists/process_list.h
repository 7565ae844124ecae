/* process_list.h: the process-list model. An ordered list of plugin entries,
 * each with a Savu position ("1", "2", "3a"), an active flag, the plugin's
 * name and id, all its parameters (a JSON object in definition order) and
 * citations; plus iterate groups. The edit operations follow Savu's rules
 * (reference savu-config.md §3) and work with lettered sub-positions. */
#ifndef SAVU_PROCESS_LIST_H
#define SAVU_PROCESS_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "error.h"

struct savu_plugin;

#define SAVU_POS_MAX 16

typedef struct savu_entry {
    char pos[SAVU_POS_MAX];   /* "1", "10", "3a" */
    char *name;               /* "NxtomoLoader" */
    char *id;                 /* "savu.plugins.loaders.full_field_loaders.nxtomo_loader" */
    bool active;
    json_t *params;           /* object: every parameter, hidden ones too */
    json_t *citations;        /* array of {description, doi, bibtex, endnote} read
                                 from a file; NULL: the plugin's own */
    const struct savu_plugin *plugin; /* NULL: unknown here, kept opaque, never run */
} savu_entry;

typedef struct savu_iterate_group {
    int start, end;           /* 1-based indices into the list, inclusive */
    int iterations;
} savu_iterate_group;

typedef struct savu_process_list {
    savu_entry **entries;
    size_t n, cap;
    savu_iterate_group *groups;
    size_t n_groups, cap_groups;
    char *version;            /* savu_notes/version as read; NULL for legacy */
} savu_process_list;

/* A parsed position: number and optional letter ('\0' when plain). */
typedef struct savu_pos {
    int number;
    char letter;
} savu_pos;

/* "3", "3a" (whitespace around allowed, as legacy padded names). */
int savu_pos_parse(const char *text, savu_pos *out, savu_error *err);
void savu_pos_format(savu_pos p, char out[SAVU_POS_MAX]);
/* Natural order: 2 < 3 < 3a < 3b < 4 < 10. */
int savu_pos_compare(savu_pos a, savu_pos b);

savu_process_list *savu_plist_new(void);
void savu_plist_free(savu_process_list *pl);
savu_process_list *savu_plist_clone(const savu_process_list *pl);

/* Index of the entry at exactly this position, or -1 (err says why: empty
 * list "There are no items to access in your list." or "Incorrect plugin
 * position."). */
int savu_plist_find(const savu_process_list *pl, const char *pos, savu_error *err);

/* Inserts e (ownership taken, also on failure) at pos by Savu's insertion
 * rules; pos NULL appends. e->pos is set. Iterate groups are adjusted. */
int savu_plist_insert(savu_process_list *pl, savu_entry *e, const char *pos, savu_error *err);
int savu_plist_remove(savu_process_list *pl, const char *pos, savu_error *err);
/* Moves the entry at `from` so that it ends numbered `to`. */
int savu_plist_move(savu_process_list *pl, const char *from, const char *to, savu_error *err);
/* Deep copy of `orig` inserted at new_pos (NULL: appended). */
int savu_plist_duplicate(savu_process_list *pl, const char *orig, const char *new_pos, savu_error *err);
/* Replaces the entry at pos with e (ownership taken), same position. */
int savu_plist_replace(savu_process_list *pl, const char *pos, savu_entry *e, savu_error *err);
int savu_plist_set_active(savu_process_list *pl, const char *pos, bool active, savu_error *err);
void savu_plist_clear(savu_process_list *pl);

/* Iterate groups: add (1-based inclusive indices, checked), remove by 1-based
 * group number. */
int savu_plist_add_iterate(savu_process_list *pl, int start, int end, int iterations, savu_error *err);
int savu_plist_remove_iterate(savu_process_list *pl, size_t group_number, savu_error *err);

/* Entries. */
savu_entry *savu_entry_new(const char *name, const char *id, json_t *params /* stolen */);
/* A new entry with the plugin's defaults. */
savu_entry *savu_entry_new_default(const struct savu_plugin *plugin, savu_error *err);
savu_entry *savu_entry_clone(const savu_entry *e);
void savu_entry_free(savu_entry *e);

#endif
