/* cuda_backproject.cu: the GPU backprojector (cuda_backproject.h).
 *
 * Packed buffers, one slot of n_angles pitched rows per slice or quad:
 *  - fp32: a slot is a slice; element e (0..width+2) of row a holds the
 *    float2 (q[e-2], q[e-1]), with q = 0 outside 0..width-1 (so elements 0
 *    and width+2 are zeros). It is read with a plain cached load (__ldg) at
 *    e = floor(u) + 2 clamped to 0..width+2 and interpolated in fp32 with the
 *    exact fraction u - floor(u): u outside (-1, width) gives 0, as on the
 *    CPU. (A first version fetched the same float2 from a point-sampled
 *    texture: the texture units' 4 texels per clock per multiprocessor held
 *    it to 1.03e12 updates/s on an H200, whatever the tile shape; these loads
 *    reach 1.56e12. The texture's own linear filtering is not used: its
 *    8-bit interpolation weights alone differ from the CPU by ~3e-4.)
 *  - fp16x4: a slot is a quad of up to four slices with one centre of
 *    rotation, bound to a pitched 2D texture of half4 texels: texel j holds
 *    their q[j], scaled by `value_scale`; the texture unit interpolates at
 *    u + 0.5 (zeros at the border), one fetch for four slices.
 * Packing the filtered rows into the slot buffers is a kernel of its own
 * (pack_pairs_kernel, pack_quads_kernel). The per-launch tables of slots are
 * kernel parameters read in place (__grid_constant__).
 *
 * Backprojection kernel: a block computes a 32 x 32 tile of one slot's
 * slice(s), 256 threads, each 4 voxels 8 rows apart along ix (consecutive
 * threads on consecutive iz, so stores are coalesced and a warp's fetches
 * stay within ~32 pixels of a row). The (cos, sin) of the angles are staged
 * in shared memory BP_ANGLE_CHUNK at a time. Tiles wholly outside the mask
 * write zeros and stop. Each voxel sums its angles in order, in fp32. */
#include "cuda_backproject.h"
#include "cuda_check.h"

#include <cuda_fp16.h>
#include <math.h>
#include <stdlib.h>

extern "C" {
#include "cpu/backproject.h"
#include "cpu/slice_groups.h"
}

enum {
    BP_TILE = 32,                     /* tile side; threads along iz */
    BP_ROWS = 8,                      /* threads along ix */
    BP_VOXELS = BP_TILE / BP_ROWS,    /* voxels per thread */
    BP_THREADS = BP_TILE * BP_ROWS,
    BP_ANGLE_CHUNK = 1024,            /* angles in shared memory at a time (8 KiB) */
    BP_MAX_SLOTS = 32,                /* slots per launch (the parameter table) */
    BP_MIN_BLOCKS = 4,                /* blocks per multiprocessor, at least */
    PACK_THREADS = 256,
    MAX_TEXTURE_SLOTS = 65535,        /* grid z of the packing kernels */
};

/* 1.5 * 2^23: adding it with rounding down leaves floor(u) in the low bits
 * for |u| < 2^22 (a full-rate fp32 add instead of a conversion), both as a
 * float (minus FLOOR_MAGIC) and as an integer (the bits minus
 * FLOOR_MAGIC_BITS). |u| stays below 2^21 (width <= 2^18, |cor| <= 1e6). */
#define FLOOR_MAGIC 12582912.0f
#define FLOOR_MAGIC_BITS 0x4B400000
#define HALF_MAX_VALUE 65504.0f

struct bp_slot {
    cudaTextureObject_t tex; /* fp16x4 */
    const float2 *pairs;     /* fp32: the slot's rows */
    float cor;  /* fp16x4: cor + 0.5 (texel centres) */
    int out[4]; /* output slice of each channel; -1 none (fp32: out[0] only) */
};

struct bp_table {
    bp_slot slot[BP_MAX_SLOTS];
};

struct bp_common {
    const float2 *trig; /* (cos, sin) per angle */
    float *out;
    size_t pair_pitch;  /* fp32: float2 per row */
    int n_angles;
    int width;
    double r2;   /* mask radius squared; < 0: no mask */
    float scale; /* multiplies the sums: 1 / value_scale */
};

