#ifndef ZOO_CPU_FEATURES_H
#define ZOO_CPU_FEATURES_H
/* CPUID + XGETBV in one place: Swift cannot issue either instruction. */
#include <stdint.h>
/* The pool's atomics live beside this header; including them here makes a module cache built
   before they existed rebuild (an umbrella directory's new files alone do not). */
#include "zoo_atomics.h"
#include "zoo_prefetch.h"

/* Bits reported by zoo_cpu_features(). A bit is set only when the CPU has the
   instructions AND the OS saves the registers they use (checked via XGETBV). */
enum {
    ZOO_CPU_SSE42 = 1u << 0,
    ZOO_CPU_AVX2 = 1u << 1,
    ZOO_CPU_FMA = 1u << 2,
    ZOO_CPU_AVX512F = 1u << 3,
    ZOO_CPU_AVX512BW = 1u << 4,
    ZOO_CPU_AVX512DQ = 1u << 5,
    ZOO_CPU_AVX512VL = 1u << 6,
    ZOO_CPU_AVX512VNNI = 1u << 7,
    ZOO_CPU_AVXVNNI = 1u << 8,
    ZOO_CPU_F16C = 1u << 9,
    ZOO_CPU_AVX512VBMI = 1u << 10,
};

/* Returns the ZOO_CPU_* bits for the running CPU; 0 on non-x86 machines. */
uint32_t zoo_cpu_features(void);

#endif
