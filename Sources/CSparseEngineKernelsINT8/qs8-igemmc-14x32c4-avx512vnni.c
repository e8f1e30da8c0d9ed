/* Up to 14 output pixels x 32 output channels per call with the vector lanes over channels (the FP32 path's `igemmc`
   for small images): each pixel's activation dword is broadcast and multiplied by 16 channels' weight dwords, so a
   tile computes real output pixels only, where the pixel-lane kernel computes 32 consecutive phase-row columns (a
   7 x 7 output is 49 pixels in 64 columns, 63 with a 3 x 3's padding). The pixels come in two runs of consecutive
   phase-row columns (two output rows of a 7 x 7 image, or of two images): one address per run, the pixels at
   fixed displacements from it, so 28 accumulators fit beside the weights without running out of general registers
   (8 pixels addressed one by one: 445 GMAC/s on a 7 x 7 layer with 512 channels, warm; 2 runs of 7: 520). The
   weights are the 8-row tiles of the common packing: four of them side by side are 32 channels, read as ymm
   halves, unmasked when all four exist (the masked loads cost 10 %). */
#include "zoo_qs8_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

/* The 8 x 32-byte block (pixel p's 32 channel bytes in rows[p]) transposed and stored: channel c's `mr` pixel bytes
   at y + c * ldy, for c < channels. Three rounds of interleaves (bytes, words, dwords) within 128-bit lanes leave
   out[i] holding channels 2i, 2i + 1 (low lane) and 2i + 16, 2i + 17 (high lane), 8 bytes each. */
__attribute__((target("avx512f,avx512bw,avx512vl"))) static inline __attribute__((always_inline)) void
store_transposed(const __m256i rows[8], size_t mr, size_t channels, uint8_t *y, size_t ldy) {
    __m256i s[8], u[8], out[8];
    for (int i = 0; i < 4; i++) {
        s[2 * i] = _mm256_unpacklo_epi8(rows[2 * i], rows[2 * i + 1]);
        s[2 * i + 1] = _mm256_unpackhi_epi8(rows[2 * i], rows[2 * i + 1]);
    }
    /* s[0, 2, 4, 6]: channels 0-7 / 16-23 of pixel pairs (0 1), (2 3), (4 5), (6 7); s[1, 3, 5, 7]: 8-15 / 24-31. */
    for (int h = 0; h < 2; h++) {
        for (int q = 0; q < 2; q++) {
            u[4 * h + 2 * q] = _mm256_unpacklo_epi16(s[4 * q + h], s[4 * q + 2 + h]);
            u[4 * h + 2 * q + 1] = _mm256_unpackhi_epi16(s[4 * q + h], s[4 * q + 2 + h]);
        }
    }
    /* u[4h + 2q + k]: pixels 4q ..< 4q + 4 of channels 8h + 4k ..< 8h + 4k + 4 (and + 16). */
    for (int h = 0; h < 2; h++) {
        for (int k = 0; k < 2; k++) {
            out[4 * h + 2 * k] = _mm256_unpacklo_epi32(u[4 * h + k], u[4 * h + 2 + k]);
            out[4 * h + 2 * k + 1] = _mm256_unpackhi_epi32(u[4 * h + k], u[4 * h + 2 + k]);
        }
    }
    const __mmask16 m = (__mmask16)((1u << mr) - 1);
    for (int i = 0; i < 8; i++) {
        const size_t c = 2 * (size_t)i;
        const __m128i lo = _mm256_castsi256_si128(out[i]), hi = _mm256_extracti128_si256(out[i], 1);
        if (c < channels) _mm_mask_storeu_epi8(y + c * ldy, m, lo);
        if (c + 1 < channels) _mm_mask_storeu_epi8(y + (c + 1) * ldy, m, _mm_unpackhi_epi64(lo, lo));
        if (c + 16 < channels) _mm_mask_storeu_epi8(y + (c + 16) * ldy, m, hi);
        if (c + 17 < channels) _mm_mask_storeu_epi8(y + (c + 17) * ldy, m, _mm_unpackhi_epi64(hi, hi));
    }
}

