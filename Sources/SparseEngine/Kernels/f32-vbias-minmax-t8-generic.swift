// f32 convolution epilogue for tiles of 8 pixels × up to 32 channels, for any x86-64/arm64: one by one.

/// Portable f32 transposing epilogue: `y[j·ldy + i] = min(max(tile[i·ldt + j] + bias[j] + residual[j·ldy + i], lo), hi)`
/// for 8 pixels i and channels j in `0..<columns`; a nil `bias` or `residual` adds nothing.
func f32_vbias_minmax_t8__generic(_ columns: Int, _ tile: UnsafePointer<Float>, _ ldt: Int, _ bias: UnsafePointer<Float>?,
                                  _ residual: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>, _ ldy: Int,
                                  _ lo: Float, _ hi: Float) {
    for j in 0..<columns {
        let b = bias?[j] ?? 0
        for i in 0..<8 {
            let v = tile[i * ldt + j] + b + (residual?[j * ldy + i] ?? 0)
            // Comparisons rather than min/max, which branch on NaN.
            y[j * ldy + i] = v < lo ? lo : (v > hi ? hi : v)
        }
    }
}
