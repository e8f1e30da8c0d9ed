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

#if defined(__x86_64__)
#include <immintrin.h>

/* 16 columns at a time under a mask (the tiles are narrow, 32 columns at most, so a loop the compiler vectorizes
   by 64 would run its scalar remainder); `vcvtps2dq` rounds half to even, as the trick above. */
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
void qs8_requantize__avx512(size_t rows, size_t cols, const int32_t *acc, size_t ldacc, const int32_t *bias,
                            const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y,
                            size_t ldy_row, size_t ldy_col) {
    const __m512 lo_f = _mm512_set1_ps((float)(lo - zero_point)), hi_f = _mm512_set1_ps((float)(hi - zero_point));
    const __m512i zero = _mm512_set1_epi32(zero_point);
    for (size_t r = 0; r < rows; r++) {
        const __m512i b = _mm512_set1_epi32(bias[r]);
        const __m512 s = _mm512_set1_ps(scale[r]);
        for (size_t p = 0; p < cols; p += 16) {
            const __mmask16 m = cols - p >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (cols - p)) - 1);
            const __m512i v = _mm512_add_epi32(_mm512_maskz_loadu_epi32(m, acc + r * ldacc + p), b);
            __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(v), s);
            f = _mm512_min_ps(_mm512_max_ps(f, lo_f), hi_f);
            const __m512i q = _mm512_add_epi32(_mm512_cvtps_epi32(f), zero);
            if (ldy_col == 1) {
                _mm512_mask_cvtepi32_storeu_epi8(y + r * ldy_row + p, m, q);
            } else {
                int32_t lanes[16];
                _mm512_storeu_si512(lanes, q);
                for (size_t j = 0; j < 16 && p + j < cols; j++) y[r * ldy_row + (p + j) * ldy_col] = (uint8_t)lanes[j];
            }
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
