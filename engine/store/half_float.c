/* half_float.c: float32 -> binary16 (see half_float.h), in software from
 * the bits, and with the F16C instructions where the CPU has them. */
#include "half_float.h"

#include <string.h>

uint16_t half_from_float_one(float value)
{
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000u);
    uint32_t exponent = (bits >> 23) & 0xffu, mantissa = bits & 0x7fffffu;
    if (exponent == 0xffu) /* infinity, or NaN (kept quiet and non-zero) */
        return sign | 0x7c00u | (mantissa ? 0x200u | (uint16_t)(mantissa >> 13) : 0u);
    int e = (int)exponent - 127 + 15; /* the half's biased exponent */
    if (e >= 31)
        return sign | 0x7c00u;
    uint32_t full;  /* the significand with its leading 1, 24 bits */
    int shift;      /* bits dropped to fit the half's 10 (or fewer) */
    if (e <= 0) {   /* subnormal half, or zero */
        if (e < -10)
            return sign;
        full = mantissa | 0x800000u;
        shift = 14 - e;
        e = 0;
    } else {
        full = mantissa;
        shift = 13;
    }
    uint32_t kept = full >> shift, rest = full & ((1u << shift) - 1u), half_way = 1u << (shift - 1);
    if (rest > half_way || (rest == half_way && (kept & 1u)))
        kept++; /* may carry into the exponent: still the right bits */
    return (uint16_t)(sign | (uint16_t)(((uint32_t)e << 10) + kept));
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

__attribute__((target("avx,f16c"))) static void convert_f16c(uint16_t *dst, const float *src,
                                                              size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
        _mm_storeu_si128((__m128i *)(dst + i), h);
    }
    for (; i < n; i++)
        dst[i] = half_from_float_one(src[i]);
}

void half_from_float(uint16_t *dst, const float *src, size_t n)
{
    if (__builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx")) {
        convert_f16c(dst, src, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = half_from_float_one(src[i]);
}
#else
void half_from_float(uint16_t *dst, const float *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = half_from_float_one(src[i]);
}
#endif
