/// A 2-D sliding window without dilation (pooling, depthwise convolution): input and output sizes,
/// kernel, strides and the leading pads.
struct SlidingWindow2D {
    var inH: Int, inW: Int, outH: Int, outW: Int
    var kH: Int, kW: Int, strideH: Int, strideW: Int
    var padTop: Int, padLeft: Int
}

/// f32 max pooling of `planes` planes, separably: each input row is reduced over the window's
/// columns into per-thread scratch, then each output row is the maximum of the window's reduced
/// rows (16 lanes at a time). Positions in the padding are skipped; a window that lies wholly in
/// the padding gives -∞. Parallel over planes.
func f32MaxPool2D(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, planes: Int, _ w: SlidingWindow2D,
                  scratch: (Int, Int) -> UnsafeMutablePointer<Float>, pool: ThreadPool) {
    pool.parallelFor(planes) { plane, thread in
        let src = x + plane * w.inH * w.inW, dst = y + plane * w.outH * w.outW
        let rows = scratch(thread, w.inH * w.outW)
        for iy in 0..<w.inH {
            let row = src + iy * w.inW, out = rows + iy * w.outW
            for ox in 0..<w.outW {
                let x0 = ox * w.strideW - w.padLeft
                let lo = max(x0, 0), hi = min(x0 + w.kW, w.inW)
                var best = -Float.infinity
                if lo < hi {
                    best = row[lo]
                    for ix in (lo + 1)..<hi where row[ix] > best { best = row[ix] }
                }
                out[ox] = best
            }
        }
        for oy in 0..<w.outH {
            let y0 = oy * w.strideH - w.padTop
            let lo = max(y0, 0), hi = min(y0 + w.kH, w.inH)
            let out = dst + oy * w.outW
            guard lo < hi else {
                out.update(repeating: -.infinity, count: w.outW)
                continue
            }
            out.update(from: rows + lo * w.outW, count: w.outW)
            for iy in (lo + 1)..<hi {
                let r = rows + iy * w.outW
                var ox = 0
                while ox + 16 <= w.outW {
                    let current = UnsafeRawPointer(out + ox).loadUnaligned(as: SIMD16<Float>.self)
                    let next = UnsafeRawPointer(r + ox).loadUnaligned(as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(out + ox).storeBytes(of: current.replacing(with: next, where: next .> current), as: SIMD16<Float>.self)
                    ox += 16
                }
                while ox < w.outW {
                    if r[ox] > out[ox] { out[ox] = r[ox] }
                    ox += 1
                }
            }
        }
    }
}
