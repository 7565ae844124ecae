/* fbp_raw_recon.c: reconstructs one slice from raw files with the CPU FBP
 * kernels, for fbp-vs-skimage.test (built for that test, not a test itself).
 *
 *   fbp_raw_recon WIDTH N_ANGLES FILTER COR RATIO ANGLES.f64 SINO.f32 OUT.f32
 *
 * ANGLES.f64: N_ANGLES native float64 angles in degrees (geometry.h);
 * SINO.f32: native float32 [angle][detector x]; OUT.f32 is written as
 * native float32 [ix][iz]. */
#include "cpu/fbp.h"

#include <stdio.h>
#include <stdlib.h>

static int read_all(const char *path, void *data, size_t size, size_t count)
{
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(data, size, count, f) : 0;
    if (f)
        fclose(f);
    if (got != count) {
        fprintf(stderr, "fbp_raw_recon: cannot read %zu values from %s\n", count, path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 9) {
        fprintf(stderr, "usage: fbp_raw_recon WIDTH N_ANGLES FILTER COR RATIO ANGLES.f64 "
                        "SINO.f32 OUT.f32\n");
        return 2;
    }
    int width = atoi(argv[1]), n_angles = atoi(argv[2]);
    double cor = atof(argv[4]), ratio = atof(argv[5]);
    if (width < 1 || n_angles < 1) {
        fprintf(stderr, "fbp_raw_recon: WIDTH and N_ANGLES must be positive\n");
        return 2;
    }
    double *angles = malloc(sizeof(double) * (size_t)n_angles);
    float *sino = malloc(sizeof(float) * (size_t)n_angles * (size_t)width);
    float *out = malloc(sizeof(float) * (size_t)width * (size_t)width);
    if (!angles || !sino || !out || read_all(argv[6], angles, sizeof(double), (size_t)n_angles) ||
        read_all(argv[7], sino, sizeof(float), (size_t)n_angles * (size_t)width))
        return 1;
    savu_error err;
    savu_fbp_plan *plan = savu_fbp_create(width, n_angles, angles, argv[3], ratio, 2, &err);
    if (!plan || savu_fbp_execute(plan, sino, 1, &cor, out, &err) != 0) {
        fprintf(stderr, "fbp_raw_recon: %s\n", err.msg);
        return 1;
    }
    FILE *f = fopen(argv[8], "wb");
    size_t written = f ? fwrite(out, sizeof(float), (size_t)width * (size_t)width, f) : 0;
    if (!f || fclose(f) != 0 || written != (size_t)width * (size_t)width) {
        fprintf(stderr, "fbp_raw_recon: cannot write %s\n", argv[8]);
        return 1;
    }
    savu_fbp_destroy(plan);
    free(angles);
    free(sino);
    free(out);
    return 0;
}
