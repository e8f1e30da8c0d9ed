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
    /// Add the product to what Y holds (a `Gemm`'s beta·C) instead of overwriting it.
    let accumulate: Bool
    let activation: FusedActivation

    var imagePixels: Int { tokens }
    var images: Int { 1 }
    var inPlace: SpMMInPlace? { nil }
    var clamp: (low: Float, high: Float) { activation.bounds }

    func bias(_ row: Int) -> Float { 0 }

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

    func store(_ tile: UnsafePointer<Float>, width: Int, rows: Range<Int>, pixel0: Int, count: Int) {
        for q in 0..<count {
            let destination = y + (pixel0 + q) * n
            for m in rows {
                let value = tile[(m - rows.lowerBound) * width + q]
                destination[m] = accumulate ? destination[m] + value : value
            }
            activation.apply(destination + rows.lowerBound, rows.count)
        }
    }
}
