/* fft_shared.cuh: complex FFTs of length L = 2^a 3^b 5^c (up to
 * SAVU_FFT_SHARED_MAX_LENGTH) held in one thread block's shared memory, for
 * the fused FBP filter (cuda_filter_fused.cu). The same code runs on the host,
 * one "thread" after another, so that the algorithm is tested without a GPU.
 *
 * Algorithm: Stockham autosort, one pass per radix R in {16, 8, 4, 2, 3, 5}
 * (Govindaraju et al., "High performance discrete Fourier transforms on
 * graphics processors", SC 2008). Before a pass the first Ns points of every
 * group are done (Ns = product of the earlier radices); butterfly j reads
 * x[j + r L/R] (r < R), multiplies element r by w^r with
 * w = exp(sign 2 pi i (j mod Ns) / (Ns R)), takes an R-point DFT in registers
 * and writes element r to (j / Ns) Ns R + (j mod Ns) + r Ns. The result is in
 * natural order. sign -1 is the forward transform, +1 the unnormalised
 * inverse.
 *
 * A transform uses threads_for(L) = ceil(L / 16) threads, each holding at most
 * 20 points in registers between reading and writing a pass (the write waits
 * for every thread's read: __syncthreads). Shared arrays are indexed through
 * skewed(): one spare slot per 16 points keeps the radix-16 writes of the
 * first pass free of bank conflicts. */
#ifndef SAVU_FFT_SHARED_CUH
#define SAVU_FFT_SHARED_CUH

#include <cuda_runtime.h>
#include <math.h>

#define SAVU_FFT_SHARED_MAX_LENGTH 16384
#define SAVU_FFT_SHARED_MAX_PASSES 16
#define SAVU_FFT_POINTS_PER_THREAD 16

#ifdef __CUDACC__
#define FFT_HD __host__ __device__ __forceinline__
#else
#define FFT_HD inline
#endif

/* The radices of one length, in pass order. */
struct fft_shared_plan {
    int length, threads, n_passes;
    int radix[SAVU_FFT_SHARED_MAX_PASSES];
    int n16, p2, n3, n5; /* the same as counts (the device reads these) */
};

/* Fills *plan for length L; 0, or -1 when L is not 2^a 3^b 5^c within
 * 2..SAVU_FFT_SHARED_MAX_LENGTH. Powers of two take radix 16 while they can,
 * then one pass of 8, 4 or 2; then the 3s and the 5s. */
static inline int fft_shared_plan_make(int length, fft_shared_plan *plan)
{
    if (length < 2 || length > SAVU_FFT_SHARED_MAX_LENGTH)
        return -1;
    int m = length, n = 0;
    while (m % 16 == 0 && n < SAVU_FFT_SHARED_MAX_PASSES) {
        plan->radix[n++] = 16;
        m /= 16;
    }
    for (int r = 8; r >= 2; r /= 2)
        if (m % r == 0 && n < SAVU_FFT_SHARED_MAX_PASSES) {
            plan->radix[n++] = r;
            m /= r;
        }
    for (int r = 3; r <= 5; r += 2)
        while (m % r == 0 && n < SAVU_FFT_SHARED_MAX_PASSES) {
            plan->radix[n++] = r;
            m /= r;
        }
    if (m != 1)
        return -1;
    plan->n16 = plan->n3 = plan->n5 = 0;
    plan->p2 = 1;
    for (int p = 0; p < n; p++) {
        int r = plan->radix[p];
        plan->n16 += r == 16;
        plan->n3 += r == 3;
        plan->n5 += r == 5;
        plan->p2 = r == 2 || r == 4 || r == 8 ? r : plan->p2;
    }
    plan->length = length;
    plan->n_passes = n;
    plan->threads = (length + SAVU_FFT_POINTS_PER_THREAD - 1) / SAVU_FFT_POINTS_PER_THREAD;
    return 0;
}

/* Shared slots one transform of length L takes (skewed indexing). */
FFT_HD int fft_shared_slots(int length)
{
    return length + length / 16 + 1;
}

FFT_HD int skewed(int i)
{
    return i + (i >> 4);
}

/* ---- complex arithmetic ---- */

