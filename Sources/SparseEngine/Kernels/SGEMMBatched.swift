/// A batch of small row-major products `C_i = A_i · B_i` (M×K times K×N, e.g. attention's per-head
/// products): one parallel region whose tasks are whole products, each computed by one thread
/// (`serialSgemm`), so a batch costs one fork and join instead of two per product.
func sgemmBatched(_ pairs: [(a: UnsafePointer<Float>, b: UnsafePointer<Float>)], m: Int, n: Int, k: Int,
                  c: UnsafeMutablePointer<Float>, context: KernelContext) {
    let config = context.kernels, workspace = context.gemmWorkspace
    let scratchCount = serialSgemmScratchCount(m: m, k: k, config: config)
    context.pool.parallelFor(pairs.count) { index, thread in
        let (a, b) = pairs[index]
        serialSgemm(m: m, n: n, k: k, alpha: 1, a: a, lda: k, transA: false, b: b, ldb: n, transB: false, c: c + index * m * n, ldc: n,
                    config: config, scratch: workspace.threadBuffer(thread, scratchCount))
    }
}

/// Floats of scratch `serialSgemm` needs for an M×K left operand.
func serialSgemmScratchCount(m: Int, k: Int, config: KernelConfig) -> Int {
    let shape = GemmShape(m: m, k: k, mr: config.gemmMR)
    return shape.packedCount + shape.kcMax * config.gemmNR + config.gemmMR * config.gemmNR
}

/// `C = alpha·op(A)·op(B)` (M×K times K×N, row-major, leading dimensions `lda`, `ldb`, `ldc`; A stored K×M when
/// `transA`, B stored N×K when `transB`) on the calling thread alone, for products that are tasks of a parallel region.
/// A is packed in MR-row slivers into `scratch` (`serialSgemmScratchCount` floats); B is read in place in NR-column
/// panels when it is stored K×N and the panel is whole, else packed: stored N×K through the 16×16 transpose kernel.
func serialSgemm(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int, transA: Bool, b: UnsafePointer<Float>, ldb: Int,
                 transB: Bool, c: UnsafeMutablePointer<Float>, ldc: Int, config: KernelConfig, scratch: UnsafeMutablePointer<Float>) {
    let mr = config.gemmMR, nr = config.gemmNR
    let shape = GemmShape(m: m, k: k, mr: mr)
    let packedA = scratch, panel = packedA + shape.packedCount, edgeTile = panel + shape.kcMax * nr
    for s in 0..<shape.slivers { packSliver(s, transA: transA, m: m, k: k, alpha: alpha, a: a, lda: lda, shape: shape, into: packedA) }
    for j0 in stride(from: 0, to: n, by: nr) {
        let cols = min(nr, n - j0)
        for block in 0..<shape.kBlocks {
            let k0 = shape.blockStart(block), kc = shape.blockLength(block)
            var panelStart = b + k0 * ldb + j0, panelStride = ldb
            if transB {
                packTransposedPanel(b, ldb: ldb, k0: k0, kc: kc, j0: j0, cols: cols, nr: nr, transpose: config.transpose, into: panel)
                (panelStart, panelStride) = (UnsafePointer(panel), nr)
            } else if cols < nr {
                packBPanel(transB: false, b: b, ldb: ldb, k0: k0, kc: kc, j0: j0, cols: cols, nr: nr, into: panel)
                (panelStart, panelStride) = (UnsafePointer(panel), nr)
            }
            for s in 0..<shape.slivers {
                let r0 = s * mr, rows = min(mr, m - r0)
                let aSliver = UnsafePointer(packedA + shape.sliverOffset(block: block, sliver: s))
                let cTile = c + r0 * ldc + j0
                if rows == mr && cols == nr {
                    config.gemm(kc, aSliver, panelStart, panelStride, cTile, ldc, block > 0, nil)
                    continue
                }
                config.gemm(kc, aSliver, panelStart, panelStride, edgeTile, nr, false, nil)
                for r in 0..<rows {
                    let dst = cTile + r * ldc, src = edgeTile + r * nr
                    if block > 0 {
                        for j in 0..<cols { dst[j] += src[j] }
                    } else {
                        dst.update(from: src, count: cols)
                    }
                }
            }
        }
    }
}

/// `packBPanel` for a B stored N×K: `panel[p·nr + j] = b[(j0 + j)·ldb + k0 + p]` (`transposeInBlocks`), columns from
/// `cols` to `nr` zero.
private func packTransposedPanel(_ b: UnsafePointer<Float>, ldb: Int, k0: Int, kc: Int, j0: Int, cols: Int, nr: Int,
                                 transpose: KernelConfig.TransposeMicrokernel, into panel: UnsafeMutablePointer<Float>) {
    if cols < nr {
        for p in 0..<kc { (panel + p * nr + cols).update(repeating: 0, count: nr - cols) }
    }
    transposeInBlocks(b + j0 * ldb + k0, ldSource: ldb, rows: cols, columns: kc, into: panel, ldDestination: nr, transpose: transpose)
}
