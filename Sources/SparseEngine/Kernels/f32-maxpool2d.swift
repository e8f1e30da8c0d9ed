/// A 2-D sliding window without dilation (pooling, depthwise convolution): input and output sizes,
/// kernel, strides and the leading pads.
struct SlidingWindow2D {
    var inH: Int, inW: Int, outH: Int, outW: Int
    var kH: Int, kW: Int, strideH: Int, strideW: Int
    var padTop: Int, padLeft: Int
}

/// f32 max pooling of `planes` planes, one output row at a time: the window's input rows are first
/// reduced to one row, 16 lanes at a time, into per-thread scratch framed by -∞ where the padding is
/// (vertical pass); each output is then the maximum of `kW` scratch values `strideW` apart, 16 outputs
/// at a time (horizontal pass: consecutive values for stride 1, the even lanes of 32 for stride 2, one
/// by one otherwise). Padding never wins; a window wholly in the padding gives -∞. Parallel over planes.
func f32MaxPool2D(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, planes: Int, _ w: SlidingWindow2D,
                  scratch: (Int, Int) -> UnsafeMutablePointer<Float>, pool: ThreadPool) {
    typealias V = SIMD16<Float>
    let vectors = (w.outW + 15) / 16
    // The horizontal pass reads up to (16·vectors − 1)·strideW + kW − 1, plus 16 more lanes for stride 2.
    let rowLength = max(w.padLeft + w.inW, 16 * vectors * w.strideW + w.kW + 16)
    pool.parallelFor(planes) { plane, thread in
        let src = x + plane * w.inH * w.inW, dst = y + plane * w.outH * w.outW
        let row = scratch(thread, rowLength)
        row.update(repeating: -.infinity, count: w.padLeft)
        (row + w.padLeft + w.inW).update(repeating: -.infinity, count: rowLength - w.padLeft - w.inW)
        for oy in 0..<w.outH {
            let y0 = oy * w.strideH - w.padTop
            let lo = max(y0, 0), hi = min(y0 + w.kH, w.inH)
            let out = dst + oy * w.outW
            guard lo < hi else {
                out.update(repeating: -.infinity, count: w.outW)
                continue
            }
            maxOfRows(src + lo * w.inW, rows: hi - lo, stride: w.inW, count: w.inW, into: row + w.padLeft)
            var ox = 0
            for _ in 0..<vectors {
                let start = UnsafeRawPointer(row + ox * w.strideW)
                var best: V
                switch w.strideW {
                case 1:
                    best = start.loadUnaligned(as: V.self)
                    for kx in 1..<w.kW {
                        let next = start.loadUnaligned(fromByteOffset: 4 * kx, as: V.self)
                        best = best.replacing(with: next, where: next .> best)
                    }
                case 2:
                    best = start.loadUnaligned(as: SIMD32<Float>.self).evenHalf
                    for kx in 1..<w.kW {
                        let next = start.loadUnaligned(fromByteOffset: 4 * kx, as: SIMD32<Float>.self).evenHalf
                        best = best.replacing(with: next, where: next .> best)
                    }
                default:
                    best = V(repeating: -.infinity)
                    let values = start.assumingMemoryBound(to: Float.self)
                    for lane in 0..<16 {
                        for kx in 0..<w.kW { best[lane] = max(best[lane], values[lane * w.strideW + kx]) }
                    }
                }
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

/// `into[j] = max over r in 0..<rows of first[r·stride + j]` for j in `0..<count`, 16 lanes at a time.
@inline(__always)
private func maxOfRows(_ first: UnsafePointer<Float>, rows: Int, stride: Int, count: Int, into: UnsafeMutablePointer<Float>) {
    typealias V = SIMD16<Float>
    var j = 0
    while j + 16 <= count {
        var best = UnsafeRawPointer(first + j).loadUnaligned(as: V.self)
        for r in 1..<rows {
            let next = UnsafeRawPointer(first + r * stride + j).loadUnaligned(as: V.self)
            best = best.replacing(with: next, where: next .> best)
        }
        UnsafeMutableRawPointer(into + j).storeBytes(of: best, as: V.self)
        j += 16
    }
    while j < count {
        var best = first[j]
        for r in 1..<rows where first[r * stride + j] > best { best = first[r * stride + j] }
        into[j] = best
        j += 1
    }
}
