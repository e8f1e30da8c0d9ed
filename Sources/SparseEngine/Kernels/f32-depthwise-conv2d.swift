/// f32 depthwise 2-D convolution without dilation (one kH×kW filter per plane), for `planes` planes of
/// `channels` channels (plane p uses filter p mod channels). Per plane, the input is first split into
/// `strideW` zero-padded column phases in per-thread scratch (phase r holds padded columns r, r + s, …),
/// so that every filter tap is a contiguous run along the output row; 16 outputs at a time then sum
/// all taps in a register. `epilogue` runs on each finished plane (the fused activation). Parallel
/// over planes.
func f32DepthwiseConv2D(_ x: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                        _ y: UnsafeMutablePointer<Float>, planes: Int, channels: Int, _ w: SlidingWindow2D,
                        epilogue: (UnsafeMutablePointer<Float>, Int) -> Void,
                        scratch: (Int, Int) -> UnsafeMutablePointer<Float>, pool: ThreadPool) {
    let s = w.strideW, taps = w.kH * w.kW
    // Padded rows and phase columns the windows reach.
    let paddedH = max(w.inH + w.padTop, (w.outH - 1) * w.strideH + w.kH)
    let phaseW = (max(w.inW + w.padLeft, (w.outW - 1) * s + w.kW) + s - 1) / s
    withUnsafeTemporaryAllocation(of: Int.self, capacity: taps) { tapOffsets in
        // Tap (ki, kj) reads phase kj mod s, padded row ki (plus the output row's), from column kj / s.
        for t in 0..<taps {
            let ki = t / w.kW, kj = t % w.kW
            tapOffsets[t] = ((kj % s) * paddedH + ki) * phaseW + kj / s
        }
        pool.parallelFor(planes) { plane, thread in
            let src = x + plane * w.inH * w.inW, dst = y + plane * w.outH * w.outW
            let filter = weights + (plane % channels) * taps
            // 16 floats of slack: the last vector of a row may read past the end of the phases.
            let phases = scratch(thread, s * paddedH * phaseW + 16)
            fillPhases(src, phases, w, paddedH: paddedH, phaseW: phaseW)
            let start = bias?[plane % channels] ?? 0
            for oy in 0..<w.outH {
                let out = dst + oy * w.outW
                let rowBase = phases + oy * w.strideH * phaseW
                var ox = 0
                while ox < w.outW {
                    var acc = SIMD16<Float>(repeating: start)
                    for t in 0..<taps {
                        acc += SIMD16<Float>(repeating: filter[t]) * UnsafeRawPointer(rowBase + tapOffsets[t] + ox).loadUnaligned(as: SIMD16<Float>.self)
                    }
                    let lanes = min(16, w.outW - ox)
                    if lanes == 16 {
                        UnsafeMutableRawPointer(out + ox).storeBytes(of: acc, as: SIMD16<Float>.self)
                    } else {
                        for lane in 0..<lanes { out[ox + lane] = acc[lane] }
                    }
                    ox += 16
                }
            }
            epilogue(dst, w.outH * w.outW)
        }
    }
}

/// Writes the `strideW` column phases of one zero-padded input plane: phase r, row py, column px holds
/// input row py − padTop, column s·px + r − padLeft (zero outside the input).
private func fillPhases(_ src: UnsafePointer<Float>, _ phases: UnsafeMutablePointer<Float>, _ w: SlidingWindow2D,
                        paddedH: Int, phaseW: Int) {
    let s = w.strideW
    for r in 0..<s {
        let first = max(0, (w.padLeft - r + s - 1) / s), end = min(phaseW, (w.inW + w.padLeft - r + s - 1) / s)
        for py in 0..<paddedH {
            let row = phases + (r * paddedH + py) * phaseW
            let iy = py - w.padTop
            guard iy >= 0 && iy < w.inH, first < end else {
                row.update(repeating: 0, count: phaseW)
                continue
            }
            let input = src + iy * w.inW + r - w.padLeft
            row.update(repeating: 0, count: first)
            if s == 1 {
                (row + first).update(from: input + first, count: end - first)
            } else {
                for px in first..<end { row[px] = input[px * s] }
            }
            (row + end).update(repeating: 0, count: phaseW - end)
        }
    }
}