struct pack_table {
    int slice[BP_MAX_SLOTS][4]; /* input slice of each channel of each quad; -1 none */
};

struct half4_texel {
    __half2 lo, hi;
};

struct savu_cuda_backprojector {
    int width, n_angles, max_slices;
    enum savu_cuda_precision precision;
    double r2;
    float value_scale;    /* fp16x4: values are stored times this */
    float2 *trig;
    void *texel_alloc;    /* the allocation ... */
    char *texels;         /* ... and its aligned start */
    size_t texel_pitch;   /* bytes per angle row */
    size_t slot_bytes;    /* bytes per slot */
    int n_slots;
    cudaTextureObject_t *tex; /* fp16x4 */
    int n_tex;            /* textures created */
};

/* ---- kernels ---- */

/* Elements (q[e-2], q[e-1]) of slices blockIdx.z, angle blockIdx.y. */
__global__ static void pack_pairs_kernel(const float *__restrict__ filtered, size_t pitch,
                                         int width, int n_angles, char *__restrict__ texels,
                                         size_t texel_pitch, size_t slot_bytes)
{
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e > width + 2)
        return;
    int a = blockIdx.y, s = blockIdx.z;
    const float *q = filtered + ((size_t)s * n_angles + a) * pitch;
    float lo = e >= 2 && e - 2 < width ? q[e - 2] : 0.0f;
    float hi = e >= 1 && e - 1 < width ? q[e - 1] : 0.0f;
    float2 *row = (float2 *)(texels + (size_t)s * slot_bytes + (size_t)a * texel_pitch);
    row[e] = make_float2(lo, hi);
}

__device__ static float clamp_half(float v)
{
    return fminf(fmaxf(v, -HALF_MAX_VALUE), HALF_MAX_VALUE);
}

/* Texel j of quads first_slot + blockIdx.z, angle blockIdx.y: the four
 * channels' q[j] * scale. */
__global__ static void pack_quads_kernel(const float *__restrict__ filtered, size_t pitch,
                                         int width, int n_angles, char *__restrict__ texels,
                                         size_t texel_pitch, size_t slot_bytes, int first_slot,
                                         const __grid_constant__ pack_table table, float scale)
{
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= width)
        return;
    int a = blockIdx.y, quad = blockIdx.z;
    float v[4];
#pragma unroll
    for (int ch = 0; ch < 4; ch++) {
        int s = table.slice[quad][ch];
        v[ch] = s >= 0 ? clamp_half(filtered[((size_t)s * n_angles + a) * pitch + j] * scale)
                       : 0.0f;
    }
    half4_texel t = {__floats2half2_rn(v[0], v[1]), __floats2half2_rn(v[2], v[3])};
    half4_texel *row = (half4_texel *)(texels + (size_t)(first_slot + quad) * slot_bytes +
                                       (size_t)a * texel_pitch);
    row[j] = t;
}

/* Whether the tile with corner (ix0, iz0) lies wholly outside the mask. */
__device__ static bool tile_outside_mask(const bp_common &c, int ix0, int iz0)
{
    if (c.r2 < 0)
        return false;
    double centre = (c.width - 1) * 0.5;
    double x_hi = min(ix0 + BP_TILE, c.width) - 1, z_hi = min(iz0 + BP_TILE, c.width) - 1;
    double x = fmin(fmax(centre, (double)ix0), x_hi) - centre;
    double z = fmin(fmax(centre, (double)iz0), z_hi) - centre;
    return x * x + z * z > c.r2;
}

/* At least BP_MIN_BLOCKS blocks per multiprocessor: up to 64 registers a
 * thread (the compiler would otherwise squeeze the fp32 kernel into 32 and
 * spill). */
