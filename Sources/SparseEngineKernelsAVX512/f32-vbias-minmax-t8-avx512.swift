// f32 convolution epilogue for tiles of 8 pixels × up to 32 channels, built with -target-cpu skylake-avx512:
// per 16 channels, the 8 pixel rows are transposed in registers by four rounds of even/odd unshuffles of
// vector pairs (each rotates the 7-bit index pixel·16 + channel right by one; four put channel before pixel).

private typealias V = SIMD16<Float>
private typealias H = SIMD8<Float>

/// Elements `first`, `first + 2`, … of `x` (one vpermt2ps): the standard library's `evenHalf`/`oddHalf`, written
/// here so that they inline (the library's own are calls to code built for the baseline ISA, which took as long as
/// the rest of this kernel).
@inline(__always)
private func half(_ x: SIMD32<Float>, _ first: Int) -> V {
    var result = V()
    for i in 0..<16 { result[i] = x[2 &* i &+ first] }
    return result
}

/// One round of the transpose: the even and odd elements of each pair (v0, v1), (v2, v3), … of 8 vectors.
@inline(__always)
private func unshuffleRound(_ v: inout (V, V, V, V, V, V, V, V)) {
    let p0 = SIMD32(lowHalf: v.0, highHalf: v.1), p1 = SIMD32(lowHalf: v.2, highHalf: v.3)
    let p2 = SIMD32(lowHalf: v.4, highHalf: v.5), p3 = SIMD32(lowHalf: v.6, highHalf: v.7)
    v = (half(p0, 0), half(p1, 0), half(p2, 0), half(p3, 0), half(p0, 1), half(p1, 1), half(p2, 1), half(p3, 1))
}

/// Stores 8 outputs of `channel` (when below `columns`): `out` plus the residual's, clamped to `low...high`.
@inline(__always)
private func storeChannel(_ out: H, _ channel: Int, _ columns: Int, _ residual: UnsafePointer<Float>?,
                          _ y: UnsafeMutablePointer<Float>, _ ldy: Int, _ low: H, _ high: H) {
    guard channel < columns else { return }
    var x = out
    if let residual { x += UnsafeRawPointer(residual + channel &* ldy).loadUnaligned(as: H.self) }
    x = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
    UnsafeMutableRawPointer(y + channel &* ldy).storeBytes(of: x, as: H.self)
}

/// AVX-512 f32 transposing epilogue: `y[j·ldy + i] = min(max(tile[i·ldt + j] + bias[j] + residual[j·ldy + i], lo), hi)`
/// for 8 pixels i and channels j in `0..<columns` (at most 32); a nil `bias` or `residual` adds nothing. Call only
/// when `CPUFeatures.current.avx512`.
@inline(never)
public func f32_vbias_minmax_t8__avx512(_ columns: Int, _ tile: UnsafePointer<Float>, _ ldt: Int, _ bias: UnsafePointer<Float>?,
                                        _ residual: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>, _ ldy: Int,
                                        _ lo: Float, _ hi: Float) {
    let low = H(repeating: lo), high = H(repeating: hi)
    var half16 = 0
    while half16 < columns {
        var shift = V()
        if let bias {
            if columns - half16 >= 16 {
                shift = UnsafeRawPointer(bias + half16).loadUnaligned(as: V.self)
            } else {
                for j in 0..<(columns - half16) { shift[j] = bias[half16 &+ j] }
            }
        }
        let rows = UnsafeRawPointer(tile + half16), step = ldt &* 4
        var v = (rows.loadUnaligned(as: V.self) + shift, rows.loadUnaligned(fromByteOffset: step, as: V.self) + shift,
                 rows.loadUnaligned(fromByteOffset: 2 &* step, as: V.self) + shift, rows.loadUnaligned(fromByteOffset: 3 &* step, as: V.self) + shift,
                 rows.loadUnaligned(fromByteOffset: 4 &* step, as: V.self) + shift, rows.loadUnaligned(fromByteOffset: 5 &* step, as: V.self) + shift,
                 rows.loadUnaligned(fromByteOffset: 6 &* step, as: V.self) + shift, rows.loadUnaligned(fromByteOffset: 7 &* step, as: V.self) + shift)
        unshuffleRound(&v); unshuffleRound(&v); unshuffleRound(&v); unshuffleRound(&v)
        // Vector w now holds channels half16 + 2w (lanes 0..<8) and half16 + 2w + 1 (lanes 8..<16), pixel by pixel.
        let yh = y + half16 &* ldy, rh = residual.map { $0 + half16 &* ldy }, left = columns &- half16
        storeChannel(v.0.lowHalf, 0, left, rh, yh, ldy, low, high); storeChannel(v.0.highHalf, 1, left, rh, yh, ldy, low, high)
        storeChannel(v.1.lowHalf, 2, left, rh, yh, ldy, low, high); storeChannel(v.1.highHalf, 3, left, rh, yh, ldy, low, high)
        storeChannel(v.2.lowHalf, 4, left, rh, yh, ldy, low, high); storeChannel(v.2.highHalf, 5, left, rh, yh, ldy, low, high)
        storeChannel(v.3.lowHalf, 6, left, rh, yh, ldy, low, high); storeChannel(v.3.highHalf, 7, left, rh, yh, ldy, low, high)
        storeChannel(v.4.lowHalf, 8, left, rh, yh, ldy, low, high); storeChannel(v.4.highHalf, 9, left, rh, yh, ldy, low, high)
        storeChannel(v.5.lowHalf, 10, left, rh, yh, ldy, low, high); storeChannel(v.5.highHalf, 11, left, rh, yh, ldy, low, high)
        storeChannel(v.6.lowHalf, 12, left, rh, yh, ldy, low, high); storeChannel(v.6.highHalf, 13, left, rh, yh, ldy, low, high)
        storeChannel(v.7.lowHalf, 14, left, rh, yh, ldy, low, high); storeChannel(v.7.highHalf, 15, left, rh, yh, ldy, low, high)
        half16 &+= 16
    }
}
