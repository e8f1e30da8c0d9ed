/// uint8 weights of a `MatMulInteger` or `ConvInteger` that do not fit in int8 less their zero point z (ONNX Runtime's
/// dynamic quantizer with `QUInt8` weights puts z anywhere in 0...255): they are packed less 128 instead, which always
/// fits, and each int32 output is corrected afterwards, exactly:
///
///     Σₖ (a[t, k] − a₀)(w[k, n] − z[n]) = Σₖ (a[t, k] − a₀)(w[k, n] − 128) + (128 − z[n]) · Σₖ (a[t, k] − a₀)
///
/// where k runs over a row of A, or over a convolution window's channels and in-bounds taps.
struct WeightRecentering {
    /// The zero point the weights were packed less instead of their own.
    static let packedZero = 128
    /// Per output feature n: 128 − z[n].
    let offsets: [Int32]

    /// The correction for `features` output features with weight zero points `weightZero` (one, or one per feature).
    init(weightZero: [Int], features: Int) {
        offsets = (0..<features).map { Int32(Self.packedZero - (weightZero.count == 1 ? weightZero[0] : weightZero[$0])) }
    }

    /// Adds (128 − z[n]) · Σₖ (a[t, k] − a₀) to every int32 output y[t, n] (`tokens` rows of `depth` bytes in `a`, in the
    /// layer's activation type; `layer` gives their zero point and the int8 flip).
    func correct(_ y: Tensor, activations a: Tensor, tokens: Int, depth: Int, _ layer: QS8Layer, _ context: KernelContext) {
        let n = offsets.count, flip = layer.flip, zero = layer.inputZero
        let aBytes = a.rawPointer.assumingMemoryBound(to: UInt8.self), out = y.rawPointer.assumingMemoryBound(to: Int32.self)
        offsets.withUnsafeBufferPointer { offsets in
            context.pool.parallelFor(tokens) { t, _ in
                let row = aBytes + t * depth
                var sum: Int32 = 0
                for k in 0..<depth { sum &+= Int32(row[k] ^ flip) }
                let centered = sum &- Int32(depth) &* zero
                let yRow = out + t * n
                for f in 0..<n { yRow[f] &+= offsets[f] &* centered }
            }
        }
    }

    /// Adds (128 − z[m]) · Σ (x − x₀) over each output pixel's window (every channel, the taps inside the image) to the
    /// int32 output y[image, m, pixel] of a convolution of `x` (NCHW, in the layer's activation type) over `window`.
    func correctConvolution(_ y: Tensor, input x: Tensor, window: SpatialWindow, _ layer: QS8Layer, _ context: KernelContext) {
        let images = x.shape[0], channels = x.shape[1], inPlane = window.inputCount, plane = window.outputCount
        let m = offsets.count, flip = layer.flip, zero = layer.inputZero, sources = window.sourceTable()
        let xBytes = x.rawPointer.assumingMemoryBound(to: UInt8.self), out = y.rawPointer.assumingMemoryBound(to: Int32.self)
        offsets.withUnsafeBufferPointer { offsets in
            context.pool.parallelFor(images) { image, _ in
                var channelSums = [Int32](repeating: 0, count: inPlane)
                for c in 0..<channels {
                    let row = xBytes + (image * channels + c) * inPlane
                    for i in 0..<inPlane { channelSums[i] &+= Int32(row[i] ^ flip) &- zero }
                }
                var windowSums = [Int32](repeating: 0, count: plane)
                for taps in sources {
                    for p in 0..<plane where taps[p] >= 0 { windowSums[p] &+= channelSums[taps[p]] }
                }
                for f in 0..<m {
                    let yPlane = out + (image * m + f) * plane
                    for p in 0..<plane { yPlane[p] &+= offsets[f] &* windowSums[p] }
                }
            }
        }
    }
}

/// A layer's packed weights and, when they were packed less 128 instead of their zero points, the correction of its
/// outputs.
struct RecenteredWeights {
    let weights: QS8Weights
    let recentering: WeightRecentering?
}

/// A layer ready for the kernels and, when its weights were packed less 128, the correction of its outputs.
typealias RecenteredLayer = (layer: QS8Layer, recentering: WeightRecentering?)

extension QuantizedOperands {
    /// The weights packed less their zero points or, for an int32-output node (`MatMulInteger`, `ConvInteger`) whose
    /// uint8 weights do not fit, less 128 with the correction; nil when neither fits. `weight(row, k, zero)` is a
    /// weight before its zero point is subtracted, `zero` the zero points it is packed less (for padding).
    func packRecentering(rows: Int, depth: Int, sparse: Bool, weight: (Int, Int, [Int]) -> Int) -> RecenteredWeights? {
        if let packed = QS8Layer.packWeights(rows: rows, depth: depth, weightZero: weightZero, sparse: sparse, weight: { weight($0, $1, weightZero) }) {
            return RecenteredWeights(weights: packed, recentering: nil)
        }
        let zero = [WeightRecentering.packedZero]
        guard output == nil, w.dataType == .uint8,
              let packed = QS8Layer.packWeights(rows: rows, depth: depth, weightZero: zero, sparse: sparse, weight: { weight($0, $1, zero) })
        else { return nil }
        return RecenteredWeights(weights: packed, recentering: WeightRecentering(weightZero: weightZero, features: rows))
    }

    /// The layer of `rows` output channels over `packed` weights, with their correction (nil = the kernels cannot run it).
    func layer(rows: Int, packed: RecenteredWeights?, relu: Bool) -> RecenteredLayer? {
        guard let packed, let layer = layer(rows: rows, packed: packed.weights, relu: relu) else { return nil }
        return (layer: layer, recentering: packed.recentering)
    }
}