template <bool QUADS>
__global__ static void __launch_bounds__(BP_THREADS, BP_MIN_BLOCKS)
    backproject_kernel(const __grid_constant__ bp_table table, const bp_common c)
{
    constexpr int CHANNELS = QUADS ? 4 : 1;
    __shared__ float2 trig[BP_ANGLE_CHUNK];
    const bp_slot slot = table.slot[blockIdx.z];
    const int w = c.width;
    const size_t plane = (size_t)w * (size_t)w;
    const int iz = blockIdx.x * BP_TILE + threadIdx.x;
    const int ix0 = blockIdx.y * BP_TILE + threadIdx.y;
    const double centre = (w - 1) * 0.5;

    bool on[BP_VOXELS];
    float x[BP_VOXELS];
    float acc[BP_VOXELS][CHANNELS];
    bool any = false;
    const bool outside = tile_outside_mask(c, blockIdx.y * BP_TILE, blockIdx.x * BP_TILE);
#pragma unroll
    for (int k = 0; k < BP_VOXELS; k++) {
        int ix = ix0 + k * BP_ROWS;
        double dx = ix - centre, dz = iz - centre;
        on[k] = !outside && ix < w && iz < w && (c.r2 < 0 || dx * dx + dz * dz <= c.r2);
        any |= on[k];
        x[k] = (float)dx;
#pragma unroll
        for (int ch = 0; ch < CHANNELS; ch++)
            acc[k][ch] = 0.0f;
    }
    const float z = (float)(iz - centre);

    for (int a0 = 0; !outside && a0 < c.n_angles; a0 += BP_ANGLE_CHUNK) {
        int count = min((int)BP_ANGLE_CHUNK, c.n_angles - a0);
        __syncthreads();
        for (int i = threadIdx.y * BP_TILE + threadIdx.x; i < count; i += BP_THREADS)
            trig[i] = c.trig[a0 + i];
        __syncthreads();
        if (!any)
            continue;
#pragma unroll 4
        for (int i = 0; i < count; i++) {
            float2 cs = trig[i];
            float row = (float)(a0 + i) + 0.5f;
            const float2 *pairs = QUADS ? NULL : slot.pairs + (size_t)(a0 + i) * c.pair_pitch;
            float base = fmaf(z, cs.y, slot.cor);
#pragma unroll
            for (int k = 0; k < BP_VOXELS; k++) {
                float u = fmaf(x[k], cs.x, base);
                if constexpr (QUADS) {
                    float4 t = tex2D<float4>(slot.tex, u, row);
                    acc[k][0] += t.x;
                    acc[k][1] += t.y;
                    acc[k][2] += t.z;
                    acc[k][3] += t.w;
                } else {
                    float shifted = __fadd_rd(u, FLOOR_MAGIC);
                    int e = __float_as_int(shifted) - (FLOOR_MAGIC_BITS - 2);
                    e = min(max(e, 0), w + 2);
                    float frac = u - (shifted - FLOOR_MAGIC);
                    float2 t = __ldg(pairs + e);
                    acc[k][0] += fmaf(frac, t.y - t.x, t.x);
                }
            }
        }
    }

#pragma unroll
    for (int k = 0; k < BP_VOXELS; k++) {
        int ix = ix0 + k * BP_ROWS;
        if (ix >= w || iz >= w)
            continue;
        size_t index = (size_t)ix * (size_t)w + (size_t)iz;
#pragma unroll
        for (int ch = 0; ch < CHANNELS; ch++) {
            int s = slot.out[ch];
            if (s >= 0)
                c.out[(size_t)s * plane + index] = on[k] ? acc[k][ch] * c.scale : 0.0f;
        }
    }
}

/* ---- sizes ---- */

struct texel_layout {
    size_t pitch, slot_bytes;
    int n_slots, texels_per_row;
};

static texel_layout layout_for(int width, int n_angles, enum savu_cuda_precision precision,
                               int max_slices, size_t pitch_align, size_t base_align)
{
    texel_layout l;
    bool quads = precision == SAVU_CUDA_FP16X4;
    l.texels_per_row = quads ? width : width + 3;
    l.pitch = savu_round_up((size_t)l.texels_per_row * 8, pitch_align);
    l.slot_bytes = savu_round_up((size_t)n_angles * l.pitch, base_align);
    l.n_slots = quads ? (max_slices + 3) / 4 : max_slices;
    return l;
}

