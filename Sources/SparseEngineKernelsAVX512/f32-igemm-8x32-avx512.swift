// f32 indirect GEMM microkernel, 8 rows × 32 columns, built with -target-cpu skylake-avx512: the 8×32 GEMM
// microkernel with each row of B found through a table of byte offsets (sums in a `Tile8x32`).

/// AVX-512 f32 indirect GEMM microkernel (8×32 tile, 16 zmm accumulators). Call only when `CPUFeatures.current.avx512`.
///
/// `c[0..<8][0..<32]` (row stride `ldc`) = (accumulate ? c : 0) + Σₚ a[p·8 + i] · row(p)[j], with `a` packed
/// 8 rows per k step and row(p) the 32 floats at `base + rowOffsets[p]` bytes (a packed panel, or the
/// activations read in place).
@inline(never)
public func f32_igemm_8x32__avx512(_ kc: Int, _ a: UnsafePointer<Float>, _ base: UnsafeRawPointer, _ rowOffsets: UnsafePointer<Int32>,
                                   _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
    var tile = Tile8x32()
    var ap = a
    for p in 0..<kc {
        let bp = base + Int(rowOffsets[p]), column = ap
        tile.add(bp.loadUnaligned(as: SIMD16<Float>.self), bp.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)) { column[$0] }
        ap += 8
    }
    tile.store(c, ldc, accumulate: accumulate)
}
