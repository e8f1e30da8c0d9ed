extension ShiftedConvolutionGemm {
    /// `Yᵀ = Bᵀ · Wᵀ` in tiles of MR output pixels × NR output channels, for few output pixels: the pixels of
    /// all images form one sequence cut into MR-pixel slivers, each pixel read through its own base in
    /// `source` plus the row offsets, so no column is wasted on ox ≥ outW. The weights are packed (cached) in
    /// NR-channel panels. Tasks of (panel, range of slivers) accumulate their tiles over every K block in
    /// per-thread scratch, then store them transposed through the epilogue.
    func runOverChannels(weights: UnsafePointer<Float>, k: Int, rowOffsets: UnsafePointer<Int32>, output: ConvGemmOutput,
                         context: KernelContext) {
        let g = geometry, config = context.kernels, workspace = context.gemmWorkspace
        let mr = config.igemmMR, nr = config.igemmNR, m = output.channels
        let shape = GemmShape(m: m, k: k, mr: nr)
        let packed = workspace.packed(weights, rows: m, columns: k, ld: k, alpha: 1, transposed: false, layout: .panels(shape),
                                      count: shape.packedCount, slot: .right) { buffer in
            packPanels(transB: true, n: m, k: k, alpha: 1, b: weights, ldb: k, shape: shape, into: buffer, pool: context.pool)
        }
        let plane = g.outH * g.outW, pixels = batch * plane
        let slivers = (pixels + mr - 1) / mr
        let bases = pixelBases(count: slivers * mr)
        let targetTasks = context.pool.threadCount == 1 ? 1 : context.pool.threadCount * 4
        let chunks = min(slivers, max(1, (targetTasks + shape.slivers - 1) / shape.slivers))
        let tilesPerTask = (slivers + chunks - 1) / chunks
        bases.withUnsafeBufferPointer { bases in
            context.pool.parallelFor(shape.slivers * chunks) { task, thread in
                let panel = task / chunks, chunk = task % chunks
                let firstSliver = slivers * chunk / chunks, endSliver = slivers * (chunk + 1) / chunks
                let tiles = workspace.threadBuffer(thread, tilesPerTask * mr * nr)
                for block in 0..<shape.kBlocks {
                    let k0 = shape.blockStart(block), kc = shape.blockLength(block)
                    let panelWeights = packed + shape.sliverOffset(block: block, sliver: panel)
                    for s in firstSliver..<endSliver {
                        config.igemmc(kc, bases.baseAddress! + s * mr, rowOffsets + k0, panelWeights,
                                      tiles + (s - firstSliver) * mr * nr, nr, block > 0)
                    }
                }
                // Tile row i is pixel s·mr + i, tile column j output channel panel·nr + j.
                let c0 = panel * nr, columns = min(nr, m - c0)
                var pixel = firstSliver * mr
                let end = min(pixels, endSliver * mr)
                while pixel < end {
                    let image = pixel / plane, offset = pixel % plane
                    let count = min(end - pixel, plane - offset)
                    let channel = output.firstChannel + c0
                    output.epilogue.storeTransposed(rows: columns, count: count, tiles + (pixel - firstSliver * mr) * nr, ldSums: nr,
                                                    channel: channel, into: output.y,
                                                    at: (image * output.outChannels + channel) * plane + offset, ldy: plane)
                    pixel += count
                }
            }
        }
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
