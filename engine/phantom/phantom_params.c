/* phantom_params.c: defaults, checks and the frame sequence of a phantom
 * dataset (see phantom_params.h). */
#include "phantom_params.h"
#include <math.h>

void savu_phantom_params_default(savu_phantom_params *p)
{
    *p = (savu_phantom_params){
        .width = 160,
        .rows = 135,
        .angles = 180,
        .range = 180,
        .cor_offset = 0,
        .scale = 0,
        .flat_level = 40000,
        .dark_level = 100,
        .darks = 5,
        .flats = 5,
        .noise = false,
        .seed = 0,
        .rings = 0,
        .zingers = 0,
        .response = SAVU_PIXEL_POINT,
        .threads = 0,
    };
}

static int check_count(const char *option, int value, int min, int max, savu_error *err)
{
    if (value < min || value > max)
        return savu_error_set(err, "%s must be a whole number from %d to %d, got %d", option, min,
                              max, value);
    return 0;
}

int savu_phantom_params_check(const savu_phantom_params *p, savu_error *err)
{
    if (check_count("--width", p->width, 1, SAVU_PHANTOM_MAX_WIDTH, err) < 0 ||
        check_count("--rows", p->rows, 1, SAVU_PHANTOM_MAX_ROWS, err) < 0 ||
        check_count("--angles", p->angles, 1, SAVU_PHANTOM_MAX_ANGLES, err) < 0 ||
        check_count("--darks", p->darks, 0, SAVU_PHANTOM_MAX_REFERENCES, err) < 0 ||
        check_count("--flats", p->flats, 0, SAVU_PHANTOM_MAX_REFERENCES, err) < 0 ||
        check_count("--threads", p->threads, 0, 1024, err) < 0)
        return -1;
    if (p->range != 180 && p->range != 360)
        return savu_error_set(err, "--range must be 180 or 360, got %d", p->range);
    double cor = savu_phantom_params_cor(p);
    if (!isfinite(cor) || cor < 0 || cor > p->width - 1)
        return savu_error_set(err, "--cor-offset %g puts the rotation axis at pixel %g, outside "
                              "the detector (0 to %d)", p->cor_offset, cor, p->width - 1);
    if (!isfinite(p->scale) || p->scale < 0)
        return savu_error_set(err, "--mu must be a positive number, got %g", p->scale);
    if (!isfinite(p->dark_level) || p->dark_level < 0 || p->dark_level > 65535)
        return savu_error_set(err, "--dark-level must be from 0 to 65535, got %g", p->dark_level);
    if (!isfinite(p->flat_level) || p->flat_level <= p->dark_level || p->flat_level > 65535)
        return savu_error_set(err, "--flat-level must be above the dark level (%g) and at most "
                              "65535, got %g", p->dark_level, p->flat_level);
    if (!isfinite(p->rings) || p->rings < 0 || p->rings >= 1)
        return savu_error_set(err, "--rings must be from 0 to below 1, got %g", p->rings);
    if (!isfinite(p->zingers) || p->zingers < 0 || p->zingers > 1)
        return savu_error_set(err, "--zingers must be a fraction from 0 to 1, got %g", p->zingers);
    return 0;
}

double savu_phantom_params_cor(const savu_phantom_params *p)
{
    return (p->width - 1) * 0.5 + p->cor_offset;
}

double savu_phantom_params_scale(const savu_phantom_params *p)
{
    return p->scale > 0 ? p->scale : SAVU_PHANTOM_SCALE_FACTOR / p->width;
}

void savu_phantom_params_model(const savu_phantom_params *p, savu_phantom *ph)
{
    savu_phantom_init(ph, NULL, 0, p->width, p->rows, savu_phantom_params_cor(p),
                      savu_phantom_params_scale(p));
}

int savu_phantom_frame_count(const savu_phantom_params *p)
{
    return 2 * (p->darks + p->flats) + p->angles;
}

double savu_phantom_angle(const savu_phantom_params *p, int projection)
{
    return (double)projection * p->range / p->angles;
}

savu_frame_info savu_phantom_frame(const savu_phantom_params *p, int frame)
{
    int lead = p->darks + p->flats;
    if (frame >= lead && frame < lead + p->angles) {
        int i = frame - lead;
        return (savu_frame_info){SAVU_KEY_PROJECTION, savu_phantom_angle(p, i), i};
    }
    bool before = frame < lead;
    int from_end = before ? frame : savu_phantom_frame_count(p) - 1 - frame;
    int key = from_end < p->darks ? SAVU_KEY_DARK : SAVU_KEY_FLAT;
    double angle = savu_phantom_angle(p, before ? 0 : p->angles - 1);
    return (savu_frame_info){key, angle, -1};
}