size_t savu_cuda_backprojector_bytes(int width, int n_angles, enum savu_cuda_precision precision,
                                     int max_slices)
{
    if (width < 1 || n_angles < 1 || max_slices < 1)
        return 0;
    texel_layout l = layout_for(width, n_angles, precision, max_slices, 128, 512);
    return (size_t)l.n_slots * l.slot_bytes + 512 + (size_t)n_angles * sizeof(float2);
}

/* ---- creation ---- */

static int device_attribute(cudaDeviceAttr attr, int *value, savu_error *err)
{
    int dev;
    cudaError_t rc = cudaGetDevice(&dev);
    if (rc == cudaSuccess)
        rc = cudaDeviceGetAttribute(value, attr, dev);
    return rc == cudaSuccess ? 0 : savu_cuda_fail(err, "GPU backprojection: device attribute", rc);
}

static int check_create_args(int width, int n_angles, const double *angles_deg, double ratio,
                             enum savu_cuda_precision precision, int max_slices, savu_error *err)
{
    if (width < 1 || width > SAVU_BACKPROJECT_MAX_WIDTH)
        return savu_error_set(err, "GPU backprojection: width %d is outside 1..%d", width,
                              SAVU_BACKPROJECT_MAX_WIDTH);
    if (n_angles < 1)
        return savu_error_set(err, "GPU backprojection: number of angles %d is less than 1",
                              n_angles);
    if (!angles_deg)
        return savu_error_set(err, "GPU backprojection: no angles given");
    for (int a = 0; a < n_angles; a++)
        if (!isfinite(angles_deg[a]))
            return savu_error_set(err, "GPU backprojection: angle %d is not a finite number", a);
    if (!isfinite(ratio))
        return savu_error_set(err, "GPU backprojection: mask ratio is not a finite number");
    if (precision != SAVU_CUDA_FP32 && precision != SAVU_CUDA_FP16X4)
        return savu_error_set(err, "GPU backprojection: unknown precision %d", (int)precision);
    if (max_slices < 1)
        return savu_error_set(err, "GPU backprojection: max_slices %d is less than 1", max_slices);
    int max_w, max_h, max_pitch;
    if (device_attribute(cudaDevAttrMaxTexture2DLinearWidth, &max_w, err) ||
        device_attribute(cudaDevAttrMaxTexture2DLinearHeight, &max_h, err) ||
        device_attribute(cudaDevAttrMaxTexture2DLinearPitch, &max_pitch, err))
        return -1;
    if (width + 1 > max_w || (size_t)(width + 1) * 8 > (size_t)max_pitch)
        return savu_error_set(err, "GPU backprojection: width %d is over this GPU's texture "
                                   "limit (%d texels)", width, max_w - 1);
    if (n_angles > max_h)
        return savu_error_set(err, "GPU backprojection: %d angles are over this GPU's texture "
                                   "limit of %d rows", n_angles, max_h);
    return 0;
}

/* The half4 textures of the fp16x4 slots. */
static int make_textures(savu_cuda_backprojector *bp, savu_error *err)
{
    bool quads = bp->precision == SAVU_CUDA_FP16X4;
    if (!quads)
        return 0;
    bp->tex = (cudaTextureObject_t *)calloc((size_t)bp->n_slots, sizeof *bp->tex);
    if (!bp->tex)
        return savu_error_set(err, "GPU backprojection: out of host memory");
    for (int s = 0; s < bp->n_slots; s++) {
        cudaResourceDesc res = {};
        res.resType = cudaResourceTypePitch2D;
        res.res.pitch2D.devPtr = bp->texels + (size_t)s * bp->slot_bytes;
        res.res.pitch2D.desc = cudaCreateChannelDescHalf4();
        res.res.pitch2D.width = (size_t)bp->width;
        res.res.pitch2D.height = (size_t)bp->n_angles;
        res.res.pitch2D.pitchInBytes = bp->texel_pitch;
        cudaTextureDesc desc = {}; /* border colour 0 */
        desc.addressMode[0] = cudaAddressModeBorder;
        desc.addressMode[1] = cudaAddressModeBorder;
        desc.filterMode = cudaFilterModeLinear;
        desc.readMode = cudaReadModeElementType;
        desc.normalizedCoords = 0;
        cudaError_t rc = cudaCreateTextureObject(&bp->tex[s], &res, &desc, NULL);
        if (rc != cudaSuccess)
            return savu_cuda_fail(err, "GPU backprojection: creating a texture", rc);
        bp->n_tex = s + 1;
    }
    return 0;
}

