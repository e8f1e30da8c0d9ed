// f32 SpMM microkernel, 32 pixels × 2 output rows, built with -target-cpu haswell:
// each `addProduct` on SIMD8<Float> becomes one vfmadd231ps ymm (8 accumulators), each weight one vbroadcastss.

/// AVX2 f32 SpMM microkernel: two output rows (one pair of `SparseWeights`) over 32 pixels.
/// Call only when `CPUFeatures.current.avx2`.
///
/// For each step s: `outA[0..<32] += values[2s] · row(kA(s))` and `outB[0..<32] += values[2s+1] · row(kB(s))`, where
/// `indices[s]` holds kA in its low and kB in its high 16 bits and row(k) is the 32 floats at `base + rowOffsets[k]` bytes.
/// Starts from `out` when `accumulate`, else from zero.
@inline(never)
public func f32_spmm_32x2__avx2(_ steps: Int, _ indices: UnsafePointer<UInt32>, _ values: UnsafePointer<Float>,
                                _ base: UnsafeRawPointer, _ rowOffsets: UnsafePointer<Int32>,
                                _ outA: UnsafeMutablePointer<Float>, _ outB: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
    typealias V = SIMD8<Float>
    let a = UnsafeMutableRawPointer(outA), b = UnsafeMutableRawPointer(outB)
    var a0 = V(), a1 = V(), a2 = V(), a3 = V()
    var b0 = V(), b1 = V(), b2 = V(), b3 = V()
    if accumulate {
        a0 = a.loadUnaligned(as: V.self); a1 = a.loadUnaligned(fromByteOffset: 32, as: V.self)
        a2 = a.loadUnaligned(fromByteOffset: 64, as: V.self); a3 = a.loadUnaligned(fromByteOffset: 96, as: V.self)
        b0 = b.loadUnaligned(as: V.self); b1 = b.loadUnaligned(fromByteOffset: 32, as: V.self)
        b2 = b.loadUnaligned(fromByteOffset: 64, as: V.self); b3 = b.loadUnaligned(fromByteOffset: 96, as: V.self)
    }
    for s in 0..<steps {
        let index = indices[s]
        let pa = base + Int(rowOffsets[Int(index & 0xFFFF)]), pb = base + Int(rowOffsets[Int(index >> 16)])
        let wa = V(repeating: values[2 &* s]), wb = V(repeating: values[2 &* s &+ 1])
        a0.addProduct(wa, pa.loadUnaligned(as: V.self)); b0.addProduct(wb, pb.loadUnaligned(as: V.self))
        a1.addProduct(wa, pa.loadUnaligned(fromByteOffset: 32, as: V.self)); b1.addProduct(wb, pb.loadUnaligned(fromByteOffset: 32, as: V.self))
        a2.addProduct(wa, pa.loadUnaligned(fromByteOffset: 64, as: V.self)); b2.addProduct(wb, pb.loadUnaligned(fromByteOffset: 64, as: V.self))
        a3.addProduct(wa, pa.loadUnaligned(fromByteOffset: 96, as: V.self)); b3.addProduct(wb, pb.loadUnaligned(fromByteOffset: 96, as: V.self))
    }
    a.storeBytes(of: a0, as: V.self); a.storeBytes(of: a1, toByteOffset: 32, as: V.self)
    a.storeBytes(of: a2, toByteOffset: 64, as: V.self); a.storeBytes(of: a3, toByteOffset: 96, as: V.self)
    b.storeBytes(of: b0, as: V.self); b.storeBytes(of: b1, toByteOffset: 32, as: V.self)
    b.storeBytes(of: b2, toByteOffset: 64, as: V.self); b.storeBytes(of: b3, toByteOffset: 96, as: V.self)
}
