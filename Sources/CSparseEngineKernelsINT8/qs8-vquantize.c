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
void qs8_add_params_init(struct qs8_add_params *params, float a_scale, int32_t a_zero, float b_scale, int32_t b_zero,
                         float y_scale, int32_t y_zero, int32_t lo, int32_t hi) {
    params->ratio_a = a_scale / y_scale;
    params->ratio_b = b_scale / y_scale;
    params->fixed = (float)y_zero - (params->ratio_a * (float)a_zero + params->ratio_b * (float)b_zero);
    params->lo = lo;
    params->hi = hi;
}

/* One sum of two raw 8-bit values as a byte. */
static inline __attribute__((always_inline)) uint8_t add_values(int32_t qa, int32_t qb, float ratio_a, float ratio_b, float fixed,
                                                               float lo_f, float hi_f) {
    float v = fmaf((float)qa, ratio_a, fmaf((float)qb, ratio_b, fixed));
    v = v < lo_f ? lo_f : v;
    v = v > hi_f ? hi_f : v;
    const float t = v + 12582912.0f;
    int32_t bits;
    memcpy(&bits, &t, 4);
    return (uint8_t)(bits - 0x4B400000);
}

static inline __attribute__((always_inline)) void vadd(size_t n, const uint8_t *a, int a_signed, float a_scale, int32_t a_zero,
                                                       const uint8_t *b, int b_signed, float b_scale, int32_t b_zero,
                                                       float y_scale, int32_t y_zero, int32_t lo, int32_t hi, uint8_t *y) {
    struct qs8_add_params p;
    qs8_add_params_init(&p, a_scale, a_zero, b_scale, b_zero, y_scale, y_zero, lo, hi);
    const float lo_f = (float)lo, hi_f = (float)hi;
    for (size_t i = 0; i < n; i++) {
        const int32_t qa = a_signed ? (int32_t)(int8_t)a[i] : (int32_t)a[i];
        const int32_t qb = b_signed ? (int32_t)(int8_t)b[i] : (int32_t)b[i];
        y[i] = add_values(qa, qb, p.ratio_a, p.ratio_b, p.fixed, lo_f, hi_f);
    }
}

void qs8_vadd_residual__scalar(size_t n, uint8_t *y, const uint8_t *residual, const struct qs8_add_params *add) {
    const float lo_f = (float)add->lo, hi_f = (float)add->hi;
    for (size_t i = 0; i < n; i++) {
        const int32_t q = add->product_signed ? (int32_t)(int8_t)y[i] : (int32_t)y[i];
        const int32_t r = add->residual_signed ? (int32_t)(int8_t)residual[i] : (int32_t)residual[i];
        y[i] = add->product_is_b ? add_values(r, q, add->ratio_a, add->ratio_b, add->fixed, lo_f, hi_f)
                                 : add_values(q, r, add->ratio_a, add->ratio_b, add->fixed, lo_f, hi_f);
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
