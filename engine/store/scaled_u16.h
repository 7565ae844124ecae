/* scaled_u16.h: results stored as unsigned 16-bit integers
 * (--output-dtype uint16): the range [min, max] maps linearly onto 0 ..
 * 65535, rounded to nearest, values outside clipped, NaN stored as 0. The
 * file's scale_factor = (max - min) / 65535 and add_offset = min map back:
 * value = add_offset + scale_factor * stored, within scale_factor / 2 inside
 * the range. The raw writes (result_raw.c) and the HDF5 writes
 * (result_backend_hdf5.c) both go through scaled_u16_one, so they store
 * the same integers. */
#ifndef SAVU_SCALED_U16_H
#define SAVU_SCALED_U16_H

#include <stddef.h>
#include <stdint.h>

/* The stored integer of v. */
uint16_t scaled_u16_one(float v, double min, double max);

/* n values of src into dst. */
void scaled_u16_from_float(uint16_t *dst, const float *src, size_t n, double min, double max);

/* The same n integers as floats, in place (for HDF5 to convert exactly). */
void scaled_u16_in_place(float *values, size_t n, double min, double max);

/* The attributes' values: (max - min) / 65535 and min. */
double scaled_u16_scale(double min, double max);

#endif
