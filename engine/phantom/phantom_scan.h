/* phantom_scan.h: one frame of the simulated scan — darks, flats and
 * projections in the order of phantom_params.h, each projection row the
 * exact line integrals of the phantom model turned into counts by the
 * detector model. Safe to call from several threads at once. */
#ifndef SAVU_PHANTOM_SCAN_H
#define SAVU_PHANTOM_SCAN_H

#include <stdint.h>
#include "error.h"
#include "phantom_detector.h"
#include "phantom_model.h"
#include "phantom_params.h"

typedef struct savu_scan {
    savu_phantom_params params;
    savu_phantom model;
    savu_detector detector;
} savu_scan;

int savu_scan_init(savu_scan *scan, const savu_phantom_params *p, savu_error *err);
void savu_scan_free(savu_scan *scan);

/* Frame `frame` as rows * width counts. Returns -1 only when out of memory. */
int savu_scan_make_frame(const savu_scan *scan, int frame, uint16_t *out);

#endif