savu_cuda_backprojector *savu_cuda_backprojector_create(int width, int n_angles,
                                                        const double *angles_deg, double ratio,
                                                        enum savu_cuda_precision precision,
                                                        int max_slices, savu_error *err)
{
    if (check_create_args(width, n_angles, angles_deg, ratio, precision, max_slices, err) != 0)
        return NULL;
    int pitch_align, base_align;
    if (device_attribute(cudaDevAttrTexturePitchAlignment, &pitch_align, err) ||
        device_attribute(cudaDevAttrTextureAlignment, &base_align, err))
        return NULL;
    texel_layout l = layout_for(width, n_angles, precision, max_slices, (size_t)pitch_align,
                                (size_t)(base_align > pitch_align ? base_align : pitch_align));
    if (l.n_slots > MAX_TEXTURE_SLOTS) {
        savu_error_set(err, "GPU backprojection: max_slices %d is over %d", max_slices,
                       MAX_TEXTURE_SLOTS);
        return NULL;
    }
    savu_cuda_backprojector *bp = (savu_cuda_backprojector *)calloc(1, sizeof *bp);
    float2 *trig = (float2 *)malloc(sizeof(float2) * (size_t)n_angles);
    if (!bp || !trig) {
        free(bp);
        free(trig);
        savu_error_set(err, "GPU backprojection: out of host memory");
        return NULL;
    }
    bp->width = width;
    bp->n_angles = n_angles;
    bp->max_slices = max_slices;
    bp->precision = precision;
    bp->r2 = ratio > 0 ? (ratio * width / 2) * (ratio * width / 2) : -1.0;
    bp->value_scale = precision == SAVU_CUDA_FP16X4
                          ? (float)ldexp(1.0, (int)lround(log2(16.0 * n_angles / M_PI)))
                          : 1.0f;
    bp->texel_pitch = l.pitch;
    bp->slot_bytes = l.slot_bytes;
    bp->n_slots = l.n_slots;
    for (int a = 0; a < n_angles; a++) {
        double theta = angles_deg[a] * (M_PI / 180.0);
        trig[a] = make_float2((float)cos(theta), (float)sin(theta));
    }
    size_t align = (size_t)(base_align > pitch_align ? base_align : pitch_align);
    size_t texel_bytes = (size_t)l.n_slots * l.slot_bytes;
    cudaError_t rc = cudaMalloc(&bp->trig, sizeof(float2) * (size_t)n_angles);
    if (rc == cudaSuccess)
        rc = cudaMalloc(&bp->texel_alloc, texel_bytes + align);
    if (rc != cudaSuccess) {
        cudaGetLastError();
        savu_error_set(err, "GPU backprojection: out of device memory for %d slices of %d "
                            "angles x %d pixels (%zu MiB of textures)", max_slices, n_angles,
                       width, texel_bytes >> 20);
        goto fail;
    }
    bp->texels = (char *)savu_round_up((size_t)bp->texel_alloc, align);
    rc = cudaMemcpy(bp->trig, trig, sizeof(float2) * (size_t)n_angles, cudaMemcpyHostToDevice);
    if (rc != cudaSuccess) {
        savu_cuda_fail(err, "GPU backprojection: copying the angles", rc);
        goto fail;
    }
    if (make_textures(bp, err) != 0)
        goto fail;
    free(trig);
    return bp;
fail:
    free(trig);
    savu_cuda_backprojector_destroy(bp);
    return NULL;
}

