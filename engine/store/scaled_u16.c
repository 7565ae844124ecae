/* scaled_u16.c: the uint16 storage of results (scaled_u16.h). */
#include "scaled_u16.h"

uint16_t scaled_u16_one(float v, double min, double max)
{
    double q = ((double)v - min) * (65535.0 / (max - min));
    if (!(q > 0.0)) /* below the range, or NaN */
        return 0;
    if (q >= 65535.0)
        return 65535;
    return (uint16_t)(q + 0.5);
}

void scaled_u16_from_float(uint16_t *dst, const float *src, size_t n, double min, double max)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = scaled_u16_one(src[i], min, max);
}

void scaled_u16_in_place(float *values, size_t n, double min, double max)
{
    for (size_t i = 0; i < n; i++)
        values[i] = (float)scaled_u16_one(values[i], min, max);
}

double scaled_u16_scale(double min, double max)
{
    return (max - min) / 65535.0;
}
