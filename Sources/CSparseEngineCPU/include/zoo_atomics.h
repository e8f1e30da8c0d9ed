#ifndef ZOO_ATOMICS_H
#define ZOO_ATOMICS_H
/* Sequentially consistent atomics on a plain `long` and the spin-wait hint, for the engine's
   thread pool: Swift's own atomics (the Synchronization module) need macOS 15, and the pool's
   sleep/wake protocol needs store-then-load ordering between threads (seq_cst). */

static inline long zoo_atomic_load(const long *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline void zoo_atomic_store(long *p, long value) { __atomic_store_n(p, value, __ATOMIC_SEQ_CST); }
/* Adds `value` and returns the previous contents. */
static inline long zoo_atomic_fetch_add(long *p, long value) { return __atomic_fetch_add(p, value, __ATOMIC_SEQ_CST); }

/* Replaces the contents with `desired` if they equal `expected`; true when it did. */
static inline int zoo_atomic_compare_exchange(long *p, long expected, long desired) {
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
/* Sets the bits of `value` and returns the previous contents. */
static inline long zoo_atomic_fetch_or(long *p, long value) { return __atomic_fetch_or(p, value, __ATOMIC_SEQ_CST); }

/* Tells the CPU the thread is spinning (PAUSE on x86), which saves power and the sibling's time. */
static inline void zoo_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
