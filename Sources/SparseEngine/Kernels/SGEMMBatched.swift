/// A batch of small row-major products `C_i = A_i · B_i` (M×K times K×N, e.g. attention's per-head
/// products): one parallel region whose tasks are whole products, each computed by one thread with its A
/// packed in MR-row slivers and its B read in place in NR-column panels (packed at the right edge), so a
/// batch costs one fork and join instead of two per product.
func sgemmBatched(_ pairs: [(a: UnsafePointer<Float>, b: UnsafePointer<Float>)], m: Int, n: Int, k: Int,
                  c: UnsafeMutablePointer<Float>, context: KernelContext) {
    let config = context.kernels, workspace = context.gemmWorkspace
    let mr = config.gemmMR, nr = config.gemmNR
    let shape = GemmShape(m: m, k: k, mr: mr)
    let panels = (n + nr - 1) / nr
    context.pool.parallelFor(pairs.count) { index, thread in
        let (a, b) = pairs[index]
        let packedA = workspace.threadBuffer(thread, shape.packedCount + shape.kcMax * nr + mr * nr)
        let edgePanel = packedA + shape.packedCount, edgeTile = edgePanel + shape.kcMax * nr
        for s in 0..<shape.slivers { packSliver(s, transA: false, m: m, k: k, alpha: 1, a: a, lda: k, shape: shape, into: packedA) }
        let cBase = c + index * m * n
        for panel in 0..<panels {
            let j0 = panel * nr, cols = min(nr, n - j0)
            for block in 0..<shape.kBlocks {
                let k0 = shape.blockStart(block), kc = shape.blockLength(block)
                var panelStart = b + k0 * n + j0, panelStride = n
                if cols < nr {
                    packBPanel(transB: false, b: b, ldb: n, k0: k0, kc: kc, j0: j0, cols: cols, nr: nr, into: edgePanel)
                    (panelStart, panelStride) = (UnsafePointer(edgePanel), nr)
                }
                for s in 0..<shape.slivers {
                    let r0 = s * mr, rows = min(mr, m - r0)
                    let aSliver = UnsafePointer(packedA + shape.sliverOffset(block: block, sliver: s))
                    let cTile = cBase + r0 * n + j0
                    if rows == mr && cols == nr {
                        config.gemm(kc, aSliver, panelStart, panelStride, cTile, n, block > 0, nil)
                        continue
                    }
                    config.gemm(kc, aSliver, panelStart, panelStride, edgeTile, nr, false, nil)
                    for r in 0..<rows {
                        let dst = cTile + r * n, src = edgeTile + r * nr
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
}

