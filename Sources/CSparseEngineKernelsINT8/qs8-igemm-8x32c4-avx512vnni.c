/* 8 output channels x 32 pixels per call: 16 zmm accumulators, two activation loads and eight broadcast
   weight dwords (folded into `vpdpbusd` as {1to16}) per group of 4 K. */
#include "zoo_qs8_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

__attribute__((target("avx512f,avx512bw,avx512vnni")))
void qs8_igemm_8x32c4__avx512vnni(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                  int32_t *c, size_t ldc) {
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
    _mm512_storeu_si512(c + 0 * ldc, c00); _mm512_storeu_si512(c + 0 * ldc + 16, c01);
    _mm512_storeu_si512(c + 1 * ldc, c10); _mm512_storeu_si512(c + 1 * ldc + 16, c11);
    _mm512_storeu_si512(c + 2 * ldc, c20); _mm512_storeu_si512(c + 2 * ldc + 16, c21);
    _mm512_storeu_si512(c + 3 * ldc, c30); _mm512_storeu_si512(c + 3 * ldc + 16, c31);
    _mm512_storeu_si512(c + 4 * ldc, c40); _mm512_storeu_si512(c + 4 * ldc + 16, c41);
    _mm512_storeu_si512(c + 5 * ldc, c50); _mm512_storeu_si512(c + 5 * ldc + 16, c51);
    _mm512_storeu_si512(c + 6 * ldc, c60); _mm512_storeu_si512(c + 6 * ldc + 16, c61);
    _mm512_storeu_si512(c + 7 * ldc, c70); _mm512_storeu_si512(c + 7 * ldc + 16, c71);
}
#else
void qs8_igemm_8x32c4__avx512vnni(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                  int32_t *c, size_t ldc) {
    (void)kgroups; (void)w; (void)a; (void)offsets; (void)c; (void)ldc;
    __builtin_trap();
}
#endif
