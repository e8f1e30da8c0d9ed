/* Activation packing into the "x4" layout (zoo_qs8_kernels.h): each pixel's 4 K bytes together, so that one
   dword load feeds one `vpdpbusd` lane. Bytes only: a convolution's packed input is its input, padded and split
   into stride phases, no larger than the input times the rounding of channels to 4 (no im2col). */
#include "zoo_qs8_kernels.h"
#include <string.h>

void qu8_pack_conv_x4(const uint8_t *x, size_t channels, size_t height, size_t width, size_t plane,
                      size_t stride, size_t pad_top, size_t pad_left, size_t phase_height, size_t phase_width,
                      size_t group_stride, uint8_t fill, uint8_t flip, uint8_t *out) {
    const size_t groups = (channels + 3) / 4;
    const uint8_t padded = fill ^ flip;
    for (size_t py = 0; py < stride; py++) {
        for (size_t px = 0; px < stride; px++) {
            for (size_t g = 0; g < groups; g++) {
                uint8_t *dst = out + ((g * stride + py) * stride + px) * group_stride * 4;
                memset(dst, padded, group_stride * 4);
                for (size_t j = 0; j < 4 && 4 * g + j < channels; j++) {
                    const uint8_t *src = x + (4 * g + j) * plane;
                    for (size_t row = 0; row < phase_height; row++) {
                        const size_t iy = row * stride + py;
                        if (iy < pad_top || iy - pad_top >= height) continue;
                        const uint8_t *srow = src + (iy - pad_top) * width;
                        uint8_t *drow = dst + row * phase_width * 4 + j;
                        /* columns whose input x = col * stride + px - pad_left is inside [0, width) */
                        size_t first = pad_left > px ? (pad_left - px + stride - 1) / stride : 0;
                        for (size_t col = first; col < phase_width; col++) {
                            const size_t ix = col * stride + px - pad_left;
                            if (ix >= width) break;
                            drow[col * 4] = srow[ix] ^ flip;
                        }
                    }
                }
            }
        }
    }
}

void qu8_pack_rows_x4(const uint8_t *x, size_t rows, size_t cols, size_t ldx, size_t group_stride, uint8_t fill,
                      uint8_t flip, uint8_t *out) {
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
