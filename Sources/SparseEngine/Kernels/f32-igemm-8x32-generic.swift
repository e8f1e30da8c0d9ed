// f32 indirect GEMM microkernel, 8 rows × 32 columns, for any x86-64/arm64: the portable 8×32 GEMM
// microkernel with each row of B found through a table of byte offsets.

/// Portable f32 indirect GEMM microkernel (8×32 tile).
///
/// `c[0..<8][0..<32]` (row stride `ldc`) = (accumulate ? c : 0) + Σₚ a[p·8 + i] · row(p)[j], with `a` packed
/// 8 rows per k step and row(p) the 32 floats at `base + rowOffsets[p]` bytes (a packed panel, or the
/// activations read in place).
@inline(never)
func f32_igemm_8x32__generic(_ kc: Int, _ a: UnsafePointer<Float>, _ base: UnsafeRawPointer, _ rowOffsets: UnsafePointer<Int32>,
                             _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
    typealias V = SIMD16<Float>
    var c00 = V(), c01 = V()
    var c10 = V(), c11 = V()
    var c20 = V(), c21 = V()
    var c30 = V(), c31 = V()
    var c40 = V(), c41 = V()
    var c50 = V(), c51 = V()
    var c60 = V(), c61 = V()
    var c70 = V(), c71 = V()
    var ap = a
    for p in 0..<kc {
        let bp = base + Int(rowOffsets[p])
        let b0 = bp.loadUnaligned(as: V.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 64, as: V.self)
        let a0 = V(repeating: ap[0])
        c00 += a0 * b0; c01 += a0 * b1
        let a1 = V(repeating: ap[1])
        c10 += a1 * b0; c11 += a1 * b1
        let a2 = V(repeating: ap[2])
        c20 += a2 * b0; c21 += a2 * b1
        let a3 = V(repeating: ap[3])
        c30 += a3 * b0; c31 += a3 * b1
        let a4 = V(repeating: ap[4])
        c40 += a4 * b0; c41 += a4 * b1
        let a5 = V(repeating: ap[5])
        c50 += a5 * b0; c51 += a5 * b1
        let a6 = V(repeating: ap[6])
        c60 += a6 * b0; c61 += a6 * b1
        let a7 = V(repeating: ap[7])
        c70 += a7 * b0; c71 += a7 * b1
        ap += 8
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
