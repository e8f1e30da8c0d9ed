import CSparseEngineCPU

extension ShiftedConvolutionGemm {
    /// Bytes of packed weights a task keeps in L2 while it goes through its panels.
    static let chunkBytes = 512 * 1024
    /// How many panels ahead a packed panel's rows and a stored tile's outputs are prefetched (the input of a
    /// large image, e.g. YOLOv5s's 320×320 and 160×160 layers, comes from L3 or memory, in one stream per row:
    /// more than the hardware prefetcher follows). Single core, YOLOv5s: 122.6 → 116.3 ms with the rows prefetched
    /// 4 panels ahead (1 panel: half the gain), → 109.8 ms with the outputs (and residual) 2 panels ahead too.
    static let prefetchPanels = 4

    /// `Y = W · B` in tiles of MR output channels × NR consecutive pixels v. Tasks of (chunk of the weights'
    /// MR-row slivers, range of NR-pixel panels), chunk by chunk, the chunks' sizes a sliver apart at most and the
    /// tasks as many as make equal shares for the threads (`TaskSplit`): for each panel and K block a task runs the indirect GEMM
    /// microkernel over the chunk's slivers, whose packing (cached, weights are constant) fits in `chunkBytes`
    /// and so stays in L2 from one panel to the next. B's rows are read in place through the row offsets, in K
    /// blocks of no more channels than `GemmPlan.l1Rows` keeps in L1 together; when that is too few (input
    /// planes of a multiple of 8 cache lines), when the input is larger than `inPlaceSourceBytes`, and for an
    /// image's last, partial panel, a panel is first copied into per-thread scratch, zero-padded.
    func runOverPixels(weights: UnsafePointer<Float>, k: Int, rowOffsets: UnsafePointer<Int32>, output: ConvGemmOutput,
                       context: KernelContext) {
        let g = geometry, config = context.kernels, workspace = context.gemmWorkspace
        let mr = config.igemmMR, nr = config.igemmNR, m = output.channels
        let channelsInL1 = GemmPlan.l1Rows(stride: phaseH * phaseW)
        let rowsInL1 = channelsInL1 >= GemmShape.defaultKcLimit ? GemmShape.defaultKcLimit : channelsInL1 * g.kH * g.kW
        let inPlace = rowsInL1 >= 128 && batch * imageBytes <= Self.inPlaceSourceBytes
        let shape = GemmShape(m: m, k: k, mr: mr, kcLimit: inPlace ? min(rowsInL1, GemmShape.defaultKcLimit) : GemmShape.defaultKcLimit)
        let packed = workspace.packed(weights, rows: m, columns: k, ld: k, alpha: 1, transposed: false, layout: .slivers(shape),
                                      count: shape.packedCount, slot: .left) { buffer in
            packSlivers(transA: false, m: m, k: k, alpha: 1, a: weights, lda: k, shape: shape, into: buffer, pool: context.pool)
        }
        let panelOffsets = (0..<shape.kcMax).map { Int32($0 * nr * MemoryLayout<Float>.size) }
        let plane = g.outH * g.outW, imagePixels = imagePixels, imageBytes = imageBytes
        let panelsPerImage = (imagePixels + nr - 1) / nr, panels = batch * panelsPerImage
        let chunks = TaskSplit.parts(shape.slivers, most: Self.chunkBytes / (k * mr * MemoryLayout<Float>.size))
        let chunkSlivers = (shape.slivers + chunks - 1) / chunks
        let threads = context.pool.threadCount, targetTasks = threads == 1 ? 1 : threads * 4
        let ranges = TaskSplit.ranges(least: (targetTasks + chunks - 1) / chunks, most: panels, blocks: chunks, threads: threads)
        panelOffsets.withUnsafeBufferPointer { panelOffsets in
            context.pool.parallelFor(chunks * ranges) { task, thread in
                let chunk = task / ranges, range = task % ranges
                let firstSliver = shape.slivers * chunk / chunks, endSliver = shape.slivers * (chunk + 1) / chunks
                let r0 = firstSliver * mr, r1 = min(m, endSliver * mr)
                let bPanel = workspace.threadBuffer(thread, shape.kcMax * nr + chunkSlivers * mr * nr)
                let tiles = bPanel + shape.kcMax * nr
                for panel in (panels * range / ranges)..<(panels * (range + 1) / ranges) {
                    let image = panel / panelsPerImage, v0 = (panel % panelsPerImage) * nr
                    let count = min(nr, imagePixels - v0)
                    let start = UnsafeRawPointer(source) + image * imageBytes + v0 * MemoryLayout<Float>.size
                    for block in 0..<shape.kBlocks {
                        let k0 = shape.blockStart(block), kc = shape.blockLength(block)
                        var base = start, offsets = rowOffsets + k0
                        if count < nr || !inPlace {
                            packShiftedPanel(start, offsets, kc: kc, count: count, width: nr, into: bPanel, prefetchAhead: Self.prefetchPanels * nr * 4)
                            base = UnsafeRawPointer(bPanel)
                            offsets = panelOffsets.baseAddress!
                        }
                        for s in firstSliver..<endSliver {
                            config.igemm(kc, packed + shape.sliverOffset(block: block, sliver: s), base, offsets,
                                         tiles + (s - firstSliver) * mr * nr, nr, block > 0)
                        }
                    }
                    // Tile row r − r0 holds output channel r at pixels v0 ..< v0 + count: runs of one output row
                    // each, or a single run when no column is dropped.
                    let epilogue = output.epilogue.applyingToTile(tiles, rows: r1 - r0, width: nr, channel: output.firstChannel + r0)
                    var q = 0
                    while q < count {
                        let v = v0 + q, oy = v / phaseW, ox = v - oy * phaseW
                        guard ox < g.outW else {
                            q += phaseW - ox
                            continue
                        }
                        let length = phaseW == g.outW ? count - q : min(g.outW - ox, count - q), channel = output.firstChannel + r0
                        epilogue.store(rows: r1 - r0, count: length, tiles + q, ldSums: nr, channel: channel, into: output.y,
                                              at: (image * output.outChannels + channel) * plane + oy * g.outW + ox, ldy: plane)
                        output.epilogue.prefetch(rows: r1 - r0, lines: 2, at: (image * output.outChannels + channel) * plane + oy * g.outW + ox + length + nr,
                                                 into: output.y, ldy: plane)
                        q += length
                    }
                }
            }
        }
    }
}

/// Copies `kc` rows of `count` floats, row r from `start + offsets[r]` bytes, into a `width`-float panel,
/// zero-padded; full panels also prefetch each row's `width` floats `prefetchAhead` bytes on (a later panel's).
private func packShiftedPanel(_ start: UnsafeRawPointer, _ offsets: UnsafePointer<Int32>, kc: Int, count: Int, width: Int,
                              into panel: UnsafeMutablePointer<Float>, prefetchAhead: Int) {
    typealias V = SIMD16<Float>
    if count == width && width % 16 == 0 {
        // Whole rows as vectors: independent loads, many cache misses in flight at once.
        for r in 0..<kc {
            let from = start + Int(offsets[r]), to = UnsafeMutableRawPointer(panel + r * width)
            for byte in stride(from: 0, to: width * 4, by: 64) {
                zoo_prefetch(from + prefetchAhead + byte)
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: byte, as: V.self), toByteOffset: byte, as: V.self)
            }
        }
        return
    }
    for r in 0..<kc {
        let row = panel + r * width
        row.update(from: (start + Int(offsets[r])).assumingMemoryBound(to: Float.self), count: count)
        (row + count).update(repeating: 0, count: width - count)
    }
}
