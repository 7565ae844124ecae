/* half_float.h: float32 to IEEE 754 binary16 ("half", float16) as results
 * are written with --output-dtype float16: rounded to nearest, ties to
 * even; overflow gives infinity, NaN stays NaN, tiny values become
 * subnormals or zero, as the F16C instruction (VCVTPS2PH) does, which is
 * used where the CPU has it. */
#ifndef SAVU_HALF_FLOAT_H
#define SAVU_HALF_FLOAT_H

#include <stddef.h>
#include <stdint.h>

/* dst[i] = half(src[i]) for i < n. */
void half_from_float(uint16_t *dst, const float *src, size_t n);

/* The portable conversion alone (the reference for the fast one). */
uint16_t half_from_float_one(float value);

#endif
