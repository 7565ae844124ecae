/* phantom_scan.c: frames of the simulated scan (see phantom_scan.h). */
#include "phantom_scan.h"
#include <math.h>
#include <stdlib.h>

int savu_scan_init(savu_scan *scan, const savu_phantom_params *p, savu_error *err)
{
    scan->params = *p;
    savu_phantom_params_model(p, &scan->model);
    return savu_detector_init(&scan->detector, p, err);
}

void savu_scan_free(savu_scan *scan)
{
    savu_detector_free(&scan->detector);
}

int savu_scan_make_frame(const savu_scan *scan, int frame, uint16_t *out)
{
    const savu_phantom_params *p = &scan->params;
    savu_frame_info info = savu_phantom_frame(p, frame);
    double *line_integrals = NULL;
    if (info.key == SAVU_KEY_PROJECTION) {
        line_integrals = malloc((size_t)p->width * sizeof *line_integrals);
        if (!line_integrals)
            return -1;
    }
    double theta = info.angle * M_PI / 180.0;
    for (int v = 0; v < p->rows; v++) {
        if (line_integrals)
            savu_phantom_project_row(&scan->model, theta, v, p->response, line_integrals);
        savu_detector_row(&scan->detector, frame, info.key, v, line_integrals,
                          out + (size_t)v * p->width);
    }
    free(line_integrals);
    return 0;
}
