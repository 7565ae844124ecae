/* test_half_float.c: float32 -> binary16 (engine/store/half_float.h) against
 * values worked out by hand (1, the largest half, rounding ties to even,
 * overflow to infinity, subnormals, signed zero, NaN), and against two
 * independent conversions over 2^24 bit patterns spread over all floats:
 * the compiler's _Float16 (libgcc) and the batch conversion (the F16C
 * instruction where the CPU has it). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "half_float.h"

static float from_bits(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static void test_known_values(void **state)
{
    (void)state;
    const struct {
        float in;
        uint16_t out;
    } cases[] = {
        {1.0f, 0x3c00}, {-2.0f, 0xc000}, {0.5f, 0x3800},
        {65504.0f, 0x7bff},                 /* the largest half */
        {65519.0f, 0x7bff},                 /* below the halfway point: down */
        {65520.0f, 0x7c00},                 /* halfway to 65536: even, infinity */
        {1e10f, 0x7c00}, {-1e10f, 0xfc00},
        {1.0f + 1.0f / 2048, 0x3c00},       /* tie: to even (down) */
        {1.0f + 3.0f / 2048, 0x3c02},       /* tie: to even (up) */
        {1.0f + 1.0f / 1024 + 1.0f / 4096, 0x3c01},
        {6.103515625e-05f, 0x0400},         /* the smallest normal, 2^-14 */
        {5.9604645e-08f, 0x0001},           /* the smallest subnormal, 2^-24 */
        {2.9802322e-08f, 0x0000},           /* 2^-25: tie, even: zero */
        {4.4703484e-08f, 0x0001},           /* 1.5 x 2^-25: up */
        {-0.0f, 0x8000}, {0.0f, 0x0000},
        {1e-30f, 0x0000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint16_t got = half_from_float_one(cases[i].in), batch;
        half_from_float(&batch, &cases[i].in, 1);
        if (got != cases[i].out || batch != cases[i].out)
            fail_msg("%.9g: 0x%04x (batch 0x%04x), expected 0x%04x", cases[i].in, got, batch,
                     cases[i].out);
    }
    uint16_t nan = half_from_float_one(NAN), inf = half_from_float_one(INFINITY);
    assert_int_equal(nan & 0x7c00, 0x7c00);
    assert_true((nan & 0x3ff) != 0);
    assert_int_equal(inf, 0x7c00);
}

/* Every 256th bit pattern (and its neighbour, to catch ties), in batches
 * of 4099 so that the vector loop and its scalar tail both run. */
static void test_against_independent_conversions(void **state)
{
    (void)state;
    enum { BATCH = 4099 };
    static float in[BATCH];
    static uint16_t batch[BATCH];
    size_t n = 0, checked = 0;
    for (uint64_t bits = 0; bits <= 0xffffffffu; bits += 256) {
        in[n++] = from_bits((uint32_t)bits);
        in[n++] = from_bits((uint32_t)bits + 1);
        if (n < BATCH - 1 && bits + 256 <= 0xffffffffu)
            continue;
        half_from_float(batch, in, n);
        for (size_t i = 0; i < n; i++) {
            uint16_t one = half_from_float_one(in[i]);
            if (batch[i] != one)
                fail_msg("%.9g: batch 0x%04x, one 0x%04x", in[i], batch[i], one);
#ifdef __FLT16_MAX__
            if (!isnan(in[i])) {
                _Float16 h = (_Float16)in[i];
                uint16_t compiler;
                memcpy(&compiler, &h, sizeof compiler);
                if (compiler != one)
                    fail_msg("%.9g: 0x%04x, _Float16 gives 0x%04x", in[i], one, compiler);
            }
#endif
        }
        checked += n;
        n = 0;
    }
    assert_true(checked >= (size_t)1 << 25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_against_independent_conversions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