FFT_HD float2 c_add(float2 a, float2 b) { return make_float2(a.x + b.x, a.y + b.y); }
FFT_HD float2 c_sub(float2 a, float2 b) { return make_float2(a.x - b.x, a.y - b.y); }
FFT_HD float2 c_mul(float2 a, float2 b)
{
    return make_float2(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}
FFT_HD float2 c_scale(float2 a, float s) { return make_float2(a.x * s, a.y * s); }
/* a times i * sign (sign +1 or -1) */
FFT_HD float2 c_rot90(float2 a, int sign)
{
    return sign > 0 ? make_float2(-a.y, a.x) : make_float2(a.y, -a.x);
}

/* exp(i pi x) for |x| < 1: on the device the special-function unit's
 * __sincosf, whose absolute error is below 2^-21.4 on (-pi, pi) */
FFT_HD float2 c_unit_pi(float x)
{
#ifdef __CUDA_ARCH__
    float s, c;
    __sincosf(3.14159265358979f * x, &s, &c);
    return make_float2(c, s);
#else
    double a = M_PI * (double)x;
    return make_float2((float)cos(a), (float)sin(a));
#endif
}

/* cos and sin of 2 pi k / 16, exact to float for the literal k of an unrolled loop */
FFT_HD float cos16(int k)
{
    switch (k & 15) {
    case 0: return 1.0f;
    case 1: case 15: return 0.92387953251128674f;
    case 2: case 14: return 0.70710678118654752f;
    case 3: case 13: return 0.38268343236508977f;
    case 4: case 12: return 0.0f;
    case 5: case 11: return -0.38268343236508977f;
    case 6: case 10: return -0.70710678118654752f;
    case 7: case 9: return -0.92387953251128674f;
    default: return -1.0f;
    }
}
FFT_HD float sin16(int k) { return cos16(k - 4); }

/* ---- R-point DFTs in registers: v[q] <- sum_m v[m] exp(sign 2 pi i m q / R) ---- */

/* i with its log2(R) bits reversed (R = 2, 4, 8, 16) */
FFT_HD int bit_reversed(int i, int R)
{
    int rev = ((i & 1) << 3) | ((i & 2) << 1) | ((i & 4) >> 1) | ((i & 8) >> 3);
    return R == 16 ? rev : R == 8 ? rev >> 1 : R == 4 ? rev >> 2 : rev >> 3;
}

/* R = 2, 4, 8, 16: radix-2 decimation in time after a bit-reversed reorder. */
template <int R, int SIGN> FFT_HD void dft_pow2(float2 *v)
{
#pragma unroll
    for (int i = 0; i < R; i++) {
        int rev = bit_reversed(i, R);
        if (i < rev) {
            float2 t = v[i];
            v[i] = v[rev];
            v[rev] = t;
        }
    }
#pragma unroll
    for (int m = 2; m <= R; m <<= 1) {
#pragma unroll
        for (int k = 0; k < m / 2; k++) {
            int step = k * (16 / m); /* twiddle exp(sign 2 pi i k / m) = w16^step */
#pragma unroll
            for (int g = 0; g < R; g += m) {
                float2 a = v[g + k], b = v[g + k + m / 2];
                if (step == 0) {
                } else if (step == 4) {
                    b = c_rot90(b, SIGN);
                } else {
                    b = c_mul(b, make_float2(cos16(step), SIGN * sin16(step)));
                }
                v[g + k] = c_add(a, b);
                v[g + k + m / 2] = c_sub(a, b);
            }
        }
    }
}

template <int SIGN> FFT_HD void dft3(float2 *v)
{
    const float half_root3 = 0.86602540378443865f;
    float2 s = c_add(v[1], v[2]), d = c_sub(v[1], v[2]);
    float2 t = c_sub(v[0], c_scale(s, 0.5f));
    float2 u = c_rot90(c_scale(d, half_root3), SIGN);
    v[0] = c_add(v[0], s);
    v[1] = c_add(t, u);
    v[2] = c_sub(t, u);
}

template <int SIGN> FFT_HD void dft5(float2 *v)
{
    const float c1 = 0.30901699437494742f, c2 = -0.80901699437494742f; /* cos 2pi/5, 4pi/5 */
    const float s1 = 0.95105651629515357f, s2 = 0.58778525229247313f; /* sin 2pi/5, 4pi/5 */
    float2 a1 = c_add(v[1], v[4]), b1 = c_sub(v[1], v[4]);
    float2 a2 = c_add(v[2], v[3]), b2 = c_sub(v[2], v[3]);
    float2 t1 = c_add(v[0], c_add(c_scale(a1, c1), c_scale(a2, c2)));
    float2 t2 = c_add(v[0], c_add(c_scale(a1, c2), c_scale(a2, c1)));
    float2 u1 = c_rot90(c_add(c_scale(b1, s1), c_scale(b2, s2)), SIGN);
    float2 u2 = c_rot90(c_sub(c_scale(b1, s2), c_scale(b2, s1)), SIGN);
    v[0] = c_add(v[0], c_add(a1, a2));
    v[1] = c_add(t1, u1);
    v[4] = c_sub(t1, u1);
    v[2] = c_add(t2, u2);
    v[3] = c_sub(t2, u2);
}

template <int R, int SIGN> FFT_HD void dft_small(float2 *v)
{
    if (R == 3)
        dft3<SIGN>(v);
    else if (R == 5)
        dft5<SIGN>(v);
    else
        dft_pow2<R, SIGN>(v);
}

/* ---- one pass ---- */

/* The butterflies of one thread in one pass of radix R: j = t, t + T, ... */
template <int R> struct fft_pass_registers {
    enum { MAX_BUTTERFLIES = (SAVU_FFT_POINTS_PER_THREAD + R - 1) / R };
    float2 v[MAX_BUTTERFLIES][R];
};

/* Reads thread t's butterflies of the pass with stride ns, twiddles them and
 * takes their DFTs. */
template <int R, int SIGN>
FFT_HD void fft_pass_read(const float2 *data, int length, int ns, int t, int threads,
                          fft_pass_registers<R> &regs)
{
    int butterflies = length / R;
#pragma unroll
    for (int b = 0; b < fft_pass_registers<R>::MAX_BUTTERFLIES; b++) {
        int j = t + b * threads;
        if (j < butterflies) {
            float2 *v = regs.v[b];
#pragma unroll
            for (int r = 0; r < R; r++)
                v[r] = data[skewed(j + r * butterflies)];
            int k = j % ns;
            if (k != 0) {
                float2 w = c_unit_pi((float)(SIGN * 2 * k) / (float)(ns * R)), wr = w;
#pragma unroll
                for (int r = 1; r < R; r++) {
                    v[r] = c_mul(v[r], wr);
                    wr = c_mul(wr, w);
                }
            }
            dft_small<R, SIGN>(v);
        }
    }
}

/* Writes thread t's butterflies of the pass (after every thread has read). */
template <int R>
FFT_HD void fft_pass_write(float2 *data, int length, int ns, int t, int threads,
                           const fft_pass_registers<R> &regs)
{
    int butterflies = length / R;
#pragma unroll
    for (int b = 0; b < fft_pass_registers<R>::MAX_BUTTERFLIES; b++) {
        int j = t + b * threads;
        if (j < butterflies) {
            int k = j % ns, base = (j - k) * R + k;
#pragma unroll
            for (int r = 0; r < R; r++)
                data[skewed(base + r * ns)] = regs.v[b][r];
        }
    }
}

#ifdef __CUDACC__
/* One pass on the device: every thread of the transform reads, all wait,
 * every thread writes, all wait. The block's threads all call it. */
template <int R, int SIGN>
__device__ __forceinline__ void fft_pass_device(float2 *data, int length, int ns, int t,
                                                int threads)
{
    fft_pass_registers<R> regs;
    if (t < threads)
        fft_pass_read<R, SIGN>(data, length, ns, t, threads, regs);
    __syncthreads();
    if (t < threads)
        fft_pass_write<R>(data, length, ns, t, threads, regs);
    __syncthreads();
}

/* The whole transform of data[skewed(0 .. length-1)], in place: the plan's
 * radix-16 passes, then one of P2 (1: none), then its 3s and 5s; P2, HAS3 and
 * HAS5 must match the plan (p2, n3 > 0, n5 > 0). Each radix is compiled
 * once: a switch over all six in one loop made the compiler keep them all
 * live (255 registers). */
template <int P2, bool HAS3, bool HAS5, int SIGN>
__device__ void fft_shared_device(float2 *data, const fft_shared_plan &plan, int t)
{
    int ns = 1, n = plan.length, T = plan.threads;
    for (int p = 0; p < plan.n16; p++, ns *= 16)
        fft_pass_device<16, SIGN>(data, n, ns, t, T);
    if (P2 > 1) {
        fft_pass_device<(P2 > 1 ? P2 : 2), SIGN>(data, n, ns, t, T);
        ns *= P2;
    }
    if (HAS3)
        for (int p = 0; p < plan.n3; p++, ns *= 3)
            fft_pass_device<3, SIGN>(data, n, ns, t, T);
    if (HAS5)
        for (int p = 0; p < plan.n5; p++, ns *= 5)
            fft_pass_device<5, SIGN>(data, n, ns, t, T);
}
#endif

/* ---- the same transform on the host, thread after thread ---- */

template <int R, int SIGN>
inline void fft_pass_host(float2 *data, int length, int ns, int threads,
                          fft_pass_registers<R> *regs)
{
    for (int t = 0; t < threads; t++)
        fft_pass_read<R, SIGN>(data, length, ns, t, threads, regs[t]);
    for (int t = 0; t < threads; t++)
        fft_pass_write<R>(data, length, ns, t, threads, regs[t]);
}

/* `scratch` holds plan.threads * 20 float2 (the registers of every thread). */
template <int SIGN>
inline void fft_shared_host(float2 *data, const fft_shared_plan &plan, float2 *scratch)
{
    int ns = 1;
    for (int p = 0; p < plan.n_passes; p++) {
        int r = plan.radix[p], n = plan.length, T = plan.threads;
        switch (r) {
        case 16: fft_pass_host<16, SIGN>(data, n, ns, T, (fft_pass_registers<16> *)scratch); break;
        case 8: fft_pass_host<8, SIGN>(data, n, ns, T, (fft_pass_registers<8> *)scratch); break;
        case 4: fft_pass_host<4, SIGN>(data, n, ns, T, (fft_pass_registers<4> *)scratch); break;
        case 2: fft_pass_host<2, SIGN>(data, n, ns, T, (fft_pass_registers<2> *)scratch); break;
        case 3: fft_pass_host<3, SIGN>(data, n, ns, T, (fft_pass_registers<3> *)scratch); break;
        default: fft_pass_host<5, SIGN>(data, n, ns, T, (fft_pass_registers<5> *)scratch); break;
        }
        ns *= r;
    }
}

/* float2s of host scratch fft_shared_host needs for `plan` */
static inline size_t fft_shared_host_scratch(const fft_shared_plan &plan)
{
    return (size_t)plan.threads * 20;
}

#endif
