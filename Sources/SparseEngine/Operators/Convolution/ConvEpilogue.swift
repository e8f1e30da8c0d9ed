/// What a convolution does to its sums on the way out: add the bias and, when `AddFusion` folded a residual
/// `Add` of the output's own shape into it, that operand, then apply the fused activation (as bounds). Applied
/// to finished tiles while they are still in cache, so no pass over the whole output follows.
struct ConvEpilogue {
    /// One value per output channel, or nil.
    let bias: UnsafePointer<Float>?
    /// An operand laid out like the output, added before the activation, or nil.
    let residual: UnsafePointer<Float>?
    /// The activation as bounds: outputs are clamped to `lo...hi`.
    let lo: Float, hi: Float
    let kernel: KernelConfig.EpilogueMicrokernel
    let transposingKernel: KernelConfig.TransposingEpilogueMicrokernel

    init(bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, activation: FusedActivation, kernels: KernelConfig) {
        self.bias = bias
        self.residual = residual
        switch activation {
        case .none: (lo, hi) = (-.infinity, .infinity)
        case .relu: (lo, hi) = (0, .infinity)
        case .clip(let low, let high): (lo, hi) = (low, high)
        }
        kernel = kernels.epilogue
        transposingKernel = kernels.transposingEpilogue
    }

    /// Output channels `channel ..< channel + rows`, each at `count` consecutive outputs: `y[offset + r·ldy + j]`
    /// from `sums[r·ldSums + j]`.
    @inline(__always)
    func store(rows: Int, count: Int, _ sums: UnsafePointer<Float>, ldSums: Int, channel: Int,
               into y: UnsafeMutablePointer<Float>, at offset: Int, ldy: Int) {
        kernel(rows, count, sums, ldSums, bias.map { $0 + channel }, residual.map { $0 + offset }, y + offset, ldy, lo, hi)
    }

    /// The same from transposed sums: `y[offset + r·ldy + j]` from `sums[j·ldSums + r]`; runs of 8 outputs go
    /// through the transposing kernel.
    func storeTransposed(rows: Int, count: Int, _ sums: UnsafePointer<Float>, ldSums: Int, channel: Int,
                         into y: UnsafeMutablePointer<Float>, at offset: Int, ldy: Int) {
        var done = 0
        while done + 8 <= count {
            transposingKernel(rows, sums + done * ldSums, ldSums, bias.map { $0 + channel }, residual.map { $0 + offset + done },
                              y + offset + done, ldy, lo, hi)
            done += 8
        }
        if done < count { storeTransposedTail(rows: rows, count: count - done, sums + done * ldSums, ldSums: ldSums, channel: channel,
                                              into: y, at: offset + done, ldy: ldy) }
    }

    /// `storeTransposed` for fewer than 8 outputs, one by one.
    private func storeTransposedTail(rows: Int, count: Int, _ sums: UnsafePointer<Float>, ldSums: Int, channel: Int,
                                     into y: UnsafeMutablePointer<Float>, at offset: Int, ldy: Int) {
        let lo = lo, hi = hi
        for r in 0..<rows {
            let b = bias?[channel + r] ?? 0, destination = y + offset + r * ldy, column = sums + r
            if let residual {
                let addend = residual + offset + r * ldy
                for j in 0..<count { destination[j] = column[j * ldSums] + b + addend[j] }
            } else {
                for j in 0..<count { destination[j] = column[j * ldSums] + b }
            }
            // Comparisons rather than min/max, which branch on NaN.
            for j in 0..<count {
                let v = destination[j]
                destination[j] = v < lo ? lo : (v > hi ? hi : v)
            }
        }
    }
}
