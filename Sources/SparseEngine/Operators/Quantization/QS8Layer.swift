import Foundation

/// What the INT8 kernels need of a quantized linear layer (`QLinearConv`, `QLinearMatMul`, `ConvInteger`,
/// `MatMulInteger`, and the QDQ patterns `QDQFusion` turns into them): the packed weights, the activations'
/// zero point, and the epilogue (per-row int32 bias with the zero point folded in, then either requantization
/// to 8 bits or the raw int32 sums).
///
/// The kernels multiply uint8 activations by int8 weights. int8 activations are shifted by +128 as they are
/// packed (`flip`), their zero point with them. Weights must be int8 after subtracting their zero point; a
/// `MatMulInteger` or `ConvInteger` whose uint8 weights do not fit is packed less 128 and corrected
/// (`WeightRecentering`), other layers whose weights do not fit are left to the reference operator.
struct QS8Layer {
    /// The packed weights, rows = output channels.
    let weights: QS8Weights
    /// 0x80 when the activations are int8 (packed as uint8 = int8 + 128), else 0.
    let flip: UInt8
    /// The activations' zero point as the kernels see it (uint8, after `flip`).
    let inputZero: Int32
    /// Per padded row: the layer's int32 bias less `inputZero · Σ w`.
    let bias: [Int32]
    /// Requantization to 8 bits, or nil for int32 outputs (`ConvInteger`, `MatMulInteger`).
    let requantization: Requantization?

    /// Scale, zero point and range of the 8-bit output.
    struct Requantization {
        /// Per padded row: `x_scale · w_scale[row] / y_scale`.
        let scale: [Float]
        let zeroPoint: Int32
        /// The output type's range, the lower bound raised to the zero point by a fused Relu.
        let low: Int32
        let high: Int32
    }

    /// The packing of weights given as `rows` × `depth` values `weight(row, k)` (zero points not yet subtracted),
    /// for the sparse kernels when `sparse`, or nil when they do not fit in int8 after subtracting `weightZero[row]`.
    static func packWeights(rows: Int, depth: Int, weightZero: [Int], sparse: Bool, weight: (Int, Int) -> Int) -> QS8Weights? {
        for row in 0..<rows {
            let z = weightZero.count == 1 ? weightZero[0] : weightZero[row]
            for k in 0..<depth where !(-128...127).contains(weight(row, k) - z) { return nil }
        }
        let centered = { (row: Int, k: Int) in Int8(weight(row, k) - (weightZero.count == 1 ? weightZero[0] : weightZero[row])) }
        return sparse ? .sparse(QS8SparseWeights(rows: rows, depth: depth, weight: centered))
                      : .dense(QS8PackedWeights(rows: rows, depth: depth, weight: centered))
    }

    init(weights: QS8Weights, inputType: DataType, inputZero: Int, bias: [Int32]?, requantization: Requantization?) {
        self.weights = weights
        flip = inputType == .int8 ? 0x80 : 0
        let zero = Int32(inputZero + (inputType == .int8 ? 128 : 0))
        self.inputZero = zero
        let padded = weights.tiles * 8
        self.bias = (0..<padded).map { row in
            (row < weights.rows ? bias?[row] ?? 0 : 0) &- zero &* weights.rowSums[row]
        }
        self.requantization = requantization
    }

    /// The activations' fill byte for padding (their zero point, before `flip`).
    var fill: UInt8 { UInt8(truncatingIfNeeded: inputZero) ^ flip }

    /// Runs `body` with the product that writes this layer's outputs from the microkernel's epilogue (no int32 tile, no
    /// second pass), or with nil for sparse weights and int32 outputs (they go through `QS8TileProduct` and `finish`).
    func withRequantizingProduct<R>(_ kernels: QS8KernelSet, _ body: (QS8RequantizingProduct?) throws -> R) rethrows -> R {
        guard case .dense(let w) = weights, let q = requantization else { return try body(nil) }
        return try bias.withUnsafeBufferPointer { b in
            try q.scale.withUnsafeBufferPointer { s in
                try body(QS8RequantizingProduct(kernel: kernels.igemmRequantize, channelKernel: kernels.igemmc, kgroups: w.kgroups,
                                                weights: w.tile(0), bias: b.baseAddress!,
                                                scale: s.baseAddress!, zeroPoint: q.zeroPoint, low: q.low, high: q.high))
            }
        }
    }

    /// Writes rows `row0..<row0 + rows` × `cols` accumulators (row stride `ldacc`) to `y` as the layer's
    /// outputs: element (r, p) goes to `y[(row0 + r) · ldyRow + p · ldyCol]` (in elements of y's type).
    func finish(rows: Int, cols: Int, row0: Int, acc: UnsafePointer<Int32>, ldacc: Int, y: UnsafeMutableRawPointer,
                ldyRow: Int, ldyCol: Int, kernels: QS8KernelSet) {
        guard let q = requantization else {
            let out = y.assumingMemoryBound(to: Int32.self) + row0 * ldyRow
            if ldyRow == 1 {
                // Y row-major over these rows (a MatMul's features): write each column's rows in order, not one
                // cache line per value.
                for p in 0..<cols {
                    for r in 0..<rows { out[r + p * ldyCol] = acc[r * ldacc + p] &+ bias[row0 + r] }
                }
            } else {
                for r in 0..<rows {
                    let b = bias[row0 + r]
                    for p in 0..<cols { out[r * ldyRow + p * ldyCol] = acc[r * ldacc + p] &+ b }
                }
            }
            return
        }
        bias.withUnsafeBufferPointer { b in
            q.scale.withUnsafeBufferPointer { s in
                kernels.requantize(rows, cols, acc, ldacc, b.baseAddress! + row0, s.baseAddress! + row0, q.zeroPoint, q.low, q.high,
                                   y.assumingMemoryBound(to: UInt8.self) + row0 * ldyRow, ldyRow, ldyCol)
            }
        }
    }
}