void savu_cuda_backprojector_destroy(savu_cuda_backprojector *bp)
{
    if (!bp)
        return;
    for (int s = 0; s < bp->n_tex; s++)
        cudaDestroyTextureObject(bp->tex[s]);
    free(bp->tex);
    cudaFree(bp->texel_alloc);
    cudaFree(bp->trig);
    free(bp);
}

/* ---- execution ---- */

static bp_common common_args(const savu_cuda_backprojector *bp, float *d_out)
{
    bp_common c;
    c.trig = bp->trig;
    c.out = d_out;
    c.pair_pitch = bp->texel_pitch / sizeof(float2);
    c.n_angles = bp->n_angles;
    c.width = bp->width;
    c.r2 = bp->r2;
    c.scale = 1.0f / bp->value_scale;
    return c;
}

static dim3 tile_grid(int width, int n_slots)
{
    unsigned tiles = (unsigned)((width + BP_TILE - 1) / BP_TILE);
    return dim3(tiles, tiles, (unsigned)n_slots);
}

static dim3 pack_grid(int texels, int n_angles, int n_slots)
{
    return dim3((unsigned)((texels + PACK_THREADS - 1) / PACK_THREADS), (unsigned)n_angles,
                (unsigned)n_slots);
}

/* fp32: slices in turns of n_slots: pack them, then backproject them
 * BP_MAX_SLOTS per launch. */
static int execute_pairs(savu_cuda_backprojector *bp, const float *d_filtered, size_t pitch,
                         int n_slices, const double *cor, float *d_out, cudaStream_t stream,
                         savu_error *err)
{
    bp_common c = common_args(bp, d_out);
    for (int s0 = 0; s0 < n_slices; s0 += bp->n_slots) {
        int count = n_slices - s0 < bp->n_slots ? n_slices - s0 : bp->n_slots;
        pack_pairs_kernel<<<pack_grid(bp->width + 3, bp->n_angles, count), PACK_THREADS, 0,
                            stream>>>(d_filtered + (size_t)s0 * bp->n_angles * pitch, pitch,
                                      bp->width, bp->n_angles, bp->texels, bp->texel_pitch,
                                      bp->slot_bytes);
        if (savu_cuda_check_launch(err, "GPU backprojection: packing") != 0)
            return -1;
        for (int b = 0; b < count; b += BP_MAX_SLOTS) {
            int n = count - b < BP_MAX_SLOTS ? count - b : BP_MAX_SLOTS;
            bp_table table;
            for (int i = 0; i < n; i++) {
                table.slot[i].tex = 0;
                table.slot[i].pairs =
                    (const float2 *)(bp->texels + (size_t)(b + i) * bp->slot_bytes);
                table.slot[i].cor = (float)cor[s0 + b + i];
                table.slot[i].out[0] = s0 + b + i;
                table.slot[i].out[1] = table.slot[i].out[2] = table.slot[i].out[3] = -1;
            }
            backproject_kernel<false><<<tile_grid(bp->width, n), dim3(BP_TILE, BP_ROWS), 0,
                                        stream>>>(table, c);
            if (savu_cuda_check_launch(err, "GPU backprojection") != 0)
                return -1;
        }
    }
    return 0;
}

struct quad {
    int slice[4];
    double cor;
};

/* Quads of up to four slices with equal cor (slice_groups.h, as the CPU
 * groups slices; a quad's unused places are -1); returns their number, or -1
 * when out of host memory. */
static int group_quads(int n_slices, const double *cor, quad *quads)
{
    if (n_slices < 1)
        return 0;
    int *order = (int *)malloc(sizeof(int) * (size_t)n_slices);
    int *starts = (int *)malloc(sizeof(int) * ((size_t)n_slices + 1));
    int n_quads = order && starts ? savu_group_by_cor(n_slices, cor, 4, order, starts) : -1;
    for (int g = 0; g < n_quads; g++) {
        quad *q = &quads[g];
        q->cor = cor[order[starts[g]]];
        for (int ch = 0; ch < 4; ch++)
            q->slice[ch] = starts[g] + ch < starts[g + 1] ? order[starts[g] + ch] : -1;
    }
    free(order);
    free(starts);
    return n_quads;
}

