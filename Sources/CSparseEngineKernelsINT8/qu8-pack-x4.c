/* Activation packing into the "x4" layout (zoo_qs8_kernels.h): each pixel's 4 K bytes together, so that one
   dword load feeds one `vpdpbusd` lane. Bytes only: a convolution's packed input is its input, padded and split
   into stride phases, no larger than the input times the rounding of channels to 4 (no im2col). */
#include "zoo_qs8_kernels.h"
#include <string.h>

/* One phase row of 4 channels: dst[col] = the 4 bytes of input column col * stride + px - pad_left, for the
   columns [first, last) inside the input. The stride is a constant in each caller, so the compiler vectorizes
   the contiguous case. */
static inline __attribute__((always_inline)) void pack_row(const uint8_t *s0, const uint8_t *s1, const uint8_t *s2,
                                                           const uint8_t *s3, size_t first, size_t last, size_t stride,
                                                           size_t shift, uint32_t flip, uint32_t *dst) {
    for (size_t col = first; col < last; col++) {
        const size_t ix = col * stride - shift;
        dst[col] = ((uint32_t)s0[ix] | (uint32_t)s1[ix] << 8 | (uint32_t)s2[ix] << 16 | (uint32_t)s3[ix] << 24) ^ flip;
    }
}

/* One phase row of 4 channels at stride 1 or 2 with AVX-512 (BW, VL), the last columns under masks (no scalar tail,
   no read past the row): the columns of each channel as bytes (at stride 2 the even bytes of twice as many,
   `vpmovwb`), then byte and word interleaves into dwords. 64 columns at a time in zmm registers, whose interleaves
   stay within 128-bit lanes and so end with a 4 x 4 transpose of lanes; a short rest (a 7 x 7 or 14 x 14 image's
   rows) in one xmm step of 16. */
#if defined(__x86_64__)
#include <immintrin.h>

/* The low n bits (n <= 64). */
static inline uint64_t low_bits64(size_t n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }

