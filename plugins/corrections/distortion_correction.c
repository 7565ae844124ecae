/* distortion_correction.c: DistortionCorrection, whole (descriptor, set-up,
 * CPU path). Radial lens distortion removed from each projection by the
 * backward polynomial model of Vo et al. 2015, as Savu does it
 * (savu/plugins/corrections/distortion_correction.py, read, not copied;
 * it calls the method of discorpy's unwarp_image_backward): every corrected
 * pixel reads the distorted projection at a point on its radius from the
 * centre of distortion, linearly interpolated (kernels/cpu/
 * radial_distortion.h, kernels/cpu/remap.h; the run code shared with
 * CameraRotCorrection is remap_run.h). The points are computed once at
 * set-up for the frame the plugin is given and used for every projection.
 *
 * The centre and coefficients come from the coefficient file `file_path`
 * when it is set (discorpy's text format, as its save_metadata_txt writes
 * it: one value per line, the last word of each line the number, in the
 * order xcenter, ycenter, factor0, factor1, ...), else from center_from_left,
 * center_from_top and polynomial_coeffs. The centre is a pixel of the whole
 * detector: the loader's preview start is subtracted (Savu's
 * <name>_preview_starts; savu_meta_detector_offsets here), and a preview
 * with a step other than 1 along the detector is refused, as Savu refuses
 * it. A projection frame holds every previewed row and column, so each
 * corrected pixel reads the previewed area; a point that falls outside it
 * reads the nearest edge of the previewed area (the points are clipped to
 * it, as Savu and discorpy clip them), so a preview that crops the detector
 * changes the pixels near its edges that would read beyond it — preview the
 * extra rows and columns the distortion reaches and crop them with
 * crop_edges. crop_edges removes that many pixels from each side of the
 * projection (the output is smaller, as in Savu); the output's detector
 * offsets move with it. */
#include "builtin_plugin.h"
#include "common_params.h"
#include "remap_run.h"

static const struct savu_param_def distortion_correction_params[] = {
    SAVU_PARAM_IN_DATASETS,
    SAVU_PARAM_OUT_DATASETS(SAVU_VIS_DATASETS),
    {.name = "polynomial_coeffs", .dtype = "list",
     .default_json = "[1.0, 0.0e-6, 0.0e-8, 0.0e-11, 0.0e-15]", .visibility = SAVU_VIS_BASIC,
     .summary = "Parameters of the radial distortion: the coefficients k0, k1, ... of the "
                "backward model.",
     .verbose = "A corrected pixel at distance r from the centre of distortion reads the "
                "distorted image at (k0 + k1 r + k2 r^2 + ...) times its offset from the "
                "centre. [1.0, 0, ...] changes nothing. Ignored when file_path is set.",
     .range = "a non-empty list of numbers"},
    {.name = "center_from_top", .dtype = "float", .default_json = "1080.0",
     .visibility = SAVU_VIS_BASIC,
     .summary = "The centre of distortion in pixels from the top of the image.",
     .verbose = "A row of the whole detector (0-based), whatever the loader's preview. "
                "Ignored when file_path is set.",
     .range = "a row of the detector"},
    {.name = "center_from_left", .dtype = "float", .default_json = "1280.0",
     .visibility = SAVU_VIS_BASIC,
     .summary = "The centre of distortion in pixels from the left of the image.",
     .verbose = "A column of the whole detector (0-based), whatever the loader's preview. "
                "Ignored when file_path is set.",
     .range = "a column of the detector"},
    {.name = "file_path", .dtype = "[None, filepath, str]", .default_json = "null",
     .visibility = SAVU_VIS_BASIC,
     .summary = "Path to the text file having distortion coefficients. Set to None for "
                "manually inputting.",
     .verbose = "discorpy's coefficient file (save_metadata_txt): the lines xcenter = ..., "
                "ycenter = ..., factor0 = ..., factor1 = ..., in that order, the number "
                "last on each line. When set it replaces center_from_left, center_from_top "
                "and polynomial_coeffs."},
    {.name = "crop_edges", .dtype = "int", .default_json = "0", .visibility = SAVU_VIS_BASIC,
     .summary = "Pixels cropped from each edge of the corrected projections.",
     .verbose = "Pixels near the borders that the distortion maps beyond the data (the "
                "detector, or the loader's preview) read the data's nearest edge instead; "
                "cropping this many pixels from every side removes them. The output is "
                "smaller by twice this number in both directions.",
     .range = "0 or more, less than half the projection's height and width"},
};

