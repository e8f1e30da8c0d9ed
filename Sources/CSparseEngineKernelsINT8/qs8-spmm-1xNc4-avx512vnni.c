/* Sparse INT8 microkernels for AVX-512 VNNI: output rows (channels) one after another, each over 16·T pixels in
   T zmm accumulators. Each step is one nonzero weight dword of the row (4 K values: a group of 4 input channels at
   one tap) broadcast against its group's T runs of 16 pixels (`vpdpbusd` with the activations loaded). The
   widths 128, 64 and 32 share one body, unrolled at compile time; the `minmax_fp32` variants requantize each row
   in registers at the end of the last span of K and store its bytes (no int32 tile, no second pass). Where the groups
   lie a fixed stride apart (`group_bytes`: a pointwise convolution's packed input), the minmax variants compute a step's
   address from its group instead of reading the offset table, one dependent load fewer per step. */
#include "zoo_qs8_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

/* How a row's sums leave the kernel: back to c (`stores` null), or requantized as qs8_requantize__avx512 does it (the
   same instructions, so the same bytes) and written through the stores. */
typedef struct {
    const qs8_spmm_store *stores;
    size_t nstores;
    const int32_t *bias;
    const float *scale;
    int32_t zero_point, lo, hi;
    uint8_t *y;
    size_t ldy;
} epilogue;

/* Row r's T accumulators (their bias added when `biased`) requantized, each vector only where a store needs it, and
   stored through the stores in their (vector) order: a whole vector of 16 bytes with a plain store. */
static inline __attribute__((always_inline, target("avx512f,avx512bw,avx512vnni")))
void store_requantized(const size_t tiles, const __m512i *acc, int biased, const epilogue *e, size_t r) {
    const __m512i b = _mm512_set1_epi32(biased ? 0 : e->bias[r]), zero = _mm512_set1_epi32(e->zero_point);
    const __m512 s = _mm512_set1_ps(e->scale[r]);
    const __m512 lo = _mm512_set1_ps((float)(e->lo - e->zero_point)), hi = _mm512_set1_ps((float)(e->hi - e->zero_point));
    uint8_t *y = e->y + r * e->ldy;
    size_t i = 0;
    for (size_t t = 0; t < tiles; t++) {
        if (i == e->nstores || e->stores[i].vector != t) continue;
        __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(acc[t], b)), s);
        f = _mm512_min_ps(_mm512_max_ps(f, lo), hi);
        const __m512i v = _mm512_add_epi32(_mm512_cvtps_epi32(f), zero);
        for (; i < e->nstores && e->stores[i].vector == t; i++) {
            if (e->stores[i].mask == 0xFFFF) {
                _mm_storeu_si128((__m128i *)(y + e->stores[i].offset), _mm512_cvtepi32_epi8(v));
            } else {
                _mm512_mask_cvtepi32_storeu_epi8(y + e->stores[i].offset, (__mmask16)e->stores[i].mask, v);
            }
        }
    }
}

/* Row r's T accumulators (their bias added when `biased`) requantized and stored whole: the stores are one per vector, in
   order, 16 bytes each and consecutive in y (a tile inside one run of output pixels: most tiles of a pointwise layer). */
static inline __attribute__((always_inline, target("avx512f,avx512bw,avx512vnni")))
void store_requantized_run(const size_t tiles, const __m512i *acc, int biased, const epilogue *e, size_t r) {
    const __m512i b = _mm512_set1_epi32(biased ? 0 : e->bias[r]), zero = _mm512_set1_epi32(e->zero_point);
    const __m512 s = _mm512_set1_ps(e->scale[r]);
    const __m512 lo = _mm512_set1_ps((float)(e->lo - e->zero_point)), hi = _mm512_set1_ps((float)(e->hi - e->zero_point));
    uint8_t *y = e->y + r * e->ldy + e->stores[0].offset;
    for (size_t t = 0; t < tiles; t++) {
        __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(acc[t], b)), s);
        f = _mm512_min_ps(_mm512_max_ps(f, lo), hi);
        _mm_storeu_si128((__m128i *)(y + 16 * t), _mm512_cvtepi32_epi8(_mm512_add_epi32(_mm512_cvtps_epi32(f), zero)));
    }
}

/* Whether the stores write every vector whole, in order, to consecutive bytes (`store_requantized_run` serves them). */
static inline int stores_are_one_run(const size_t tiles, const epilogue *e) {
    if (e->nstores != tiles) return 0;
    for (size_t t = 0; t < tiles; t++) {
        const qs8_spmm_store *st = &e->stores[t];
        if (st->vector != t || st->mask != 0xFFFF || st->offset != e->stores[0].offset + (int64_t)(16 * t)) return 0;
    }
    return 1;
}

