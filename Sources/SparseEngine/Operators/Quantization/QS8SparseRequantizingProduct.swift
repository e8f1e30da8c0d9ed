/// A sparse layer's rows computed and requantized by the sparse microkernel (`QS8KernelSet.SparseRowKernel.runRequantize`):
/// the spans of K as `QS8TileProduct` runs them, the last span writing the output bytes through the tile's stores, so the
/// int32 tile is neither finished nor requantized in a second pass. Plain pointers into the layer, valid inside
/// `QS8Layer.withSparseRequantizingProduct`.
struct QS8SparseRequantizingProduct {
    let kernel: QS8KernelSet.SparseRowKernel
    let weights: QS8SparseWeights
    /// Chunks of K per call: all of them for the convolutions, shorter spans (`QS8TileProduct.span`) in the tests.
    let span: Int
    /// Per padded row, as `QS8Layer.bias` and `QS8Layer.Requantization.scale`.
    let bias: UnsafePointer<Int32>
    let scale: UnsafePointer<Float>
    let zeroPoint: Int32
    let low: Int32
    let high: Int32

    /// The row tiles `tiles` over one tile of packed activations, `QS8TileProduct.sparseTilesPerCall` of them a call: the
    /// sums of the spans before the last go through `acc` (32 × `kernel.nr`), the last span's rows are requantized through
    /// `stores` (byte offsets from `y`, row r at `y + r·ldy`). A nonzero `groupBytes` says every group's activations lie that
    /// many bytes after the previous group's (`offsets[g] = g · groupBytes`, a pointwise convolution): the kernel's last span
    /// then computes each step's address instead of reading the table, one dependent load fewer per step. `stepOffsets`, where
    /// given, are every step's byte offset (`offsets` of its group, looked up once per run by `stepOffsets(_:into:)`): the last
    /// span reads them as groups one byte apart, for the same saving on any layer.
    func compute(tiles: Range<Int>, activations: UnsafePointer<UInt8>, offsets: UnsafePointer<Int32>, groupBytes: Int = 0,
                 stepOffsets: UnsafePointer<UInt32>? = nil, acc: UnsafeMutablePointer<Int32>, stores: QS8SpmmStores,
                 y: UnsafeMutablePointer<UInt8>, ldy: Int) {
        let lastSpanGroups = stepOffsets ?? weights.stepGroups, lastSpanGroupBytes = stepOffsets == nil ? groupBytes : 1
        let w = weights, nr = kernel.nr
        for tile in stride(from: tiles.lowerBound, to: tiles.upperBound, by: QS8TileProduct.sparseTilesPerCall) {
            let row0 = tile * 8, rows = min(8 * QS8TileProduct.sparseTilesPerCall, w.rows - row0)
            for first in stride(from: 0, to: max(w.chunks, 1), by: span) {
                let starts = w.chunkStarts(row: row0, chunk: first), count = min(span, w.chunks - first)
                if first + span < w.chunks {
                    kernel.run(rows, starts, w.chunks + 1, count, w.stepGroups, w.stepWeights, activations, offsets, acc, nr, first > 0)
                } else {
                    kernel.runRequantize(rows, starts, w.chunks + 1, count, lastSpanGroups, w.stepWeights, activations, offsets, acc, nr,
                                         first > 0, stores.entries, stores.count, bias + row0, scale + row0, zeroPoint, low, high,
                                         y + row0 * ldy, ldy, lastSpanGroupBytes)
                }
            }
        }
    }

    /// Writes every step's byte offset, `offsets[group]`, into `into` (`weights.nonzeroGroups` entries), for `compute`.
    func stepOffsets(_ offsets: UnsafePointer<Int32>, into: UnsafeMutablePointer<UInt32>) {
        let groups = weights.stepGroups
        for step in 0..<weights.nonzeroGroups { into[step] = UInt32(bitPattern: offsets[Int(groups[step])]) }
    }
}

extension QS8Layer {
    /// Runs `body` with the product that requantizes this layer's outputs in the sparse microkernel, or with nil for dense
    /// weights and int32 outputs. `columns` chooses the kernel's width as `QS8TileProduct` does. K goes through in one span:
    /// on ResNet-50 pruned 90 % in 4-blocks (one core, alternating runs) that cost 2-7 % less than `QS8TileProduct.span`'s
    /// L1-sized spans, whose carried int32 tile and per-span calls outweigh the activations they keep in L1.
    func withSparseRequantizingProduct<R>(_ kernels: QS8KernelSet, columns: Int, _ body: (QS8SparseRequantizingProduct?) throws -> R) rethrows -> R {
        guard case .sparse(let w) = weights, let q = requantization else { return try body(nil) }
        let kernel = kernels.spmm(columns: columns)
        return try bias.withUnsafeBufferPointer { b in
            try q.scale.withUnsafeBufferPointer { s in
                try body(QS8SparseRequantizingProduct(kernel: kernel, weights: w, span: max(1, w.chunks), bias: b.baseAddress!,
                                                      scale: s.baseAddress!, zeroPoint: q.zeroPoint, low: q.low, high: q.high))
            }
        }
    }
}
