/// A quantized layer's weights in the form its kernels read: every group for the dense GEMM microkernels, or the
/// nonzero groups alone for the sparse ones (`QuantizedSparseSelection` decides which, per layer).
enum QS8Weights {
    case dense(QS8PackedWeights)
    case sparse(QS8SparseWeights)

    /// Output channels.
    var rows: Int {
        switch self {
        case .dense(let w): return w.rows
        case .sparse(let w): return w.rows
        }
    }

    /// Groups of 4 along K.
    var kgroups: Int {
        switch self {
        case .dense(let w): return w.kgroups
        case .sparse(let w): return w.kgroups
        }
    }

    /// Tiles of 8 rows: the epilogue's bias and scales are padded to them.
    var tiles: Int { (rows + 7) / 8 }

    /// Σ_k w[row, k], per row, padded to `tiles` × 8.
    var rowSums: [Int32] {
        switch self {
        case .dense(let w): return w.rowSums
        case .sparse(let w): return w.rowSums
        }
    }

    /// Bytes held by the packing.
    var byteCount: Int {
        switch self {
        case .dense(let w): return w.byteCount
        case .sparse(let w): return w.byteCount
        }
    }
}
