/// f32 depthwise 2-D convolution without dilation (one kH×kW filter per plane), for `planes` planes of
/// `channels` channels (plane p uses filter p mod channels): per plane, the input is first split into
/// `strideW` zero-padded column phases in per-thread scratch (phase r holds padded columns r, r + s, …),
/// so every filter tap is a contiguous run of the output row, accumulated 16 lanes at a time. `epilogue`
/// runs on each finished plane (the fused activation). Parallel over planes.
func f32DepthwiseConv2D(_ x: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                        _ y: UnsafeMutablePointer<Float>, planes: Int, channels: Int, _ w: SlidingWindow2D,
                        epilogue: (UnsafeMutablePointer<Float>, Int) -> Void,
                        scratch: (Int, Int) -> UnsafeMutablePointer<Float>, pool: ThreadPool) {
    let s = w.strideW
    // Padded rows and phase columns the windows reach.
    let paddedH = max(w.inH + w.padTop, (w.outH - 1) * w.strideH + w.kH)
    let phaseW = (max(w.inW + w.padLeft, (w.outW - 1) * s + w.kW) + s - 1) / s
    pool.parallelFor(planes) { plane, thread in
        let src = x + plane * w.inH * w.inW, dst = y + plane * w.outH * w.outW
        let filter = weights + (plane % channels) * w.kH * w.kW
        let phases = scratch(thread, s * paddedH * phaseW)
        for r in 0..<s {
            for py in 0..<paddedH {
                let row = phases + (r * paddedH + py) * phaseW
                let iy = py - w.padTop
                guard iy >= 0 && iy < w.inH else {
                    row.update(repeating: 0, count: phaseW)
                    continue
                }
                let input = src + iy * w.inW
                for px in 0..<phaseW {
                    let ix = px * s + r - w.padLeft
                    row[px] = ix >= 0 && ix < w.inW ? input[ix] : 0
                }
            }
        }
        let start = bias?[plane % channels] ?? 0
        for oy in 0..<w.outH {
            let out = dst + oy * w.outW
            out.update(repeating: start, count: w.outW)
            for ki in 0..<w.kH {
                let py = oy * w.strideH + ki
                for kj in 0..<w.kW {
                    let tap = phases + ((kj % s) * paddedH + py) * phaseW + kj / s
                    let weight = filter[ki * w.kW + kj], splat = SIMD16<Float>(repeating: weight)
                    var ox = 0
                    while ox + 16 <= w.outW {
                        let acc = UnsafeRawPointer(out + ox).loadUnaligned(as: SIMD16<Float>.self)
                        let v = UnsafeRawPointer(tap + ox).loadUnaligned(as: SIMD16<Float>.self)
                        UnsafeMutableRawPointer(out + ox).storeBytes(of: acc + splat * v, as: SIMD16<Float>.self)
                        ox += 16
                    }
                    while ox < w.outW {
                        out[ox] += weight * tap[ox]
                        ox += 1
                    }
                }
            }
        }
        epilogue(dst, w.outH * w.outW)
    }
}
