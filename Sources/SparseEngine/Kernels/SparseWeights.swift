/// The weights of one sparse layer, compressed for `spmm`: an M×K matrix (output channels × reduction
/// length) of which only the nonzeros are kept, stored in a byte tensor that replaces the dense weight in
/// the graph (`SparseWeightSelection`), so the dense copy can be freed.
///
/// Layout, chosen for the microkernels (`f32_spmm_*x2`): K is cut into chunks of `chunk` reduction steps so a
/// chunk of the activation panel stays in L1; the rows are cut into groups of `groupRows` (the unit of
/// work split between threads). In each (chunk, group) the rows are sorted by how many nonzeros they have
/// there and taken two at a time, so one pass of the kernel advances two independent rows (eight vector
/// accumulators: enough to hide the FMA latency) and pads the shorter row of a pair by only a few zeros.
///
/// Bytes: a header of 16 `Int32`; the values (two `Float` per step: row A's, row B's); the steps' reduction
/// indices (one `UInt32` per step: A's in the low 16 bits, B's in the high 16, relative to the chunk); the
/// pair table (four `Int32` per pair: row A, row B or -1, steps, first step), chunk-major, pairs of a chunk
/// ordered by group.
struct SparseWeights {
    static let magic: Int32 = 0x5A53_5031  // "ZSP1"
    static let headerInts = 16
    /// Rows per group; even, so every group but the last has `groupRows / 2` pairs.
    static let groupRows = 32
    /// Reduction steps per chunk (a packed chunk of 64-pixel rows is 32 KiB, in L1; measured best of 64/128/256). At most 65536.
    static let defaultChunk = 128

    /// Output channels (rows).
    let m: Int
    /// Reduction length (columns).
    let k: Int
    /// Reduction steps per chunk.
    let chunk: Int
    /// Number of K chunks.
    let chunks: Int
    /// Pairs per chunk (over all groups).
    let pairsPerChunk: Int
    /// Nonzero weights kept.
    let nonzeros: Int
    /// Steps of all pairs (each step is one nonzero of row A and one of row B, or padding).
    let steps: Int
    let values: UnsafePointer<Float>
    let indices: UnsafePointer<UInt32>
    let pairTable: UnsafePointer<Int32>

    /// Number of row groups.
    var groups: Int { (m + Self.groupRows - 1) / Self.groupRows }
    /// The first pair of `group` within any chunk.
    func firstPair(group: Int) -> Int { group * (Self.groupRows / 2) }
    /// Fraction of zeros among the M×K weights.
    var sparsity: Double { 1 - Double(nonzeros) / Double(max(m * k, 1)) }

    /// Reads the layout from a byte tensor made by `encode`; nil when the bytes are not one.
    init?(_ tensor: Tensor) {
        guard tensor.dataType == .uint8, tensor.byteCount >= Self.headerInts * 4 else { return nil }
        let base = UnsafeRawPointer(tensor.rawPointer)
        let header = base.assumingMemoryBound(to: Int32.self)
        guard header[0] == Self.magic else { return nil }
        m = Int(header[1]); k = Int(header[2]); chunk = Int(header[3]); chunks = Int(header[4])
        pairsPerChunk = Int(header[5]); nonzeros = Int(header[6]); steps = Int(header[7])
        let valueBytes = steps * 8, indexBytes = steps * 4, tableBytes = chunks * pairsPerChunk * 16
        guard tensor.byteCount == Self.headerInts * 4 + valueBytes + indexBytes + tableBytes else { return nil }
        values = (base + Self.headerInts * 4).assumingMemoryBound(to: Float.self)
        indices = (base + Self.headerInts * 4 + valueBytes).assumingMemoryBound(to: UInt32.self)
        pairTable = (base + Self.headerInts * 4 + valueBytes + indexBytes).assumingMemoryBound(to: Int32.self)
    }

    /// Compresses the M×K matrix whose element (row, column) is `weights[row * rowStride + column * columnStride]`
    /// (so a K×N right-hand GEMM operand is read transposed) into a byte tensor. Zeros (±0) are dropped.
    static func encode(_ weights: UnsafePointer<Float>, m: Int, k: Int, rowStride: Int, columnStride: Int,
                       chunk: Int = defaultChunk) -> Tensor {
        precondition(chunk > 0 && chunk <= 1 << 16)
        let chunks = max(1, (k + chunk - 1) / chunk)
        let groups = (m + groupRows - 1) / groupRows
        let pairsPerChunk = (0..<groups).reduce(0) { total, g in total + (min(groupRows, m - g * groupRows) + 1) / 2 }
        var values: [Float] = [], indices: [UInt32] = [], table: [Int32] = []
        var nonzeros = 0
        var rowColumns = [[Int]](repeating: [], count: groupRows)
        for c in 0..<chunks {
            let k0 = c * chunk, k1 = min(k, k0 + chunk)
            for g in 0..<groups {
                let r0 = g * groupRows, rows = min(groupRows, m - r0)
                for r in 0..<rows {
                    let row = weights + (r0 + r) * rowStride
                    rowColumns[r] = (k0..<k1).filter { row[$0 * columnStride] != 0 }
                    nonzeros += rowColumns[r].count
                }
                let order = (0..<rows).sorted { rowColumns[$0].count > rowColumns[$1].count }
                for p in stride(from: 0, to: rows, by: 2) {
                    let a = order[p], b = p + 1 < rows ? order[p + 1] : -1
                    let columnsA = rowColumns[a], columnsB = b >= 0 ? rowColumns[b] : []
                    table += [Int32(r0 + a), Int32(b >= 0 ? r0 + b : -1), Int32(columnsA.count), Int32(values.count / 2)]
                    for (j, ka) in columnsA.enumerated() {
                        let kb = j < columnsB.count ? columnsB[j] : k0
                        values.append(weights[(r0 + a) * rowStride + ka * columnStride])
                        values.append(j < columnsB.count ? weights[(r0 + b) * rowStride + kb * columnStride] : 0)
                        indices.append(UInt32(ka - k0) | UInt32(kb - k0) << 16)
                    }
                }
            }
        }
        let steps = indices.count
        let header: [Int32] = [magic, Int32(m), Int32(k), Int32(chunk), Int32(chunks), Int32(pairsPerChunk),
                               Int32(nonzeros), Int32(steps)] + [Int32](repeating: 0, count: headerInts - 8)
        let byteCount = headerInts * 4 + steps * 12 + table.count * 4
        let tensor = try! Tensor(zeros: .uint8, shape: [byteCount])
        var cursor = tensor.rawPointer
        for part in [header.withUnsafeBytes { Array($0) }, values.withUnsafeBytes { Array($0) },
                     indices.withUnsafeBytes { Array($0) }, table.withUnsafeBytes { Array($0) }] {
            part.withUnsafeBytes { cursor.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            cursor += part.count
        }
        return tensor
    }

    /// The pair `index` of `chunk`: output rows (B is -1 for the odd row out), steps and first step.
    @inline(__always)
    func pair(chunk c: Int, _ index: Int) -> (rowA: Int, rowB: Int, steps: Int, first: Int) {
        let entry = pairTable + (c * pairsPerChunk + index) * 4
        return (Int(entry[0]), Int(entry[1]), Int(entry[2]), Int(entry[3]))
    }
}
