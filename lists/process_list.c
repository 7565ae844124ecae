/* process_list.c: the process-list model and its edits with Savu's
 * position rules (reference savu-config.md §3): insertion with lettered
 * sub-positions, removal with renumbering, move, duplicate, replace,
 * on/off, and iterate groups kept consistent with every edit. */
#include "process_list.h"
#include "savu_plugin.h"
#include <stdlib.h>
#include <string.h>

/* ---- entries ---- */

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

savu_entry *savu_entry_new(const char *name, const char *id, json_t *params)
{
    savu_entry *e = calloc(1, sizeof *e);
    if (!e) {
        json_decref(params);
        return NULL;
    }
    e->name = dup_or_empty(name);
    e->id = dup_or_empty(id);
    e->active = true;
    e->params = params ? params : json_object();
    if (!e->name || !e->id || !e->params) {
        savu_entry_free(e);
        return NULL;
    }
    return e;
}

savu_entry *savu_entry_new_default(const struct savu_plugin *plugin, savu_error *err)
{
    json_t *params = json_object();
    if (!params) {
        savu_error_set(err, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < plugin->n_params; i++) {
        const struct savu_param_def *d = &plugin->params[i];
        json_error_t jerr;
        json_t *v = json_loads(d->default_json ? d->default_json : "null",
                               JSON_DECODE_ANY, &jerr);
        if (!v) {
            savu_error_set(err, "plugin %s: default of parameter %s is not valid JSON: %s",
                           plugin->name, d->name, jerr.text);
            json_decref(params);
            return NULL;
        }
        json_object_set_new(params, d->name, v);
    }
    savu_entry *e = savu_entry_new(plugin->name, plugin->id, params);
    if (!e) {
        savu_error_set(err, "out of memory");
        return NULL;
    }
    e->plugin = plugin;
    return e;
}

savu_entry *savu_entry_clone(const savu_entry *src)
{
    savu_entry *e = savu_entry_new(src->name, src->id, json_deep_copy(src->params));
    if (!e)
        return NULL;
    memcpy(e->pos, src->pos, sizeof e->pos);
    e->active = src->active;
    e->plugin = src->plugin;
    if (src->citations) {
        e->citations = json_deep_copy(src->citations);
        if (!e->citations) {
            savu_entry_free(e);
            return NULL;
        }
    }
    return e;
}

void savu_entry_free(savu_entry *e)
{
    if (!e)
        return;
    free(e->name);
    free(e->id);
    json_decref(e->params);
    json_decref(e->citations);
    free(e);
}

/* ---- the list ---- */

savu_process_list *savu_plist_new(void)
{
    return calloc(1, sizeof(savu_process_list));
}

void savu_plist_clear(savu_process_list *pl)
{
    for (size_t i = 0; i < pl->n; i++)
        savu_entry_free(pl->entries[i]);
    pl->n = 0;
    pl->n_groups = 0;
}

void savu_plist_free(savu_process_list *pl)
{
    if (!pl)
        return;
    savu_plist_clear(pl);
    free(pl->entries);
    free(pl->groups);
    free(pl->version);
    free(pl);
}

savu_process_list *savu_plist_clone(const savu_process_list *pl)
{
    savu_process_list *c = savu_plist_new();
    if (!c)
        return NULL;
    c->entries = calloc(pl->n ? pl->n : 1, sizeof *c->entries);
    c->groups = calloc(pl->n_groups ? pl->n_groups : 1, sizeof *c->groups);
    c->version = pl->version ? strdup(pl->version) : NULL;
    if (!c->entries || !c->groups || (pl->version && !c->version)) {
        savu_plist_free(c);
        return NULL;
    }
    c->cap = pl->n ? pl->n : 1;
    c->cap_groups = pl->n_groups ? pl->n_groups : 1;
    for (size_t i = 0; i < pl->n; i++) {
        c->entries[i] = savu_entry_clone(pl->entries[i]);
        if (!c->entries[i]) {
            savu_plist_free(c);
            return NULL;
        }
        c->n++;
    }
    if (pl->n_groups)
        memcpy(c->groups, pl->groups, pl->n_groups * sizeof *pl->groups);
    c->n_groups = pl->n_groups;
    return c;
}

static savu_pos entry_pos(const savu_entry *e)
{
    savu_pos p = {0, 0};
    savu_pos_parse(e->pos, &p, NULL);
    return p;
}

static void set_entry_pos(savu_entry *e, int number, char letter)
{
    savu_pos p = {number, letter};
    savu_pos_format(p, e->pos);
}

int savu_plist_find(const savu_process_list *pl, const char *pos, savu_error *err)
{
    if (pl->n == 0)
        return savu_error_set(err, "There are no items to access in your list.");
    savu_pos want;
    if (savu_pos_parse(pos, &want, err) < 0)
        return -1;
    for (size_t i = 0; i < pl->n; i++)
        if (savu_pos_compare(entry_pos(pl->entries[i]), want) == 0)
            return (int)i;
    return savu_error_set(err, "Incorrect plugin position '%s': there is no plugin there.", pos);
}

static int last_number(const savu_process_list *pl)
{
    return pl->n ? entry_pos(pl->entries[pl->n - 1]).number : 0;
}

/* Entries numbered `number`: first index and count (entries stay sorted). */
static size_t group_of(const savu_process_list *pl, int number, size_t *count)
{
    size_t first = pl->n;
    *count = 0;
    for (size_t i = 0; i < pl->n; i++) {
        if (entry_pos(pl->entries[i]).number == number) {
            if (*count == 0)
                first = i;
            (*count)++;
        }
    }
    return first;
}

static void renumber_from(savu_process_list *pl, size_t from_index, int delta)
{
    for (size_t i = from_index; i < pl->n; i++) {
        savu_pos p = entry_pos(pl->entries[i]);
        set_entry_pos(pl->entries[i], p.number + delta, p.letter);
    }
}

/* Re-letters a group so that it reads a, b, c...; a group of one becomes plain. */
static void reletter_group(savu_process_list *pl, int number)
{
    size_t count;
    size_t first = group_of(pl, number, &count);
    for (size_t k = 0; k < count; k++)
        set_entry_pos(pl->entries[first + k], number, count == 1 ? '\0' : (char)('a' + k));
}

static int reserve(savu_process_list *pl, size_t want)
{
    if (want <= pl->cap)
        return 0;
    size_t cap = pl->cap ? pl->cap * 2 : 8;
    while (cap < want)
        cap *= 2;
    savu_entry **grown = realloc(pl->entries, cap * sizeof *grown);
    if (!grown)
        return -1;
    pl->entries = grown;
    pl->cap = cap;
    return 0;
}

/* ---- iterate groups follow insertions and removals (1-based index) ---- */

static void drop_group(savu_process_list *pl, size_t g)
{
    memmove(&pl->groups[g], &pl->groups[g + 1], (pl->n_groups - g - 1) * sizeof *pl->groups);
    pl->n_groups--;
}

static void groups_after_insert(savu_process_list *pl, int index)
{
    for (size_t g = pl->n_groups; g-- > 0;) {
        savu_iterate_group *it = &pl->groups[g];
        if (index <= it->start) {
            it->start++;
            it->end++;
        } else if (index <= it->end) {
            drop_group(pl, g);
        }
    }
}

static void groups_after_remove(savu_process_list *pl, int index)
{
    for (size_t g = pl->n_groups; g-- > 0;) {
        savu_iterate_group *it = &pl->groups[g];
        if (index < it->start) {
            it->start--;
            it->end--;
        } else if (index <= it->end) {
            drop_group(pl, g);
        }
    }
}

/* ---- edits ---- */

static void place_at(savu_process_list *pl, size_t index, savu_entry *e)
{
    memmove(&pl->entries[index + 1], &pl->entries[index], (pl->n - index) * sizeof *pl->entries);
    pl->entries[index] = e;
    pl->n++;
    groups_after_insert(pl, (int)index + 1);
}

/* Inserts into the group numbered p.number at letter p.letter. */
static int insert_lettered(savu_process_list *pl, savu_entry *e, savu_pos p, savu_error *err)
{
    size_t count;
    size_t first = group_of(pl, p.number, &count);
    if (count >= 26) {
        savu_entry_free(e);
        return savu_error_set(err, "Position %d already has 26 sub-positions (a to z).", p.number);
    }
    size_t k = (size_t)(p.letter - 'a');
    if (k > count)
        k = count;
    set_entry_pos(e, p.number, 'a'); /* re-lettered below */
    place_at(pl, first + k, e);
    reletter_group(pl, p.number);
    return 0;
}

int savu_plist_insert(savu_process_list *pl, savu_entry *e, const char *pos, savu_error *err)
{
    if (!e)
        return savu_error_set(err, "out of memory");
    if (reserve(pl, pl->n + 1) < 0) {
        savu_entry_free(e);
        return savu_error_set(err, "out of memory");
    }
    int last = last_number(pl);
    savu_pos p = {last + 1, '\0'};
    if (pos && savu_pos_parse(pos, &p, err) < 0) {
        savu_entry_free(e);
        return -1;
    }
    if (p.number > last) {
        set_entry_pos(e, last + 1, '\0');
        place_at(pl, pl->n, e);
        return 0;
    }
    if (p.letter)
        return insert_lettered(pl, e, p, err);
    size_t count;
    size_t first = group_of(pl, p.number, &count);
    renumber_from(pl, first, +1);
    set_entry_pos(e, p.number, '\0');
    place_at(pl, first, e);
    return 0;
}

/* Takes the entry at index out of the list, renumbering the rest. */
static savu_entry *take_out(savu_process_list *pl, size_t index)
{
    savu_entry *e = pl->entries[index];
    savu_pos p = entry_pos(e);
    memmove(&pl->entries[index], &pl->entries[index + 1], (pl->n - index - 1) * sizeof *pl->entries);
    pl->n--;
    groups_after_remove(pl, (int)index + 1);
    size_t count;
    group_of(pl, p.number, &count);
    if (count == 0)
        renumber_from(pl, index, -1);
    else if (p.letter)
        reletter_group(pl, p.number);
    return e;
}

int savu_plist_remove(savu_process_list *pl, const char *pos, savu_error *err)
{
    int i = savu_plist_find(pl, pos, err);
    if (i < 0)
        return -1;
    savu_entry_free(take_out(pl, (size_t)i));
    return 0;
}

int savu_plist_move(savu_process_list *pl, const char *from, const char *to, savu_error *err)
{
    int i = savu_plist_find(pl, from, err);
    if (i < 0)
        return -1;
    savu_pos target;
    size_t count;
    if (savu_pos_parse(to, &target, err) < 0)
        return -1;
    group_of(pl, target.number, &count);
    if (count == 0)
        return savu_error_set(err, "Incorrect plugin position '%s': there is no plugin numbered %d.",
                              to, target.number);
    savu_entry *e = take_out(pl, (size_t)i);
    return savu_plist_insert(pl, e, to, err);
}

int savu_plist_duplicate(savu_process_list *pl, const char *orig, const char *new_pos, savu_error *err)
{
    int i = savu_plist_find(pl, orig, err);
    if (i < 0)
        return -1;
    savu_entry *copy = savu_entry_clone(pl->entries[i]);
    return savu_plist_insert(pl, copy, new_pos, err);
}

int savu_plist_replace(savu_process_list *pl, const char *pos, savu_entry *e, savu_error *err)
{
    int i = savu_plist_find(pl, pos, err);
    if (i < 0 || !e) {
        savu_entry_free(e);
        return i < 0 ? -1 : savu_error_set(err, "out of memory");
    }
    memcpy(e->pos, pl->entries[i]->pos, sizeof e->pos);
    savu_entry_free(pl->entries[i]);
    pl->entries[i] = e;
    return 0;
}

int savu_plist_set_active(savu_process_list *pl, const char *pos, bool active, savu_error *err)
{
    int i = savu_plist_find(pl, pos, err);
    if (i < 0)
        return -1;
    pl->entries[i]->active = active;
    return 0;
}

int savu_plist_add_iterate(savu_process_list *pl, int start, int end, int iterations, savu_error *err)
{
    if (start < 1 || end < start || (size_t)end > pl->n)
        return savu_error_set(err, "Iterate loop %d to %d is not within the %zu plugins of the list "
                              "(start and end are 1-based plugin indices, start <= end).",
                              start, end, pl->n);
    if (iterations < 1)
        return savu_error_set(err, "The number of iterations must be at least 1, not %d.", iterations);
    for (size_t g = 0; g < pl->n_groups; g++)
        if (start <= pl->groups[g].end && end >= pl->groups[g].start)
            return savu_error_set(err, "Iterate loop %d to %d overlaps loop (%zu), %d to %d.",
                                  start, end, g + 1, pl->groups[g].start, pl->groups[g].end);
    if (pl->n_groups == pl->cap_groups) {
        size_t cap = pl->cap_groups ? pl->cap_groups * 2 : 4;
        savu_iterate_group *grown = realloc(pl->groups, cap * sizeof *grown);
        if (!grown)
            return savu_error_set(err, "out of memory");
        pl->groups = grown;
        pl->cap_groups = cap;
    }
    pl->groups[pl->n_groups++] = (savu_iterate_group){start, end, iterations};
    return 0;
}

int savu_plist_remove_iterate(savu_process_list *pl, size_t group_number, savu_error *err)
{
    if (group_number < 1 || group_number > pl->n_groups)
        return savu_error_set(err, "There is no iterate loop (%zu); the list has %zu.",
                              group_number, pl->n_groups);
    drop_group(pl, group_number - 1);
    return 0;
}