static const struct savu_citation distortion_correction_citations[] = {{
    .label = "Vo2015",
    .description = "The distortion correction used in this processing chain is taken from "
                   "this work.",
    .doi = "10.1364/OE.23.032859",
    .bibtex = "@article{vo2015radial,\n"
              "title={Radial lens distortion correction with sub-pixel accuracy for X-ray "
              "micro-tomography},\n"
              "author={Vo, Nghia T and Atwood, Robert C and Drakopoulos, Michael},\n"
              "journal={Optics express},\nvolume={23},\nnumber={25},\n"
              "pages={32859--32868},\nyear={2015},\n"
              "publisher={Optical Society of America}\n}",
    .endnote = "%0 Journal Article\n%T Radial lens distortion correction with sub-pixel "
               "accuracy for X-ray micro-tomography\n%A Vo, Nghia T\n%A Atwood, Robert C\n"
               "%A Drakopoulos, Michael\n%J Optics express\n%V 23\n%N 25\n%P 32859-32868\n"
               "%@ 1094-4087\n%D 2015\n%I Optical Society of America",
}};

#ifndef SAVU_PLUGIN_DESCRIPTOR_ONLY
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cpu/radial_distortion.h"

/* The model's values before the preview's shift: the centre in pixels of
 * the whole detector, and the coefficients. */
struct distortion_values {
    double xcenter, ycenter;
    double *coeffs;
    int n_coeffs;
};

static int add_coeff(struct savu_plugin_instance *inst, struct distortion_values *v, double k)
{
    double *grown = realloc(v->coeffs, sizeof(double) * (size_t)(v->n_coeffs + 1));
    if (!grown)
        return savu_fail(inst, "out of memory");
    v->coeffs = grown;
    v->coeffs[v->n_coeffs++] = k;
    return 0;
}

/* The number a line of discorpy's coefficient file ends with (Savu reads
 * float(line.split()[-1])); 1 for a blank line, -1 when not a number. */
static int line_number(char *line, double *value)
{
    size_t n = strlen(line);
    while (n > 0 && isspace((unsigned char)line[n - 1]))
        line[--n] = '\0';
    if (n == 0)
        return 1;
    char *word = line + n;
    while (word > line && !isspace((unsigned char)word[-1]))
        word--;
    char *end;
    errno = 0;
    *value = strtod(word, &end);
    return *end == '\0' && errno == 0 && isfinite(*value) ? 0 : -1;
}

/* xcenter, ycenter, factor0, ... from the file at path. */
static int read_coefficient_file(struct savu_plugin_instance *inst, const char *path,
                                 struct distortion_values *v)
{
    FILE *f = *path ? fopen(path, "r") : NULL;
    if (!f)
        return savu_fail(inst, "parameter file_path: cannot open '%s' (%s)", path,
                         *path ? strerror(errno) : "empty path");
    char *line = NULL;
    size_t cap = 0;
    int rc = 0, n_values = 0;
    long line_no = 0;
    while (rc == 0 && getline(&line, &cap, f) >= 0) {
        line_no++;
        double value;
        int got = line_number(line, &value);
        if (got < 0)
            rc = savu_fail(inst, "parameter file_path: line %ld of '%s' does not end in a "
                                 "finite number ('%s'); expected discorpy's lines xcenter = "
                                 "..., ycenter = ..., factor0 = ...", line_no, path, line);
        else if (got == 0 && n_values == 0)
            v->xcenter = value, n_values++;
        else if (got == 0 && n_values == 1)
            v->ycenter = value, n_values++;
        else if (got == 0)
            rc = add_coeff(inst, v, value), n_values++;
    }
    if (rc == 0 && ferror(f))
        rc = savu_fail(inst, "parameter file_path: cannot read '%s' (%s)", path,
                       strerror(errno));
    if (rc == 0 && n_values < 3)
        rc = savu_fail(inst, "parameter file_path: '%s' holds %d number%s; expected xcenter, "
                             "ycenter and at least one factor, one a line",
                       path, n_values, n_values == 1 ? "" : "s");
    free(line);
    fclose(f);
    return rc;
}

/* polynomial_coeffs, center_from_left and center_from_top. */
static int read_parameters(struct savu_plugin_instance *inst, struct distortion_values *v)
{
    json_t *list = json_loads(savu_param_json(inst, "polynomial_coeffs"), JSON_DECODE_ANY, NULL);
    int rc = 0;
    if (!json_is_array(list))
        rc = savu_fail(inst, "parameter polynomial_coeffs: expected a list of numbers, e.g. "
                             "[1.0, 0.0, 0.0]");
    else if (json_array_size(list) == 0)
        rc = savu_fail(inst, "parameter polynomial_coeffs: the list is empty; give at least "
                             "k0 (1.0 changes nothing)");
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        if (rc != 0)
            break;
        if (!json_is_number(item) || !isfinite(json_number_value(item)))
            rc = savu_fail(inst, "parameter polynomial_coeffs: item %zu is not a finite number",
                           i + 1);
        else
            rc = add_coeff(inst, v, json_number_value(item));
    }
    json_decref(list);
    v->xcenter = savu_param_number(inst, "center_from_left");
    v->ycenter = savu_param_number(inst, "center_from_top");
    if (rc == 0 && !isfinite(v->xcenter))
        rc = savu_fail(inst, "parameter center_from_left: expected a number");
    if (rc == 0 && !isfinite(v->ycenter))
        rc = savu_fail(inst, "parameter center_from_top: expected a number");
    return rc;
}