__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline __m128i load_columns(const uint8_t *p, size_t count, size_t stride) {
    if (stride == 1) return _mm_maskz_loadu_epi8((__mmask16)((1u << count) - 1), p);
    return _mm256_cvtepi16_epi8(_mm256_maskz_loadu_epi8((__mmask32)((1ull << (2 * count - 1)) - 1), p));
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline __m512i load_columns64(const uint8_t *p, size_t count, size_t stride) {
    if (stride == 1) return _mm512_maskz_loadu_epi8(low_bits64(count), p);
    const size_t bytes = 2 * count - 1;
    const __m256i lo = _mm512_cvtepi16_epi8(_mm512_maskz_loadu_epi8(low_bits64(bytes), p));
    const __m256i hi = _mm512_cvtepi16_epi8(_mm512_maskz_loadu_epi8(bytes > 64 ? low_bits64(bytes - 64) : 0, p + 64));
    return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

/* Up to 16 columns. */
__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline void pack16(const uint8_t *s0, const uint8_t *s1, const uint8_t *s2, const uint8_t *s3, size_t count,
                          size_t stride, __m128i flips, uint32_t *dst) {
    const __m128i a = load_columns(s0, count, stride), b = load_columns(s1, count, stride);
    const __m128i c = load_columns(s2, count, stride), d = load_columns(s3, count, stride);
    const __m128i ab0 = _mm_unpacklo_epi8(a, b), ab1 = _mm_unpackhi_epi8(a, b);
    const __m128i cd0 = _mm_unpacklo_epi8(c, d), cd1 = _mm_unpackhi_epi8(c, d);
    const __m128i q[4] = {_mm_unpacklo_epi16(ab0, cd0), _mm_unpackhi_epi16(ab0, cd0), _mm_unpacklo_epi16(ab1, cd1),
                          _mm_unpackhi_epi16(ab1, cd1)};
    for (size_t k = 0; k < 4 && 4 * k < count; k++) {
        const size_t left = count - 4 * k;
        const __mmask8 m = left >= 4 ? (__mmask8)0xF : (__mmask8)((1u << left) - 1);
        _mm_mask_storeu_epi32(dst + 4 * k, m, _mm_xor_si128(q[k], flips));
    }
}

/* Up to 64 columns: after the interleaves, lane L of q[k] holds columns 16 L + 4 k ..< 16 L + 4 k + 4; the lane
   transpose makes out[L] columns 16 L ..< 16 L + 16. */
__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline void pack64(const uint8_t *s0, const uint8_t *s1, const uint8_t *s2, const uint8_t *s3, size_t count,
                          size_t stride, __m512i flips, uint32_t *dst) {
    const __m512i a = load_columns64(s0, count, stride), b = load_columns64(s1, count, stride);
    const __m512i c = load_columns64(s2, count, stride), d = load_columns64(s3, count, stride);
    const __m512i ab0 = _mm512_unpacklo_epi8(a, b), ab1 = _mm512_unpackhi_epi8(a, b);
    const __m512i cd0 = _mm512_unpacklo_epi8(c, d), cd1 = _mm512_unpackhi_epi8(c, d);
    const __m512i q0 = _mm512_unpacklo_epi16(ab0, cd0), q1 = _mm512_unpackhi_epi16(ab0, cd0);
    const __m512i q2 = _mm512_unpacklo_epi16(ab1, cd1), q3 = _mm512_unpackhi_epi16(ab1, cd1);
    const __m512i t0 = _mm512_shuffle_i32x4(q0, q1, 0x44), t1 = _mm512_shuffle_i32x4(q2, q3, 0x44);
    const __m512i t2 = _mm512_shuffle_i32x4(q0, q1, 0xEE), t3 = _mm512_shuffle_i32x4(q2, q3, 0xEE);
    const __m512i out[4] = {_mm512_shuffle_i32x4(t0, t1, 0x88), _mm512_shuffle_i32x4(t0, t1, 0xDD),
                            _mm512_shuffle_i32x4(t2, t3, 0x88), _mm512_shuffle_i32x4(t2, t3, 0xDD)};
    for (size_t k = 0; k < 4 && 16 * k < count; k++) {
        const size_t left = count - 16 * k;
        const __mmask16 m = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        _mm512_mask_storeu_epi32(dst + 16 * k, m, _mm512_xor_si512(out[k], flips));
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline void pack_row_vector(const uint8_t *s0, const uint8_t *s1, const uint8_t *s2, const uint8_t *s3,
                                   size_t first, size_t last, size_t stride, size_t shift, uint32_t flip, uint32_t *dst) {
    for (size_t col = first; col < last; col += 64) {
        const size_t count = last - col < 64 ? last - col : 64, ix = col * stride - shift;
        if (count <= 16) {
            pack16(s0 + ix, s1 + ix, s2 + ix, s3 + ix, count, stride, _mm_set1_epi32((int)flip), dst + col);
        } else {
            pack64(s0 + ix, s1 + ix, s2 + ix, s3 + ix, count, stride, _mm512_set1_epi32((int)flip), dst + col);
        }
    }
}
#endif

/* Fills the words [from, to) of a phase plane with the padding dword. */
static inline __attribute__((always_inline)) void fill_words(uint32_t *dst, size_t from, size_t to, uint32_t padded) {
    for (size_t i = from; i < to; i++) dst[i] = padded;
}

/* `vector`: use the AVX-512 interleave for strides 1 and 2 (the AVX-512 set's caller). Every word of a phase plane is written
   once: input columns packed, the padding around them and the plane's tail filled. Only the phases (py, px) with
   py < phases_y and px < phases_x are packed: the others are read by no tap (a 1 x 1 layer at stride 2 reads one).
   `images` inputs `image_stride` bytes apart go side by side in each phase plane, then the plane's tail. */
static inline __attribute__((always_inline)) void pack_conv(const uint8_t *x, size_t images, size_t image_stride,
                                                            size_t channels, size_t height, size_t width,
                                                            size_t plane, size_t stride, size_t phases_y, size_t phases_x,
                                                            size_t pad_top, size_t pad_left, size_t phase_height,
                                                            size_t phase_width, size_t group_stride, uint8_t fill, uint8_t flip,
                                                            uint8_t *out, int vector) {
    const size_t groups = (channels + 3) / 4;
    /* An unpadded plane at stride 1 is its own single phase: pack it as one row of height x width columns, so the
       vector loop fills whole blocks of 64 columns (a 14 x 14 plane was 14 short blocks of 14). */
    if (stride == 1 && pad_top == 0 && pad_left == 0 && phase_height == height && phase_width == width) {
        width *= height;
        phase_width = width;
        height = phase_height = 1;
    }
    const uint32_t padded = (uint32_t)(uint8_t)(fill ^ flip) * 0x01010101u;
    const uint32_t flip4 = flip * 0x01010101u;
    /* Channels past the last real one read a row of the fill byte (the padding value before the flip). */
    uint8_t fill_row[width > 0 ? width : 1];
    memset(fill_row, fill, sizeof fill_row);
    for (size_t g = 0; g < groups; g++) {
        const uint8_t *src[4];
        for (size_t j = 0; j < 4; j++) src[j] = 4 * g + j < channels ? x + (4 * g + j) * plane : NULL;
        for (size_t py = 0; py < phases_y; py++) {
            for (size_t px = 0; px < phases_x; px++) {
                uint32_t *dst = (uint32_t *)(out + ((g * phases_y + py) * phases_x + px) * group_stride * 4);
                fill_words(dst, images * phase_height * phase_width, group_stride, padded);
                /* columns whose input x = col * stride + px - pad_left lies in [0, width) */
                size_t first = pad_left > px ? (pad_left - px + stride - 1) / stride : 0;
                size_t last = px >= width + pad_left ? 0 : (width + pad_left - px + stride - 1) / stride;
                if (last > phase_width) last = phase_width;
                if (first > last) first = last;
                for (size_t image_row = 0; image_row < images * phase_height; image_row++) {
                    const size_t image = image_row / phase_height, row = image_row % phase_height;
                    uint32_t *drow = dst + image_row * phase_width;
                    const size_t iy = row * stride + py;
                    if (first == last || iy < pad_top || iy - pad_top >= height) {
                        fill_words(drow, 0, phase_width, padded);
                        continue;
                    }
                    fill_words(drow, 0, first, padded);
                    fill_words(drow, last, phase_width, padded);
                    const size_t offset = image * image_stride + (iy - pad_top) * width;
                    const uint8_t *r[4];
                    for (size_t j = 0; j < 4; j++) r[j] = src[j] ? src[j] + offset : fill_row;
#if defined(__x86_64__)
                    if (vector && stride <= 2) {
                        pack_row_vector(r[0], r[1], r[2], r[3], first, last, stride, pad_left - px, flip4, drow);
                        continue;
                    }
#endif
                    if (stride == 1) {
                        pack_row(r[0], r[1], r[2], r[3], first, last, 1, pad_left - px, flip4, drow);
                    } else if (stride == 2) {
                        pack_row(r[0], r[1], r[2], r[3], first, last, 2, pad_left - px, flip4, drow);
                    } else {
                        pack_row(r[0], r[1], r[2], r[3], first, last, stride, pad_left - px, flip4, drow);
                    }
                }
            }
        }
    }
}

void qu8_pack_conv_x4__scalar(const uint8_t *x, size_t images, size_t image_stride, size_t channels, size_t height,
                              size_t width, size_t plane, size_t stride, size_t phases_y, size_t phases_x, size_t pad_top,
                              size_t pad_left, size_t phase_height, size_t phase_width, size_t group_stride, uint8_t fill,
                              uint8_t flip, uint8_t *out) {
    pack_conv(x, images, image_stride, channels, height, width, plane, stride, phases_y, phases_x, pad_top, pad_left, phase_height, phase_width,
              group_stride, fill, flip, out, 0);
}

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bw,avx512vl")))
#endif
void qu8_pack_conv_x4__avx512(const uint8_t *x, size_t images, size_t image_stride, size_t channels, size_t height,
                              size_t width, size_t plane, size_t stride, size_t phases_y, size_t phases_x, size_t pad_top,
                              size_t pad_left, size_t phase_height, size_t phase_width, size_t group_stride, uint8_t fill,
                              uint8_t flip, uint8_t *out) {
    pack_conv(x, images, image_stride, channels, height, width, plane, stride, phases_y, phases_x, pad_top, pad_left, phase_height, phase_width,
              group_stride, fill, flip, out, 1);
}

static inline __attribute__((always_inline)) void pack_rows(const uint8_t *x, size_t rows, size_t cols, size_t ldx,
                                                            size_t group_stride, uint8_t fill, uint8_t flip, uint8_t *out) {
    const size_t groups = (cols + 3) / 4, whole = cols / 4;
    for (size_t row = 0; row < rows; row++) {
        const uint8_t *src = x + row * ldx;
        for (size_t g = 0; g < whole; g++) {
            uint32_t d;
            memcpy(&d, src + 4 * g, 4);
            d ^= flip * 0x01010101u;
            memcpy(out + (g * group_stride + row) * 4, &d, 4);
        }
        if (groups > whole) {
            uint8_t *dst = out + (whole * group_stride + row) * 4;
            for (size_t j = 0; j < 4; j++) dst[j] = 4 * whole + j < cols ? (uint8_t)(src[4 * whole + j] ^ flip) : (uint8_t)(fill ^ flip);
        }
    }
}

void qu8_pack_rows_x4__scalar(const uint8_t *x, size_t rows, size_t cols, size_t ldx, size_t group_stride, uint8_t fill,
                              uint8_t flip, uint8_t *out) {
    pack_rows(x, rows, cols, ldx, group_stride, fill, flip, out);
}

#if defined(__x86_64__)
#include <immintrin.h>

/* Blocks of 16 rows x 16 groups are a 16 x 16 transpose of dwords in registers (unpack 32, unpack 64, then two
   rounds of 128-bit lane shuffles); the edges go through the portable loop. */
__attribute__((target("avx512f,avx512bw,avx512vl")))
void qu8_pack_rows_x4__avx512(const uint8_t *x, size_t rows, size_t cols, size_t ldx, size_t group_stride, uint8_t fill,
                              uint8_t flip, uint8_t *out) {
    const size_t row_blocks = rows / 16, group_blocks = cols / 64;
    const __m512i flip4 = _mm512_set1_epi8((char)flip);
    for (size_t rb = 0; rb < row_blocks; rb++) {
        for (size_t gb = 0; gb < group_blocks; gb++) {
            __m512i r[16], a[16], b[16];
            for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_si512(x + (rb * 16 + i) * ldx + gb * 64);
            for (int k = 0; k < 8; k++) {
                a[2 * k] = _mm512_unpacklo_epi32(r[2 * k], r[2 * k + 1]);
                a[2 * k + 1] = _mm512_unpackhi_epi32(r[2 * k], r[2 * k + 1]);
            }
            for (int m = 0; m < 4; m++) {
                b[4 * m + 0] = _mm512_unpacklo_epi64(a[4 * m], a[4 * m + 2]);
                b[4 * m + 1] = _mm512_unpackhi_epi64(a[4 * m], a[4 * m + 2]);
                b[4 * m + 2] = _mm512_unpacklo_epi64(a[4 * m + 1], a[4 * m + 3]);
                b[4 * m + 3] = _mm512_unpackhi_epi64(a[4 * m + 1], a[4 * m + 3]);
            }
            for (int j = 0; j < 4; j++) {
                const __m512i c0 = _mm512_shuffle_i32x4(b[j], b[4 + j], 0x44), c1 = _mm512_shuffle_i32x4(b[j], b[4 + j], 0xEE);
                const __m512i c2 = _mm512_shuffle_i32x4(b[8 + j], b[12 + j], 0x44), c3 = _mm512_shuffle_i32x4(b[8 + j], b[12 + j], 0xEE);
                const __m512i lanes[4] = {_mm512_shuffle_i32x4(c0, c2, 0x88), _mm512_shuffle_i32x4(c0, c2, 0xDD),
                                          _mm512_shuffle_i32x4(c1, c3, 0x88), _mm512_shuffle_i32x4(c1, c3, 0xDD)};
                for (int l = 0; l < 4; l++) {
                    const size_t g = gb * 16 + 4 * l + j;
                    _mm512_storeu_si512(out + (g * group_stride + rb * 16) * 4, _mm512_xor_si512(lanes[l], flip4));
                }
            }
        }
        /* the columns after the last whole block of 64, for these 16 rows */
        if (group_blocks * 64 < cols) {
            pack_rows(x + rb * 16 * ldx + group_blocks * 64, 16, cols - group_blocks * 64, ldx, group_stride, fill, flip,
                      out + (group_blocks * 16 * group_stride + rb * 16) * 4);
        }
    }
    if (row_blocks * 16 < rows) {
        pack_rows(x + row_blocks * 16 * ldx, rows - row_blocks * 16, cols, ldx, group_stride, fill, flip, out + row_blocks * 16 * 4);
    }
}
#else
void qu8_pack_rows_x4__avx512(const uint8_t *x, size_t rows, size_t cols, size_t ldx, size_t group_stride, uint8_t fill,
                              uint8_t flip, uint8_t *out) {
    pack_rows(x, rows, cols, ldx, group_stride, fill, flip, out);
}
#endif
