/* Requantization: portable C, and AVX-512 intrinsics that give the same bytes. The C rounds with the 1.5 x 2^23
   trick, which rounds half to even as `vcvtps2dq` does, without a call to lrintf; the value is clamped first, so
   it is always small enough for the trick to be exact. */
#include "zoo_qs8_kernels.h"
#include <string.h>

static inline __attribute__((always_inline)) void requantize_row(size_t cols, const int32_t *acc, int32_t bias,
                                                                 float scale, int32_t zero_point, float lo, float hi,
                                                                 uint8_t *y, size_t ldy_col) {
    for (size_t p = 0; p < cols; p++) {
        float v = (float)(acc[p] + bias) * scale;
        v = v < lo ? lo : v;
        v = v > hi ? hi : v;
        const float t = v + 12582912.0f;
        int32_t bits;
        memcpy(&bits, &t, 4);
        y[p * ldy_col] = (uint8_t)(bits - 0x4B400000 + zero_point);
    }
}

static inline __attribute__((always_inline)) void requantize(size_t rows, size_t cols, const int32_t *acc,
                                                             size_t ldacc, const int32_t *bias, const float *scale,
                                                             int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y,
                                                             size_t ldy_row, size_t ldy_col) {
    const float lo_f = (float)(lo - zero_point), hi_f = (float)(hi - zero_point);
    for (size_t r = 0; r < rows; r++) {
        if (ldy_col == 1) {
            requantize_row(cols, acc + r * ldacc, bias[r], scale[r], zero_point, lo_f, hi_f, y + r * ldy_row, 1);
        } else {
            requantize_row(cols, acc + r * ldacc, bias[r], scale[r], zero_point, lo_f, hi_f, y + r * ldy_row, ldy_col);
        }
    }
}

void qs8_requantize__scalar(size_t rows, size_t cols, const int32_t *acc, size_t ldacc, const int32_t *bias,
                            const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y,
                            size_t ldy_row, size_t ldy_col) {
    requantize(rows, cols, acc, ldacc, bias, scale, zero_point, lo, hi, y, ldy_row, ldy_col);
}

/* The epilogue of the 8 x 8 kernels' `minmax_fp32` variants: the columns of `keep` (bit p = column p, p < 32)
   compacted to consecutive bytes of each row, requantized as qs8_requantize__scalar. */
