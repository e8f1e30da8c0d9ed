/* Sparse INT8 microkernels for AVX-512 VNNI: output rows (channels) one after another, each over 16·T pixels in
   T zmm accumulators. Each step is one nonzero weight dword of the row (4 K values: a group of 4 input channels at
   one tap) broadcast against its group's T runs of 16 pixels (`vpdpbusd` with the activations loaded). The
   widths 128, 64 and 32 share one body, unrolled at compile time. */
#include "zoo_qs8_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

static inline __attribute__((always_inline, target("avx512f,avx512bw,avx512vnni")))
void spmm_rows(const size_t tiles, size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
               const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c,
               size_t ldc, int accumulate) {
    for (size_t r = 0; r < rows; r++, starts += starts_stride, c += ldc) {
        __m512i acc[8];
        for (size_t t = 0; t < tiles; t++) acc[t] = accumulate ? _mm512_loadu_si512(c + 16 * t) : _mm512_setzero_si512();
        for (int32_t s = starts[0], end = starts[span]; s < end; s++) {
            const uint8_t *p = a + offsets[groups[s]];
            const __m512i w = _mm512_set1_epi32(weights[s]);
            for (size_t t = 0; t < tiles; t++) acc[t] = _mm512_dpbusd_epi32(acc[t], _mm512_loadu_si512(p + 64 * t), w);
        }
        for (size_t t = 0; t < tiles; t++) _mm512_storeu_si512(c + 16 * t, acc[t]);
    }
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
void qs8_spmm_1x128c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span, const uint32_t *groups,
    const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc, int accumulate) {
    spmm_rows(8, rows, starts, starts_stride, span, groups, weights, a, offsets, c, ldc, accumulate);
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
void qs8_spmm_1x64c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span, const uint32_t *groups,
    const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc, int accumulate) {
    spmm_rows(4, rows, starts, starts_stride, span, groups, weights, a, offsets, c, ldc, accumulate);
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
void qs8_spmm_1x32c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span, const uint32_t *groups,
    const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc, int accumulate) {
    spmm_rows(2, rows, starts, starts_stride, span, groups, weights, a, offsets, c, ldc, accumulate);
}
#else
static void unavailable(void) { __builtin_trap(); }
void qs8_spmm_1x128c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span, const uint32_t *groups,
    const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc, int accumulate) {
    (void)rows; (void)starts; (void)starts_stride; (void)span; (void)groups; (void)weights; (void)a; (void)offsets; (void)c;
    (void)ldc; (void)accumulate; unavailable();
}
void qs8_spmm_1x64c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span, const uint32_t *groups,
    const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc, int accumulate) {
    (void)rows; (void)starts; (void)starts_stride; (void)span; (void)groups; (void)weights; (void)a; (void)offsets; (void)c;
    (void)ldc; (void)accumulate; unavailable();
}
void qs8_spmm_1x32c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span, const uint32_t *groups,
    const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc, int accumulate) {
    (void)rows; (void)starts; (void)starts_stride; (void)span; (void)groups; (void)weights; (void)a; (void)offsets; (void)c;
    (void)ldc; (void)accumulate; unavailable();
}
#endif
