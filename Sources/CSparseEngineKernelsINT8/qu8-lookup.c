/* Byte lookup through a 256-entry table (zoo.QLinearLookup): portable C, and AVX-512 VBMI with the table in four
   zmm registers, two `vpermi2b` (each over 128 entries, bits 0-6 of the index) and a blend on bit 7. */
#include "zoo_qs8_kernels.h"

void qu8_lookup__scalar(size_t n, const uint8_t *x, const uint8_t *table, uint8_t *y) {
    for (size_t i = 0; i < n; i++) y[i] = table[x[i]];
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512vbmi")))
void qu8_lookup__avx512vbmi(size_t n, const uint8_t *x, const uint8_t *table, uint8_t *y) {
    const __m512i t0 = _mm512_loadu_si512(table), t1 = _mm512_loadu_si512(table + 64);
    const __m512i t2 = _mm512_loadu_si512(table + 128), t3 = _mm512_loadu_si512(table + 192);
    for (size_t i = 0; i < n; i += 64) {
        const __mmask64 m = n - i >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << (n - i)) - 1);
        const __m512i v = _mm512_maskz_loadu_epi8(m, x + i);
        const __m512i low = _mm512_permutex2var_epi8(t0, v, t1), high = _mm512_permutex2var_epi8(t2, v, t3);
        _mm512_mask_storeu_epi8(y + i, m, _mm512_mask_blend_epi8(_mm512_movepi8_mask(v), low, high));
    }
}
#else
void qu8_lookup__avx512vbmi(size_t n, const uint8_t *x, const uint8_t *table, uint8_t *y) {
    qu8_lookup__scalar(n, x, table, y);
}
#endif