void qs8_requantize_columns__scalar(size_t rows, uint32_t keep, const int32_t *acc, size_t ldacc, const int32_t *bias,
                                    const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy) {
    const float lo_f = (float)(lo - zero_point), hi_f = (float)(hi - zero_point);
    for (size_t r = 0; r < rows; r++) {
        size_t n = 0;
        for (size_t p = 0; p < 32; p++) {
            if (keep >> p & 1) requantize_row(1, acc + r * ldacc + p, bias[r], scale[r], zero_point, lo_f, hi_f, y + r * ldy + n++, 1);
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

/* One row's 16 columns (fewer under the mask) requantized to 16 bytes in the low lanes of an xmm register. */
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
static inline __m128i requantize16(const int32_t *acc, __mmask16 m, __m512i bias, __m512 scale, __m512 lo, __m512 hi, __m512i zero) {
    const __m512i v = _mm512_add_epi32(_mm512_maskz_loadu_epi32(m, acc), bias);
    __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(v), scale);
    f = _mm512_min_ps(_mm512_max_ps(f, lo), hi);
    return _mm512_cvtepi32_epi8(_mm512_add_epi32(_mm512_cvtps_epi32(f), zero));
}

/* The bytes of 8 rows × 16 columns (x[r] = row r) stored transposed: column j's 8 bytes, rows in order, at
   y + j·ldy for j < width. Three rounds of interleaves (bytes, words, dwords) leave two columns per register. */
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
static inline void store_transposed_8x16(const __m128i x[8], size_t width, uint8_t *y, size_t ldy) {
    const __m128i a0 = _mm_unpacklo_epi8(x[0], x[1]), a1 = _mm_unpackhi_epi8(x[0], x[1]);
    const __m128i a2 = _mm_unpacklo_epi8(x[2], x[3]), a3 = _mm_unpackhi_epi8(x[2], x[3]);
    const __m128i a4 = _mm_unpacklo_epi8(x[4], x[5]), a5 = _mm_unpackhi_epi8(x[4], x[5]);
    const __m128i a6 = _mm_unpacklo_epi8(x[6], x[7]), a7 = _mm_unpackhi_epi8(x[6], x[7]);
    /* b0: columns 0-3 of rows 0-3, a dword each; b1: columns 4-7; b2, b3: 8-11, 12-15; b4-b7 the same for rows 4-7. */
    const __m128i b0 = _mm_unpacklo_epi16(a0, a2), b1 = _mm_unpackhi_epi16(a0, a2);
    const __m128i b2 = _mm_unpacklo_epi16(a1, a3), b3 = _mm_unpackhi_epi16(a1, a3);
    const __m128i b4 = _mm_unpacklo_epi16(a4, a6), b5 = _mm_unpackhi_epi16(a4, a6);
    const __m128i b6 = _mm_unpacklo_epi16(a5, a7), b7 = _mm_unpackhi_epi16(a5, a7);
    const __m128i c[8] = {_mm_unpacklo_epi32(b0, b4), _mm_unpackhi_epi32(b0, b4), _mm_unpacklo_epi32(b1, b5),
                          _mm_unpackhi_epi32(b1, b5), _mm_unpacklo_epi32(b2, b6), _mm_unpackhi_epi32(b2, b6),
                          _mm_unpacklo_epi32(b3, b7), _mm_unpackhi_epi32(b3, b7)};
    for (size_t j = 0; j < width; j++) {
        if (j % 2 == 0) {
            _mm_storel_epi64((__m128i *)(y + j * ldy), c[j / 2]);
        } else {
            _mm_storeh_pd((double *)(y + j * ldy), _mm_castsi128_pd(c[j / 2]));
        }
    }
}

/* 16 columns at a time under a mask (the tiles are narrow, 32 columns at most, so a loop the compiler vectorizes
   by 64 would run its scalar remainder); `vcvtps2dq` rounds half to even, as the trick above.
   A transposed store (`ldy_row` = 1, `ldy_col` > 1: a linear layer writes Y row-major from Yᵀ tiles) goes through a staging block
   of 16 columns × up to 64 rows, so each of Y's rows gets its bytes in one run: byte after byte at a stride of
   `ldy_col` would touch a new cache line per byte, and strides of a multiple of 1 KiB (768, 3072 features) map
   those lines to a few L1 sets. Whole groups of 8 rows are transposed in registers instead (`store_transposed_8x16`:
   the staging block's byte-by-byte scatter and a `memcpy` call per 8 bytes took 5 % of DistilBERT INT8). */
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
void qs8_requantize__avx512(size_t rows, size_t cols, const int32_t *acc, size_t ldacc, const int32_t *bias,
                            const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y,
                            size_t ldy_row, size_t ldy_col) {
    const __m512 lo_f = _mm512_set1_ps((float)(lo - zero_point)), hi_f = _mm512_set1_ps((float)(hi - zero_point));
    const __m512i zero = _mm512_set1_epi32(zero_point);
    if (ldy_col != 1 && ldy_row != 1) {
        requantize(rows, cols, acc, ldacc, bias, scale, zero_point, lo, hi, y, ldy_row, ldy_col);
        return;
    }
    if (ldy_col != 1) {
        size_t whole = rows - rows % 8;
        for (size_t r0 = 0; r0 < whole; r0 += 8) {
            for (size_t p = 0; p < cols; p += 16) {
                const size_t width = cols - p < 16 ? cols - p : 16;
                const __mmask16 m = width == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << width) - 1);
                __m128i x[8];
                for (size_t r = 0; r < 8; r++) {
                    x[r] = requantize16(acc + (r0 + r) * ldacc + p, m, _mm512_set1_epi32(bias[r0 + r]), _mm512_set1_ps(scale[r0 + r]),
                                        lo_f, hi_f, zero);
                }
                store_transposed_8x16(x, width, y + p * ldy_col + r0, ldy_col);
            }
        }
        uint8_t block[16][64];
        for (size_t r0 = whole; r0 < rows; r0 += 64) {
            const size_t count = rows - r0 < 64 ? rows - r0 : 64;
            for (size_t p = 0; p < cols; p += 16) {
                const size_t width = cols - p < 16 ? cols - p : 16;
                const __mmask16 m = width == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << width) - 1);
                for (size_t r = 0; r < count; r++) {
                    uint8_t bytes[16];
                    _mm_storeu_si128((__m128i *)bytes, requantize16(acc + (r0 + r) * ldacc + p, m, _mm512_set1_epi32(bias[r0 + r]),
                                                                    _mm512_set1_ps(scale[r0 + r]), lo_f, hi_f, zero));
                    for (size_t j = 0; j < width; j++) block[j][r] = bytes[j];
                }
                for (size_t j = 0; j < width; j++) memcpy(y + (p + j) * ldy_col + r0, block[j], count);
            }
        }
        return;
    }
    for (size_t r = 0; r < rows; r++) {
        const __m512i b = _mm512_set1_epi32(bias[r]);
        const __m512 s = _mm512_set1_ps(scale[r]);
        for (size_t p = 0; p < cols; p += 16) {
            const __mmask16 m = cols - p >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (cols - p)) - 1);
            _mm_mask_storeu_epi8(y + r * ldy_row + p, m, requantize16(acc + r * ldacc + p, m, b, s, lo_f, hi_f, zero));
        }
    }
}
#else
void qs8_requantize__avx512(size_t rows, size_t cols, const int32_t *acc, size_t ldacc, const int32_t *bias,
                            const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y,
                            size_t ldy_row, size_t ldy_col) {
    requantize(rows, cols, acc, ldacc, bias, scale, zero_point, lo, hi, y, ldy_row, ldy_col);
}
#endif
