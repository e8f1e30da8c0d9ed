// f32 SpMM microkernel, 64 pixels × 2 output rows, for any CPU (SIMD16 lowered to the baseline ISA).

/// Portable f32 SpMM microkernel: two output rows (one pair of `SparseWeights`) over 64 pixels.
///
/// For each step s: `outA[0..<64] += values[2s] · row(kA(s))` and `outB[0..<64] += values[2s+1] · row(kB(s))`, where
/// `indices[s]` holds kA in its low and kB in its high 16 bits and row(k) is the 64 floats at `base + rowOffsets[k]` bytes
/// (a packed panel, or the activations read in place). Sums start from `initA`/`initB` (zero when nil; `out` itself to
/// continue a previous chunk). With an `epilogue` [biasA, biasB, min, max] the bias is added and the result clamped
/// before it is stored (the last chunk: bias and fused activation in registers; compare-and-blend, as `clamped`
/// lowers to scalar code).
@inline(never)
public func f32_spmm_64x2__generic(_ steps: Int, _ indices: UnsafePointer<UInt32>, _ values: UnsafePointer<Float>,
    _ base: UnsafeRawPointer, _ rowOffsets: UnsafePointer<Int32>, _ outA: UnsafeMutablePointer<Float>, _ outB: UnsafeMutablePointer<Float>,
    _ initA: UnsafePointer<Float>?, _ initB: UnsafePointer<Float>?, _ epilogue: UnsafePointer<Float>?) {
    typealias V = SIMD16<Float>
    var a0 = V(), a1 = V(), a2 = V(), a3 = V()
    var b0 = V(), b1 = V(), b2 = V(), b3 = V()
    if let start = initA {
        let p = UnsafeRawPointer(start)
        a0 = p.loadUnaligned(as: V.self); a1 = p.loadUnaligned(fromByteOffset: 64, as: V.self)
        a2 = p.loadUnaligned(fromByteOffset: 128, as: V.self); a3 = p.loadUnaligned(fromByteOffset: 192, as: V.self)
    }
    if let start = initB {
        let p = UnsafeRawPointer(start)
        b0 = p.loadUnaligned(as: V.self); b1 = p.loadUnaligned(fromByteOffset: 64, as: V.self)
        b2 = p.loadUnaligned(fromByteOffset: 128, as: V.self); b3 = p.loadUnaligned(fromByteOffset: 192, as: V.self)
    }
    for s in 0..<steps {
        let index = indices[s]
        let pa = base + Int(rowOffsets[Int(index & 0xFFFF)]), pb = base + Int(rowOffsets[Int(index >> 16)])
        let wa = V(repeating: values[2 &* s]), wb = V(repeating: values[2 &* s &+ 1])
        a0.addProduct(wa, pa.loadUnaligned(as: V.self)); b0.addProduct(wb, pb.loadUnaligned(as: V.self))
        a1.addProduct(wa, pa.loadUnaligned(fromByteOffset: 64, as: V.self)); b1.addProduct(wb, pb.loadUnaligned(fromByteOffset: 64, as: V.self))
        a2.addProduct(wa, pa.loadUnaligned(fromByteOffset: 128, as: V.self)); b2.addProduct(wb, pb.loadUnaligned(fromByteOffset: 128, as: V.self))
        a3.addProduct(wa, pa.loadUnaligned(fromByteOffset: 192, as: V.self)); b3.addProduct(wb, pb.loadUnaligned(fromByteOffset: 192, as: V.self))
    }
    if let epilogue {
        let biasA = V(repeating: epilogue[0]), biasB = V(repeating: epilogue[1])
        let low = V(repeating: epilogue[2]), high = V(repeating: epilogue[3])
        a0 += biasA; a0.replace(with: low, where: a0 .< low); a0.replace(with: high, where: a0 .> high)
        b0 += biasB; b0.replace(with: low, where: b0 .< low); b0.replace(with: high, where: b0 .> high)
        a1 += biasA; a1.replace(with: low, where: a1 .< low); a1.replace(with: high, where: a1 .> high)
        b1 += biasB; b1.replace(with: low, where: b1 .< low); b1.replace(with: high, where: b1 .> high)
        a2 += biasA; a2.replace(with: low, where: a2 .< low); a2.replace(with: high, where: a2 .> high)
        b2 += biasB; b2.replace(with: low, where: b2 .< low); b2.replace(with: high, where: b2 .> high)
        a3 += biasA; a3.replace(with: low, where: a3 .< low); a3.replace(with: high, where: a3 .> high)
        b3 += biasB; b3.replace(with: low, where: b3 .< low); b3.replace(with: high, where: b3 .> high)
    }
    let a = UnsafeMutableRawPointer(outA), b = UnsafeMutableRawPointer(outB)
    a.storeBytes(of: a0, as: V.self); a.storeBytes(of: a1, toByteOffset: 64, as: V.self)
    a.storeBytes(of: a2, toByteOffset: 128, as: V.self); a.storeBytes(of: a3, toByteOffset: 192, as: V.self)
    b.storeBytes(of: b0, as: V.self); b.storeBytes(of: b1, toByteOffset: 64, as: V.self)
    b.storeBytes(of: b2, toByteOffset: 128, as: V.self); b.storeBytes(of: b3, toByteOffset: 192, as: V.self)
}
