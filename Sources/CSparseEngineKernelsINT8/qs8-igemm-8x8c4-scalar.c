/* The portable version of the 8 x 8 indirect GEMM: the reference the vector kernels must match exactly. */
#include "zoo_qs8_kernels.h"

void qs8_igemm_8x8c4__scalar(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                             int32_t *c, size_t ldc) {
    int32_t acc[8][8] = {{0}};
    for (size_t g = 0; g < kgroups; g++) {
        const uint8_t *p = a + offsets[g];
        for (int r = 0; r < 8; r++) {
            const int8_t *wr = w + 4 * r;
            for (int x = 0; x < 8; x++) {
                const uint8_t *px = p + 4 * x;
                acc[r][x] += px[0] * wr[0] + px[1] * wr[1] + px[2] * wr[2] + px[3] * wr[3];
            }
        }
        w += 32;
    }
    for (int r = 0; r < 8; r++) {
        for (int x = 0; x < 8; x++) c[r * ldc + x] = acc[r][x];
    }
}

/* The product requantized: the sums through an 8 x 8 tile, then the kept columns' bytes (zoo_qs8_kernels.h). */
void qs8_igemm_minmax_fp32_8x8c4__scalar(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                         size_t rows, uint32_t keep, const int32_t *bias, const float *scale,
                                         int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy) {
    int32_t acc[8 * 8];
    for (size_t r0 = 0; r0 < rows; r0 += 8, w += kgroups * 32, bias += 8, scale += 8, y += 8 * ldy) {
        qs8_igemm_8x8c4__scalar(kgroups, w, a, offsets, acc, 8);
        qs8_requantize_columns__scalar(rows - r0 < 8 ? rows - r0 : 8, keep & 0xFF, acc, 8, bias, scale, zero_point, lo, hi, y, ldy);
    }
}
