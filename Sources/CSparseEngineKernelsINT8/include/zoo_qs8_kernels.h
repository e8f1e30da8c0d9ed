#ifndef ZOO_QS8_KERNELS_H
#define ZOO_QS8_KERNELS_H
/* INT8 microkernels of the sparse engine, in C because Swift cannot issue `vpdpbusd` (AVX-512 VNNI) or name
   `vpmaddwd`. Each instruction set's version is compiled with a `target` attribute and called only when CPUID
   says the CPU has it (SparseEngine's QS8KernelSet). Every version gives bit-identical results.

   Layouts (docs/int8-kernels.md):
   - Weights ("c4"): an M x K int8 matrix in tiles of 8 rows (output channels); K in groups of 4. A tile is
     kgroups x 8 rows x 4 bytes: for each group, the 4 weights of row 0, then row 1, ... (zero padded). One
     group of one row is one `vpdpbusd` dword.
   - Activations ("x4"): uint8, for each K group a run of pixels, 4 bytes per pixel (its 4 K values). The
     runs of the groups start at arbitrary byte offsets from a base, so a convolution's taps read one packed
     input in place (indirect GEMM).
   - Accumulators: int32, sum over K of activation(u8) x weight(s8), no zero points applied. */
#include <stddef.h>
#include <stdint.h>

/* c[r * ldc + p] = sum_g sum_j w[(g * 8 + r) * 4 + j] * a[offsets[g] + 4 * p + j], for r < 8, p < 32. */
void qs8_igemm_8x32c4__avx512vnni(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                  int32_t *c, size_t ldc);
/* The same over 8 rows x 8 pixels, exact with AVX2 (bytes widened to 16 bits, `vpmaddwd`). */
void qs8_igemm_8x8c4__avx2(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                           int32_t *c, size_t ldc);
/* The same over 8 rows x 8 pixels in portable C. */
void qs8_igemm_8x8c4__scalar(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                             int32_t *c, size_t ldc);

/* The same products requantized in the epilogue (as qs8_requantize), bytes written straight to the output: for each
   row r < `rows`, the columns p whose bit is set in `keep` (p < 32, or < 8 for the 8 x 8 kernels), in order, go to
   consecutive bytes y[r * ldy + i], i = the kept columns before p. A 1x1 convolution keeps a prefix; a convolution
   whose phase rows are wider than its output rows drops their padding columns, and the kept ones are consecutive in
   the output. Rows past 8 are the next tiles of 8, one after another (their weights kgroups * 32 bytes on); bias
   and scale are per row. */
void qs8_igemm_minmax_fp32_8x32c4__avx512vnni(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                              size_t rows, uint32_t keep, const int32_t *bias, const float *scale,
                                              int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy);
void qs8_igemm_minmax_fp32_8x8c4__avx2(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                       size_t rows, uint32_t keep, const int32_t *bias, const float *scale,
                                       int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy);
void qs8_igemm_minmax_fp32_8x8c4__scalar(size_t kgroups, const int8_t *w, const uint8_t *a, const int32_t *offsets,
                                         size_t rows, uint32_t keep, const int32_t *bias, const float *scale,
                                         int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy);

/* Vector lanes over output channels, for small images: up to 14 output pixels x `channels` (1-32) output channels, the
   rows of up to 4 weight tiles of 8 rows, tile t at w + t * tile_stride, requantized as qs8_requantize. The pixels
   come in two runs of consecutive columns of the packed activations: run 0 has `n0` pixels (1-7), run 1 `n1` (0-n0;
   0: no second run). Pixel p of run r reads group g's dword at a + offsets[g] + start_r + 4 p (so only real output
   pixels are computed; run 1 reads n0 pixels, as run 0 does, and stores n1) and writes y_r[c * ldy + p] for
   c < channels. bias and scale hold those channels. */
void qs8_igemmc_minmax_fp32_14x32c4__avx512vnni(size_t kgroups, size_t n0, size_t n1, size_t channels, const int8_t *w,
                                                size_t tile_stride, const uint8_t *a, const int32_t *offsets, int32_t start0,
                                                int32_t start1, const int32_t *bias, const float *scale, int32_t zero_point,
                                                int32_t lo, int32_t hi, uint8_t *y0, uint8_t *y1, size_t ldy);

/* Sparse: `rows` output rows x NR pixels, each from its nonzero weight dwords only (a weight group of 4 K values
   that is all zeros is skipped). Row r's steps are s = starts[r * starts_stride] ..< starts[r * starts_stride + span]
   (the steps of `span` consecutive chunks of K); step s multiplies the dword weights[s] by group groups[s]'s
   activations: c[r * ldc + p] (+)= sum_s sum_j byte_j(weights[s]) * a[offsets[groups[s]] + 4 * p + j], p < NR.
   The sums start from c when `accumulate` is nonzero (continuing earlier chunks), else from zero. */