static inline __attribute__((always_inline, target("avx512f,avx512bw,avx512vnni")))
void spmm_rows(const size_t tiles, size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
               const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c,
               size_t ldc, int accumulate, const epilogue *e, const int strided, size_t group_bytes) {
    const int one_run = e && stores_are_one_run(tiles, e);
    for (size_t r = 0; r < rows; r++, starts += starts_stride, c += ldc) {
        __m512i acc[8];
        /* The requantizing kernel starts a row that has no earlier span from its bias. */
        const __m512i init = e && !accumulate ? _mm512_set1_epi32(e->bias[r]) : _mm512_setzero_si512();
        for (size_t t = 0; t < tiles; t++) acc[t] = accumulate ? _mm512_loadu_si512(c + 16 * t) : init;
        for (int32_t s = starts[0], end = starts[span]; s < end; s++) {
            const uint8_t *p = a + (strided ? (size_t)groups[s] * group_bytes : (size_t)(ptrdiff_t)offsets[groups[s]]);
            const __m512i w = _mm512_set1_epi32(weights[s]);
            for (size_t t = 0; t < tiles; t++) acc[t] = _mm512_dpbusd_epi32(acc[t], _mm512_loadu_si512(p + 64 * t), w);
        }
        if (one_run) {
            store_requantized_run(tiles, acc, !accumulate, e, r);
        } else if (e) {
            store_requantized(tiles, acc, !accumulate, e, r);
        } else {
            for (size_t t = 0; t < tiles; t++) _mm512_storeu_si512(c + 16 * t, acc[t]);
        }
    }
}

#define SPMM_KERNELS(width, tiles)                                                                                              \
    __attribute__((target("avx512f,avx512bw,avx512vnni")))                                                                    \
    void qs8_spmm_1x##width##c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span,            \
        const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,     \
        int accumulate) {                                                                                                     \
        spmm_rows(tiles, rows, starts, starts_stride, span, groups, weights, a, offsets, c, ldc, accumulate, NULL, 0, 0);     \
    }                                                                                                                         \
    __attribute__((target("avx512f,avx512bw,avx512vnni")))                                                                    \
    void qs8_spmm_minmax_fp32_1x##width##c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span, \
        const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c,                  \
        size_t ldc, int accumulate, const qs8_spmm_store *stores, size_t nstores, const int32_t *bias, const float *scale,   \
        int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy, size_t group_bytes) {                             \
        const epilogue e = {stores, nstores, bias, scale, zero_point, lo, hi, y, ldy};                                        \
        if (group_bytes) {                                                                                                    \
            spmm_rows(tiles, rows, starts, starts_stride, span, groups, weights, a, offsets, c, ldc, accumulate, &e, 1,       \
                      group_bytes);                                                                                           \
        } else {                                                                                                              \
            spmm_rows(tiles, rows, starts, starts_stride, span, groups, weights, a, offsets, c, ldc, accumulate, &e, 0, 0);   \
        }                                                                                                                     \
    }

SPMM_KERNELS(128, 8)
SPMM_KERNELS(64, 4)
SPMM_KERNELS(32, 2)
#else
#define SPMM_KERNELS(width, tiles)                                                                                              \
    void qs8_spmm_1x##width##c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span,            \
        const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,     \
        int accumulate) {                                                                                                     \
        (void)rows; (void)starts; (void)starts_stride; (void)span; (void)groups; (void)weights; (void)a; (void)offsets;       \
        (void)c; (void)ldc; (void)accumulate; __builtin_trap();                                                               \
    }                                                                                                                         \
    void qs8_spmm_minmax_fp32_1x##width##c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span, \
        const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c,                  \
        size_t ldc, int accumulate, const qs8_spmm_store *stores, size_t nstores, const int32_t *bias, const float *scale,   \
        int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy, size_t group_bytes) {                             \
        (void)rows; (void)starts; (void)starts_stride; (void)span; (void)groups; (void)weights; (void)a; (void)offsets;       \
        (void)c; (void)ldc; (void)accumulate; (void)stores; (void)nstores; (void)bias; (void)scale; (void)zero_point;        \
        (void)lo; (void)hi; (void)y; (void)ldy; (void)group_bytes; __builtin_trap();                                                             \
    }

SPMM_KERNELS(128, 8)
SPMM_KERNELS(64, 4)
SPMM_KERNELS(32, 2)
#endif
