import CSparseEngineCPU

/// What a convolution does to its sums on the way out: add the bias and, when `AddFusion` folded a residual
/// `Add` of the output's own shape into it, that operand, then apply the fused activation (as bounds) and a
/// SiLU folded in by `SiLUFusion`. Applied to finished tiles while they are still in cache, so no pass over the
/// whole output follows (YOLOv5s: the separate SiLU pass and the epilogue took 13.8 % of the time, now 12.1 %).
struct ConvEpilogue {
    /// One value per output channel, or nil.
    let bias: UnsafePointer<Float>?
    /// An operand laid out like the output, added before the activation, or nil.
    let residual: UnsafePointer<Float>?
    /// The activation as bounds: outputs are clamped to `lo...hi`.
    let lo: Float, hi: Float
    /// The vector SiLU applied last, or nil.
    let silu: KernelConfig.VectorFunction?
    let kernel: KernelConfig.EpilogueMicrokernel
    let transposingKernel: KernelConfig.TransposingEpilogueMicrokernel

    init(bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, activation: FusedActivation, silu: Bool,
         kernels: KernelConfig) {
        self.bias = bias
        self.residual = residual
        self.silu = silu ? kernels.silu : nil
        switch activation {
        case .none: (lo, hi) = (-.infinity, .infinity)
        case .relu: (lo, hi) = (0, .infinity)
        case .clip(let low, let high): (lo, hi) = (low, high)
        }
        kernel = kernels.epilogue
        transposingKernel = kernels.transposingEpilogue
    }

    /// This epilogue with only the residual left, when all the rest can be applied to a whole tile in place.
    private init(residualOf other: ConvEpilogue) {
        (bias, residual, lo, hi, silu) = (nil, other.residual, -.infinity, .infinity, nil)
        (kernel, transposingKernel) = (other.kernel, other.transposingKernel)
    }

    /// With a SiLU and no residual, applies bias, bounds and SiLU to a whole tile of `rows` channels × `width`
    /// sums (contiguous rows) in place and returns the epilogue that is left, a plain copy: the stores of an
    /// image's runs are then no short vectors with scalar tails (3×3 convolutions cut their 32-pixel tiles at
    /// every output row end). Otherwise leaves the tile and returns this epilogue.
    func applyingToTile(_ tile: UnsafeMutablePointer<Float>, rows: Int, width: Int, channel: Int) -> ConvEpilogue {
        guard let silu, residual == nil else { return self }
        kernel(rows, width, tile, width, bias.map { $0 + channel }, nil, tile, width, lo, hi)
        silu(tile, tile, rows * width)
        return ConvEpilogue(residualOf: self)
    }

    /// Output channels `channel ..< channel + rows`, each at `count` consecutive outputs: `y[offset + r·ldy + j]`
    /// from `sums[r·ldSums + j]`.
    @inline(__always)
    func store(rows: Int, count: Int, _ sums: UnsafePointer<Float>, ldSums: Int, channel: Int,
               into y: UnsafeMutablePointer<Float>, at offset: Int, ldy: Int) {
        kernel(rows, count, sums, ldSums, bias.map { $0 + channel }, residual.map { $0 + offset }, y + offset, ldy, lo, hi)
        applySiLU(rows: rows, count: count, y + offset, ldy: ldy)
    }

    /// The SiLU, if any, on `count` outputs of each of `rows` channels just stored at `y` (still in cache).
    @inline(__always)
    private func applySiLU(rows: Int, count: Int, _ y: UnsafeMutablePointer<Float>, ldy: Int) {
        guard let silu else { return }
        for r in 0..<rows { silu(y + r * ldy, y + r * ldy, count) }
    }

    /// How far ahead (in outputs) `storeTransposed` prefetches each channel's outputs and residual: it writes
    /// 8 outputs to each of up to 32 channels at a time.
    /// ResNet-50, single-core CPU time: batch 16 766 → 716 ms, 755 → 741 and 742.6 → 716.8 ms in three pairs of
    /// runs (128 ahead: no gain), batch 1 43.1 → 41.0 ms.
    static let transposedPrefetchDistance = 64

    /// Prefetches `lines` cache lines from `y[offset + r·ldy]`, and the residual's, for r in `0..<rows`: outputs a
    /// later store writes, one stream per output channel (more than the hardware prefetcher follows).
    func prefetch(rows: Int, lines: Int, at offset: Int, into y: UnsafeMutablePointer<Float>, ldy: Int) {
        for r in 0..<rows {
            for line in 0..<lines {
                zoo_prefetch(UnsafeRawPointer(y + offset + r * ldy) + line * 64)
                if let residual { zoo_prefetch(UnsafeRawPointer(residual + offset + r * ldy) + line * 64) }
            }
        }
    }

    /// The same from transposed sums: `y[offset + r·ldy + j]` from `sums[j·ldSums + r]`; runs of 8 outputs go
    /// through the transposing kernel.
    func storeTransposed(rows: Int, count: Int, _ sums: UnsafePointer<Float>, ldSums: Int, channel: Int,
                         into y: UnsafeMutablePointer<Float>, at offset: Int, ldy: Int) {
        var done = 0
        while done + 8 <= count {
            if done % 16 == 0 && done + Self.transposedPrefetchDistance < count {
                prefetch(rows: rows, lines: 1, at: offset + done + Self.transposedPrefetchDistance, into: y, ldy: ldy)
            }
            transposingKernel(rows, sums + done * ldSums, ldSums, bias.map { $0 + channel }, residual.map { $0 + offset + done },
                              y + offset + done, ldy, lo, hi)
            done += 8
        }
        if done < count { storeTransposedTail(rows: rows, count: count - done, sums + done * ldSums, ldSums: ldSums, channel: channel,
                                              into: y, at: offset + done, ldy: ldy) }
        applySiLU(rows: rows, count: count, y + offset, ldy: ldy)
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
