/// A dense 3×3 stride-1 convolution by Winograd's minimal filtering F(4×4, 3×3) (Lavin & Gray 2016): each 4×4
/// block of outputs (a tile) comes from the 6×6 block of input around it as `Aᵀ [Σ_c U[k,c] ⊙ (Bᵀ d_c B)] A`,
/// 36 multiplications per input channel where the direct convolution needs 144.
///
/// The tiles of all images form one sequence, cut into blocks that a thread takes whole, so that a block's
/// transformed input V ([36][channels][tiles]) and products M ([36][outChannels][tiles]) stay in its L2:
/// - the input, copied once with its padding made zeros (`padInput`), is transformed by `winogradInput` 16 tiles
///   at a time, row segment of the block's tiles by row segment;
/// - 36 GEMMs `M[ξ] = U[ξ] · V[ξ]` run on the GEMM microkernel, U packed once (`WinogradWeights`), V read in place,
///   their lanes over tiles or, for images of few tiles, over output channels (`Form`);
/// - the output transform (`winogradOutput`) writes the 4×4 outputs of 16 output channels at a time to scratch as
///   rows, which leave through the `ConvEpilogue` (bias, residual, activation, SiLU) into the NCHW output.
struct WinogradConvolution {
    let geometry: ConvGeometry
    let batch: Int, channels: Int, outChannels: Int
    let form: Form

    /// Which way the GEMMs' vector lanes run.
    enum Form {
        /// `f32_gemm_8x32`: MR output channels × NR tiles, U packed in MR-row slivers, V read in place.
        case overTiles
        /// `f32_igemmc_8x32`: MR tiles × NR output channels, U packed in NR-channel panels, V read in place
        /// through per-tile bases; the products are transposed into M's layout (`WinogradConvolution+Channels`).
        case overChannels
    }

    /// Fewest input and output channels worth the transforms.
    static let minimumChannels = 16
    /// The cost model `form` decides by, in multiply-adds at the direct convolution's rate per output channel, fitted
    /// to single-core batch-1 measurements of ResNet-50's layers (`zoo bench --profile`, docs/sparse-kernels.md):
    /// over tiles a Winograd multiply-add (36 per tile, tiles padded to 32-tile panels) costs `overTilesCost`
    /// (56×56, 28×28 and 14×14 layers: 1.92, 1.75 and 1.76 times the direct rate); over channels (tiles padded to
    /// 8) `overChannelsCost` plus `overChannelsCostPerProduct` per product M element (its store and transpose):
    /// 28×28 layers 0.87× and 56×56 ones 1.21× the time over tiles (at batch 16, 28×28 ones 1.03–1.17×, 14×14 ones
    /// 1.01–1.05×, 7×7 ones 0.72–0.84×). Each way also takes at least the time its
    /// weights take to come from memory, `weightCost` per float (ResNet-50's 7×7 layers over channels, 37.7 MB of
    /// transformed weights, take 1.7× their direct time).
    static let overTilesCost = 1.85, overChannelsCost = 1.18, overChannelsCostPerProduct = 95.0, weightCost = 21.0
    /// Tiles the GEMMs compute at a time in each form (the AVX-512 kernels' NR and MR): others pad to them.
    static let tilesPerPanel = 32, tilesPerSliver = 8
    /// Bytes of V and M a block may take (a thread's share of L2).
    static let blockBytes = 1 << 20
    /// Output channels transformed into scratch at a time before they are stored.
    static let channelsPerStore = 16

    var tilesH: Int { (geometry.outH + 3) / 4 }
    var tilesW: Int { (geometry.outW + 3) / 4 }
    /// Tiles of all images.
    var tiles: Int { batch * tilesH * tilesW }

