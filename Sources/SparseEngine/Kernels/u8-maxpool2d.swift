/// Max pooling of 8-bit planes (a quantized network's MaxPool on its uint8 or int8 tensors) without converting them:
/// `f32MaxPool2D`'s passes on bytes, 16 lanes at a time. int8 values are compared as unsigned after flipping their
/// sign bit (`flip` 0x80, flipped back on the way out), so one unsigned maximum serves both. Padding, the smallest
/// byte, never wins; a window wholly in the padding gives the type's minimum. Parallel over planes. The float path
/// it replaces converted every value twice and pooled four times the bytes (ResNet-50 INT8: 2 % of the time).
func u8MaxPool2D(_ x: UnsafePointer<UInt8>, _ y: UnsafeMutablePointer<UInt8>, planes: Int, _ w: SlidingWindow2D, flip: UInt8,
                 scratch: (Int, Int) -> UnsafeMutablePointer<Float>, pool: ThreadPool) {
    typealias V = SIMD16<UInt8>
    let vectors = (w.outW + 15) / 16
    // The horizontal pass reads up to (16·vectors − 1)·strideW + kW − 1, plus 16 more lanes for stride 2.
    let rowLength = max(w.padLeft + w.inW, 16 * vectors * w.strideW + w.kW + 16)
    let flipped = V(repeating: flip)
    pool.parallelFor(planes) { plane, thread in
        let src = x + plane * w.inH * w.inW, dst = y + plane * w.outH * w.outW
        let row = UnsafeMutableRawPointer(scratch(thread, (rowLength + 3) / 4)).assumingMemoryBound(to: UInt8.self)
        row.update(repeating: 0, count: w.padLeft)
        (row + w.padLeft + w.inW).update(repeating: 0, count: rowLength - w.padLeft - w.inW)
        for oy in 0..<w.outH {
            let y0 = oy * w.strideH - w.padTop
            let lo = max(y0, 0), hi = min(y0 + w.kH, w.inH)
            let out = dst + oy * w.outW
            guard lo < hi else {
                out.update(repeating: flip, count: w.outW)
                continue
            }
            maxOfByteRows(src + lo * w.inW, rows: hi - lo, stride: w.inW, count: w.inW, flip: flip, into: row + w.padLeft)
            var ox = 0
            for _ in 0..<vectors {
                let start = UnsafeRawPointer(row + ox * w.strideW)
                var best: V
                switch w.strideW {
                case 1:
                    best = start.loadUnaligned(as: V.self)
                    for kx in 1..<w.kW { best = pointwiseMax(best, start.loadUnaligned(fromByteOffset: kx, as: V.self)) }
                case 2:
                    best = evenBytes(start)
                    for kx in 1..<w.kW { best = pointwiseMax(best, evenBytes(start + kx)) }
                default:
                    best = V()
                    let values = start.assumingMemoryBound(to: UInt8.self)
                    for lane in 0..<16 {
                        for kx in 0..<w.kW { best[lane] = max(best[lane], values[lane * w.strideW + kx]) }
                    }
                }
                best ^= flipped
                let lanes = min(16, w.outW - ox)
                if lanes == 16 {
                    UnsafeMutableRawPointer(out + ox).storeBytes(of: best, as: V.self)
                } else {
                    for lane in 0..<lanes { out[ox + lane] = best[lane] }
                }
                ox += 16
            }
        }
    }
}

/// `into[j] = max over r in 0..<rows of (first[r·stride + j] ^ flip)` for j in `0..<count`, 16 lanes at a time: the
/// rows' maximum in unsigned order, still flipped.
@inline(__always)
private func maxOfByteRows(_ first: UnsafePointer<UInt8>, rows: Int, stride: Int, count: Int, flip: UInt8,
                           into: UnsafeMutablePointer<UInt8>) {
    typealias V = SIMD16<UInt8>
    let flipped = V(repeating: flip)
    var j = 0
    while j + 16 <= count {
        var best = UnsafeRawPointer(first + j).loadUnaligned(as: V.self) ^ flipped
        for r in 1..<rows { best = pointwiseMax(best, UnsafeRawPointer(first + r * stride + j).loadUnaligned(as: V.self) ^ flipped) }
        UnsafeMutableRawPointer(into + j).storeBytes(of: best, as: V.self)
        j += 16
    }
    while j < count {
        var best = first[j] ^ flip
        for r in 1..<rows { best = max(best, first[r * stride + j] ^ flip) }
        into[j] = best
        j += 1
    }
}

/// Bytes 0, 2, …, 30 from `p`: the low bytes of 16 little-endian words, narrowed as one vector (`SIMD32.evenHalf` went
/// lane by lane, and made the stride-2 pooling after ResNet's stem several times slower than its memory traffic).
@inline(__always)
private func evenBytes(_ p: UnsafeRawPointer) -> SIMD16<UInt8> {
    SIMD16<UInt8>(truncatingIfNeeded: p.loadUnaligned(as: SIMD16<UInt16>.self))
}
