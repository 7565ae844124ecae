/* compat_recon.c: Savu's reconstruction plugins that wrap other libraries
 * become TomoRecon, our native reconstruction, with equivalent parameters:
 *  - algorithm: FBP (ASTRA CPU), FBP_CUDA (ASTRA GPU), gridrec and fbp
 *    (TomoPy) are filtered back-projection: FBP. Other algorithms keep their
 *    names, so that validation and the engine name them clearly.
 *  - filter: ASTRA's FBP_filter, TomoPy's filter_name and scikit-image's
 *    filter, with ASTRA's ram-lak and TomoPy's ramlak and shepp renamed to
 *    ramp and shepp-logan; other names are kept.
 *  - parameters TomoRecon has under the same name (datasets, centre of
 *    rotation, log, ratio, preview, ...) are carried over as they are.
 * Tuned values ("FBP;CGLS") are mapped item by item and stay tuning
 * strings. Parameters TomoRecon has no use for are dropped; those not at
 * Savu's default are named in the notice. TomoRecon's definition comes from
 * the plugin catalog the caller hands in. */
#include "compat_recon.h"
#include "savu_plugin.h"
#include "validate.h"
#include "value.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct name_pair {
    const char *from, *to;
};

static const struct name_pair algorithm_names[] = {
    {"FBP", "FBP"}, {"FBP_CUDA", "FBP"}, {"gridrec", "FBP"}, {"fbp", "FBP"}, {NULL, NULL},
};
static const struct name_pair astra_filters[] = {{"ram-lak", "ramp"}, {NULL, NULL}};
static const struct name_pair tomopy_filters[] = {
    {"ramlak", "ramp"}, {"shepp", "shepp-logan"}, {NULL, NULL},
};
static const struct name_pair same_filters[] = {{NULL, NULL}};

static const struct wrapped_recon {
    const char *name;
    const char *filter_param;        /* its name for the FBP filter */
    const struct name_pair *filters; /* its filter names that differ from ours */
} wrapped_recons[] = {
    {"AstraReconCpu", "FBP_filter", astra_filters},
    {"AstraReconGpu", "FBP_filter", astra_filters},
    {"TomopyRecon", "filter_name", tomopy_filters},
    {"ScikitimageFilterBackProjection", "filter", same_filters},
};

/* Savu parameters without a TomoRecon equivalent, at Savu's defaults:
 * dropping them changes nothing, so the notice does not name them. */
static const struct {
    const char *name, *default_json;
} quiet_drops[] = {
    {"log_func", "\"np.nan_to_num(-np.log(sino))\""},
    {"outer_pad", "false"},
    {"centre_pad", "false"},
    {"res_norm", "false"},
    {"projector", "\"line\""},
    {"output_size", "\"auto\""},
    {"output_size", "null"},
    {"interpolation", "\"linear\""},
    {"circle", "false"},
    {"reg_par", "0.0"},
};

static const struct wrapped_recon *find_wrapped(const char *name)
{
    for (size_t i = 0; name && i < sizeof wrapped_recons / sizeof wrapped_recons[0]; i++)
        if (strcmp(wrapped_recons[i].name, name) == 0)
            return &wrapped_recons[i];
    return NULL;
}

bool savu_compat_is_wrapped_recon(const char *name)
{
    return find_wrapped(name) != NULL;
}

static bool same_value(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    return json_equal(a, b);
}

static bool is_quiet_drop(const char *name, const json_t *value)
{
    for (size_t i = 0; i < sizeof quiet_drops / sizeof quiet_drops[0]; i++) {
        if (strcmp(quiet_drops[i].name, name) != 0)
            continue;
        json_t *def = json_loads(quiet_drops[i].default_json, JSON_DECODE_ANY, NULL);
        bool same = def && same_value(def, value);
        json_decref(def);
        if (same)
            return true;
    }
    return false;
}

/* Writes item (len bytes) without surrounding spaces to out, renamed when
 * it (also without quotes) is a `from` of pairs. */