    /// The form a convolution with this kernel, strides, dilations and group, from `channels` to the output `output`
    /// ([batch, outChannels, outH, outW]), runs here in, or nil when the direct convolution costs less (by the model
    /// of `overTilesCost`; over tiles wins ties). ResNet-50 at batch 1: the 56×56 layers run over tiles, the 28×28
    /// and 14×14 ones over channels, the 7×7 ones direct; at batch 16 the 56×56 and 28×28 ones over tiles, the
    /// others over channels.
    static func form(kernel: [Int], strides: [Int], dilations: [Int], group: Int, channels: Int, output: [Int]) -> Form? {
        guard kernel == [3, 3], strides.allSatisfy({ $0 == 1 }), dilations.allSatisfy({ $0 == 1 }), group == 1, output.count == 4,
              channels >= minimumChannels, output[1] >= minimumChannels else { return nil }
        let tiles = output[0] * ((output[2] + 3) / 4) * ((output[3] + 3) / 4), c = Double(channels)
        func padded(_ unit: Int) -> Double { Double((tiles + unit - 1) / unit * unit) }
        let direct = max(9 * Double(output[0] * output[2] * output[3]) * c, 9 * c * weightCost)
        let overTiles = max(overTilesCost * 36 * padded(tilesPerPanel) * c, 36 * c * weightCost)
        let overChannels = max(36 * padded(tilesPerSliver) * (overChannelsCost * c + overChannelsCostPerProduct), 36 * c * weightCost)
        guard min(overTiles, overChannels) < direct else { return nil }
        return overTiles <= overChannels ? .overTiles : .overChannels
    }

    /// How blocks are cut and laid out in a thread's scratch.
    struct BlockLayout {
        /// Tiles per block (the last block may have fewer).
        let tiles: Int
        /// Row stride of V and M: the block's tiles rounded up to the input transform's 16, plus the 16 its last
        /// segment may write past them.
        let ld: Int
        /// Output channels rounded up to whole slivers (the rows M holds per point).
        let outRows: Int
        /// Input channels (the rows V holds per point).
        let channels: Int
        /// Floats of a point's products as the GEMM over channels stores them ([panel][tile][NR]), 0 over tiles.
        let productFloats: Int

        /// Floats from one point's matrix to the next in V and in M: a cache line more than the matrix, so that the 36
        /// vectors of a tile the transforms store or load are not all 4 KiB apart (one L1 set).
        var vPointStride: Int { channels * ld + 16 }
        var mPointStride: Int { outRows * ld + 16 }
        var vFloats: Int { 36 * vPointStride }
        var mFloats: Int { 36 * mPointStride }
        var stagingFloats: Int { WinogradConvolution.channelsPerStore * 16 * ld }
        var floats: Int { vFloats + mFloats + stagingFloats + productFloats }
    }

    /// Blocks of whole units of tiles (NR-wide panels over tiles, MR-tile slivers over channels), as many tiles as
    /// `blockBytes` allows, or as the transformed weights take when they are larger (each block reads all of them),
    /// one unit at least. Over tiles they are made smaller when there would be fewer blocks than threads; over
    /// channels the threads split a block's output channels instead (`channelRanges`).
    func blockLayout(config: KernelConfig, threads: Int) -> BlockLayout {
        let (rowUnit, tileUnit) = form == .overTiles ? (config.gemmMR, config.gemmNR) : (config.igemmNR, config.igemmMR)
        let outRows = (outChannels + rowUnit - 1) / rowUnit * rowUnit
        let bytesPerTile = 36 * (channels + outRows) * MemoryLayout<Float>.size
        let budget = max(Self.blockBytes, 36 * channels * outChannels * MemoryLayout<Float>.size)
        let units = (tiles + tileUnit - 1) / tileUnit
        var unitsPerBlock = min(units, max(1, budget / bytesPerTile / tileUnit))
        if form == .overTiles && threads > 1 && (units + unitsPerBlock - 1) / unitsPerBlock < threads {
            unitsPerBlock = max(1, units / threads)
        }
        let perBlock = min(tiles, unitsPerBlock * tileUnit)
        let ld = (perBlock + 15) / 16 * 16 + 16
        let productFloats = form == .overTiles ? 0 : outRows * ((perBlock + 15) / 16 * 16)
        return BlockLayout(tiles: perBlock, ld: ld, outRows: outRows, channels: channels, productFloats: productFloats)
    }

    /// Ranges of NR-channel panels a block's output channels are split into: over channels, enough for every
    /// thread to have a task when there are fewer blocks than threads; else 1.
    func channelRanges(blocks: Int, config: KernelConfig, threads: Int) -> Int {
        guard form == .overChannels, blocks < threads else { return 1 }
        let panels = (outChannels + config.igemmNR - 1) / config.igemmNR
        return min(panels, (threads + blocks - 1) / blocks)
    }

