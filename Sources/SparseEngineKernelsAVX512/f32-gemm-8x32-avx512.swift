// f32 GEMM microkernel, 8 rows × 32 columns, built with -target-cpu skylake-avx512 (sums in a `Tile8x32`).

/// AVX-512 f32 GEMM microkernel (8×32 tile, 16 zmm accumulators). Call only when `CPUFeatures.current.avx512`.
///
/// `c[0..<8][0..<32]` (row stride `ldc`) = (accumulate ? c : 0) + Σₚ a[p·8 + i] · b[p·ldb + j],
/// with `a` packed 8 rows per k step and `b` 32 columns per k step, `ldb` floats apart (32 when
/// packed; the row stride of B when read in place).
@inline(never)
public func f32_gemm_8x32__avx512(_ kc: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
    var tile = Tile8x32()
    var ap = a
    var bp = UnsafeRawPointer(b)
    let bStep = ldb * 4
    for _ in 0..<kc {
        let column = ap
        tile.add(bp.loadUnaligned(as: SIMD16<Float>.self), bp.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)) { column[$0] }
        ap += 8
        bp += bStep
    }
    tile.store(c, ldc, accumulate: accumulate)
}
