/* Elementwise QuantizeLinear, DequantizeLinear and QLinearAdd with one scale and zero point: one body each, compiled for
   the baseline and for AVX-512 (vectorized by the compiler). Quantization divides by the scale, as ONNX and
   ONNX Runtime do, clamps, and rounds half to even with the 1.5 x 2^23 trick (exact for clamped values). */
#include "zoo_qs8_kernels.h"
#include <math.h>
#include <string.h>

/* No fused multiply-adds: every instruction set must round as the separate float operators do. */
#pragma STDC FP_CONTRACT OFF

static inline __attribute__((always_inline)) void vquantize(size_t n, const float *x, float scale, int32_t zero_point,
                                                            int32_t lo, int32_t hi, uint8_t *y) {
    const float lo_f = (float)(lo - zero_point), hi_f = (float)(hi - zero_point);
    for (size_t i = 0; i < n; i++) {
        float v = x[i] / scale;
        v = v < lo_f ? lo_f : v;
        v = v > hi_f ? hi_f : v;
        const float t = v + 12582912.0f;
        int32_t bits;
        memcpy(&bits, &t, 4);
        y[i] = (uint8_t)(bits - 0x4B400000 + zero_point);
    }
}

static inline __attribute__((always_inline)) void vdequantize(size_t n, const uint8_t *x, int is_signed, float scale,
                                                              int32_t zero_point, float *y) {
    if (is_signed) {
        const int8_t *s = (const int8_t *)x;
        for (size_t i = 0; i < n; i++) y[i] = (float)((int32_t)s[i] - zero_point) * scale;
    } else {
        for (size_t i = 0; i < n; i++) y[i] = (float)((int32_t)x[i] - zero_point) * scale;
    }
}

void qs8_vquantize__scalar(size_t n, const float *x, float scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y) {
    vquantize(n, x, scale, zero_point, lo, hi, y);
}

void qs8_vdequantize__scalar(size_t n, const uint8_t *x, int is_signed, float scale, int32_t zero_point, float *y) {
    vdequantize(n, x, is_signed, scale, zero_point, y);
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
void qs8_vquantize__avx512(size_t n, const float *x, float scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y) {
    vquantize(n, x, scale, zero_point, lo, hi, y);
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
void qs8_vdequantize__avx512(size_t n, const uint8_t *x, int is_signed, float scale, int32_t zero_point, float *y) {
    vdequantize(n, x, is_signed, scale, zero_point, y);
}
#else
void qs8_vquantize__avx512(size_t n, const float *x, float scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y) {
    vquantize(n, x, scale, zero_point, lo, hi, y);
}

void qs8_vdequantize__avx512(size_t n, const uint8_t *x, int is_signed, float scale, int32_t zero_point, float *y) {
    vdequantize(n, x, is_signed, scale, zero_point, y);
}
#endif

/* QLinearAdd over equal shapes as ONNX Runtime computes it (MLAS's AVX2 QLinearAdd, which its QDQ optimizer runs
   for DequantizeLinear -> Add -> QuantizeLinear): the ratios a_scale / y_scale and b_scale / y_scale, a fixed part
   y_zero - (ratio_a * a_zero + ratio_b * b_zero), then two fused multiply-adds on the raw 8-bit values, b's first.
   It differs from the float operators' Q(DQ(a) + DQ(b)) by one step on a few values in 10^4. */
static inline __attribute__((always_inline)) void vadd(size_t n, const uint8_t *a, int a_signed, float a_scale, int32_t a_zero,
                                                       const uint8_t *b, int b_signed, float b_scale, int32_t b_zero,
                                                       float y_scale, int32_t y_zero, int32_t lo, int32_t hi, uint8_t *y) {
    const float ratio_a = a_scale / y_scale, ratio_b = b_scale / y_scale;
    const float fixed = (float)y_zero - (ratio_a * (float)a_zero + ratio_b * (float)b_zero);
    const float lo_f = (float)lo, hi_f = (float)hi;
    for (size_t i = 0; i < n; i++) {
        const int32_t qa = a_signed ? (int32_t)(int8_t)a[i] : (int32_t)a[i];
        const int32_t qb = b_signed ? (int32_t)(int8_t)b[i] : (int32_t)b[i];
        float v = fmaf((float)qa, ratio_a, fmaf((float)qb, ratio_b, fixed));
        v = v < lo_f ? lo_f : v;
        v = v > hi_f ? hi_f : v;
        const float t = v + 12582912.0f;
        int32_t bits;
        memcpy(&bits, &t, 4);
        y[i] = (uint8_t)(bits - 0x4B400000);
    }
}

void qs8_vadd__scalar(size_t n, const uint8_t *a, int a_signed, float a_scale, int32_t a_zero, const uint8_t *b, int b_signed,
                      float b_scale, int32_t b_zero, float y_scale, int32_t y_zero, int32_t lo, int32_t hi, uint8_t *y) {
    vadd(n, a, a_signed, a_scale, a_zero, b, b_signed, b_scale, b_zero, y_scale, y_zero, lo, hi, y);
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))
#endif
void qs8_vadd__avx512(size_t n, const uint8_t *a, int a_signed, float a_scale, int32_t a_zero, const uint8_t *b, int b_signed,
                      float b_scale, int32_t b_zero, float y_scale, int32_t y_zero, int32_t lo, int32_t hi, uint8_t *y) {
    vadd(n, a, a_signed, a_scale, a_zero, b, b_signed, b_scale, b_zero, y_scale, y_zero, lo, hi, y);
}
