/* Requantization: one body, compiled for the baseline and for AVX-512 (where the compiler vectorizes the
   contiguous case over 16 columns). Rounding uses the 1.5 x 2^23 trick, which rounds half to even as
   `vcvtps2dq` does, without a call to lrintf; the value is clamped first, so it is always small enough for
   the trick to be exact. */
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
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
void qs8_requantize__avx512(size_t rows, size_t cols, const int32_t *acc, size_t ldacc, const int32_t *bias,
                            const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y,
                            size_t ldy_row, size_t ldy_col) {
    requantize(rows, cols, acc, ldacc, bias, scale, zero_point, lo, hi, y, ldy_row, ldy_col);
}
#else
void qs8_requantize__avx512(size_t rows, size_t cols, const int32_t *acc, size_t ldacc, const int32_t *bias,
                            const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y,
                            size_t ldy_row, size_t ldy_col) {
    requantize(rows, cols, acc, ldacc, bias, scale, zero_point, lo, hi, y, ldy_row, ldy_col);
}
#endif
