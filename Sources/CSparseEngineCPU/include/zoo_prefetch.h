#ifndef ZOO_PREFETCH_H
#define ZOO_PREFETCH_H
/* A software prefetch for the microkernels: Swift has no way to issue PREFETCHT0. The microkernels use it to
   bring the next call's weights in from memory while they compute on the current ones (a cache line that is
   already present costs one load slot). */

static inline void zoo_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