/* Run 0 of N0 pixels and, when R = 2, run 1 computed over N0 pixels too (its first n1 stored): constants in each
   instantiation, so the accumulators (2 per pixel) stay in registers. FULL: all four weight tiles exist. */
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) static inline __attribute__((always_inline)) void
igemmc(const size_t N0, const size_t R, const int FULL, size_t kgroups, size_t n1, size_t channels, const int8_t *w,
       size_t tile_stride, const uint8_t *a, const int32_t *offsets, int32_t start0, int32_t start1, const int32_t *bias,
       const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y0, uint8_t *y1, size_t ldy) {
    __m512i acc[2][7][2];
    for (size_t r = 0; r < R; r++) {
        for (size_t p = 0; p < N0; p++) {
            acc[r][p][0] = _mm512_setzero_si512();
            acc[r][p][1] = acc[r][p][0];
        }
    }
    const uint8_t *run[2] = {a + start0, a + start1};
    /* Missing tiles (a layer whose last block has fewer than 32 channels) load as zeros: no read past the weights. */
    const size_t tiles = (channels + 7) / 8;
    const __mmask8 t1 = tiles > 1 ? 0xFF : 0, t2 = tiles > 2 ? 0xFF : 0, t3 = tiles > 3 ? 0xFF : 0;
    const int8_t *w0 = w, *w1 = w + tile_stride, *w2 = w + 2 * tile_stride, *w3 = w + 3 * tile_stride;
    for (size_t g = 0; g < kgroups; g++) {
        __m512i wa, wb;
        if (FULL) {
            wa = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(w0 + 32 * g))),
                                    _mm256_loadu_si256((const __m256i *)(w1 + 32 * g)), 1);
            wb = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(w2 + 32 * g))),
                                    _mm256_loadu_si256((const __m256i *)(w3 + 32 * g)), 1);
        } else {
            wa = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(w0 + 32 * g))),
                                    _mm256_maskz_loadu_epi32(t1, w1 + 32 * g), 1);
            wb = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_maskz_loadu_epi32(t2, w2 + 32 * g)),
                                    _mm256_maskz_loadu_epi32(t3, w3 + 32 * g), 1);
        }
        const int32_t off = offsets[g];
        for (size_t r = 0; r < R; r++) {
            const uint8_t *x = run[r] + off;
            for (size_t p = 0; p < N0; p++) {
                int32_t d;
                memcpy(&d, x + 4 * p, 4);
                const __m512i b = _mm512_set1_epi32(d);
                acc[r][p][0] = _mm512_dpbusd_epi32(acc[r][p][0], b, wa);
                acc[r][p][1] = _mm512_dpbusd_epi32(acc[r][p][1], b, wb);
            }
        }
    }
    /* Requantized as qs8_requantize__avx512 does it, per channel lane. */
    const __mmask16 c0 = channels >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << channels) - 1);
    const __mmask16 c1 = channels > 16 ? (__mmask16)((1u << (channels - 16)) - 1) : 0;
    const __m512i b0 = _mm512_maskz_loadu_epi32(c0, bias), b1 = _mm512_maskz_loadu_epi32(c1, bias + 16);
    const __m512 s0 = _mm512_maskz_loadu_ps(c0, scale), s1 = _mm512_maskz_loadu_ps(c1, scale + 16);
    const __m512 lo_f = _mm512_set1_ps((float)(lo - zero_point)), hi_f = _mm512_set1_ps((float)(hi - zero_point));
    const __m512i zero = _mm512_set1_epi32(zero_point);
    for (size_t r = 0; r < R; r++) {
        __m256i rows[8];
        for (size_t p = 0; p < 8; p++) {
            if (p >= N0) {
                rows[p] = _mm256_setzero_si256();
                continue;
            }
            __m512 f0 = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(acc[r][p][0], b0)), s0);
            __m512 f1 = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(acc[r][p][1], b1)), s1);
            f0 = _mm512_min_ps(_mm512_max_ps(f0, lo_f), hi_f);
            f1 = _mm512_min_ps(_mm512_max_ps(f1, lo_f), hi_f);
            const __m128i x0 = _mm512_cvtepi32_epi8(_mm512_add_epi32(_mm512_cvtps_epi32(f0), zero));
            const __m128i x1 = _mm512_cvtepi32_epi8(_mm512_add_epi32(_mm512_cvtps_epi32(f1), zero));
            rows[p] = _mm256_inserti128_si256(_mm256_castsi128_si256(x0), x1, 1);
        }
        store_transposed(rows, r == 0 ? N0 : n1, channels, r == 0 ? y0 : y1, ldy);
    }
}

/* One instantiation per run length, number of runs and weight-tile completeness. */
#define IGEMMC_CASE(N)                                                                                                   \
    case N:                                                                                                              \
        if (n1 == 0 && full) igemmc(N, 1, 1, kgroups, n1, channels, w, tile_stride, a, offsets, start0, start1, bias, scale, \
                                    zero_point, lo, hi, y0, y1, ldy);                                                    \
        else if (n1 == 0) igemmc(N, 1, 0, kgroups, n1, channels, w, tile_stride, a, offsets, start0, start1, bias, scale,   \
                                 zero_point, lo, hi, y0, y1, ldy);                                                       \
        else if (full) igemmc(N, 2, 1, kgroups, n1, channels, w, tile_stride, a, offsets, start0, start1, bias, scale,      \
                              zero_point, lo, hi, y0, y1, ldy);                                                          \
        else igemmc(N, 2, 0, kgroups, n1, channels, w, tile_stride, a, offsets, start0, start1, bias, scale, zero_point, lo, \
                    hi, y0, y1, ldy);                                                                                    \
        break;

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
void qs8_igemmc_minmax_fp32_14x32c4__avx512vnni(size_t kgroups, size_t n0, size_t n1, size_t channels, const int8_t *w,
                                                size_t tile_stride, const uint8_t *a, const int32_t *offsets, int32_t start0,
                                                int32_t start1, const int32_t *bias, const float *scale, int32_t zero_point,
                                                int32_t lo, int32_t hi, uint8_t *y0, uint8_t *y1, size_t ldy) {
    const int full = channels > 24;
    switch (n0) {
    IGEMMC_CASE(1)
    IGEMMC_CASE(2)
    IGEMMC_CASE(3)
    IGEMMC_CASE(4)
    IGEMMC_CASE(5)
    IGEMMC_CASE(6)
    default: IGEMMC_CASE(7)
    }
}
#undef IGEMMC_CASE
#else
void qs8_igemmc_minmax_fp32_14x32c4__avx512vnni(size_t kgroups, size_t n0, size_t n1, size_t channels, const int8_t *w,
                                                size_t tile_stride, const uint8_t *a, const int32_t *offsets, int32_t start0,
                                                int32_t start1, const int32_t *bias, const float *scale, int32_t zero_point,
                                                int32_t lo, int32_t hi, uint8_t *y0, uint8_t *y1, size_t ldy) {
    (void)kgroups; (void)n0; (void)n1; (void)channels; (void)w; (void)tile_stride; (void)a; (void)offsets; (void)start0;
    (void)start1; (void)bias; (void)scale; (void)zero_point; (void)lo; (void)hi; (void)y0; (void)y1; (void)ldy;
    __builtin_trap();
}
#endif
