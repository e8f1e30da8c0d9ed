/// Row-major single-precision GEMM: `C = alpha · op(A) · op(B) + beta · C`, with `op(A)` M×K and
/// `op(B)` K×N; `transA`/`transB` mean the stored matrix is the transpose (K×M / N×K).
///
/// Three ways, by shape:
/// - fewer than `smallRows` rows: `smallRowsGemm` streams B once (a sliver would be mostly padding);
/// - few columns (`prefersColumnSlivers`, e.g. a 7×7 convolution output): `sgemmColumnSlivers`
///   computes Cᵀ = op(B)ᵀ·op(A)ᵀ, where the padding is 8 columns instead of 32;
/// - otherwise A is packed into MR-row slivers per K block (cached when A is a constant, i.e.
///   weights) and one parallel region runs tasks of (NR-column panel, range of slivers): per K block
///   a task reads its B panel in place, from B's cached packing when B is a constant (weights on the
///   right), or packs it into per-thread scratch (kept in L1), then runs the microkernel over its slivers.
///
/// An `epilogue` (bias, bounds, GELU) finishes C: tile by tile as the last K block completes it in the third way,
/// in one parallel pass after the product in the others.
func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, epilogue: GemmEpilogue? = nil, context: KernelContext) {
    if m == 0 || n == 0 { return }
    if beta != 0 && beta != 1 {
        for i in 0..<m {
            let row = c + i * ldc
            for j in 0..<n { row[j] *= beta }
        }
    }
    if k == 0 || alpha == 0 {
        if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        epilogue?.apply(toWhole: c, ldc: ldc, m: m, n: n, pool: context.pool)
        return
    }
    let config = context.kernels
    if m < GemmPlan.smallRows {
        smallRowsGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                      overwrite: beta == 0, c: c, ldc: ldc, scratch: context.gemmWorkspace.threadBuffer(0, m * k), pool: context.pool)
        epilogue?.apply(toWhole: c, ldc: ldc, m: m, n: n, pool: context.pool)
    } else if GemmPlan.prefersColumnSlivers(m: m, n: n, mr: config.gemmMR, nr: config.gemmNR) {
        sgemmColumnSlivers(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                           overwrite: beta == 0, c: c, ldc: ldc, context: context)
        epilogue?.apply(toWhole: c, ldc: ldc, m: m, n: n, pool: context.pool)
    } else {
        sgemmRowSlivers(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                        overwrite: beta == 0, c: c, ldc: ldc, epilogue: epilogue, context: context)
    }
}

/// The choices `sgemm` makes from a shape.
enum GemmPlan {
    /// Fewer rows than this use `smallRowsGemm`.
    static let smallRows = 4

    /// Batched products of at most this many multiply-adds each run one per task (`sgemmBatched`): 4 Mi, e.g.
    /// 128×128 by 128×256, whose operands stay in L2.
    static let batchedProductLimit = 1 << 22

    /// True when computing Cᵀ pads less: few columns (at most 256), and fewer padded multiply-adds
    /// with columns in slivers of MR and rows in panels of NR than the other way round.
    static func prefersColumnSlivers(m: Int, n: Int, mr: Int, nr: Int) -> Bool {
        func roundUp(_ x: Int, _ to: Int) -> Int { (x + to - 1) / to * to }
        return n <= 256 && roundUp(n, mr) * roundUp(m, nr) < roundUp(m, mr) * roundUp(n, nr)
    }

    /// The K block for reading a row-major B panel in place, or nil when it must be packed: at most
    /// `l1Rows(stride: ldb)`, and at least 128 rows. Strides that are multiples of 8 lines (e.g. 112×112
    /// images) are packed.
    static func inPlaceBlock(ldb: Int) -> Int? {
        let rows = l1Rows(stride: ldb)
        return rows >= 128 ? min(rows, GemmShape.defaultKcLimit) : nil
    }

    /// How many rows `stride` floats apart can be read together without evicting each other from L1
    /// (64-byte lines, 64 sets, 12 ways): rows whose stride is a multiple of g lines fall on 64/g sets,
    /// so at most 512/g fit; `Int.max` when the stride is no whole number of lines.
    static func l1Rows(stride: Int) -> Int {
        let bytes = stride * MemoryLayout<Float>.size
        guard bytes % 64 == 0 else { return .max }
        var g = (bytes / 64) % 64, b = 64
        while b != 0 { (g, b) = (b, g % b) }
        return 512 / g
    }
}

