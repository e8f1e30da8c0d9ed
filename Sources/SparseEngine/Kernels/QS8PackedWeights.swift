/// A constant int8 weight matrix (rows = output channels, K = the reduction) packed once for the INT8 kernels:
/// tiles of 8 rows, K in groups of 4, each group of a tile 8 × 4 bytes (one `vpdpbusd` dword per row), zero
/// padded. Also holds each row's weight sum, which turns the activations' zero point into a per-row constant.
///
/// A sparse variant can keep this layout and skip the groups of a tile that are all zeros (a list of group
/// indices per tile instead of every group): the kernels' group offsets already address activations indirectly.
final class QS8PackedWeights: @unchecked Sendable {
    /// Output channels.
    let rows: Int
    /// Groups of 4 along K.
    let kgroups: Int
    /// Tiles of 8 rows.
    let tiles: Int
    /// Σ_k w[row, k], per row, zero for padding rows.
    let rowSums: [Int32]
    private let storage: UnsafeMutableRawPointer

    /// Packs `rows` × `depth` weights given by `weight(row, k)`.
    init(rows: Int, depth: Int, weight: (Int, Int) -> Int8) {
        self.rows = rows
        kgroups = (depth + 3) / 4
        tiles = (rows + 7) / 8
        let bytes = max(tiles * kgroups * 32, 64)
        storage = LargeAllocation.allocate(byteCount: bytes)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        let p = storage.assumingMemoryBound(to: Int8.self)
        var sums = [Int32](repeating: 0, count: tiles * 8)
        for row in 0..<rows {
            let tile = row / 8, r = row % 8
            var sum: Int32 = 0
            for k in 0..<depth {
                let w = weight(row, k)
                p[(tile * kgroups + k / 4) * 32 + r * 4 + k % 4] = w
                sum += Int32(w)
            }
            sums[row] = sum
        }
        rowSums = sums
    }

    deinit { storage.deallocate() }

    /// The packed weights of one tile: `kgroups` × 8 × 4 bytes.
    func tile(_ index: Int) -> UnsafePointer<Int8> {
        UnsafePointer(storage.assumingMemoryBound(to: Int8.self) + index * kgroups * 32)
    }

    /// Bytes held.
    var byteCount: Int { tiles * kgroups * 32 }
}
