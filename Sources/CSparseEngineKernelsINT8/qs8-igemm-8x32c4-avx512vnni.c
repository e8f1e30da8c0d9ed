/* 8 output channels x 32 pixels per call: 16 zmm accumulators, two activation loads and eight broadcast
   weight dwords (folded into `vpdpbusd` as {1to16}) per group of 4 K. Two epilogues: the int32 sums stored, or
   requantized in registers and stored as bytes (`minmax_fp32`), which saves a layer's outputs the round trip
   through an int32 tile and a second pass. */
#include "zoo_qs8_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

/* The product's 16 accumulators: c[2 r] holds row r's pixels 0-15, c[2 r + 1] its pixels 16-31. */
__attribute__((target("avx512f,avx512bw,avx512vnni"))) static inline __attribute__((always_inline)) void
igemm_8x32(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets, __m512i c[16]) {
    __m512i c00 = _mm512_setzero_si512(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    __m512i c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    for (size_t g = 0; g < kgroups; g++) {
        const uint8_t *p = a + offsets[g];
        const __m512i a0 = _mm512_loadu_si512(p), a1 = _mm512_loadu_si512(p + 64);
        int32_t wd[8];
        memcpy(wd, w, sizeof wd);
        __m512i b;
        b = _mm512_set1_epi32(wd[0]); c00 = _mm512_dpbusd_epi32(c00, a0, b); c01 = _mm512_dpbusd_epi32(c01, a1, b);
        b = _mm512_set1_epi32(wd[1]); c10 = _mm512_dpbusd_epi32(c10, a0, b); c11 = _mm512_dpbusd_epi32(c11, a1, b);
        b = _mm512_set1_epi32(wd[2]); c20 = _mm512_dpbusd_epi32(c20, a0, b); c21 = _mm512_dpbusd_epi32(c21, a1, b);
        b = _mm512_set1_epi32(wd[3]); c30 = _mm512_dpbusd_epi32(c30, a0, b); c31 = _mm512_dpbusd_epi32(c31, a1, b);
        b = _mm512_set1_epi32(wd[4]); c40 = _mm512_dpbusd_epi32(c40, a0, b); c41 = _mm512_dpbusd_epi32(c41, a1, b);
        b = _mm512_set1_epi32(wd[5]); c50 = _mm512_dpbusd_epi32(c50, a0, b); c51 = _mm512_dpbusd_epi32(c51, a1, b);
        b = _mm512_set1_epi32(wd[6]); c60 = _mm512_dpbusd_epi32(c60, a0, b); c61 = _mm512_dpbusd_epi32(c61, a1, b);
        b = _mm512_set1_epi32(wd[7]); c70 = _mm512_dpbusd_epi32(c70, a0, b); c71 = _mm512_dpbusd_epi32(c71, a1, b);
        w += 32;
    }
    c[0] = c00; c[1] = c01; c[2] = c10; c[3] = c11; c[4] = c20; c[5] = c21; c[6] = c30; c[7] = c31;
    c[8] = c40; c[9] = c41; c[10] = c50; c[11] = c51; c[12] = c60; c[13] = c61; c[14] = c70; c[15] = c71;
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
void qs8_igemm_8x32c4__avx512vnni(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                  int32_t *c, size_t ldc) {
    __m512i acc[16];
    igemm_8x32(kgroups, w, a, offsets, acc);
    for (int r = 0; r < 8; r++) {
        _mm512_storeu_si512(c + r * ldc, acc[2 * r]);
        _mm512_storeu_si512(c + r * ldc + 16, acc[2 * r + 1]);
    }
}

/* One row's 32 sums requantized as qs8_requantize__avx512 does it (the same instructions, so the same bytes) and
   stored as the bytes of the kept columns. Kept columns that are a prefix (a 1x1 layer, the last tile) store in
   place; others (phase rows with padding columns between output rows) are compressed to consecutive lanes first. */
__attribute__((target("avx512f,avx512bw,avx512vnni"))) static inline __attribute__((always_inline)) void
store_row(__m512i c0, __m512i c1, int32_t bias, float scale, __m512 lo, __m512 hi, __m512i zero, int prefix,
          __mmask16 k0, __mmask16 k1, unsigned n0, uint8_t *y) {
    const __m512i b = _mm512_set1_epi32(bias);
    const __m512 s = _mm512_set1_ps(scale);
    __m512 f0 = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(c0, b)), s);
    __m512 f1 = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(c1, b)), s);
    f0 = _mm512_min_ps(_mm512_max_ps(f0, lo), hi);
    f1 = _mm512_min_ps(_mm512_max_ps(f1, lo), hi);
    __m512i v0 = _mm512_add_epi32(_mm512_cvtps_epi32(f0), zero), v1 = _mm512_add_epi32(_mm512_cvtps_epi32(f1), zero);
    if (!prefix) {
        v0 = _mm512_maskz_compress_epi32(k0, v0);
        v1 = _mm512_maskz_compress_epi32(k1, v1);
    }
    const unsigned n1 = (unsigned)__builtin_popcount(k1);
    _mm512_mask_cvtepi32_storeu_epi8(y, (__mmask16)((1u << n0) - 1), v0);
    _mm512_mask_cvtepi32_storeu_epi8(y + n0, (__mmask16)((1u << n1) - 1), v1);
}

