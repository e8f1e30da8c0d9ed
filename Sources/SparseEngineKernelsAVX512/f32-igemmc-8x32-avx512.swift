// f32 indirect GEMM microkernel over output channels, 8 pixels × 32 channels, built with
// -target-cpu skylake-avx512: each pixel's value is broadcast, each `addProduct` is one vfmadd231ps zmm.

/// AVX-512 f32 indirect GEMM microkernel vectorized over output channels (8×32 tile: 8 pixels, 32 channels;
/// 16 zmm accumulators). Call only when `CPUFeatures.current.avx512`.
///
/// `c[i][0..<32]` (row stride `ldc`) = (accumulate ? c[i] : 0) + Σₚ x(i, p) · b[p·32 ..< p·32 + 32] for the 8
/// pixels i, where x(i, p) is the float at `pixels[i] + rowOffsets[p]` bytes and `b` holds 32 output channels'
/// weights per k step.
@inline(never)
public func f32_igemmc_8x32__avx512(_ kc: Int, _ pixels: UnsafePointer<UnsafeRawPointer>, _ rowOffsets: UnsafePointer<Int32>,
                                    _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
    typealias V = SIMD16<Float>
    var c00 = V(), c01 = V()
    var c10 = V(), c11 = V()
    var c20 = V(), c21 = V()
    var c30 = V(), c31 = V()
    var c40 = V(), c41 = V()
    var c50 = V(), c51 = V()
    var c60 = V(), c61 = V()
    var c70 = V(), c71 = V()
    let x0 = pixels[0], x1 = pixels[1], x2 = pixels[2], x3 = pixels[3]
    let x4 = pixels[4], x5 = pixels[5], x6 = pixels[6], x7 = pixels[7]
    var bp = UnsafeRawPointer(b)
    for p in 0..<kc {
        let offset = Int(rowOffsets[p])
        let b0 = bp.loadUnaligned(as: V.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 64, as: V.self)
        let a0 = V(repeating: x0.load(fromByteOffset: offset, as: Float.self))
        c00.addProduct(a0, b0); c01.addProduct(a0, b1)
        let a1 = V(repeating: x1.load(fromByteOffset: offset, as: Float.self))
        c10.addProduct(a1, b0); c11.addProduct(a1, b1)
        let a2 = V(repeating: x2.load(fromByteOffset: offset, as: Float.self))
        c20.addProduct(a2, b0); c21.addProduct(a2, b1)
        let a3 = V(repeating: x3.load(fromByteOffset: offset, as: Float.self))
        c30.addProduct(a3, b0); c31.addProduct(a3, b1)
        let a4 = V(repeating: x4.load(fromByteOffset: offset, as: Float.self))
        c40.addProduct(a4, b0); c41.addProduct(a4, b1)
        let a5 = V(repeating: x5.load(fromByteOffset: offset, as: Float.self))
        c50.addProduct(a5, b0); c51.addProduct(a5, b1)
        let a6 = V(repeating: x6.load(fromByteOffset: offset, as: Float.self))
        c60.addProduct(a6, b0); c61.addProduct(a6, b1)
        let a7 = V(repeating: x7.load(fromByteOffset: offset, as: Float.self))
        c70.addProduct(a7, b0); c71.addProduct(a7, b1)
        bp += 128
    }
    let out = UnsafeMutableRawPointer(c)
    let rowBytes = ldc * 4
    if accumulate {
        c00 += (out + 0 * rowBytes).loadUnaligned(as: V.self); c01 += (out + 0 * rowBytes).loadUnaligned(fromByteOffset: 64, as: V.self)
        c10 += (out + 1 * rowBytes).loadUnaligned(as: V.self); c11 += (out + 1 * rowBytes).loadUnaligned(fromByteOffset: 64, as: V.self)
        c20 += (out + 2 * rowBytes).loadUnaligned(as: V.self); c21 += (out + 2 * rowBytes).loadUnaligned(fromByteOffset: 64, as: V.self)
        c30 += (out + 3 * rowBytes).loadUnaligned(as: V.self); c31 += (out + 3 * rowBytes).loadUnaligned(fromByteOffset: 64, as: V.self)
        c40 += (out + 4 * rowBytes).loadUnaligned(as: V.self); c41 += (out + 4 * rowBytes).loadUnaligned(fromByteOffset: 64, as: V.self)
        c50 += (out + 5 * rowBytes).loadUnaligned(as: V.self); c51 += (out + 5 * rowBytes).loadUnaligned(fromByteOffset: 64, as: V.self)
        c60 += (out + 6 * rowBytes).loadUnaligned(as: V.self); c61 += (out + 6 * rowBytes).loadUnaligned(fromByteOffset: 64, as: V.self)
        c70 += (out + 7 * rowBytes).loadUnaligned(as: V.self); c71 += (out + 7 * rowBytes).loadUnaligned(fromByteOffset: 64, as: V.self)
    }
    (out + 0 * rowBytes).storeBytes(of: c00, as: V.self); (out + 0 * rowBytes).storeBytes(of: c01, toByteOffset: 64, as: V.self)
    (out + 1 * rowBytes).storeBytes(of: c10, as: V.self); (out + 1 * rowBytes).storeBytes(of: c11, toByteOffset: 64, as: V.self)
    (out + 2 * rowBytes).storeBytes(of: c20, as: V.self); (out + 2 * rowBytes).storeBytes(of: c21, toByteOffset: 64, as: V.self)
    (out + 3 * rowBytes).storeBytes(of: c30, as: V.self); (out + 3 * rowBytes).storeBytes(of: c31, toByteOffset: 64, as: V.self)
    (out + 4 * rowBytes).storeBytes(of: c40, as: V.self); (out + 4 * rowBytes).storeBytes(of: c41, toByteOffset: 64, as: V.self)
    (out + 5 * rowBytes).storeBytes(of: c50, as: V.self); (out + 5 * rowBytes).storeBytes(of: c51, toByteOffset: 64, as: V.self)
    (out + 6 * rowBytes).storeBytes(of: c60, as: V.self); (out + 6 * rowBytes).storeBytes(of: c61, toByteOffset: 64, as: V.self)
    (out + 7 * rowBytes).storeBytes(of: c70, as: V.self); (out + 7 * rowBytes).storeBytes(of: c71, toByteOffset: 64, as: V.self)
}
