/// How a GEMM's K dimension is blocked and one operand is cut into MR-row slivers (or NR-column
/// panels): `kBlocks` blocks of nearly equal length (at most `kcLimit`), `slivers` groups of `mr`,
/// the last zero-padded.
struct GemmShape: Hashable {
    /// The usual longest K block: an NR-column B panel of this many rows stays in L1.
    static let defaultKcLimit = 256
    /// The longest K block of weights read while the next block is prefetched (`WeightPrefetch`): both blocks of
    /// a 32-wide panel (16 KiB each) then stay in L1 (48 KiB) with the activations. Single core, batch 1, against
    /// 256 rows: ResNet-50 43.1 → 41.1 ms (64 or 96 rows: 40.4), DistilBERT 60.1 → 56.2 ms (192 rows: 56.8).
    static let prefetchedKcLimit = 128

    let m: Int, k: Int, mr: Int
    let kBlocks: Int, kcMax: Int, slivers: Int

    init(m: Int, k: Int, mr: Int, kcLimit: Int = GemmShape.defaultKcLimit) {
        self.m = m
        self.k = k
        self.mr = mr
        kBlocks = (k + kcLimit - 1) / kcLimit
        kcMax = (k + kBlocks - 1) / kBlocks
        slivers = (m + mr - 1) / mr
    }

    func blockStart(_ block: Int) -> Int { block * kcMax }
    func blockLength(_ block: Int) -> Int { min(kcMax, k - block * kcMax) }
    /// Floats in the packed operand.
    var packedCount: Int { slivers * mr * k }
    /// Where sliver `sliver` of K block `block` starts in the packed operand: blocks one after the
    /// other, slivers within a block one after the other, each `blockLength × mr`.
    func sliverOffset(block: Int, sliver: Int) -> Int {
        (blockStart(block) * slivers + sliver * blockLength(block)) * mr
    }
}
