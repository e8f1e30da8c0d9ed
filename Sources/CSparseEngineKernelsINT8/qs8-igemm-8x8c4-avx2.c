/* 8 output channels x 8 pixels per call with AVX2 alone, exact: activation bytes widened to 16 bits, each
   weight dword sign-extended and broadcast, `vpmaddwd` adds pairs into 32 bits. The accumulators hold the two
   pair sums of each pixel side by side; one horizontal add at the end gives each pixel's sum. */
#include "zoo_qs8_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

__attribute__((target("avx2")))
void qs8_igemm_8x8c4__avx2(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                           int32_t *c, size_t ldc) {
    __m256i lo[8], hi[8];
    for (int r = 0; r < 8; r++) { lo[r] = _mm256_setzero_si256(); hi[r] = lo[r]; }
    for (size_t g = 0; g < kgroups; g++) {
        const uint8_t *p = a + offsets[g];
        const __m256i a0 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)p));        /* pixels 0-3 */
        const __m256i a1 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(p + 16))); /* pixels 4-7 */
        for (int r = 0; r < 8; r++) {
            int32_t d;
            memcpy(&d, w + 4 * r, 4);
            const __m128i w16 = _mm_cvtepi8_epi16(_mm_cvtsi32_si128(d));
            const __m256i b = _mm256_broadcastq_epi64(w16);
            lo[r] = _mm256_add_epi32(lo[r], _mm256_madd_epi16(a0, b));
            hi[r] = _mm256_add_epi32(hi[r], _mm256_madd_epi16(a1, b));
        }
        w += 32;
    }
    for (int r = 0; r < 8; r++) {
        /* hadd pairs within 128-bit lanes: [p0 p1 | p4 p5] [p2 p3 | p6 p7] -> reorder to p0..p7. */
        const __m256i s = _mm256_hadd_epi32(lo[r], hi[r]);
        const __m256i ordered = _mm256_permute4x64_epi64(s, 0xD8);
        _mm256_storeu_si256((__m256i *)(c + r * ldc), ordered);
    }
}
#else
void qs8_igemm_8x8c4__avx2(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                           int32_t *c, size_t ldc) {
    (void)kgroups; (void)w; (void)a; (void)offsets; (void)c; (void)ldc;
    __builtin_trap();
}
#endif

/* The product requantized: the sums through an 8 x 8 tile, then the kept columns' bytes (zoo_qs8_kernels.h). */
void qs8_igemm_minmax_fp32_8x8c4__avx2(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                       size_t rows, uint32_t keep, const int32_t *bias, const float *scale,
                                       int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy) {
    int32_t acc[8 * 8];
    for (size_t r0 = 0; r0 < rows; r0 += 8, w += kgroups * 32, bias += 8, scale += 8, y += 8 * ldy) {
        qs8_igemm_8x8c4__avx2(kgroups, w, a, offsets, acc, 8);
        qs8_requantize_columns__scalar(rows - r0 < 8 ? rows - r0 : 8, keep & 0xFF, acc, 8, bias, scale, zero_point, lo, hi, y, ldy);
    }
}
