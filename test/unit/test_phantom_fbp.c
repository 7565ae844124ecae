/* test_phantom_fbp.c: the phantom generator, the CPU FBP kernel and the
 * score agree on geometry.h. Exact projections of the phantom, reconstructed
 * by FBP (256 x 256, 256 angles over 180 degrees, ramp filter) with the
 * axis centred or off centre, score above 24 dB and SSIM 0.8 against the
 * point-sampled phantom; the same slices transposed (x and z swapped) or
 * mirrored (z reversed) — what a wrong axis order or sign would give —
 * score below 20 dB. */
#include "phantom_test_util.h"
#include <math.h>
#include <stdlib.h>
#include "cpu/fbp.h"
#include "phantom_model.h"
#include "phantom_score.h"

enum { WIDTH = 256, ANGLES = 256, ROWS = 6 };
enum { AS_IS, TRANSPOSED, MIRRORED };

/* Projects, reconstructs and scores the slices rearranged as `how`. */
static savu_scores reconstruct_and_score(double cor_offset, int how)
{
    savu_phantom ph;
    savu_phantom_init(&ph, NULL, 0, WIDTH, ROWS, (WIDTH - 1) / 2.0 + cor_offset, 3.6 / WIDTH);
    double angles[ANGLES], cor[ROWS], row[WIDTH];
    for (int a = 0; a < ANGLES; a++)
        angles[a] = 180.0 * a / ANGLES;
    size_t plane = (size_t)WIDTH * WIDTH;
    float *sinograms = malloc(sizeof *sinograms * ROWS * ANGLES * WIDTH);
    float *slices = malloc(sizeof *slices * ROWS * plane);
    double *slice = malloc(sizeof *slice * plane);
    assert_true(sinograms && slices && slice);
    for (int v = 0; v < ROWS; v++) {
        cor[v] = ph.cor;
        for (int a = 0; a < ANGLES; a++) {
            savu_phantom_project_row(&ph, angles[a] * M_PI / 180, v, SAVU_PIXEL_POINT, row);
            for (int u = 0; u < WIDTH; u++)
                sinograms[((size_t)v * ANGLES + a) * WIDTH + u] = (float)row[u];
        }
    }
    savu_error err;
    savu_fbp_plan *plan = savu_fbp_create(WIDTH, ANGLES, angles, "ramp", 0, 2, &err);
    assert_non_null(plan);
    assert_int_equal(savu_fbp_execute(plan, sinograms, ROWS, cor, slices, &err), 0);
    savu_fbp_destroy(plan);

    savu_score score;
    assert_int_equal(savu_score_init(&score, &ph, 1, &err), 0);
    for (int v = 0; v < ROWS; v++) {
        for (int ix = 0; ix < WIDTH; ix++)
            for (int iz = 0; iz < WIDTH; iz++) {
                int jx = how == TRANSPOSED ? iz : ix;
                int jz = how == TRANSPOSED ? ix : how == MIRRORED ? WIDTH - 1 - iz : iz;
                slice[(size_t)ix * WIDTH + iz] = slices[v * plane + (size_t)jx * WIDTH + jz];
            }
        savu_score_add_slice(&score, v, slice);
    }
    savu_scores result;
    savu_score_result(&score, &result);
    savu_score_free(&score);
    free(slice);
    free(slices);
    free(sinograms);
    return result;
}

static void test_fbp_of_the_phantom(void **state)
{
    (void)state;
    const double offsets[] = {0, -7.25, 9.5};
    for (int i = 0; i < 3; i++) {
        savu_scores s = reconstruct_and_score(offsets[i], AS_IS);
        if (!(s.psnr > 24 && s.ssim > 0.8))
            fail_msg("offset %g: psnr %g, ssim %g", offsets[i], s.psnr, s.ssim);
    }
}

static void test_wrong_orientation_scores_badly(void **state)
{
    (void)state;
    savu_scores transposed = reconstruct_and_score(0, TRANSPOSED);
    savu_scores mirrored = reconstruct_and_score(0, MIRRORED);
    assert_true(transposed.psnr < 20);
    assert_true(mirrored.psnr < 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fbp_of_the_phantom),
        cmocka_unit_test(test_wrong_orientation_scores_badly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