static void write_mapped_item(FILE *out, const char *item, size_t len,
                              const struct name_pair *pairs)
{
    const char *start = item, *end = item + len;
    while (start < end && *start == ' ')
        start++;
    while (end > start && end[-1] == ' ')
        end--;
    const char *s = start, *e = end;
    if (e - s >= 2 && (*s == '\'' || *s == '"') && e[-1] == *s) {
        s++;
        e--;
    }
    for (const struct name_pair *p = pairs; p->from; p++) {
        if (strlen(p->from) == (size_t)(e - s) && strncmp(p->from, s, e - s) == 0) {
            fputs(p->to, out);
            return;
        }
    }
    fwrite(start, 1, end - start, out);
}

/* value with its names mapped: a string, or a tuning string item by item
 * ("FBP_CUDA;SIRT_CUDA" -> "FBP;SIRT_CUDA"); anything else as it is. New
 * reference, NULL when out of memory. */
static json_t *map_names(json_t *value, const struct name_pair *pairs)
{
    if (!json_is_string(value))
        return json_incref(value);
    const char *text = json_string_value(value);
    char *mapped = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&mapped, &size);
    if (!out)
        return NULL;
    if (savu_value_is_tuned(text)) {
        for (const char *item = text;;) {
            const char *semi = strchr(item, ';');
            write_mapped_item(out, item, semi ? (size_t)(semi - item) : strlen(item), pairs);
            if (!semi)
                break;
            fputc(';', out);
            item = semi + 1;
        }
    } else {
        write_mapped_item(out, text, strlen(text), pairs);
    }
    if (fclose(out) != 0) {
        free(mapped);
        return NULL;
    }
    json_t *result = json_string(mapped);
    free(mapped);
    return result;
}

/* Adds ", name" (or "name" first) to the list of dropped parameters. */
static void note_dropped(char *dropped, size_t size, const char *name)
{
    size_t len = strlen(dropped);
    snprintf(dropped + len, size - len, "%s%s", len ? ", " : "", name);
}

/* Fills the TomoRecon parameters of to from the Savu entry from. */
static int carry_parameters(const savu_entry *from, const struct wrapped_recon *w,
                            const struct savu_plugin *recon, savu_entry *to, char *dropped,
                            size_t size)
{
    const char *name;
    json_t *value;
    json_object_foreach(from->params, name, value) {
        json_t *carried;
        const char *target = name;
        if (strcmp(name, "algorithm") == 0) {
            carried = map_names(value, algorithm_names);
        } else if (strcmp(name, w->filter_param) == 0) {
            target = "filter";
            carried = map_names(value, w->filters);
        } else if (savu_param_find(recon, name)) {
            carried = json_incref(value);
        } else {
            if (!is_quiet_drop(name, value))
                note_dropped(dropped, size, name);
            continue;
        }
        if (json_object_set_new(to->params, target, carried) < 0)
            return -1;
    }
    return 0;
}

int savu_compat_convert_recon(savu_process_list *pl, size_t index,
                              const savu_plugin_catalog *catalog, char *notice, size_t size)
{
    const savu_entry *old = pl->entries[index];
    const struct wrapped_recon *w = find_wrapped(old->name);
    if (!w || savu_catalog_find(catalog, old->name) || !json_is_object(old->params))
        return 0;
    const struct savu_plugin *recon = savu_catalog_find(catalog, "TomoRecon");
    if (!recon)
        return 0;
    savu_error err;
    savu_entry *e = savu_entry_new_default(recon, &err);
    char dropped[512] = "";
    if (!e || carry_parameters(old, w, recon, e, dropped, sizeof dropped) < 0) {
        savu_entry_free(e);
        snprintf(notice, size, "Plugin %s: %s could not be replaced by TomoRecon: out of memory",
                 old->pos, old->name);
        return -1;
    }
    e->active = old->active;
    char *algorithm = savu_param_value_text(json_object_get(e->params, "algorithm"));
    char *filter = savu_param_value_text(json_object_get(e->params, "filter"));
    snprintf(notice, size, "Plugin %s: %s is replaced by TomoRecon (algorithm %s, filter %s%s%s)",
             old->pos, old->name, algorithm ? algorithm : "?", filter ? filter : "?",
             *dropped ? "; not carried over: " : "", dropped);
    free(algorithm);
    free(filter);
    char pos[SAVU_POS_MAX];
    memcpy(pos, old->pos, sizeof pos);
    if (savu_plist_replace(pl, pos, e, &err) < 0) {
        snprintf(notice, size, "Plugin %s could not be replaced by TomoRecon: %s", pos, err.msg);
        return -1;
    }
    return 1;
}
