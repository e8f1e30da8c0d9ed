/// A constant int8 weight matrix packed for the sparse INT8 kernels (`qs8_spmm_*`): for each row (output channel),
/// only the groups of 4 K values that hold a nonzero weight, each as one dword (the 4 weights, one `vpdpbusd`
/// operand) with the index of its K group. A pruned layer whose zeros fill whole groups (SparseML's 4-block
/// pruning) skips a group per zero block; unstructured 90 % zeros still leave about a third of the groups.
///
/// A row's groups are in K order, and where each run of `chunkGroups` groups starts is kept, so the driver can
/// take every row of a tile through one chunk of K at a time: the chunk's activations then come from L1 for all
/// rows but the first, where row after row over the whole of K would stream them from L2 for each.
final class QS8SparseWeights: @unchecked Sendable {
    /// Output channels.
    let rows: Int
    /// Groups of 4 along K.
    let kgroups: Int
    /// Σ_k w[row, k], per row, padded with zeros to a multiple of 8 rows as the dense packing's.
    let rowSums: [Int32]
    /// Groups held, over all rows.
    let nonzeroGroups: Int
    /// K groups per chunk.
    static let chunkGroups = 16
    /// Chunks of `chunkGroups` along K.
    let chunks: Int
    /// Per row, `chunks + 1` step indices: where the row's steps of each chunk start, then its end.
    private let chunkStarts: UnsafeMutablePointer<Int32>
    private let groups: UnsafeMutablePointer<UInt32>
    private let dwords: UnsafeMutablePointer<Int32>

    /// Packs `rows` × `depth` weights given by `weight(row, k)`, keeping the groups of 4 that are not all zero.
    init(rows: Int, depth: Int, weight: (Int, Int) -> Int8) {
        self.rows = rows
        kgroups = (depth + 3) / 4
        chunks = (kgroups + Self.chunkGroups - 1) / Self.chunkGroups
        var starts: [Int32] = [], groupIndices: [UInt32] = [], packed: [Int32] = []
        var sums = [Int32](repeating: 0, count: (rows + 7) / 8 * 8)
        for row in 0..<rows {
            for group in 0..<kgroups {
                if group % Self.chunkGroups == 0 { starts.append(Int32(groupIndices.count)) }
                var dword: UInt32 = 0
                for j in 0..<min(4, depth - 4 * group) {
                    let w = weight(row, 4 * group + j)
                    sums[row] += Int32(w)
                    dword |= UInt32(UInt8(bitPattern: w)) << (8 * j)
                }
                guard dword != 0 else { continue }
                groupIndices.append(UInt32(group))
                packed.append(Int32(bitPattern: dword))
            }
            starts.append(Int32(groupIndices.count))
        }
        rowSums = sums
        nonzeroGroups = groupIndices.count
        chunkStarts = .allocate(capacity: starts.count)
        chunkStarts.initialize(from: starts, count: starts.count)
        groups = .allocate(capacity: max(1, groupIndices.count))
        groups.initialize(from: groupIndices, count: groupIndices.count)
        dwords = .allocate(capacity: max(1, packed.count))
        dwords.initialize(from: packed, count: packed.count)
    }

    deinit {
        chunkStarts.deallocate()
        groups.deallocate()
        dwords.deallocate()
    }

    /// Where row `row`'s steps of chunk `chunk` start; the next rows' follow at a stride of `chunks + 1`.
    func chunkStarts(row: Int, chunk: Int) -> UnsafePointer<Int32> { UnsafePointer(chunkStarts + row * (chunks + 1) + chunk) }

    /// The K group index of every step, all rows.
    var stepGroups: UnsafePointer<UInt32> { UnsafePointer(groups) }

    /// The weight dword of every step, all rows.
    var stepWeights: UnsafePointer<Int32> { UnsafePointer(dwords) }

    /// Bytes held.
    var byteCount: Int { nonzeroGroups * 8 + rows * (chunks + 1) * 4 }
}
