// f32 convolution epilogue for tiles of 8 pixels × up to 32 channels, built with -target-cpu skylake-avx512:
// per 16 channels, the 8 pixel rows are transposed in registers by four rounds of even/odd unshuffles of
// vector pairs (each rotates the 7-bit index pixel·16 + channel right by one; four put channel before pixel).

/// AVX-512 f32 transposing epilogue: `y[j·ldy + i] = min(max(tile[i·ldt + j] + bias[j] + residual[j·ldy + i], lo), hi)`
/// for 8 pixels i and channels j in `0..<columns` (at most 32); a nil `bias` or `residual` adds nothing. Call only
/// when `CPUFeatures.current.avx512`.
@inline(never)
public func f32_vbias_minmax_t8__avx512(_ columns: Int, _ tile: UnsafePointer<Float>, _ ldt: Int, _ bias: UnsafePointer<Float>?,
                                        _ residual: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>, _ ldy: Int,
                                        _ lo: Float, _ hi: Float) {
    typealias V = SIMD16<Float>
    typealias H = SIMD8<Float>
    let low = H(repeating: lo), high = H(repeating: hi)
    for half in stride(from: 0, to: columns, by: 16) {
        var shift = V()
        if let bias {
            withUnsafeMutableBytes(of: &shift) { $0.baseAddress!.copyMemory(from: bias + half, byteCount: min(16, columns - half) * 4) }
        }
        var v0 = UnsafeRawPointer(tile + half).loadUnaligned(as: V.self) + shift
        var v1 = UnsafeRawPointer(tile + ldt + half).loadUnaligned(as: V.self) + shift
        var v2 = UnsafeRawPointer(tile + 2 * ldt + half).loadUnaligned(as: V.self) + shift
        var v3 = UnsafeRawPointer(tile + 3 * ldt + half).loadUnaligned(as: V.self) + shift
        var v4 = UnsafeRawPointer(tile + 4 * ldt + half).loadUnaligned(as: V.self) + shift
        var v5 = UnsafeRawPointer(tile + 5 * ldt + half).loadUnaligned(as: V.self) + shift
        var v6 = UnsafeRawPointer(tile + 6 * ldt + half).loadUnaligned(as: V.self) + shift
        var v7 = UnsafeRawPointer(tile + 7 * ldt + half).loadUnaligned(as: V.self) + shift
        for _ in 0..<4 {
            let p0 = SIMD32(lowHalf: v0, highHalf: v1), p1 = SIMD32(lowHalf: v2, highHalf: v3)
            let p2 = SIMD32(lowHalf: v4, highHalf: v5), p3 = SIMD32(lowHalf: v6, highHalf: v7)
            (v0, v1, v2, v3) = (p0.evenHalf, p1.evenHalf, p2.evenHalf, p3.evenHalf)
            (v4, v5, v6, v7) = (p0.oddHalf, p1.oddHalf, p2.oddHalf, p3.oddHalf)
        }
        // Vector w now holds channels half + 2w (lanes 0..<8) and half + 2w + 1 (lanes 8..<16), pixel by pixel.
        func store(_ pair: V, _ w: Int) {
            for part in 0..<2 {
                let channel = half + 2 * w + part
                guard channel < columns else { return }
                var out = part == 0 ? pair.lowHalf : pair.highHalf
                if let residual { out += UnsafeRawPointer(residual + channel * ldy).loadUnaligned(as: H.self) }
                out = out.replacing(with: low, where: out .< low).replacing(with: high, where: out .> high)
                UnsafeMutableRawPointer(y + channel * ldy).storeBytes(of: out, as: H.self)
            }
        }
        store(v0, 0); store(v1, 1); store(v2, 2); store(v3, 3)
        store(v4, 4); store(v5, 5); store(v6, 6); store(v7, 7)
    }
}
