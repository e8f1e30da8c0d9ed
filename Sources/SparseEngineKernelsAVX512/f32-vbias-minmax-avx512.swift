// f32 convolution epilogue built with -target-cpu skylake-avx512: 16 lanes per zmm, the rest one by one.

/// AVX-512 f32 epilogue: `y[r·ldy + j] = min(max(x[r·ldx + j] + bias[r] + residual[r·ldy + j], lo), hi)` for r in
/// `0..<rows`, j in `0..<count`; a nil `bias` or `residual` adds nothing. Call only when `CPUFeatures.current.avx512`.
@inline(never)
public func f32_vbias_minmax__avx512(_ rows: Int, _ count: Int, _ x: UnsafePointer<Float>, _ ldx: Int, _ bias: UnsafePointer<Float>?,
                                     _ residual: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>, _ ldy: Int,
                                     _ lo: Float, _ hi: Float) {
    typealias V = SIMD16<Float>
    let low = V(repeating: lo), high = V(repeating: hi)
    for r in 0..<rows {
        let source = x + r * ldx, destination = y + r * ldy
        let b = bias?[r] ?? 0, shift = V(repeating: b)
        var j = 0
        while j + 16 <= count {
            var v = UnsafeRawPointer(source + j).loadUnaligned(as: V.self) + shift
            if let residual { v += UnsafeRawPointer(residual + r * ldy + j).loadUnaligned(as: V.self) }
            v = v.replacing(with: low, where: v .< low).replacing(with: high, where: v .> high)
            UnsafeMutableRawPointer(destination + j).storeBytes(of: v, as: V.self)
            j += 16
        }
        // Separate tails with and without a residual: a vectorized tail would load from a nil one under a mask.
        if let residual {
            let addend = residual + r * ldy
            for t in j..<count { destination[t] = Swift.min(Swift.max(source[t] + b + addend[t], lo), hi) }
        } else {
            for t in j..<count { destination[t] = Swift.min(Swift.max(source[t] + b, lo), hi) }
        }
    }
}
