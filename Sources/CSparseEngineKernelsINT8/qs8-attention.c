/* The 8-bit attention pieces ONNX Runtime computes in its own way (QLinearSoftmax, QLinearMatMul of two activations):
   one body each, compiled for the baseline and for AVX-512 (vectorized by the compiler where the order of float
   operations allows; the softmax's row sum stays in order). Rounding is half to even with the 1.5 x 2^23 trick on
   clamped values, as the other kernels round. */
#include "zoo_qs8_kernels.h"
#include <string.h>

/* No fused multiply-adds: every instruction set must round as the separate float operations do. */
#pragma STDC FP_CONTRACT OFF

static inline __attribute__((always_inline)) uint8_t round_to_byte(float v, float lo, float hi, int32_t zero_point) {
    v = v < lo ? lo : v;
    v = v > hi ? hi : v;
    const float t = v + 12582912.0f;
    int32_t bits;
    memcpy(&bits, &t, 4);
    return (uint8_t)(bits - 0x4B400000 + zero_point);
}

static inline __attribute__((always_inline)) void vrequantize_f32(size_t n, const float *x, float scale, int32_t zero_point,
                                                                  int32_t lo, int32_t hi, uint8_t *y) {
    const float lo_f = (float)(lo - zero_point), hi_f = (float)(hi - zero_point);
    for (size_t i = 0; i < n; i++) y[i] = round_to_byte(x[i] * scale, lo_f, hi_f, zero_point);
}

static inline __attribute__((always_inline)) void softmax_rows(size_t rows, size_t n, const uint8_t *x, int is_signed,
                                                               const float *table, float multiplier, int32_t zero_point,
                                                               int32_t lo, int32_t hi, uint8_t *y) {
    const float lo_f = (float)(lo - zero_point), hi_f = (float)(hi - zero_point);
    /* The table index of byte b against the row's largest: b − max + 255 (uint8), the byte b − max + 127 (int8). */
    const int32_t base = is_signed ? 127 : 255;
    for (size_t r = 0; r < rows; r++, x += n, y += n) {
        int32_t top = is_signed ? (int8_t)x[0] : x[0];
        for (size_t j = 1; j < n; j++) {
            const int32_t v = is_signed ? (int8_t)x[j] : x[j];
            top = v > top ? v : top;
        }
        float sum = 0;
        for (size_t j = 0; j < n; j++) {
            const int32_t v = is_signed ? (int8_t)x[j] : x[j];
            sum += table[(uint8_t)(v - top + base)];
        }
        for (size_t j = 0; j < n; j++) {
            const int32_t v = is_signed ? (int8_t)x[j] : x[j];
            y[j] = sum == 0 ? (uint8_t)zero_point : round_to_byte(table[(uint8_t)(v - top + base)] * multiplier / sum, lo_f, hi_f, zero_point);
        }
    }
}

void qs8_vrequantize_f32__scalar(size_t n, const float *x, float scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y) {
    vrequantize_f32(n, x, scale, zero_point, lo, hi, y);
}

void qu8_softmax__scalar(size_t rows, size_t n, const uint8_t *x, int is_signed, const float *table, float multiplier,
                         int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y) {
    softmax_rows(rows, n, x, is_signed, table, multiplier, zero_point, lo, hi, y);
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
#endif
void qs8_vrequantize_f32__avx512(size_t n, const float *x, float scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y) {
    vrequantize_f32(n, x, scale, zero_point, lo, hi, y);
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
#endif
void qu8_softmax__avx512(size_t rows, size_t n, const uint8_t *x, int is_signed, const float *table, float multiplier,
                         int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y) {
    softmax_rows(rows, n, x, is_signed, table, multiplier, zero_point, lo, hi, y);
}
