/// How a quantized layer computes the int32 sums of a run of output rows over `nr` pixels (or tokens): the dense
/// GEMM microkernel over every weight group, 8 rows a call, or the sparse microkernel over each row's nonzero
/// groups, `tilesPerCall` tiles of 8 rows a call and a span of K at a time.
/// The convolution and MatMul operators drive either the same way: they pack activations with `nr` columns of room,
/// then call `compute` per run of tiles and requantize (a dense convolution with 8-bit outputs requantizes in the
/// microkernel instead, `QS8RequantizingProduct`).
struct QS8TileProduct {
    /// Columns per tile; the accumulators' row stride.
    let nr: Int
    /// Tiles of 8 rows that one `compute` covers.
    let tilesPerCall: Int
    /// Bytes of packed weights per tile of 8 rows, on average: sizes the blocks of tiles that stay in L2.
    let bytesPerTile: Int
    /// `(tile, rows, activations, groupOffsets, acc)`: the sums of rows `tile·8 ..< tile·8 + rows` (at most
    /// `tilesPerCall` × 8) into `acc`, row stride `nr`.
    let compute: (Int, Int, UnsafePointer<UInt8>, UnsafePointer<Int32>, UnsafeMutablePointer<Int32>) -> Void

    /// The product for `weights` on `kernels`, the sparse width chosen for `columns` pixels.
    init(_ weights: QS8Weights, kernels: QS8KernelSet, columns: Int) {
        switch weights {
        case .dense(let w):
            let nr = kernels.nr, igemm = kernels.igemm
            self.nr = nr
            tilesPerCall = 1
            bytesPerTile = w.kgroups * 32
            compute = { tile, _, activations, offsets, acc in igemm(w.kgroups, w.tile(tile), activations, offsets, acc, nr) }
        case .sparse(let w):
            let kernel = kernels.spmm(columns: columns), nr = kernel.nr
            self.nr = nr
            // 32 rows go through one span of K chunks before the next (`span`).
            tilesPerCall = Self.sparseTilesPerCall
            bytesPerTile = max(64, w.byteCount / max(1, weights.tiles))
            let span = Self.span(w, nr: nr)
            compute = { tile, rows, activations, offsets, acc in
                for first in stride(from: 0, to: max(w.chunks, 1), by: span) {
                    kernel.run(rows, w.chunkStarts(row: tile * 8, chunk: first), w.chunks + 1, min(span, w.chunks - first),
                               w.stepGroups, w.stepWeights, activations, offsets, acc, nr, first > 0)
                }
            }
        }
    }

    /// Tiles of 8 rows that one call of a sparse kernel covers (a span of K goes over all of them before the next).
    static let sparseTilesPerCall = 4

    /// Chunks of K that the sparse kernel of width `nr` runs over a block of rows before the next span: the span's
    /// activations are read from L2 once and from L1 for the other rows that use them. A span fills about 24 KiB of L1,
    /// or is longer where the rows are so sparse that a row would take fewer than about 16 steps in it.
    static func span(_ w: QS8SparseWeights, nr: Int) -> Int {
        let density = Double(w.nonzeroGroups) / Double(max(1, w.rows * w.kgroups))
        let l1Chunks = (24 << 10) / (nr * 4 * QS8SparseWeights.chunkGroups)
        return max(1, l1Chunks, Int((1 / max(density, 0.01)).rounded(.up)))
    }
}