/* One tile of 8 rows; rows are stored one by one under `rows >`, unrolled, so the accumulators stay in registers. */
__attribute__((target("avx512f,avx512bw,avx512vnni"))) static inline __attribute__((always_inline)) void
minmax_tile(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets, size_t rows, uint32_t keep,
            const int32_t *bias, const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy) {
    __m512i c[16];
    igemm_8x32(kgroups, w, a, offsets, c);
    const __m512 lo_f = _mm512_set1_ps((float)(lo - zero_point)), hi_f = _mm512_set1_ps((float)(hi - zero_point));
    const __m512i zero = _mm512_set1_epi32(zero_point);
    const __mmask16 k0 = (__mmask16)keep, k1 = (__mmask16)(keep >> 16);
    const int prefix = (keep & (keep + 1)) == 0;
    const unsigned n0 = (unsigned)__builtin_popcount(k0);
    store_row(c[0], c[1], bias[0], scale[0], lo_f, hi_f, zero, prefix, k0, k1, n0, y);
    if (rows > 1) store_row(c[2], c[3], bias[1], scale[1], lo_f, hi_f, zero, prefix, k0, k1, n0, y + ldy);
    if (rows > 2) store_row(c[4], c[5], bias[2], scale[2], lo_f, hi_f, zero, prefix, k0, k1, n0, y + 2 * ldy);
    if (rows > 3) store_row(c[6], c[7], bias[3], scale[3], lo_f, hi_f, zero, prefix, k0, k1, n0, y + 3 * ldy);
    if (rows > 4) store_row(c[8], c[9], bias[4], scale[4], lo_f, hi_f, zero, prefix, k0, k1, n0, y + 4 * ldy);
    if (rows > 5) store_row(c[10], c[11], bias[5], scale[5], lo_f, hi_f, zero, prefix, k0, k1, n0, y + 5 * ldy);
    if (rows > 6) store_row(c[12], c[13], bias[6], scale[6], lo_f, hi_f, zero, prefix, k0, k1, n0, y + 6 * ldy);
    if (rows > 7) store_row(c[14], c[15], bias[7], scale[7], lo_f, hi_f, zero, prefix, k0, k1, n0, y + 7 * ldy);
}

/* The tiles of 8 rows one after another over the same activations (one call per pixel tile and block of rows: a call
   from Swift per tile of 8 rows cost about as much as a layer with 16 K groups spends in its epilogue). */
__attribute__((target("avx512f,avx512bw,avx512vnni")))
void qs8_igemm_minmax_fp32_8x32c4__avx512vnni(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                              size_t rows, uint32_t keep, const int32_t *bias, const float *scale,
                                              int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy) {
    for (size_t r0 = 0; r0 < rows; r0 += 8, w += kgroups * 32, bias += 8, scale += 8, y += 8 * ldy) {
        minmax_tile(kgroups, w, a, offsets, rows - r0 < 8 ? rows - r0 : 8, keep, bias, scale, zero_point, lo, hi, y, ldy);
    }
}
#else
void qs8_igemm_8x32c4__avx512vnni(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                  int32_t *c, size_t ldc) {
    (void)kgroups; (void)w; (void)a; (void)offsets; (void)c; (void)ldc;
    __builtin_trap();
}

void qs8_igemm_minmax_fp32_8x32c4__avx512vnni(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                              size_t rows, uint32_t keep, const int32_t *bias, const float *scale,
                                              int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy) {
    (void)kgroups; (void)w; (void)a; (void)offsets; (void)rows; (void)keep; (void)bias; (void)scale; (void)zero_point;
    (void)lo; (void)hi; (void)y; (void)ldy;
    __builtin_trap();
}
#endif