/// The general case: A packed in MR-row slivers, B read or packed in NR-column panels per K block.
private func sgemmRowSlivers(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             overwrite: Bool, c: UnsafeMutablePointer<Float>, ldc: Int, epilogue: GemmEpilogue?,
                             context: KernelContext) {
    let config = context.kernels
    let mr = config.gemmMR, nr = config.gemmNR
    let inPlaceBlock = transB ? nil : GemmPlan.inPlaceBlock(ldb: ldb)
    let workspace = context.gemmWorkspace
    // A constant B (weights on the right, e.g. a linear layer's) that is not read in place is packed once, and
    // its blocks are prefetched.
    let bRows = transB ? n : k, bColumns = transB ? k : n
    let bIsConstant = inPlaceBlock == nil && workspace.isConstant(b, byteCount: ((bRows - 1) * ldb + bColumns) * MemoryLayout<Float>.size)
    let kcLimit = inPlaceBlock ?? (bIsConstant ? GemmShape.prefetchedKcLimit : GemmShape.defaultKcLimit)
    let shape = GemmShape(m: m, k: k, mr: mr, kcLimit: kcLimit)
    let packed = workspace.packed(a, rows: transA ? k : m, columns: transA ? m : k, ld: lda, alpha: alpha, transposed: transA,
                                  layout: .slivers(shape), count: shape.packedCount, slot: .left) { buffer in
        packSlivers(transA: transA, m: m, k: k, alpha: alpha, a: a, lda: lda, shape: shape, into: buffer, pool: context.pool)
    }
    let panelShape = GemmShape(m: n, k: k, mr: nr, kcLimit: kcLimit)
    let packedB = bIsConstant
        ? workspace.packed(b, rows: bRows, columns: bColumns, ld: ldb, alpha: 1, transposed: transB, layout: .panels(panelShape),
                           count: panelShape.packedCount, slot: .right) { buffer in
            packPanels(transB: transB, n: n, k: k, alpha: 1, b: b, ldb: ldb, shape: panelShape, into: buffer, pool: context.pool)
        }
        : nil
    let panels = (n + nr - 1) / nr
    let threads = context.pool.threadCount
    // Split the slivers only when there are too few panels to keep every thread busy.
    let targetTasks = threads == 1 ? 1 : threads * 4
    let sliverChunks = min(shape.slivers, max(1, (targetTasks + panels - 1) / panels))
    context.pool.parallelFor(panels * sliverChunks) { task, thread in
        let panel = task / sliverChunks, chunk = task % sliverChunks
        let firstSliver = shape.slivers * chunk / sliverChunks, endSliver = shape.slivers * (chunk + 1) / sliverChunks
        let j0 = panel * nr, cols = min(nr, n - j0)
        let scratch = workspace.threadBuffer(thread, shape.kcMax * nr + mr * nr)
        let edgeTile = scratch + shape.kcMax * nr
        let inPlace = inPlaceBlock != nil && cols == nr
        for block in 0..<shape.kBlocks {
            let k0 = shape.blockStart(block), kc = shape.blockLength(block)
            let panelStart: UnsafePointer<Float>, panelStride: Int
            if let packedB {
                panelStart = packedB + panelShape.sliverOffset(block: block, sliver: panel)
                panelStride = nr
            } else if inPlace {
                panelStart = b + k0 * ldb + j0
                panelStride = ldb
            } else {
                packBPanel(transB: transB, b: b, ldb: ldb, k0: k0, kc: kc, j0: j0, cols: cols, nr: nr, into: scratch)
                panelStart = UnsafePointer(scratch)
                panelStride = nr
            }
            let accumulate = block > 0 || !overwrite
            // A cached B panel's next block comes from memory while the slivers run on this one.
            let nextPanel = packedB.flatMap { block + 1 < shape.kBlocks ? UnsafeRawPointer($0 + panelShape.sliverOffset(block: block + 1, sliver: panel)) : nil }
            for s in firstSliver..<endSliver {
                let r0 = s * mr, rows = min(mr, m - r0)
                let aSliver = packed + shape.sliverOffset(block: block, sliver: s)
                let cTile = c + r0 * ldc + j0
                let prefetch = WeightPrefetch.region(nextPanel, bytes: kc * nr * 4, kc: kc, call: s - firstSliver)
                if rows == mr && cols == nr {
                    config.gemm(kc, aSliver, panelStart, panelStride, cTile, ldc, accumulate, prefetch)
                } else {
                    config.gemm(kc, aSliver, panelStart, panelStride, edgeTile, nr, false, prefetch)
                    for r in 0..<rows {
                        let dst = cTile + r * ldc, src = edgeTile + r * nr
                        if accumulate {
                            for j in 0..<cols { dst[j] += src[j] }
                        } else {
                            dst.update(from: src, count: cols)
                        }
                    }
                }
                if block == shape.kBlocks - 1 { epilogue?.apply(cTile, ldc: ldc, rows: rows, column: j0, columns: cols) }
            }
        }
    }
}