void qs8_spmm_1x128c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate);
void qs8_spmm_1x64c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate);
void qs8_spmm_1x32c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate);
/* The same for any NR = `nr`, portable C and the same C compiled for AVX2. */
void qs8_spmm_1xNc4__scalar(size_t nr, size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate);
void qs8_spmm_1xNc4__avx2(size_t nr, size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate);

/* One store of a sparse microkernel's requantizing epilogue: the requantized sums of columns 16 * vector + l, for the
   lanes l whose bit is set in `mask` (l < 16), go to y[offset + r * ldy + l] for each row r. A tile's stores come in
   nondecreasing `vector` order; a run of output pixels (one output row of a padded convolution, one image of a
   batch whose images sit side by side) is one store per vector it touches. */
typedef struct {
    int64_t offset;
    uint32_t vector;
    uint32_t mask;
} qs8_spmm_store;

/* The sparse microkernels with the requantization (as qs8_requantize) in the epilogue: the sums of the given span
   continue c when `accumulate` is nonzero (earlier spans of K), and instead of going back to c each row is
   requantized with bias[r], scale[r] and written as bytes through `stores` (`nstores` of them); AVX-512 only reads c.
   A nonzero `group_bytes` says group g's activations start at a + g * group_bytes (a pointwise convolution's packed
   input): `offsets` is then not read. */
void qs8_spmm_minmax_fp32_1x128c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate, const qs8_spmm_store *stores, size_t nstores, const int32_t *bias, const float *scale,
    int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy, size_t group_bytes);
void qs8_spmm_minmax_fp32_1x64c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate, const qs8_spmm_store *stores, size_t nstores, const int32_t *bias, const float *scale,
    int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy, size_t group_bytes);
void qs8_spmm_minmax_fp32_1x32c4__avx512vnni(size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate, const qs8_spmm_store *stores, size_t nstores, const int32_t *bias, const float *scale,
    int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy, size_t group_bytes);
/* The same for any NR = `nr`, portable C and the same C compiled for AVX2: the sums go through c (so c is written), then
   qs8_requantize__scalar writes each store's lanes. */
void qs8_spmm_minmax_fp32_1xNc4__scalar(size_t nr, size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate, const qs8_spmm_store *stores, size_t nstores, const int32_t *bias, const float *scale,
    int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy, size_t group_bytes);
void qs8_spmm_minmax_fp32_1xNc4__avx2(size_t nr, size_t rows, const int32_t *starts, size_t starts_stride, size_t span,
    const uint32_t *groups, const int32_t *weights, const uint8_t *a, const int32_t *offsets, int32_t *c, size_t ldc,
    int accumulate, const qs8_spmm_store *stores, size_t nstores, const int32_t *bias, const float *scale,
    int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy, size_t group_bytes);

/* Requantization of a rows x cols block of accumulators:
   y[r * ldy_row + p * ldy_col] = clamp(round_half_even((acc[r * ldacc + p] + bias[r]) * scale[r]) + zero_point,
   lo, hi), stored as one byte (uint8 or int8 two's complement; lo and hi are the type's range, or tighter for a
   fused Relu). The float product is rounded as ONNX Runtime rounds it. */
void qs8_requantize__scalar(size_t rows, size_t cols, const int32_t *acc, size_t ldacc, const int32_t *bias,
                            const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y,
                            size_t ldy_row, size_t ldy_col);
void qs8_requantize__avx512(size_t rows, size_t cols, const int32_t *acc, size_t ldacc, const int32_t *bias,
                            const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y,
                            size_t ldy_row, size_t ldy_col);

/* Requantizes the columns of `keep` (bit p = column p < 32) of each of `rows` rows to consecutive bytes y[r * ldy + i]:
   the 8 x 8 kernels' requantizing epilogue. */
void qs8_requantize_columns__scalar(size_t rows, uint32_t keep, const int32_t *acc, size_t ldacc, const int32_t *bias,
                                    const float *scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y, size_t ldy);

/* QuantizeLinear with one scale: y[i] = clamp(round_half_even(x[i] / scale) + zero_point, lo, hi) as a byte. */
void qs8_vquantize__scalar(size_t n, const float *x, float scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y);
void qs8_vquantize__avx512(size_t n, const float *x, float scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y);
/* DequantizeLinear with one scale: y[i] = (x[i] - zero_point) * scale, x uint8 (or int8 when is_signed). */
void qs8_vdequantize__scalar(size_t n, const uint8_t *x, int is_signed, float scale, int32_t zero_point, float *y);
void qs8_vdequantize__avx512(size_t n, const uint8_t *x, int is_signed, float scale, int32_t zero_point, float *y);