/// A dense layer's tiles of 8 rows computed and requantized by one microkernel call (`QS8KernelSet.igemmRequantize`):
/// plain pointers into the layer, valid inside `QS8Layer.withRequantizingProduct`, so the per-tile call retains nothing.
struct QS8RequantizingProduct {
    let kernel: QS8KernelSet.IgemmRequantizeMicrokernel
    /// The channel-lane microkernel, where the kernel set has one.
    let channelKernel: QS8KernelSet.IgemmcMicrokernel?
    let kgroups: Int
    /// Tile 0 of the packed weights; tile t starts `t · kgroups · 32` bytes on.
    let weights: UnsafePointer<Int8>
    /// Per padded row, as `QS8Layer.bias` and `QS8Layer.Requantization.scale`.
    let bias: UnsafePointer<Int32>
    let scale: UnsafePointer<Float>
    let zeroPoint: Int32
    let low: Int32
    let high: Int32

    /// Rows `tile·8 ..< tile·8 + rows` (any number: tiles of 8 one after another in one call) over one tile of packed
    /// activations: row r's kept columns (the bits of `keep`) go to consecutive bytes from `y + r·ldy`.
    func compute(tile: Int, rows: Int, activations: UnsafePointer<UInt8>, offsets: UnsafePointer<Int32>, keep: UInt32,
                 y: UnsafeMutablePointer<UInt8>, ldy: Int) {
        kernel(kgroups, weights + tile * kgroups * 32, activations, offsets, rows, keep, bias + tile * 8, scale + tile * 8,
               zeroPoint, low, high, y, ldy)
    }

    /// Rows `tile·8 ..< tile·8 + rows` (at most 32) over one or two runs of consecutive pixels with the channel-lane
    /// microkernel: pixel p of a run reads its activations at `activations + groupOffsets[g] + run.start + 4p` and writes its
    /// bytes at `run.y + r·ldy + p`.
    func computeChannels(tile: Int, rows: Int, activations: UnsafePointer<UInt8>, offsets: UnsafePointer<Int32>,
                         _ first: ChannelLaneRun, _ second: ChannelLaneRun?, ldy: Int) {
        // The kernel computes its second run as long as the first: the longer run goes first.
        let (run0, run1) = second.map { $0.pixels > first.pixels ? ($0, first) : (first, $0) } ?? (first, nil)
        channelKernel!(kgroups, run0.pixels, run1?.pixels ?? 0, rows, weights + tile * kgroups * 32, kgroups * 32, activations, offsets,
                       run0.start, run1?.start ?? 0, bias + tile * 8, scale + tile * 8, zeroPoint, low, high, run0.y, run1?.y ?? run0.y, ldy)
    }
}

/// Consecutive output pixels (at most 7) the channel-lane microkernel computes together: where the first one's
/// activations start (bytes from the packed activations, whose next pixels follow 4 bytes apart) and its output byte.
struct ChannelLaneRun {
    let start: Int32
    let pixels: Int
    let y: UnsafeMutablePointer<UInt8>
}

/// A layer's packed weights and its `QS8Layer` (bias, scales), made on first use and kept while every operand but the
/// activations is a constant of the session (in any model whose weights and quantization parameters are
/// initializers): the next runs skip reading the parameters and building the epilogue. When only the activations'
/// zero point changes from run to run (a dynamically quantized model's, computed by `DynamicQuantizeLinear`), the
/// packing is kept and only the layer is made anew, which takes a pass over its rows. A layer whose other operands
/// are computed at run time is packed anew every run.
///
/// `Packing` is what `pack` makes of the weights (nil inside: the kernels cannot hold them); `Layer` is what `make`
/// builds from it for this run's operands.
final class QS8LayerCache<Packing, Layer>: @unchecked Sendable {
    private let lock = NSLock()
    private var address: UInt = 0
    private var packing: Packing?
    private var cached: Layer??

    /// The position of the activations' zero point among the inputs of every quantized linear node (`QLinearConv`,
    /// `QLinearMatMul`, `ConvInteger`, `MatMulInteger`).
    static var inputZeroIndex: Int { 2 }

    /// The layer for `inputs` (activations first, then the node's other operands, `weight` among them): `make` of
    /// `pack`'s packing (nil = the kernels cannot run it).
    func layer(for inputs: [Tensor?], weight: Tensor, _ context: KernelContext, pack: () throws -> Packing,
               make: (Packing) throws -> Layer?) rethrows -> Layer? {
        func isConstant(_ index: Int) -> Bool {
            inputs[index].map { context.gemmWorkspace.isConstant($0.rawPointer, byteCount: $0.byteCount) } ?? true
        }
        let zeroIndex = Self.inputZeroIndex
        guard inputs.indices.dropFirst().allSatisfy({ $0 == zeroIndex || isConstant($0) }) else { return try make(try pack()) }
        let zeroIsConstant = zeroIndex >= inputs.count || isConstant(zeroIndex)
        lock.lock()
        defer { lock.unlock() }
        let key = UInt(bitPattern: weight.rawPointer)
        if key != address {
            address = key
            packing = nil
            cached = nil
        }
        if zeroIsConstant, let cached { return cached }
        let packed: Packing
        if let packing { packed = packing } else {
            packed = try pack()
            packing = packed
        }
        let fresh = try make(packed)
        if zeroIsConstant { cached = .some(fresh) }
        return fresh
    }
}
