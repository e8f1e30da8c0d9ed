/// `C = alpha · op(A) · op(B) (+ C)` computed as Cᵀ = op(B)ᵀ · op(A)ᵀ, for outputs with few columns
/// (`GemmPlan.prefersColumnSlivers`): op(B)ᵀ is packed in MR-column slivers, op(A)ᵀ in NR-row panels
/// (cached when A is constant). Tasks of (panel, range of slivers) accumulate each tile over all K
/// blocks in per-thread scratch, then add it to C transposed. `overwrite` replaces C instead of adding.
func sgemmColumnSlivers(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                        overwrite: Bool, c: UnsafeMutablePointer<Float>, ldc: Int, context: KernelContext) {
    let config = context.kernels
    let mr = config.gemmMR, nr = config.gemmNR
    let workspace = context.gemmWorkspace, pool = context.pool
    let kcLimit = GemmShape.prefetchedKcLimit
    let left = GemmShape(m: n, k: k, mr: mr, kcLimit: kcLimit), right = GemmShape(m: m, k: k, mr: nr, kcLimit: kcLimit)
    let packedLeft = workspace.packed(b, rows: transB ? n : k, columns: transB ? k : n, ld: ldb, alpha: 1, transposed: transB,
                                      layout: .slivers(left), count: left.packedCount, slot: .left) { buffer in
        packSlivers(transA: !transB, m: n, k: k, alpha: 1, a: b, lda: ldb, shape: left, into: buffer, pool: pool)
    }
    let packedRight = workspace.packed(a, rows: transA ? k : m, columns: transA ? m : k, ld: lda, alpha: alpha, transposed: transA,
                                       layout: .panels(right), count: right.packedCount, slot: .right) { buffer in
        packPanels(transB: !transA, n: m, k: k, alpha: alpha, b: a, ldb: lda, shape: right, into: buffer, pool: pool)
    }
    let panels = right.slivers
    let targetTasks = pool.threadCount == 1 ? 1 : pool.threadCount * 4
    let sliverChunks = min(left.slivers, max(1, (targetTasks + panels - 1) / panels))
    let tilesPerTask = (left.slivers + sliverChunks - 1) / sliverChunks
    pool.parallelFor(panels * sliverChunks) { task, thread in
        let panel = task / sliverChunks, chunk = task % sliverChunks
        let firstSliver = left.slivers * chunk / sliverChunks, endSliver = left.slivers * (chunk + 1) / sliverChunks
        let tiles = workspace.threadBuffer(thread, tilesPerTask * mr * nr)
        for block in 0..<left.kBlocks {
            let kc = left.blockLength(block)
            let rightPanel = packedRight + right.sliverOffset(block: block, sliver: panel)
            let nextPanel = block + 1 < left.kBlocks ? UnsafeRawPointer(packedRight + right.sliverOffset(block: block + 1, sliver: panel)) : nil
            for s in firstSliver..<endSliver {
                config.gemm(kc, packedLeft + left.sliverOffset(block: block, sliver: s), rightPanel, nr,
                            tiles + (s - firstSliver) * mr * nr, nr, block > 0,
                            WeightPrefetch.region(nextPanel, bytes: kc * nr * 4, kc: kc, call: s - firstSliver))
            }
        }
        // Tile row i is column n0 + i of C; tile column j is row m0 + j.
        let m0 = panel * nr, rows = min(nr, m - m0)
        for s in firstSliver..<endSliver {
            let n0 = s * mr, cols = min(mr, n - n0)
            let tile = tiles + (s - firstSliver) * mr * nr
            for j in 0..<rows {
                let dst = c + (m0 + j) * ldc + n0
                if overwrite {
                    for i in 0..<cols { dst[i] = tile[i * nr + j] }
                } else {
                    for i in 0..<cols { dst[i] += tile[i * nr + j] }
                }
            }
        }
    }
}
