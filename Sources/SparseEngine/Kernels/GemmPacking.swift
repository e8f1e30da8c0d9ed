/// Packs `alpha · op(A)` (M×K) as `shape` lays it out: MR-row slivers, each K block's values for
/// one k step contiguous (`mr` floats). Parallel over slivers.
func packSlivers(transA: Bool, m: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int, shape: GemmShape,
                 into packed: UnsafeMutablePointer<Float>, pool: ThreadPool) {
    pool.parallelFor(shape.slivers) { s, _ in
        packSliver(s, transA: transA, m: m, k: k, alpha: alpha, a: a, lda: lda, shape: shape, into: packed)
    }
}

/// Sliver `s` of `packSlivers`, every K block of it.
func packSliver(_ s: Int, transA: Bool, m: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int, shape: GemmShape,
                into packed: UnsafeMutablePointer<Float>) {
    let mr = shape.mr
    let r0 = s * mr, rows = min(mr, m - r0)
    for block in 0..<shape.kBlocks {
        let k0 = shape.blockStart(block), kc = shape.blockLength(block)
        let dst = packed + shape.sliverOffset(block: block, sliver: s)
        if rows < mr { dst.update(repeating: 0, count: kc * mr) }
        if transA {
            // Stored K×M: each k row holds the sliver's rows contiguously.
            for p in 0..<kc {
                let src = a + (k0 + p) * lda + r0, d = dst + p * mr
                if alpha == 1 {
                    d.update(from: src, count: rows)
                } else {
                    for r in 0..<rows { d[r] = alpha * src[r] }
                }
            }
        } else if rows == 8 && mr == 8 {
            packEightRows(a + r0 * lda + k0, lda: lda, kc: kc, alpha: alpha, into: dst)
        } else {
            // Stored M×K: read each row sequentially, write every mr-th float.
            for r in 0..<rows {
                let src = a + (r0 + r) * lda + k0
                if alpha == 1 {
                    for p in 0..<kc { dst[p * mr + r] = src[p] }
                } else {
                    for p in 0..<kc { dst[p * mr + r] = alpha * src[p] }
                }
            }
        }
    }
}

/// `dst[p·8 + r] = alpha · a[r·lda + p]` for 8 rows and `kc` columns: 8×8 blocks transposed in registers (three rounds
/// of even/odd interleaving), which writes whole vectors instead of every 8th float (packing A was 4 % of DistilBERT).
private func packEightRows(_ a: UnsafePointer<Float>, lda: Int, kc: Int, alpha: Float, into dst: UnsafeMutablePointer<Float>) {
    typealias V = SIMD8<Float>
    let scale = V(repeating: alpha)
    var p = 0
    while p + 8 <= kc {
        func row(_ r: Int) -> V { UnsafeRawPointer(a + r * lda + p).loadUnaligned(as: V.self) * scale }
        var v = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
        for _ in 0..<3 {
            let p0 = SIMD16(lowHalf: v.0, highHalf: v.1), p1 = SIMD16(lowHalf: v.2, highHalf: v.3)
            let p2 = SIMD16(lowHalf: v.4, highHalf: v.5), p3 = SIMD16(lowHalf: v.6, highHalf: v.7)
            v = (p0.evenHalf, p1.evenHalf, p2.evenHalf, p3.evenHalf, p0.oddHalf, p1.oddHalf, p2.oddHalf, p3.oddHalf)
        }
        // Vector j now holds column p + j: element r of it came from row r.
        let out = UnsafeMutableRawPointer(dst + p * 8)
        out.storeBytes(of: v.0, toByteOffset: 0, as: V.self)
        out.storeBytes(of: v.1, toByteOffset: 32, as: V.self)
        out.storeBytes(of: v.2, toByteOffset: 64, as: V.self)
        out.storeBytes(of: v.3, toByteOffset: 96, as: V.self)
        out.storeBytes(of: v.4, toByteOffset: 128, as: V.self)
        out.storeBytes(of: v.5, toByteOffset: 160, as: V.self)
        out.storeBytes(of: v.6, toByteOffset: 192, as: V.self)
        out.storeBytes(of: v.7, toByteOffset: 224, as: V.self)
        p += 8
    }
    for q in p..<kc {
        for r in 0..<8 { dst[q * 8 + r] = alpha * a[r * lda + q] }
    }
}

/// Packs `alpha · op(B)` (K×N) as NR-column panels laid out like `packSlivers` lays out slivers
/// (`shape` built over N with `mr` = NR). Parallel over panels.
func packPanels(transB: Bool, n: Int, k: Int, alpha: Float, b: UnsafePointer<Float>, ldb: Int, shape: GemmShape,
                into packed: UnsafeMutablePointer<Float>, pool: ThreadPool) {
    let nr = shape.mr
    pool.parallelFor(shape.slivers) { panel, _ in
        let j0 = panel * nr, cols = min(nr, n - j0)
        for block in 0..<shape.kBlocks {
            let k0 = shape.blockStart(block), kc = shape.blockLength(block)
            let dst = packed + shape.sliverOffset(block: block, sliver: panel)
            packBPanel(transB: transB, b: b, ldb: ldb, k0: k0, kc: kc, j0: j0, cols: cols, nr: nr, into: dst)
            if alpha != 1 { for i in 0..<(kc * nr) { dst[i] *= alpha } }
        }
    }
}

/// Copies rows `k0..<k0+kc`, columns `j0..<j0+cols` of op(B) into an `nr`-wide panel, zero-padded.
@inline(__always)
func packBPanel(transB: Bool, b: UnsafePointer<Float>, ldb: Int, k0: Int, kc: Int, j0: Int, cols: Int, nr: Int,
                into panel: UnsafeMutablePointer<Float>) {
    if transB {
        // Stored N×K: each output column is a contiguous run of K.
        if cols < nr { panel.update(repeating: 0, count: kc * nr) }
        for j in 0..<cols {
            let src = b + (j0 + j) * ldb + k0
            for p in 0..<kc { panel[p * nr + j] = src[p] }
        }
    } else {
        for p in 0..<kc {
            let d = panel + p * nr
            d.update(from: b + (k0 + p) * ldb + j0, count: cols)
            if cols < nr { (d + cols).update(repeating: 0, count: nr - cols) }
        }
    }
}
