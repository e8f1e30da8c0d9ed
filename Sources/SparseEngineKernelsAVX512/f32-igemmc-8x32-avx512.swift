// f32 indirect GEMM microkernel over output channels, 8 pixels × 32 channels, built with
// -target-cpu skylake-avx512: each pixel's value is broadcast (sums in a `Tile8x32`).

/// AVX-512 f32 indirect GEMM microkernel vectorized over output channels (8×32 tile: 8 pixels, 32 channels;
/// 16 zmm accumulators). Call only when `CPUFeatures.current.avx512`.
///
/// `c[i][0..<32]` (row stride `ldc`) = (accumulate ? c[i] : 0) + Σₚ x(i, p) · b[p·32 ..< p·32 + 32] for the 8
/// pixels i, where x(i, p) is the float at `pixels[i] + rowOffsets[p]` bytes and `b` holds 32 output channels'
/// weights per k step.
@inline(never)
public func f32_igemmc_8x32__avx512(_ kc: Int, _ pixels: UnsafePointer<UnsafeRawPointer>, _ rowOffsets: UnsafePointer<Int32>,
                                    _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
    var tile = Tile8x32()
    let x0 = pixels[0], x1 = pixels[1], x2 = pixels[2], x3 = pixels[3]
    let x4 = pixels[4], x5 = pixels[5], x6 = pixels[6], x7 = pixels[7]
    var bp = UnsafeRawPointer(b)
    for p in 0..<kc {
        let offset = Int(rowOffsets[p])
        tile.add(bp.loadUnaligned(as: SIMD16<Float>.self), bp.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)) { i in
            let pixel: UnsafeRawPointer
            switch i {
            case 0: pixel = x0
            case 1: pixel = x1
            case 2: pixel = x2
            case 3: pixel = x3
            case 4: pixel = x4
            case 5: pixel = x5
            case 6: pixel = x6
            default: pixel = x7
            }
            return pixel.load(fromByteOffset: offset, as: Float.self)
        }
        bp += 128
    }
    tile.store(c, ldc, accumulate: accumulate)
}
