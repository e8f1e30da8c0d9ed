#include "zoo_cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t zoo_xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

uint32_t zoo_cpu_features(void) {
    unsigned int eax, ebx, ecx, edx;
    uint32_t out = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    if (ecx & (1u << 20)) out |= ZOO_CPU_SSE42;
    int osxsave = (ecx & (1u << 27)) != 0;
    int avx = (ecx & (1u << 28)) != 0;
    int fma = (ecx & (1u << 12)) != 0;
    int f16c = (ecx & (1u << 29)) != 0;
    if (!osxsave || !avx) return out;
    uint64_t xcr0 = zoo_xgetbv0();
    int ymm_ok = (xcr0 & 0x6) == 0x6;            /* XMM + YMM state */
    int zmm_ok = (xcr0 & 0xE6) == 0xE6;          /* + opmask, ZMM_Hi256, Hi16_ZMM */
    if (!ymm_ok) return out;
    if (fma) out |= ZOO_CPU_FMA;
    if (f16c) out |= ZOO_CPU_F16C;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return out;
    if (ebx & (1u << 5)) out |= ZOO_CPU_AVX2;
    if (zmm_ok) {
        if (ebx & (1u << 16)) out |= ZOO_CPU_AVX512F;
        if (ebx & (1u << 17)) out |= ZOO_CPU_AVX512DQ;
        if (ebx & (1u << 30)) out |= ZOO_CPU_AVX512BW;
        if (ebx & (1u << 31)) out |= ZOO_CPU_AVX512VL;
        if (ecx & (1u << 11)) out |= ZOO_CPU_AVX512VNNI;
        if (ecx & (1u << 1)) out |= ZOO_CPU_AVX512VBMI;
    }
    if (__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) && (eax & (1u << 4))) out |= ZOO_CPU_AVXVNNI;
    return out;
}
#else
uint32_t zoo_cpu_features(void) { return 0; }
#endif