/* fp16x4: quads in turns of n_slots: pack, then backproject, BP_MAX_SLOTS
 * quads per launch. */
static int execute_quads(savu_cuda_backprojector *bp, const float *d_filtered, size_t pitch,
                         int n_slices, const double *cor, float *d_out, cudaStream_t stream,
                         savu_error *err)
{
    quad *quads = (quad *)malloc(sizeof *quads * (size_t)n_slices);
    int n_quads = quads ? group_quads(n_slices, cor, quads) : -1;
    if (n_quads < 0) {
        free(quads);
        return savu_error_set(err, "GPU backprojection: out of host memory");
    }
    bp_common c = common_args(bp, d_out);
    int rc = 0;
    for (int q0 = 0; q0 < n_quads && rc == 0; q0 += bp->n_slots) {
        int count = n_quads - q0 < bp->n_slots ? n_quads - q0 : bp->n_slots;
        for (int b = 0; b < count && rc == 0; b += BP_MAX_SLOTS) {
            int n = count - b < BP_MAX_SLOTS ? count - b : BP_MAX_SLOTS;
            pack_table table;
            for (int i = 0; i < n; i++)
                for (int ch = 0; ch < 4; ch++)
                    table.slice[i][ch] = quads[q0 + b + i].slice[ch];
            pack_quads_kernel<<<pack_grid(bp->width, bp->n_angles, n), PACK_THREADS, 0,
                                stream>>>(d_filtered, pitch, bp->width, bp->n_angles,
                                          bp->texels, bp->texel_pitch, bp->slot_bytes, b, table,
                                          bp->value_scale);
            rc = savu_cuda_check_launch(err, "GPU backprojection: packing");
        }
        for (int b = 0; b < count && rc == 0; b += BP_MAX_SLOTS) {
            int n = count - b < BP_MAX_SLOTS ? count - b : BP_MAX_SLOTS;
            bp_table table;
            for (int i = 0; i < n; i++) {
                const quad *q = &quads[q0 + b + i];
                table.slot[i].tex = bp->tex[b + i];
                table.slot[i].pairs = NULL;
                table.slot[i].cor = (float)(q->cor + 0.5);
                for (int ch = 0; ch < 4; ch++)
                    table.slot[i].out[ch] = q->slice[ch];
            }
            backproject_kernel<true><<<tile_grid(bp->width, n), dim3(BP_TILE, BP_ROWS), 0,
                                       stream>>>(table, c);
            rc = savu_cuda_check_launch(err, "GPU backprojection");
        }
    }
    free(quads);
    return rc;
}

int savu_cuda_backprojector_execute(savu_cuda_backprojector *bp, const float *d_filtered,
                                    size_t pitch, int n_slices, const double *cor, float *d_out,
                                    void *stream, savu_error *err)
{
    if (!bp)
        return savu_error_set(err, "GPU backprojection: no backprojector");
    if (n_slices < 0)
        return savu_error_set(err, "GPU backprojection: number of slices %d is negative",
                              n_slices);
    if (n_slices == 0)
        return 0;
    if (!d_filtered || !cor || !d_out)
        return savu_error_set(err, "GPU backprojection: missing %s",
                              !d_filtered ? "sinograms" : !cor ? "centres of rotation" : "output");
    if (pitch < (size_t)bp->width)
        return savu_error_set(err, "GPU backprojection: row pitch %zu is less than the width %d",
                              pitch, bp->width);
    for (int s = 0; s < n_slices; s++)
        if (!isfinite(cor[s]) || fabs(cor[s]) > SAVU_CUDA_MAX_ABS_COR)
            return savu_error_set(err, "GPU backprojection: centre of rotation %g of slice %d is "
                                       "not a finite number within +-%g", cor[s], s,
                                  SAVU_CUDA_MAX_ABS_COR);
    cudaStream_t s = (cudaStream_t)stream;
    if (bp->precision == SAVU_CUDA_FP16X4)
        return execute_quads(bp, d_filtered, pitch, n_slices, cor, d_out, s, err);
    return execute_pairs(bp, d_filtered, pitch, n_slices, cor, d_out, s, err);
}