/* QLinearAdd over equal shapes, as DequantizeLinear, Add and QuantizeLinear in float compute it:
   y[i] = clamp(round_half_even(((a[i] - a_zero) * a_scale + (b[i] - b_zero) * b_scale) / y_scale) + y_zero, lo, hi). */
void qs8_vadd__scalar(size_t n, const uint8_t *a, int a_signed, float a_scale, int32_t a_zero, const uint8_t *b, int b_signed,
                      float b_scale, int32_t b_zero, float y_scale, int32_t y_zero, int32_t lo, int32_t hi, uint8_t *y);
void qs8_vadd__avx512(size_t n, const uint8_t *a, int a_signed, float a_scale, int32_t a_zero, const uint8_t *b, int b_signed,
                      float b_scale, int32_t b_zero, float y_scale, int32_t y_zero, int32_t lo, int32_t hi, uint8_t *y);

/* y[i] = clamp(round_half_even(x[i] * scale) + zero_point, lo, hi) as a byte: float sums (exact integers) requantized. */
void qs8_vrequantize_f32__scalar(size_t n, const float *x, float scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y);
void qs8_vrequantize_f32__avx512(size_t n, const float *x, float scale, int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y);

/* ONNX Runtime's QLinearSoftmax over `rows` contiguous rows of n bytes (uint8, or int8 when is_signed): e = table[byte
   index against the row's largest], the row's sum of e in order, y = clamp(round_half_even(e * multiplier / sum) +
   zero_point, lo, hi) (zero_point for a zero sum). */
void qu8_softmax__scalar(size_t rows, size_t n, const uint8_t *x, int is_signed, const float *table, float multiplier,
                         int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y);
void qu8_softmax__avx512(size_t rows, size_t n, const uint8_t *x, int is_signed, const float *table, float multiplier,
                         int32_t zero_point, int32_t lo, int32_t hi, uint8_t *y);

/* y[i] = table[x[i]] for i < n (a 256-byte table); the AVX-512 VBMI version needs `vpermi2b`. */
void qu8_lookup__scalar(size_t n, const uint8_t *x, const uint8_t *table, uint8_t *y);
void qu8_lookup__avx512vbmi(size_t n, const uint8_t *x, const uint8_t *table, uint8_t *y);

/* Packs channels x (height x width) uint8 planes (plane stride `plane`) for a convolution: zero padded by
   `fill` (the input's zero point), split into stride x stride phases of which the first phases_y x phases_x are
   kept (the ones the kernel's taps read), channels in groups of 4, each pixel's 4 channel bytes together:
   out[((g * phases + phase) * group_stride + row * phase_width + col) * 4 + j], phase = py * phases_x + px,
   phases = phases_y * phases_x. `images` inputs `image_stride` bytes apart lie side by side in each phase plane
   (image n's rows from n * phase_height * phase_width), then the plane's tail up to group_stride is filled.
   `flip` (0 or 0x80) is xor-ed into every byte: 0x80 turns int8 into uint8 (x + 128). */
void qu8_pack_conv_x4__scalar(const uint8_t *x, size_t images, size_t image_stride, size_t channels, size_t height,
                              size_t width, size_t plane, size_t stride, size_t phases_y, size_t phases_x, size_t pad_top,
                              size_t pad_left, size_t phase_height, size_t phase_width, size_t group_stride, uint8_t fill,
                              uint8_t flip, uint8_t *out);
void qu8_pack_conv_x4__avx512(const uint8_t *x, size_t images, size_t image_stride, size_t channels, size_t height,
                              size_t width, size_t plane, size_t stride, size_t phases_y, size_t phases_x, size_t pad_top,
                              size_t pad_left, size_t phase_height, size_t phase_width, size_t group_stride, uint8_t fill,
                              uint8_t flip, uint8_t *out);
/* Packs a rows x cols uint8 matrix (row stride ldx) for a product over its columns: out[(g * group_stride +
   row) * 4 + j] = x[row * ldx + 4 g + j] ^ flip, columns past `cols` filled with `fill`. */
void qu8_pack_rows_x4__scalar(const uint8_t *x, size_t rows, size_t cols, size_t ldx, size_t group_stride, uint8_t fill,
                              uint8_t flip, uint8_t *out);
void qu8_pack_rows_x4__avx512(const uint8_t *x, size_t rows, size_t cols, size_t ldx, size_t group_stride, uint8_t fill,
                              uint8_t flip, uint8_t *out);

#endif
