/// The activations and results of a sparse `MatMul` or `Gemm` whose right operand W (K×N) is the constant,
/// for `spmm`: the product is computed transposed, Yᵀ = Wᵀ·Xᵀ, so the rows are W's N output features and the
/// vectorized "pixels" are X's rows (tokens, or images of a batch). The panel is a transposed block of X;
/// results are written back transposed into the row-major [tokens, N] output, after the activation.
struct LinearSpMMOperands: SpMMOperands {
    /// X, [tokens, K] row-major.
    let x: UnsafePointer<Float>
    /// Y, [tokens, N] row-major.
    let y: UnsafeMutablePointer<Float>
    let tokens: Int, k: Int, n: Int
    /// One value per output feature, added before the activation (a fused bias), or nil.
    let bias: UnsafePointer<Float>?
    /// Add the product to what Y holds (a `Gemm`'s beta·C) instead of overwriting it.
    let accumulate: Bool
    let activation: FusedActivation

    var imagePixels: Int { tokens }
    var images: Int { 1 }
    var inPlace: SpMMInPlace? { nil }
    var clamp: (low: Float, high: Float) { activation.bounds }

    func bias(_ row: Int) -> Float { bias?[row] ?? 0 }

    /// Tokens are columns of the transposed product, so results are always transposed back by `store`.
    func directOutput(pixel0: Int) -> SpMMDirectOutput? { nil }

    func pack(_ panel: UnsafeMutablePointer<Float>, width: Int, k0: Int, kc: Int, pixel0: Int, count: Int) {
        if count < width {
            for r in 0..<kc { (panel + r * width + count).update(repeating: 0, count: width - count) }
        }
        for q in 0..<count {
            let source = x + (pixel0 + q) * k + k0
            for r in 0..<kc { panel[r * width + q] = source[r] }
        }
    }

    /// Transposes the tile back in slabs of 16 rows: the slab's rows of the tile (4 KiB) stay in L1 while each
    /// token's 16 outputs are written as one contiguous run.
    func store(_ tile: UnsafePointer<Float>, width: Int, rows: Range<Int>, pixel0: Int, count: Int) {
        for slab in stride(from: rows.lowerBound, to: rows.upperBound, by: 16) {
            let slabEnd = min(slab + 16, rows.upperBound)
            let source = tile + (slab - rows.lowerBound) * width
            for q in 0..<count {
                let destination = y + (pixel0 + q) * n + slab
                for r in 0..<(slabEnd - slab) {
                    let value = source[r * width + q] + (bias?[slab + r] ?? 0)
                    destination[r] = accumulate ? destination[r] + value : value
                }
                activation.apply(destination, slabEnd - slab)
            }
        }
    }
}
