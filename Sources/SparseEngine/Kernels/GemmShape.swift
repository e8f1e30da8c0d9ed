/// How a GEMM's K dimension is blocked and one operand is cut into MR-row slivers (or NR-column
/// panels): `kBlocks` blocks of nearly equal length (at most `kcLimit`), `slivers` groups of `mr`,
/// the last zero-padded.
struct GemmShape: Hashable {
    /// The usual longest K block: an NR-column B panel of this many rows stays in L1.
    static let defaultKcLimit = 256

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
