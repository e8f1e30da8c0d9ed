import CSparseEngineKernelsINT8

/// Where the sparse microkernels' requantizing epilogue writes one pixel tile's bytes (`qs8_spmm_store`): the tile's
/// columns cut into runs of consecutive output pixels, each run one store per 16-column vector it touches. Built once per
/// pixel tile and used for every block of rows over it; the storage belongs to the caller (`capacity(nr:)` entries).
struct QS8SpmmStores {
    /// The entries, `count` of them filled.
    let entries: UnsafeMutablePointer<qs8_spmm_store>
    private(set) var count = 0

    /// Entries a tile of `nr` columns can need: a run per column at most, and one more store per vector.
    static func capacity(nr: Int) -> Int { nr + (nr + 15) / 16 }

    init(_ entries: UnsafeMutablePointer<qs8_spmm_store>) { self.entries = entries }

    /// Forgets the entries, for the next tile.
    mutating func removeAll() { count = 0 }

    /// Columns `start ..< end` of the tile go to consecutive bytes of each output row, column `start` at byte `yOffset`
    /// (from the kernel's `y`, row 0).
    mutating func append(start: Int, end: Int, yOffset: Int) {
        guard end > start else { return }
        for vector in (start / 16)...((end - 1) / 16) {
            let from = max(start, 16 * vector) - 16 * vector, to = min(end, 16 * vector + 16) - 16 * vector
            let mask = UInt32((1 << to) - (1 << from))
            entries[count] = qs8_spmm_store(offset: Int64(yOffset + 16 * vector - start), vector: UInt32(vector), mask: mask)
            count += 1
        }
    }
}
