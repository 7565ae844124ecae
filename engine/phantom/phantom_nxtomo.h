/* phantom_nxtomo.h: writing a savu_phantom scan as an NXtomo (NeXus/HDF5)
 * file in Diamond's layout, and reading back the parameters it records.
 *
 *   /entry1                                    NXentry
 *     tomo_entry                               NXsubentry, definition "NXtomo"
 *       data                                   NXdata
 *         data             uint16 (frames, rows, width), chunks (1, rows, width)
 *         rotation_angle   float64 (frames), degrees
 *       instrument                             NXinstrument
 *         detector                             NXdetector
 *           image_key      float64 (frames): 0 projection, 1 flat, 2 dark
 *           data           soft link to ../../data/data
 *       sample                                 NXsample
 *         rotation_angle   soft link to ../data/rotation_angle
 *     phantom                                  NXcollection: the parameters
 *
 * The file is written frame by frame into a temporary beside the target and
 * renamed over it only when complete. */
#ifndef SAVU_PHANTOM_NXTOMO_H
#define SAVU_PHANTOM_NXTOMO_H

#include "error.h"
#include "phantom_params.h"

#define SAVU_PHANTOM_DATA_PATH "/entry1/tomo_entry/data/data"
#define SAVU_PHANTOM_KEY_PATH "/entry1/tomo_entry/instrument/detector/image_key"
#define SAVU_PHANTOM_ANGLE_PATH "/entry1/tomo_entry/data/rotation_angle"
#define SAVU_PHANTOM_RECORD_PATH "/entry1/phantom"
#define SAVU_PHANTOM_NAME "modified Shepp-Logan 3D"

/* Checks p, then writes the scan to path. Errors are one line, e.g.
 * "cannot write /x/out.nxs: Permission denied". */
int savu_phantom_write_nxtomo(const savu_phantom_params *p, const char *path, savu_error *err);

/* Reads the parameters recorded in /entry1/phantom of a file written by
 * savu_phantom (p->scale is the scale used; p->threads 0). Errors name the
 * file: "data.nxs: no /entry1/phantom/scale (not written by savu_phantom?)". */
int savu_phantom_read_record(const char *path, savu_phantom_params *p, savu_error *err);

#endif
