/// An f32 elementwise operation of two tensors.
enum F32BinaryOp {
    case add, sub, mul, div

    /// The kernel for an ONNX operator, if it has one.
    init?(_ kind: OpKind) {
        switch kind {
        case .add: self = .add
        case .sub: self = .sub
        case .mul: self = .mul
        case .div: self = .div
        default: return nil
        }
    }
}

/// `out[i] = a[i mod aCount] op b[i mod bCount]` for `count` floats, where `aCount` and `bCount`
/// are `count` or divide it (an operand broadcast along leading axes, e.g. a bias row or a
/// scalar). 16 lanes at a time, in parallel chunks of whole rows when large. `out` may be `a` or `b`.
func f32Binary(_ op: F32BinaryOp, _ a: UnsafePointer<Float>, aCount: Int, _ b: UnsafePointer<Float>, bCount: Int,
               _ out: UnsafeMutablePointer<Float>, count: Int, pool: ThreadPool) {
    precondition(count % aCount == 0 && count % bCount == 0, "operands must repeat a whole number of times")
    // Runs of at most `run` outputs in which neither operand restarts: the shorter operand that
    // repeats, else (operands full or scalar) fixed-size pieces of the whole.
    let repeating = [aCount, bCount].filter { $0 > 1 && $0 < count }.min()
    let run = repeating ?? min(count, 1 << 15)
    let runs = (count + run - 1) / run
    let runsPerChunk = max(1, (1 << 15) / run)
    let chunks = (runs + runsPerChunk - 1) / runsPerChunk
    pool.parallelFor(chunks) { chunk, _ in
        for r in (chunk * runsPerChunk)..<min(runs, (chunk + 1) * runsPerChunk) {
            let start = r * run, length = min(run, count - start)
            let x = a + start % aCount, y = b + start % bCount, z = out + start
            let aScalar = aCount == 1, bScalar = bCount == 1
            switch op {
            case .add: f32BinaryRun(x, y, z, length, aScalar: aScalar, bScalar: bScalar) { $0 + $1 } scalar: { $0 + $1 }
            case .sub: f32BinaryRun(x, y, z, length, aScalar: aScalar, bScalar: bScalar) { $0 - $1 } scalar: { $0 - $1 }
            case .mul: f32BinaryRun(x, y, z, length, aScalar: aScalar, bScalar: bScalar) { $0 * $1 } scalar: { $0 * $1 }
            case .div: f32BinaryRun(x, y, z, length, aScalar: aScalar, bScalar: bScalar) { $0 / $1 } scalar: { $0 / $1 }
            }
        }
    }
}

/// `out[r·span + j] = full[r·span + j] op perRow[r]` (or `perRow[r] op full[…]` when `perRowFirst`) for `rows` rows of
/// `span` floats: an operand broadcast along trailing axes, as a squeeze-and-excitation block scales each channel's
/// plane (`[1, C, H, W] · [1, C, 1, 1]`). 16 lanes at a time, in parallel chunks of whole rows. `out` may be `full`.
func f32BinaryPerRow(_ op: F32BinaryOp, full: UnsafePointer<Float>, perRow: UnsafePointer<Float>, perRowFirst: Bool,
                     _ out: UnsafeMutablePointer<Float>, rows: Int, span: Int, pool: ThreadPool) {
    let rowsPerChunk = max(1, (1 << 15) / span)
    let chunks = (rows + rowsPerChunk - 1) / rowsPerChunk
    pool.parallelFor(chunks) { chunk, _ in
        for r in (chunk * rowsPerChunk)..<min(rows, (chunk + 1) * rowsPerChunk) {
            let x = perRowFirst ? perRow + r : full + r * span, y = perRowFirst ? full + r * span : perRow + r, z = out + r * span
            switch op {
            case .add: f32BinaryRun(x, y, z, span, aScalar: perRowFirst, bScalar: !perRowFirst) { $0 + $1 } scalar: { $0 + $1 }
            case .sub: f32BinaryRun(x, y, z, span, aScalar: perRowFirst, bScalar: !perRowFirst) { $0 - $1 } scalar: { $0 - $1 }
            case .mul: f32BinaryRun(x, y, z, span, aScalar: perRowFirst, bScalar: !perRowFirst) { $0 * $1 } scalar: { $0 * $1 }
            case .div: f32BinaryRun(x, y, z, span, aScalar: perRowFirst, bScalar: !perRowFirst) { $0 / $1 } scalar: { $0 / $1 }
            }
        }
    }
}

/// One run of `length` outputs; a scalar operand (count 1) is splat instead of read.
@inline(__always)
private func f32BinaryRun(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ length: Int,
                          aScalar: Bool, bScalar: Bool, _ vector: (SIMD16<Float>, SIMD16<Float>) -> SIMD16<Float>,
                          scalar: (Float, Float) -> Float) {
    if aScalar != bScalar {
        let s = aScalar ? a[0] : b[0], splat = SIMD16<Float>(repeating: s)
        let other = aScalar ? b : a
        var i = 0
        while i + 16 <= length {
            let v = UnsafeRawPointer(other + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: aScalar ? vector(splat, v) : vector(v, splat), as: SIMD16<Float>.self)
            i += 16
        }
        while i < length {
            out[i] = aScalar ? scalar(s, other[i]) : scalar(other[i], s)
            i += 1
        }
        return
    }
    var i = 0
    while i + 16 <= length {
        let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
        let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(out + i).storeBytes(of: vector(x, y), as: SIMD16<Float>.self)
        i += 16
    }
    while i < length {
        out[i] = scalar(a[i], b[i])
        i += 1
    }
}

/// The number of elements an operand of `shape` repeats over in an output of `outShape`, when it
/// broadcasts along leading axes only (its shape, without leading 1s, ends `outShape`); nil otherwise.
func leadingBroadcastCount(_ shape: [Int], into outShape: [Int]) -> Int? {
    let trimmed = Array(shape.drop(while: { $0 == 1 }))
    guard trimmed.count <= outShape.count, Array(outShape.suffix(trimmed.count)) == trimmed else { return nil }
    return trimmed.reduce(1, *)
}

/// The rows of an operand of `shape` that broadcasts along trailing axes only in an output of `outShape` (its shape,
/// right-aligned, equals `outShape` up to some axis and is 1 after it, with more than one output per element); nil
/// otherwise. Each element then spans `outShape`'s count ÷ rows consecutive outputs.
func trailingBroadcastRows(_ shape: [Int], into outShape: [Int]) -> Int? {
    guard shape.count <= outShape.count else { return nil }
    let aligned = [Int](repeating: 1, count: outShape.count - shape.count) + shape
    var axis = 0
    while axis < aligned.count, aligned[axis] == outShape[axis] { axis += 1 }
    guard axis < aligned.count, aligned[axis...].allSatisfy({ $0 == 1 }) else { return nil }
    return aligned[..<axis].reduce(1, *)
}
