// f32 GEMM microkernel, 6 rows × 16 columns, built with -target-cpu haswell:
// each `addProduct` on SIMD8<Float> becomes one vfmadd231ps ymm (12 accumulators, 2 B vectors, 1 broadcast).

/// AVX2 f32 GEMM microkernel (6×16 tile). Call only when `CPUFeatures.current.avx2`.
///
/// `c[0..<6][0..<16]` (row stride `ldc`) = (accumulate ? c : 0) + Σₚ a[p·6 + i] · b[p·ldb + j],
/// with `a` packed 6 rows per k step and `b` 16 columns per k step, `ldb` floats apart.
@inline(never)
public func f32_gemm_6x16__avx2(_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
    typealias V = SIMD8<Float>
    var c00 = V(), c01 = V()
    var c10 = V(), c11 = V()
    var c20 = V(), c21 = V()
    var c30 = V(), c31 = V()
    var c40 = V(), c41 = V()
    var c50 = V(), c51 = V()
    var ap = a
    var bp = UnsafeRawPointer(b)
    let bStep = ldb * 4
    for _ in 0..<kc {
        let b0 = bp.loadUnaligned(as: V.self)
        let b1 = bp.loadUnaligned(fromByteOffset: 32, as: V.self)
        let a0 = V(repeating: ap[0])
        c00.addProduct(a0, b0); c01.addProduct(a0, b1)
        let a1 = V(repeating: ap[1])
        c10.addProduct(a1, b0); c11.addProduct(a1, b1)
        let a2 = V(repeating: ap[2])
        c20.addProduct(a2, b0); c21.addProduct(a2, b1)
        let a3 = V(repeating: ap[3])
        c30.addProduct(a3, b0); c31.addProduct(a3, b1)
        let a4 = V(repeating: ap[4])
        c40.addProduct(a4, b0); c41.addProduct(a4, b1)
        let a5 = V(repeating: ap[5])
        c50.addProduct(a5, b0); c51.addProduct(a5, b1)
        ap += 6
        bp += bStep
    }
    let out = UnsafeMutableRawPointer(c)
    let rowBytes = ldc * 4
    if accumulate {
        c00 += (out + 0 * rowBytes).loadUnaligned(as: V.self); c01 += (out + 0 * rowBytes).loadUnaligned(fromByteOffset: 32, as: V.self)
        c10 += (out + 1 * rowBytes).loadUnaligned(as: V.self); c11 += (out + 1 * rowBytes).loadUnaligned(fromByteOffset: 32, as: V.self)
        c20 += (out + 2 * rowBytes).loadUnaligned(as: V.self); c21 += (out + 2 * rowBytes).loadUnaligned(fromByteOffset: 32, as: V.self)
        c30 += (out + 3 * rowBytes).loadUnaligned(as: V.self); c31 += (out + 3 * rowBytes).loadUnaligned(fromByteOffset: 32, as: V.self)
        c40 += (out + 4 * rowBytes).loadUnaligned(as: V.self); c41 += (out + 4 * rowBytes).loadUnaligned(fromByteOffset: 32, as: V.self)
        c50 += (out + 5 * rowBytes).loadUnaligned(as: V.self); c51 += (out + 5 * rowBytes).loadUnaligned(fromByteOffset: 32, as: V.self)
    }
    (out + 0 * rowBytes).storeBytes(of: c00, as: V.self); (out + 0 * rowBytes).storeBytes(of: c01, toByteOffset: 32, as: V.self)
    (out + 1 * rowBytes).storeBytes(of: c10, as: V.self); (out + 1 * rowBytes).storeBytes(of: c11, toByteOffset: 32, as: V.self)
    (out + 2 * rowBytes).storeBytes(of: c20, as: V.self); (out + 2 * rowBytes).storeBytes(of: c21, toByteOffset: 32, as: V.self)
    (out + 3 * rowBytes).storeBytes(of: c30, as: V.self); (out + 3 * rowBytes).storeBytes(of: c31, toByteOffset: 32, as: V.self)
    (out + 4 * rowBytes).storeBytes(of: c40, as: V.self); (out + 4 * rowBytes).storeBytes(of: c41, toByteOffset: 32, as: V.self)
    (out + 5 * rowBytes).storeBytes(of: c50, as: V.self); (out + 5 * rowBytes).storeBytes(of: c51, toByteOffset: 32, as: V.self)
}
