// The 8×32 f32 accumulator tile the portable GEMM microkernels share: separate multiply and add (SIMD16
// `addProduct` would become per-lane fma calls without a -target-cpu).

/// Eight rows of 32 f32 sums, two SIMD16 each, for the portable 8×32 microkernels.
struct GenericTile8x32 {
    typealias V = SIMD16<Float>
    var c00 = V(), c01 = V()
    var c10 = V(), c11 = V()
    var c20 = V(), c21 = V()
    var c30 = V(), c31 = V()
    var c40 = V(), c41 = V()
    var c50 = V(), c51 = V()
    var c60 = V(), c61 = V()
    var c70 = V(), c71 = V()

    /// Row i += a(i) · (b0, b1) for the 8 values `a` gives.
    @inline(__always)
    mutating func add(_ b0: V, _ b1: V, _ a: (Int) -> Float) {
        let a0 = V(repeating: a(0))
        c00 += a0 * b0; c01 += a0 * b1
        let a1 = V(repeating: a(1))
        c10 += a1 * b0; c11 += a1 * b1
        let a2 = V(repeating: a(2))
        c20 += a2 * b0; c21 += a2 * b1
        let a3 = V(repeating: a(3))
        c30 += a3 * b0; c31 += a3 * b1
        let a4 = V(repeating: a(4))
        c40 += a4 * b0; c41 += a4 * b1
        let a5 = V(repeating: a(5))
        c50 += a5 * b0; c51 += a5 * b1
        let a6 = V(repeating: a(6))
        c60 += a6 * b0; c61 += a6 * b1
        let a7 = V(repeating: a(7))
        c70 += a7 * b0; c71 += a7 * b1
    }

    /// `c[i][0..<32]` (row stride `ldc`) = the sums, plus what `c` held when `accumulate`.
    @inline(__always)
    func store(_ c: UnsafeMutablePointer<Float>, _ ldc: Int, accumulate: Bool) {
        storeGenericRow(c, 0, ldc, c00, c01, accumulate); storeGenericRow(c, 1, ldc, c10, c11, accumulate)
        storeGenericRow(c, 2, ldc, c20, c21, accumulate); storeGenericRow(c, 3, ldc, c30, c31, accumulate)
        storeGenericRow(c, 4, ldc, c40, c41, accumulate); storeGenericRow(c, 5, ldc, c50, c51, accumulate)
        storeGenericRow(c, 6, ldc, c60, c61, accumulate); storeGenericRow(c, 7, ldc, c70, c71, accumulate)
    }
}

/// Row `row` of a tile at `c`: `(low, high)`, plus what it held when `accumulate`.
@inline(__always)
private func storeGenericRow(_ c: UnsafeMutablePointer<Float>, _ row: Int, _ ldc: Int, _ low: SIMD16<Float>, _ high: SIMD16<Float>, _ accumulate: Bool) {
    let out = UnsafeMutableRawPointer(c + row * ldc)
    var low = low, high = high
    if accumulate {
        low += out.loadUnaligned(as: SIMD16<Float>.self)
        high += out.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
    }
    out.storeBytes(of: low, as: SIMD16<Float>.self)
    out.storeBytes(of: high, toByteOffset: 64, as: SIMD16<Float>.self)
}
