/* cuda_selftest.c: lists the CUDA devices and runs the self-test kernel on
 * each; exit 77 (skip) when there is no GPU, 1 when a device computes wrong. */
#include <stdio.h>
#include "cuda/cuda_device.h"

int main(void)
{
    int count = savu_cuda_device_count();
    if (count == 0) {
        printf("no CUDA device: GPU tests skipped\n");
        return 77;
    }
    int failures = 0;
    for (int dev = 0; dev < count; dev++) {
        char name[256], why[256];
        savu_cuda_device_describe(dev, name, sizeof name);
        double worst = savu_cuda_selftest(dev, (size_t)1 << 22, why, sizeof why);
        if (worst < 0 || worst > 1e-5) {
            printf("device %d %s: FAILED (%s, max difference %g)\n", dev, name,
                   worst < 0 ? why : "wrong result", worst);
            failures++;
        } else {
            printf("device %d %s: ok (max difference %g)\n", dev, name, worst);
        }
    }
    return failures ? 1 : 0;
}