/* The centre must lie on the whole detector. */
static int check_centre(struct savu_plugin_instance *inst, const struct distortion_values *v,
                        bool from_file)
{
    char range[64];
    const int d = remap_run_off_detector(inst, v->xcenter, v->ycenter, range);
    if (d < 0)
        return 0;
    const double value = d ? v->xcenter : v->ycenter;
    if (from_file)
        return savu_fail(inst, "parameter file_path: %s %g in '%s' is outside the detector (%s)",
                         d ? "xcenter" : "ycenter", value, savu_param_string(inst, "file_path"),
                         range);
    return savu_fail(inst, "parameter %s: %g is outside the detector (%s)",
                     d ? "center_from_left" : "center_from_top", value, range);
}

static int distortion_correction_setup(struct savu_plugin_instance *inst)
{
    long shape[3], x0, dx, y0, dy, crop;
    savu_in_shape(inst, shape);
    savu_meta_detector_offsets(inst, &x0, &dx, &y0, &dy);
    const long rows = shape[1], cols = shape[2];
    if (remap_run_crop_edges(inst, rows, cols, true, &crop) != 0)
        return -1;
    if (dx != 1 || dy != 1)
        return savu_fail(inst, "the loader's preview steps %ld row%s and %ld column%s at a "
                               "time; the distortion correction needs every row and column "
                               "(step 1), as in Savu", dy, dy == 1 ? "" : "s", dx,
                         dx == 1 ? "" : "s");
    const bool from_file = !savu_param_is_none(inst, "file_path");
    const char *path = savu_param_string(inst, "file_path");
    struct distortion_values v = {0};
    int rc = from_file ? read_coefficient_file(inst, path ? path : "", &v)
                       : read_parameters(inst, &v);
    if (rc == 0)
        rc = check_centre(inst, &v, from_file);
    if (rc != 0) {
        free(v.coeffs);
        return rc;
    }
    const struct savu_radial_model model = {v.xcenter - (double)x0, v.ycenter - (double)y0,
                                            v.coeffs, v.n_coeffs};
    double row_span = 0;
    savu_error err;
    savu_remap *plan = savu_radial_remap(&model, rows, cols, crop, &row_span, &err);
    free(v.coeffs);
    if (plan && row_span < 1) {
        savu_remap_destroy(plan);
        return savu_fail(inst, "the loader's preview gives %ld row%s, too few: the corrected "
                               "projection would read rows spanning %.3g pixel; preview more "
                               "rows", rows, rows == 1 ? "" : "s", row_span);
    }
    return remap_run_start(inst, plan, err.msg, crop, crop, rows - 2 * crop, cols - 2 * crop);
}
#endif /* SAVU_PLUGIN_DESCRIPTOR_ONLY */

const struct savu_plugin savu_distortion_correction = {
    .name = "DistortionCorrection",
    .id = "savu.plugins.corrections.distortion_correction",
    .synopsis = "A plugin to apply a distortion correction: radial lens distortion removed "
                "from each projection.",
    .info = "The backward polynomial model of Vo et al. 2015 (discorpy), with the centre "
            "and coefficients given here or in discorpy's coefficient file. Each corrected "
            "pixel is linearly interpolated from the previewed projection.",
    .warning = "The centre is a pixel of the whole detector. Pixels that the distortion "
               "maps beyond the loader's preview read its edge: preview a margin and remove "
               "it with crop_edges.",
    .category = SAVU_CAT_CORRECTION,
    .params = distortion_correction_params,
    .n_params = SAVU_COUNT_OF(distortion_correction_params),
    .citations = distortion_correction_citations,
    .n_citations = SAVU_COUNT_OF(distortion_correction_citations),
    .pattern = SAVU_PATTERN_PROJECTION,
    .max_frames = 0,
    .scratch_fixed_frames = 3, /* the plan: an offset and two weights a pixel */
    .setup = SAVU_RUN(distortion_correction_setup),
    .process = SAVU_RUN(remap_run_process),
    .teardown = SAVU_RUN(remap_run_teardown),
};
