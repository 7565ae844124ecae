/* plan_loader.c: the NxtomoLoader entry of a process list turned into the
 * input configuration (nxtomo_input.h), and the loaded dataset it gives:
 * shape after preview, axis labels, angles, darks and flats, and where the
 * previewed pixels sit on the detector. */
#include <string.h>
#include "plan_internal.h"
#include "run_log.h"

static void warn_line(void *ctx, const char *message)
{
    (void)ctx;
    savu_log(LOG_WARNING, "%s", message);
}

/* [file, path, scale] of the dark or flat parameter. */
static void field_source(const json_t *v, const char **file, const char **path, double *scale)
{
    *file = json_string_value(json_array_get(v, 0));
    *path = json_string_value(json_array_get(v, 1));
    const json_t *s = json_array_get(v, 2);
    *scale = json_is_number(s) ? json_number_value(s) : 1.0;
}

int plan_loader_config(struct plan *plan, const savu_entry *e, const char *data_file,
                       savu_error *err)
{
    const json_t *p = e->params;
    struct nxtomo_config *cfg = &plan->cfg;
    memset(cfg, 0, sizeof *cfg);
    const char *tuned = NULL;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)p, key, value) {
        if (json_is_string(value) && savu_value_is_tuned(json_string_value(value)))
            tuned = key;
    }
    if (tuned)
        return savu_error_set(err, "plugin %s %s: parameter %s: a loader parameter cannot be "
                                   "tuned (it has ';')", e->pos, e->name, tuned);
    cfg->data_file = data_file;
    cfg->data_path = json_string_value(json_object_get(p, "data_path"));
    if (!cfg->data_path)
        cfg->data_path = NXTOMO_DEFAULT_DATA_PATH;
    cfg->image_key_path = json_string_value(json_object_get(p, "image_key_path"));
    field_source(json_object_get(p, "dark"), &cfg->dark_file, &cfg->dark_path, &cfg->dark_scale);
    field_source(json_object_get(p, "flat"), &cfg->flat_file, &cfg->flat_path, &cfg->flat_scale);
    cfg->angles = json_object_get(p, "angles");
    cfg->preview = json_object_get(p, "preview");
    cfg->ignore_flats = json_object_get(p, "ignore_flats");
    cfg->warn = warn_line;
    const json_t *to4d = json_object_get(p, "3d_to_4d");
    if (to4d && !json_is_false(to4d) && !(json_is_integer(to4d) && json_integer_value(to4d) == 0))
        return savu_error_set(err, "plugin %s %s: parameter 3d_to_4d: time-resolved (4-D) data "
                                   "are not supported yet; set it to False", e->pos, e->name);
    const char *name = json_string_value(json_object_get(p, "name"));
    plan->loader_name = strdup(name && *name ? name : "tomo");
    return 0;
}

static const char *const data_labels[3] = {"rotation_angle", "detector_y", "detector_x"};
static const char *const data_units[3] = {"degrees", "pixel", "pixel"};

int plan_open_input(struct plan *plan, const savu_entry *e, savu_error *err)
{
    if (nxtomo_input_open(&plan->cfg, &plan->input, err) != 0)
        return savu_error_prefix(err, "plugin %s %s: ", e->pos, e->name);
    const struct nxtomo_info *info = nxtomo_input_info(plan->input);
    struct dataset *ds = dataset_new(plan->loader_name, NULL);
    if (!ds)
        return savu_error_set(err, "out of memory");
    memcpy(ds->shape, info->shape, sizeof ds->shape);
    memcpy(ds->labels, data_labels, sizeof ds->labels);
    memcpy(ds->units, data_units, sizeof ds->units);
    ds->pattern = SAVU_PATTERN_PROJECTION;
    ds->angles = info->angles_deg;
    ds->n_angles = info->shape[0];
    ds->dark = info->dark;
    ds->flat = info->flat;
    ds->y_start = info->preview[1].start;
    ds->y_step = info->preview[1].step;
    ds->x_start = info->preview[2].start;
    ds->x_step = info->preview[2].step;
    plan->loaded = ds;
    return 0;
}