    /// `y = epilogue(W ⊛ x)` with `weights` [outChannels, channels, 3, 3], `x` [batch, channels, inH, inW] and `y`
    /// [batch, outChannels, outH, outW].
    func run(x: UnsafePointer<Float>, weights: UnsafePointer<Float>, epilogue: ConvEpilogue, y: UnsafeMutablePointer<Float>,
             context: KernelContext) {
        let config = context.kernels
        let shape = form == .overTiles ? GemmShape(m: outChannels, k: channels, mr: config.gemmMR)
            : GemmShape(m: outChannels, k: channels, mr: config.igemmNR, kcLimit: GemmShape.prefetchedKcLimit)
        let packed = WinogradWeights.packed(weights, outChannels: outChannels, channels: channels, shape: shape, context: context)
        let threads = context.pool.threadCount
        let layout = blockLayout(config: config, threads: threads)
        let blocks = (tiles + layout.tiles - 1) / layout.tiles
        let ranges = channelRanges(blocks: blocks, config: config, threads: threads)
        let padded = padInput(x, context: context)
        context.pool.parallelFor(blocks * ranges) { task, thread in
            let block = task / ranges, range = task % ranges
            let first = block * layout.tiles, count = min(layout.tiles, tiles - first)
            let v = context.gemmWorkspace.threadBuffer(thread, layout.floats)
            let m = v + layout.vFloats, staging = m + layout.mFloats
            transformInput(padded, first: first, count: count, layout: layout, into: v, kernel: config.winogradInput)
            var outputChannels = 0..<outChannels
            switch form {
            case .overTiles:
                multiply(packed, shape: shape, v, count: count, layout: layout, into: m, config: config)
            case .overChannels:
                let panels = shape.slivers * range / ranges..<shape.slivers * (range + 1) / ranges
                multiplyOverChannels(packed, shape: shape, panels: panels, v, count: count, layout: layout, into: m,
                                     products: staging + layout.stagingFloats, config: config)
                outputChannels = panels.lowerBound * shape.mr..<min(outChannels, panels.upperBound * shape.mr)
            }
            transformOutput(m, first: first, count: count, channels: outputChannels, layout: layout, staging: staging,
                            epilogue: epilogue, y: y, kernel: config.winogradOutput)
        }
    }

    /// Calls `body(image, tileRow, firstColumn, offset, count)` for each run of tiles of one tile row among the
    /// `count` tiles from `first`, `offset` being the run's position in the block.
    private func forEachRowSegment(first: Int, count: Int, _ body: (Int, Int, Int, Int, Int) -> Void) {
        var tile = first
        while tile < first + count {
            let image = tile / (tilesH * tilesW), row = tile / tilesW % tilesH, column = tile % tilesW
            let length = min(tilesW - column, first + count - tile)
            body(image, row, column, tile - first, length)
            tile += length
        }
    }

    /// Rows of the padded input: the 4 of each tile row and the 2 the last one's tiles overlap into.
    var paddedH: Int { 4 * tilesH + 2 }
    /// Floats per padded row: the 4 columns of each tile and the 2 of the last one's overlap, in whole vectors of 4.
    var paddedW: Int { 4 * tilesW + 4 }
    /// Floats the input transform may read past the last padded row (its last step reads whole 16 tiles).
    static let paddedSlack = 128

    /// `x` with `padTop` rows and `padLeft` columns of zeros before each plane's and zeros after, as [batch,
    /// channels, paddedH, paddedW], in the context's second shared buffer; each row stored by column mod 4 (column
    /// 4t + p at `p · paddedW / 4 + t`), the order the input transform reads it in.
    private func padInput(_ x: UnsafePointer<Float>, context: KernelContext) -> UnsafePointer<Float> {
        let g = geometry, height = paddedH, width = paddedW, phase = width / 4
        let padded = context.sharedFloats(.second, batch * channels * height * width + Self.paddedSlack)
        let copyStart = min(width, g.padLeft), copyEnd = max(copyStart, min(width, g.padLeft + g.inW))
        context.pool.parallelFor(batch * channels) { planeIndex, _ in
            let plane = x + planeIndex * g.inH * g.inW, target = padded + planeIndex * height * width
            withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { line in
                let line = line.baseAddress!
                for row in 0..<height {
                    let to = target + row * width, inputRow = row - g.padTop
                    guard inputRow >= 0 && inputRow < g.inH else {
                        to.update(repeating: 0, count: width)
                        continue
                    }
                    line.update(repeating: 0, count: copyStart)
                    (line + copyStart).update(from: plane + inputRow * g.inW + copyStart - g.padLeft, count: copyEnd - copyStart)
                    (line + copyEnd).update(repeating: 0, count: width - copyEnd)
                    for t in 0..<phase {
                        to[t] = line[4 * t]
                        to[phase + t] = line[4 * t + 1]
                        to[2 * phase + t] = line[4 * t + 2]
                        to[3 * phase + t] = line[4 * t + 3]
                    }
                }
            }
        }
        (padded + batch * channels * height * width).update(repeating: 0, count: Self.paddedSlack)
        return UnsafePointer(padded)
    }

