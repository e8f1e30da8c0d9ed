// The 8×32 f32 accumulator tile the AVX-512 GEMM microkernels share, built with -target-cpu skylake-avx512:
// 16 zmm registers once inlined; each `addProduct` becomes one vfmadd231ps zmm.

/// Eight rows of 32 f32 sums, two SIMD16 each, for the 8×32 microkernels. Inlined, it lives in registers.
struct Tile8x32 {
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
        c00.addProduct(a0, b0); c01.addProduct(a0, b1)
        let a1 = V(repeating: a(1))
        c10.addProduct(a1, b0); c11.addProduct(a1, b1)
        let a2 = V(repeating: a(2))
        c20.addProduct(a2, b0); c21.addProduct(a2, b1)
        let a3 = V(repeating: a(3))
        c30.addProduct(a3, b0); c31.addProduct(a3, b1)
        let a4 = V(repeating: a(4))
        c40.addProduct(a4, b0); c41.addProduct(a4, b1)
        let a5 = V(repeating: a(5))
        c50.addProduct(a5, b0); c51.addProduct(a5, b1)
        let a6 = V(repeating: a(6))
        c60.addProduct(a6, b0); c61.addProduct(a6, b1)
        let a7 = V(repeating: a(7))
        c70.addProduct(a7, b0); c71.addProduct(a7, b1)
    }

    /// `c[i][0..<32]` (row stride `ldc`) = the sums, plus what `c` held when `accumulate`.
    @inline(__always)
    func store(_ c: UnsafeMutablePointer<Float>, _ ldc: Int, accumulate: Bool) {
        storeRow(c, 0, ldc, c00, c01, accumulate); storeRow(c, 1, ldc, c10, c11, accumulate)
        storeRow(c, 2, ldc, c20, c21, accumulate); storeRow(c, 3, ldc, c30, c31, accumulate)
        storeRow(c, 4, ldc, c40, c41, accumulate); storeRow(c, 5, ldc, c50, c51, accumulate)
        storeRow(c, 6, ldc, c60, c61, accumulate); storeRow(c, 7, ldc, c70, c71, accumulate)
    }
}

/// Row `row` of a tile at `c`: `(low, high)`, plus what it held when `accumulate`.
@inline(__always)
private func storeRow(_ c: UnsafeMutablePointer<Float>, _ row: Int, _ ldc: Int, _ low: SIMD16<Float>, _ high: SIMD16<Float>, _ accumulate: Bool) {
    let out = UnsafeMutableRawPointer(c + row * ldc)
    var low = low, high = high
    if accumulate {
        low += out.loadUnaligned(as: SIMD16<Float>.self)
        high += out.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
    }
    out.storeBytes(of: low, as: SIMD16<Float>.self)
    out.storeBytes(of: high, toByteOffset: 64, as: SIMD16<Float>.self)
}
