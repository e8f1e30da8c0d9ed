/// Which part of the weights a task reads next each microkernel call prefetches (the kernels' `prefetch`
/// argument: `kc` cache lines, one per k step).
///
/// At batch 1 a layer's weights come from memory once (ResNet-50's 100 MB and DistilBERT's 170 MB do not fit
/// in the cache), and a task's first call on a block of them waited for it. So the first calls on the current
/// block fetch the next one, `kc` lines each, and the other calls prefetch nothing: prefetching in every call
/// (lines already in cache cost load slots, and a next block as large as L1 evicts what the current calls
/// read) made ResNet-50's 14×14 layers 10 % slower. Single core, batch 1: ResNet-50 46.2 → 44.2 ms (7×7 layers
/// 0.15–0.27 ms faster each), DistilBERT 63.9 → 60.0 ms.
enum WeightPrefetch {
    /// The region call `call` (counted from 0 among the calls on the current block) prefetches of the `bytes`
    /// bytes at `next`, or nil.
    static func region(_ next: UnsafeRawPointer?, bytes: Int, kc: Int, call: Int) -> UnsafeRawPointer? {
        guard let next else { return nil }
        let offset = call * kc * 64
        return offset < bytes ? next + offset : nil
    }
}
