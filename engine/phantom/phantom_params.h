/* phantom_params.h: everything that defines a savu_phantom dataset — the
 * detector, the scan (angles, darks and flats at both ends, as Diamond's I13
 * test scan), the attenuation scale and the detector's imperfections — with
 * the defaults, the checks, and the frame sequence they imply. The same
 * record is written into the NXtomo file (/entry1/phantom) so that scoring
 * knows the geometry. */
#ifndef SAVU_PHANTOM_PARAMS_H
#define SAVU_PHANTOM_PARAMS_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"
#include "phantom_model.h"

typedef struct savu_phantom_params {
    int width;         /* detector_x pixels (160) */
    int rows;          /* detector_y pixels (135) */
    int angles;        /* projections (180) */
    int range;         /* degrees covered, 180 or 360; the end angle is excluded */
    double cor_offset; /* rotation axis at (width - 1) / 2 + cor_offset pixels (0) */
    double scale;      /* attenuation per pixel of phantom value 1; 0 = default */
    double flat_level; /* counts of a flat frame, dark included (40000) */
    double dark_level; /* counts of a dark frame (100) */
    int darks, flats;  /* dark and flat frames at EACH end (5, 5) */
    bool noise;        /* Poisson noise on every frame */
    uint64_t seed;     /* for noise, rings and zingers (0) */
    double rings;      /* per-pixel gain error amplitude on projections (0) */
    double zingers;    /* fraction of projection pixels saturated (0) */
    savu_pixel_response response; /* SAVU_PIXEL_POINT (geometry.h) */
    int threads;       /* 0 = one per online CPU; not recorded */
} savu_phantom_params;

/* The largest line integral of the default phantom is 0.555 phantom units
 * (0.555 * width / 2 pixels): the default scale, SAVU_PHANTOM_SCALE_FACTOR /
 * width, makes the largest projection value 1.0. */
#define SAVU_PHANTOM_SCALE_FACTOR 3.6

/* Limits that keep sizes, chunk sizes and counts sane. */
#define SAVU_PHANTOM_MAX_WIDTH 32768
#define SAVU_PHANTOM_MAX_ROWS 32768
#define SAVU_PHANTOM_MAX_ANGLES 1000000
#define SAVU_PHANTOM_MAX_REFERENCES 10000 /* darks or flats per end */

void savu_phantom_params_default(savu_phantom_params *p);

/* One line naming the parameter at fault, e.g. "--width must be a whole
 * number from 1 to 32768, got 0". */
int savu_phantom_params_check(const savu_phantom_params *p, savu_error *err);

/* The rotation axis in detector pixels. */
double savu_phantom_params_cor(const savu_phantom_params *p);

/* The scale in use: p->scale, or the default when it is 0. */
double savu_phantom_params_scale(const savu_phantom_params *p);

/* The phantom model for these parameters. */
void savu_phantom_params_model(const savu_phantom_params *p, savu_phantom *ph);

/* NXtomo image keys. */
enum { SAVU_KEY_PROJECTION = 0, SAVU_KEY_FLAT = 1, SAVU_KEY_DARK = 2 };

/* Frames: darks, flats, projections, flats, darks. */
int savu_phantom_frame_count(const savu_phantom_params *p);

/* Frame i: its image key, its rotation angle in degrees (darks and flats get
 * the nearest projection's), and for projections their index (else -1). */
typedef struct savu_frame_info {
    int key;
    double angle;
    int projection;
} savu_frame_info;

savu_frame_info savu_phantom_frame(const savu_phantom_params *p, int frame);

/* Angle of projection i in degrees: i * range / angles. */
double savu_phantom_angle(const savu_phantom_params *p, int projection);

#endif
