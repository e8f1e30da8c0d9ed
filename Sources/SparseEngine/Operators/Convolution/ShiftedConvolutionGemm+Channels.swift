extension ShiftedConvolutionGemm {
    /// Tiles a task accumulates (in L2) before storing them.
    static let channelFormTiles = 192
    /// Most slivers a task takes: their activations for one K block stay in L2.
    static let channelFormSlivers = 64

    /// `Yᵀ = Bᵀ · Wᵀ` in tiles of MR output pixels (8, or 7: `KernelConfig.igemmcSlivers`) × NR output channels, for few output pixels: the pixels of
    /// all images form one sequence cut into MR-pixel slivers, each pixel read through its own base in
    /// `source` plus the row offsets, so no column is wasted on ox ≥ outW. The weights are packed (cached) in
    /// NR-channel panels. Tasks of (range of slivers, range of panels) go block by block through K, each weight
    /// block (L1) over all the task's slivers, whose activations stay in L2 across the panels; the tiles
    /// accumulate in per-thread scratch and are then stored transposed through the epilogue. The ranges are
    /// those that read the least from memory: the weights once per range of slivers, the activations once per
    /// range of panels (`channelFormChunks`).
    func runOverChannels(weights: UnsafePointer<Float>, k: Int, rowOffsets: UnsafePointer<Int32>, output: ConvGemmOutput,
                         context: KernelContext) {
        let g = geometry, config = context.kernels, workspace = context.gemmWorkspace
        let nr = config.igemmNR, m = output.channels
        let shape = GemmShape(m: m, k: k, mr: nr, kcLimit: GemmShape.prefetchedKcLimit)
        let packed = workspace.packed(weights, rows: m, columns: k, ld: k, alpha: 1, transposed: false, layout: .panels(shape),
                                      count: shape.packedCount, slot: .right) { buffer in
            packPanels(transB: true, n: m, k: k, alpha: 1, b: weights, ldb: k, shape: shape, into: buffer, pool: context.pool)
        }
        let plane = g.outH * g.outW, pixels = batch * plane
        let (mr, igemmc) = config.igemmcSlivers(pixels: pixels)
        let slivers = (pixels + mr - 1) / mr, panels = shape.slivers
        let bases = pixelBases(count: slivers * mr)
        let (sliverChunks, panelChunks) = channelFormChunks(slivers: slivers, panels: panels, weightBytes: m * k * 4,
                                                            threads: context.pool.threadCount)
        let sliversPerChunk = (slivers + sliverChunks - 1) / sliverChunks, panelsPerChunk = (panels + panelChunks - 1) / panelChunks
        bases.withUnsafeBufferPointer { bases in
            context.pool.parallelFor(sliverChunks * panelChunks) { task, thread in
                let sliverChunk = task / panelChunks, panelChunk = task % panelChunks
                let firstSliver = slivers * sliverChunk / sliverChunks, endSliver = slivers * (sliverChunk + 1) / sliverChunks
                let firstPanel = panels * panelChunk / panelChunks, endPanel = panels * (panelChunk + 1) / panelChunks
                let sliverCount = endSliver - firstSliver
                // Tile (panel p, sliver s) at ((p − firstPanel)·sliverCount + s − firstSliver)·mr·nr.
                let tiles = workspace.threadBuffer(thread, panelsPerChunk * sliversPerChunk * mr * nr)
                for block in 0..<shape.kBlocks {
                    let k0 = shape.blockStart(block), kc = shape.blockLength(block)
                    for panel in firstPanel..<endPanel {
                        let panelWeights = packed + shape.sliverOffset(block: block, sliver: panel)
                        let panelTiles = tiles + (panel - firstPanel) * sliverCount * mr * nr
                        // The weights this task reads next: the next panel of this block, else the first of the next.
                        let next = panel + 1 < endPanel ? (block, panel + 1) : (block + 1, firstPanel)
                        let nextWeights = next.0 < shape.kBlocks ? UnsafeRawPointer(packed + shape.sliverOffset(block: next.0, sliver: next.1)) : nil
                        let nextBytes = next.0 < shape.kBlocks ? shape.blockLength(next.0) * nr * 4 : 0
                        for s in firstSliver..<endSliver {
                            igemmc(kc, bases.baseAddress! + s * mr, rowOffsets + k0, panelWeights,
                                          panelTiles + (s - firstSliver) * mr * nr, nr, block > 0,
                                          WeightPrefetch.region(nextWeights, bytes: nextBytes, kc: kc, call: s - firstSliver))
                        }
                    }
                }
                // Tile row i is pixel s·mr + i, tile column j output channel panel·nr + j.
                for panel in firstPanel..<endPanel {
                    let c0 = panel * nr, columns = min(nr, m - c0), channel = output.firstChannel + c0
                    let panelTiles = tiles + (panel - firstPanel) * sliverCount * mr * nr
                    var pixel = firstSliver * mr
                    let end = min(pixels, endSliver * mr)
                    while pixel < end {
                        let image = pixel / plane, offset = pixel % plane
                        let count = min(end - pixel, plane - offset)
                        output.epilogue.storeTransposed(rows: columns, count: count, panelTiles + (pixel - firstSliver * mr) * nr, ldSums: nr,
                                                        channel: channel, into: output.y,
                                                        at: (image * output.outChannels + channel) * plane + offset, ldy: plane)
                        pixel += count
                    }
                }
            }
        }
    }

    /// How many ranges of slivers and of panels: of the splits with at most `channelFormSlivers` slivers and
    /// `channelFormTiles` tiles a task, the one moving the fewest bytes (weights per range of slivers,
    /// activations per range of panels), then panels split further until every thread has tasks, and tasks
    /// come in a multiple of the threads where the panels allow.
    private func channelFormChunks(slivers: Int, panels: Int, weightBytes: Int, threads: Int) -> (slivers: Int, panels: Int) {
        let activationBytes = batch * imageBytes
        var best = (slivers: slivers, panels: panels, bytes: Int.max)
        for perChunk in 1...min(slivers, Self.channelFormSlivers) {
            let sliverChunks = (slivers + perChunk - 1) / perChunk
            let panelChunks = (panels + max(1, Self.channelFormTiles / perChunk) - 1) / max(1, Self.channelFormTiles / perChunk)
            let bytes = weightBytes * sliverChunks + activationBytes * panelChunks
            if bytes < best.bytes { best = (sliverChunks, panelChunks, bytes) }
        }
        let targetTasks = threads == 1 ? 1 : threads * 4
        let least = max(best.panels, (targetTasks + best.slivers - 1) / best.slivers)
        return (best.slivers, TaskSplit.ranges(least: least, most: panels, blocks: best.slivers, threads: threads))
    }

    /// Where each output pixel's reduction rows start in `source` (the first `batch·outH·outW`; the rest repeat
    /// pixel 0 as padding).
    private func pixelBases(count: Int) -> [UnsafeRawPointer] {
        let g = geometry, plane = g.outH * g.outW, imageBytes = imageBytes
        let start = UnsafeRawPointer(source)
        return (0..<count).map { pixel in
            guard pixel < batch * plane else { return start }
            let image = pixel / plane, oy = pixel % plane / g.outW, ox = pixel % g.outW
            return start + image * imageBytes + (oy * phaseW + ox) * MemoryLayout<Float>.size
        }
    }
}
