/* The portable sparse INT8 microkernel, output rows one after another, each over `nr` pixels: the reference the vector kernels must
   match exactly. The AVX2 set runs the same body compiled for AVX2, which the compiler vectorizes over pixels. The
   `minmax_fp32` variants keep the sums in c and requantize the stores' lanes with qs8_requantize__scalar; with a nonzero
   `group_bytes` they place group g at g * group_bytes instead of reading the offset table, as the AVX-512 ones. */
#include "zoo_qs8_kernels.h"

static inline __attribute__((always_inline))
void spmm_rows(size_t nr, size_t rows, const int32_t *starts, size_t starts_stride, size_t span, const uint32_t *groups,
               const int32_t *weights, const uint8_t *a, const int32_t *offsets, size_t group_bytes, int32_t *c, size_t ldc,
               int accumulate) {
    for (size_t r = 0; r < rows; r++, starts += starts_stride, c += ldc) {
        if (!accumulate) {
            for (size_t p = 0; p < nr; p++) c[p] = 0;
        }
        for (int32_t s = starts[0], end = starts[span]; s < end; s++) {
            const uint8_t *x = a + (group_bytes ? (size_t)groups[s] * group_bytes : (size_t)(ptrdiff_t)offsets[groups[s]]);
            const int32_t d = weights[s];
            const int32_t w0 = (int8_t)d, w1 = (int8_t)(d >> 8), w2 = (int8_t)(d >> 16), w3 = (int8_t)(d >> 24);
            for (size_t p = 0; p < nr; p++) {
                c[p] += x[4 * p] * w0 + x[4 * p + 1] * w1 + x[4 * p + 2] * w2 + x[4 * p + 3] * w3;
            }
        }
    }
}

/* Every row's sums in c (row stride ldc) requantized through the stores: each maximal run of set lanes of a store's mask
   is one qs8_requantize__scalar call over all the rows. */
static void store_requantized(size_t rows, const int32_t *c, size_t ldc, const qs8_spmm_store *stores, size_t nstores,
                              const int32_t *bias, const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y,
                              size_t ldy) {
    for (size_t i = 0; i < nstores; i++) {
        for (uint32_t mask = stores[i].mask & 0xFFFF; mask != 0;) {
            const unsigned first = (unsigned)__builtin_ctz(mask), count = (unsigned)__builtin_ctz(~(mask >> first));
            qs8_requantize__scalar(rows, count, c + 16 * stores[i].vector + first, ldc, bias, scale, zero_point, lo, hi,
                                   y + stores[i].offset + first, ldy, 1);
            mask &= ~(((1u << count) - 1) << first);
        }
    }
}

void qs8_spmm_1xNc4__scalar(size_t nr, size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate) {
    spmm_rows(nr, rows, starts, starts_stride, span, groups, weights, a, offsets, 0, c, ldc, accumulate);
}

void qs8_spmm_minmax_fp32_1xNc4__scalar(size_t nr, size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate, const qs8_spmm_store *stores, size_t nstores, const int32_t *bias, const float *scale,
    int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy, size_t group_bytes) {
    spmm_rows(nr, rows, starts, starts_stride, span, groups, weights, a, offsets, group_bytes, c, ldc, accumulate);
    store_requantized(rows, c, ldc, stores, nstores, bias, scale, zero_point, lo, hi, y, ldy);
}

#if defined(__x86_64__)
#define AVX2_TARGET __attribute__((target("avx2")))
#else
#define AVX2_TARGET
#endif

AVX2_TARGET
void qs8_spmm_1xNc4__avx2(size_t nr, size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate) {
    spmm_rows(nr, rows, starts, starts_stride, span, groups, weights, a, offsets, 0, c, ldc, accumulate);
}

AVX2_TARGET
void qs8_spmm_minmax_fp32_1xNc4__avx2(size_t nr, size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate, const qs8_spmm_store *stores, size_t nstores, const int32_t *bias, const float *scale,
    int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy, size_t group_bytes) {
    spmm_rows(nr, rows, starts, starts_stride, span, groups, weights, a, offsets, group_bytes, c, ldc, accumulate);
    store_requantized(rows, c, ldc, stores, nstores, bias, scale, zero_point, lo, hi, y, ldy);
}