    /// V for the block's tiles, row segment by row segment, from the padded input.
    private func transformInput(_ padded: UnsafePointer<Float>, first: Int, count: Int, layout: BlockLayout,
                                into v: UnsafeMutablePointer<Float>, kernel: KernelConfig.WinogradInputMicrokernel) {
        let ld = layout.ld, width = paddedW, planeFloats = paddedH * paddedW
        forEachRowSegment(first: first, count: count) { image, tileRow, tileColumn, offset, length in
            let start = padded + image * channels * planeFloats + 4 * tileRow * width + tileColumn
            kernel(channels, length, start, planeFloats, width, v + offset, ld, layout.vPointStride)
        }
    }

    /// `M[ξ] = U[ξ] · V[ξ]` for the 36 points, over whole NR-wide panels of the block's tiles.
    private func multiply(_ packed: UnsafePointer<Float>, shape: GemmShape, _ v: UnsafePointer<Float>, count: Int, layout: BlockLayout,
                          into m: UnsafeMutablePointer<Float>, config: KernelConfig) {
        let ld = layout.ld, mr = config.gemmMR, nr = config.gemmNR, panels = (count + nr - 1) / nr
        for point in 0..<36 {
            let u = packed + point * shape.packedCount
            let vPoint = v + point * layout.vPointStride, mPoint = m + point * layout.mPointStride
            for block in 0..<shape.kBlocks {
                let k0 = shape.blockStart(block), kc = shape.blockLength(block)
                for sliver in 0..<shape.slivers {
                    let a = u + shape.sliverOffset(block: block, sliver: sliver)
                    for panel in 0..<panels {
                        config.gemm(kc, a, vPoint + k0 * ld + panel * nr, ld, mPoint + sliver * mr * ld + panel * nr, ld, block > 0, nil)
                    }
                }
            }
        }
    }

    /// The block's outputs in `channels` from M, `channelsPerStore` output channels at a time: their 4×4 tiles as
    /// four rows of `4 · count` outputs each in `staging`, then each row segment's rows through the epilogue.
    private func transformOutput(_ m: UnsafePointer<Float>, first: Int, count: Int, channels: Range<Int>, layout: BlockLayout,
                                 staging: UnsafeMutablePointer<Float>, epilogue: ConvEpilogue, y: UnsafeMutablePointer<Float>,
                                 kernel: KernelConfig.WinogradOutputMicrokernel) {
        let g = geometry, ld = layout.ld, rowStride = 4 * ld, channelStride = 4 * rowStride, plane = g.outH * g.outW
        for k0 in stride(from: channels.lowerBound, to: channels.upperBound, by: Self.channelsPerStore) {
            let channelCount = min(Self.channelsPerStore, channels.upperBound - k0)
            kernel(channelCount, count, m + k0 * ld, ld, layout.mPointStride, staging, channelStride, rowStride)
            forEachRowSegment(first: first, count: count) { image, tileRow, tileColumn, offset, length in
                let width = min(4 * length, g.outW - 4 * tileColumn)
                for r in 0..<min(4, g.outH - 4 * tileRow) {
                    let outputRow = 4 * tileRow + r
                    epilogue.store(rows: channelCount, count: width, staging + r * rowStride + 4 * offset, ldSums: channelStride, channel: k0,
                                   into: y, at: (image * outChannels + k0) * plane + outputRow * g.outW + 4 * tileColumn, ldy: plane)
                }
            }
        }
    }
}
