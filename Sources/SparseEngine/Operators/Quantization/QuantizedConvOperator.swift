import CSparseEngineKernelsINT8

/// `QLinearConv` and `ConvInteger` on the INT8 kernels, for 1-D and 2-D convolutions with one group and equal
/// strides: the input is packed once per run into stride phases with channels in groups of 4 (bytes, padded
/// with its zero point; no im2col), and every weight group of (tap, 4 channels) reads one contiguous run of it
/// at a fixed offset (`qu8_pack_conv_x4`, the FP32 path's indirect approach). Output columns are computed along
/// the phase rows, whose width exceeds the output's by the padding; the extra columns are dropped. Other
/// convolutions, and weights the kernels cannot hold, run on the reference `IntegerLinearOperator`.
/// A Relu fused by `QDQFusion` (`zoo.activation`) raises the output's lower bound to its zero point. A layer marked
/// by `QuantizedSparseSelection` keeps only its nonzero weight groups and runs on the sparse microkernels.
struct QuantizedConvOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let reference: IntegerLinearOperator
    let attributes: ConvGeometry.Attributes
    let group: Int
    let relu: Bool
    let sparse: Bool
    private let cache = QS8LayerCache<RecenteredWeights?, RecenteredLayer>()

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        reference = try IntegerLinearOperator(kind, c)
        attributes = try ConvGeometry.Attributes(c)
        group = try c.int("group", 1)
        relu = try FusedActivation(c) == .relu
        sparse = c.node.attributes[QuantizedSparseSelection.attribute] != nil
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] { try reference.inferOutputs(inputs) }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let y = outputs[0]
        guard let x = inputs[0], let w = inputs[kind == .convInteger ? 1 : 3], group == 1, (3...4).contains(x.rank), w.rank == x.rank,
              let window = try? SpatialWindow(spatial: Array(x.shape[2...]), kernel: Array(w.shape[2...]), attributes: attributes, c: c),
              window.strides.allSatisfy({ $0 == window.strides[0] })
        else { return try runReference(inputs, outputs, context) }
        let m = w.shape[0]
        let prepared = try cache.layer(for: inputs, weight: w, context, pack: {
            try pack(inputs, channels: x.shape[1], features: m, outputType: y.dataType)
        }, make: { try QuantizedOperands(kind, inputs, outputType: y.dataType).layer(rows: m, packed: $0, relu: relu) })
        guard let prepared else { return try runReference(inputs, outputs, context) }
        convolve(x, ConvGeometry(window), prepared.layer, y, context)
        prepared.recentering?.correctConvolution(y, input: x, window: window, prepared.layer, context)
    }

    /// W packed for the kernels, K ordered (tap, group of 4 channels, channel in group) (`QuantizedOperands.packRecentering`).
    private func pack(_ inputs: [Tensor?], channels: Int, features m: Int, outputType: DataType) throws -> RecenteredWeights? {
        let operands = try QuantizedOperands(kind, inputs, outputType: outputType)
        let groups = (channels + 3) / 4, taps = operands.w.shape[2...].reduce(1, *)
        return operands.packRecentering(rows: m, depth: taps * groups * 4, sparse: sparse) { row, k, zero in
            let channel = (k % (groups * 4)), tap = k / (groups * 4)
            // Padding channels weigh nothing.
            guard channel < channels else { return zero.count == 1 ? zero[0] : zero[row] }
            return operands.weight((row * channels + channel) * taps + tap)
        }
    }

    private func runReference(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        try reference.run(inputs, outputs, context)
        if relu, inputs.count > 7, let zero = try inputs[7]?.doubleValues().first { clampToZeroPoint(outputs[0], zeroPoint: Int(zero)) }
    }

    private func convolve(_ x: Tensor, _ g: ConvGeometry, _ layer: QS8Layer, _ y: Tensor, _ context: KernelContext) {
        let kernels = context.kernels.qs8
        let images = x.shape[0], channels = x.shape[1], m = layer.weights.rows, groups = (channels + 3) / 4
        // Only the stride phases some tap reads are packed (one for a 1 × 1 layer at stride 2).
        let s = g.strideW, phasesY = min(s, (g.kH - 1) * g.dilationH + 1), phasesX = min(s, (g.kW - 1) * g.dilationW + 1)
        let phases = phasesY * phasesX
        let phaseHeight = (g.inH + g.padTop + g.padBottom + s - 1) / s, phaseWidth = (g.inW + g.padLeft + g.padRight + s - 1) / s
        let virtualPixels = g.outH * phaseWidth
        let product = QS8TileProduct(layer.weights, kernels: kernels, columns: virtualPixels), nr = product.nr
        // Images go in passes whose packed inputs fit in L2 (about 1 MiB): pack a pass's images, then compute them.
        let passImages = max(1, min(images, (1 << 20) / (groups * phases * (phaseHeight * phaseWidth + phaseWidth + nr) * 4)))
        // Where every column of a phase plane is an output pixel and no tap reaches past it (an unpadded pointwise layer,
        // at any stride), a pass's images go side by side in each plane and pixel tiles run on across them: 3 images of
        // 7 × 7 are 5 tiles of 32 columns, not 3 × 2. Elsewhere each image has its planes, and its own tiles.
        let sideBySide = passImages > 1 && phaseHeight == g.outH && phaseWidth == g.outW
            && (g.kH - 1) * g.dilationH < s && (g.kW - 1) * g.dilationW < s
        let planeImages = sideBySide ? passImages : 1
        // Each group's rows start on a 64-byte line (the buffer is aligned): a microkernel's 64-byte activation load that
        // crosses two lines costs two. An odd number of lines apart, so that consecutive groups spread over every L1 set (a
        // stride of 40 lines used 8 of the 64).
        let groupLines = (planeImages * phaseHeight * phaseWidth + phaseWidth + nr + 15) / 16
        let groupStride = 16 * (groupLines | 1)
        // A block of packed input: one image's planes, or the pass's images side by side.
        let blockBytes = groups * phases * groupStride * 4
        // A pointwise layer's groups are one group stride apart (one phase, no tap shift): the sparse kernels compute the
        // address of each step's group instead of reading `offsets`.
        let uniformGroupBytes = g.kH * g.kW == 1 ? groupStride * 4 : 0
        var offsets = [Int32]()
        offsets.reserveCapacity(g.kH * g.kW * groups)
        for ky in 0..<g.kH {
            for kx in 0..<g.kW {
                let ry = ky * g.dilationH, rx = kx * g.dilationW
                let phase = (ry % s) * phasesX + rx % s, shift = (ry / s) * phaseWidth + rx / s
                for group in 0..<groups { offsets.append(Int32(((group * phases + phase) * groupStride + shift) * 4)) }
            }
        }
        let packedInput = UnsafeMutableRawPointer(context.sharedFloats(.first, (passImages / planeImages * blockBytes + 3) / 4))
            .assumingMemoryBound(to: UInt8.self)
        let plane = g.inH * g.inW, xBytes = x.rawPointer.assumingMemoryBound(to: UInt8.self)
        // Packing tasks of at most 16 channel groups, and at least 4 per thread in a pass (one image of 64 channels
        // was one task: the other threads waited).
        let groupsPerTask = max(1, min(groups, 16, groups * passImages / (4 * context.pool.threadCount)))
        let packTasks = (groups + groupsPerTask - 1) / groupsPerTask
        // Compute tasks: (block of channel tiles whose weights fit in L2, about 256 KiB; run of pixel tiles), in equal
        // shares for the threads (`QS8TaskGrid`). In a task each pixel tile's activations stay in L1 while the block's
        // weights pass over them.
        let rowTiles = layer.weights.tiles
        let tilesPerCall = product.tilesPerCall
        let l2Calls = max(1, (256 << 10) / (product.bytesPerTile * tilesPerCall))
        let outPlane = g.outH * g.outW, elementSize = y.dataType.byteSize ?? 1
        let passTiles = sideBySide ? (passImages * outPlane + nr - 1) / nr : passImages * ((virtualPixels + nr - 1) / nr)
        // Small images waste much of a pixel tile (a 7 × 7 output is 49 pixels in 64 columns, 63 with a 3 × 3's padding
        // columns; a 14 × 14 3 × 3 layer's phase rows are 16 wide): where the tiles compute more than 1/16 beyond the output
        // pixels, the channel-lane microkernel (where the kernel set has one) computes the output pixels alone. Its
        // epilogue transposes every tile of pixels × channels and its weights stream from L2 once per pixel tile, so it
        // needs a long enough K. Measured per layer on one core (GMAC/s of output pixels, channel lanes against pixel
        // lanes): 7 × 7 3 × 3 with 1152 groups 536/407, 14 × 14 with 576 groups 528/470, 28 × 28 with 288 groups 518/482,
        // 7 × 7 pointwise with 128 groups 483/400; 56 × 56 (4 % beyond) with 144 groups 489/490.
        let channelLanes = kernels.igemmc != nil && 16 * passTiles * nr > 17 * passImages * outPlane && layer.weights.kgroups >= 128
        // Dense weights with 8-bit outputs requantize in the GEMM microkernel, sparse ones in the sparse kernel's last span;
        // int32 outputs go through the tile product and `QS8Layer.finish`.
        layer.withRequantizingProduct(kernels) { requantizing in layer.withSparseRequantizingProduct(kernels, columns: virtualPixels) { sparseRequantizing in
          offsets.withUnsafeBufferPointer { offsets in
            // A sparse layer with several taps looks each step's group up in `offsets` once per run, not once per pixel tile.
            let stepOffsets: UnsafeMutablePointer<UInt32>? = sparseRequantizing.flatMap { product in
                guard uniformGroupBytes == 0 else { return nil }
                let steps = UnsafeMutableRawPointer(context.sharedFloats(.second, max(1, product.weights.nonzeroGroups)))
                    .assumingMemoryBound(to: UInt32.self)
                product.stepOffsets(offsets.baseAddress!, into: steps)
                return steps
            }
            for first in stride(from: 0, to: images, by: passImages) {
                let count = min(passImages, images - first), blocks = sideBySide ? 1 : count
                // Columns of a block's phase rows, and its pixel tiles.
                let blockColumns = sideBySide ? count * outPlane : virtualPixels, blockTiles = (blockColumns + nr - 1) / nr
                context.pool.parallelFor(blocks * packTasks) { task, _ in
                    let n = task / packTasks, g0 = (task % packTasks) * groupsPerTask, g1 = min(groups, g0 + groupsPerTask)
                    kernels.packConv(xBytes + ((first + n) * channels + 4 * g0) * plane, count / blocks, channels * plane,
                                     min(channels - 4 * g0, 4 * (g1 - g0)), g.inH, g.inW, plane, s, phasesY, phasesX, g.padTop, g.padLeft,
                                     phaseHeight, phaseWidth, groupStride, layer.fill, layer.flip,
                                     packedInput + n * blockBytes + g0 * phases * groupStride * 4)
                }
                if let requantizing, channelLanes {
                    computeChannelLanes(requantizing, images: count, packedInput: packedInput, imageBytes: sideBySide ? outPlane * 4 : blockBytes,
                                        offsets: offsets.baseAddress!, g, phaseWidth: phaseWidth, rows: m,
                                        y: y.rawPointer.assumingMemoryBound(to: UInt8.self) + first * m * outPlane, context)
                    continue
                }
                let grid = QS8TaskGrid(units: (rowTiles + tilesPerCall - 1) / tilesPerCall, mostPerBlock: l2Calls, items: blocks * blockTiles,
                                       threads: context.pool.threadCount)
                context.pool.parallelFor(grid.blocks * grid.runs) { task, thread in
                    let calls = grid.unitRange(task: task)
                    // The int32 tile, then the sparse epilogue's stores (16 bytes each).
                    let accCount = 8 * tilesPerCall * nr, storeCount = QS8SpmmStores.capacity(nr: nr)
                    let scratch = UnsafeMutableRawPointer(context.scratchFloats(thread: thread, accCount + 4 * storeCount))
                    let acc = scratch.assumingMemoryBound(to: Int32.self)
                    var stores = QS8SpmmStores((scratch + 4 * accCount).bindMemory(to: qs8_spmm_store.self, capacity: storeCount))
                    let tiles = calls.lowerBound * tilesPerCall..<min(rowTiles, calls.upperBound * tilesPerCall)
                    for pixelTile in grid.itemRange(task: task) {
                        let n = pixelTile / blockTiles, q0 = (pixelTile % blockTiles) * nr, q1 = min(blockColumns, q0 + nr)
                        let image = UnsafePointer(packedInput + n * blockBytes + q0 * 4)
                        if sideBySide {
                            let runs = ImageRuns(q0: q0, q1: q1, outPlane: outPlane, y: y.rawPointer + first * m * outPlane * elementSize,
                                                 imageBytes: m * outPlane * elementSize, elementSize: elementSize)
                            if let requantizing {
                                let tile = calls.lowerBound
                                Self.computeAcrossImages(requantizing, tile: tile, rows: min(m, calls.upperBound * 8) - tile * 8, activations: image,
                                                         offsets: offsets.baseAddress!, runs, ldy: outPlane,
                                                         scratch: UnsafeMutableRawPointer(acc).assumingMemoryBound(to: UInt8.self))
                                continue
                            }
                            if let sparseRequantizing {
                                stores.removeAll()
                                runs.forEach { start, end, yRun in stores.append(start: start - q0, end: end - q0, yOffset: yRun - runs.y) }
                                sparseRequantizing.compute(tiles: tiles, activations: image, offsets: offsets.baseAddress!, groupBytes: uniformGroupBytes,
                                                           stepOffsets: stepOffsets, acc: acc, stores: stores,
                                                           y: runs.y.assumingMemoryBound(to: UInt8.self), ldy: outPlane)
                                continue
                            }
                            for tile in stride(from: tiles.lowerBound, to: tiles.upperBound, by: tilesPerCall) {
                                let rows = min(8 * tilesPerCall, m - tile * 8)
                                product.compute(tile, rows, image, offsets.baseAddress!, acc)
                                runs.forEach { start, end, yRun in
                                    layer.finish(rows: rows, cols: end - start, row0: tile * 8, acc: acc + (start - q0), ldacc: nr, y: yRun,
                                                 ldyRow: outPlane, ldyCol: 1, kernels: kernels)
                                }
                            }
                            continue
                        }
                        let yImage = y.rawPointer + (first + n) * m * outPlane * elementSize
                        if let requantizing {
                            // The block's tiles in one call (dense weights: a unit is one tile of 8 rows).
                            let (keep, yStart) = Self.keptColumns(q0, q1, phaseWidth: phaseWidth, outW: g.outW), tile = calls.lowerBound
                            guard keep != 0 else { continue }
                            requantizing.compute(tile: tile, rows: min(m, calls.upperBound * 8) - tile * 8, activations: image, offsets: offsets.baseAddress!,
                                                 keep: keep, y: yImage.assumingMemoryBound(to: UInt8.self) + tile * 8 * outPlane + yStart, ldy: outPlane)
                            continue
                        }
                        if let sparseRequantizing {
                            stores.removeAll()
                            Self.forEachOutputRun(q0, q1, phaseWidth: phaseWidth, outW: g.outW) { start, end, pixel in
                                stores.append(start: start - q0, end: end - q0, yOffset: pixel)
                            }
                            sparseRequantizing.compute(tiles: tiles, activations: image, offsets: offsets.baseAddress!, groupBytes: uniformGroupBytes,
                                                       stepOffsets: stepOffsets, acc: acc, stores: stores,
                                                       y: yImage.assumingMemoryBound(to: UInt8.self), ldy: outPlane)
                            continue
                        }
                        for tile in stride(from: tiles.lowerBound, to: tiles.upperBound, by: tilesPerCall) {
                            let rows = min(8 * tilesPerCall, m - tile * 8)
                            product.compute(tile, rows, image, offsets.baseAddress!, acc)
                            Self.forEachOutputRun(q0, q1, phaseWidth: phaseWidth, outW: g.outW) { start, end, pixel in
                                layer.finish(rows: rows, cols: end - start, row0: tile * 8, acc: acc + (start - q0), ldacc: nr,
                                             y: yImage + pixel * elementSize, ldyRow: outPlane, ldyCol: 1, kernels: kernels)
                            }
                        }
                    }
                }
            }
          }
        } }
    }

    /// One pass's packed images on the channel-lane microkernel: tasks of (block of 32-channel tiles whose weights fit in
    /// L2, run of pixel tiles). Each output row is cut into runs of at most 7 pixels (a 7 × 7 image's rows whole), and a
    /// pixel tile is two consecutive runs of the pass (rows of one image or of two), read in place in the phase rows.
    private func computeChannelLanes(_ product: QS8RequantizingProduct, images: Int, packedInput: UnsafeMutablePointer<UInt8>, imageBytes: Int,
                                     offsets: UnsafePointer<Int32>, _ g: ConvGeometry, phaseWidth: Int, rows m: Int,
                                     y: UnsafeMutablePointer<UInt8>, _ context: KernelContext) {
        let outPlane = g.outH * g.outW, threads = context.pool.threadCount
        let runsPerRow = (g.outW + 6) / 7, runs = images * g.outH * runsPerRow, channelTiles = (m + 31) / 32
        // Run i: its image, output row and columns (the row's pixels split evenly), as the kernel reads and writes it.
        func run(_ i: Int, channelTile c: Int) -> ChannelLaneRun {
            let row = i / runsPerRow, part = i % runsPerRow, n = row / g.outH, oy = row % g.outH
            let x0 = part * g.outW / runsPerRow, x1 = (part + 1) * g.outW / runsPerRow
            return ChannelLaneRun(start: Int32(n * imageBytes + 4 * (oy * phaseWidth + x0)), pixels: x1 - x0,
                                  y: y + n * m * outPlane + 32 * c * outPlane + oy * g.outW + x0)
        }
        let grid = QS8TaskGrid(units: channelTiles, mostPerBlock: max(1, (256 << 10) / (4 * product.kgroups * 32)), items: (runs + 1) / 2,
                               threads: threads)
        context.pool.parallelFor(grid.blocks * grid.runs) { task, _ in
            for pixelTile in grid.itemRange(task: task) {
                for c in grid.unitRange(task: task) {
                    let first = 2 * pixelTile
                    product.computeChannels(tile: 4 * c, rows: min(32, m - 32 * c), activations: packedInput, offsets: offsets,
                                            run(first, channelTile: c), first + 1 < runs ? run(first + 1, channelTile: c) : nil, ldy: outPlane)
                }
            }
        }
    }

    /// Calls `body(start, end, pixel)` for each run of the columns `q0 ..< q1` of a tile along the phase rows that lies in one
    /// output row (phase rows as wide as the output's, with no padding columns, make the tile one run), with the output
    /// pixel of column `start`.
    static func forEachOutputRun(_ q0: Int, _ q1: Int, phaseWidth: Int, outW: Int, _ body: (Int, Int, Int) -> Void) {
        guard phaseWidth != outW else { return body(q0, q1, q0) }
        for oy in (q0 / phaseWidth)...((q1 - 1) / phaseWidth) {
            let start = max(q0, oy * phaseWidth), end = min(q1, oy * phaseWidth + outW)
            if end > start { body(start, end, oy * outW + start - oy * phaseWidth) }
        }
    }

    /// The columns `q0 ..< q1` (at most 32) of a tile along the phase rows that are output pixels, as bits from q0 (the
    /// others are the padding columns at the end of each phase row), and the output pixel of the first one: the kept
    /// columns are consecutive output pixels. Walks the tile a phase row at a time (a division per column showed in
    /// profiles).
    static func keptColumns(_ q0: Int, _ q1: Int, phaseWidth: Int, outW: Int) -> (UInt32, Int) {
        guard phaseWidth != outW else { return (UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(q1 - q0)) - 1), q0) }
        var keep: UInt64 = 0, start = -1
        var rowStart = q0 - q0 % phaseWidth
        while rowStart < q1 {
            // Columns of this phase row inside the tile and inside the output row.
            let from = max(q0, rowStart), to = min(q1, rowStart + outW)
            if to > from {
                keep |= ((UInt64(1) << UInt64(to - from)) - 1) << UInt64(from - q0)
                if start < 0 { start = rowStart / phaseWidth * outW + from - rowStart }
            }
            rowStart += phaseWidth
        }
        return (UInt32(truncatingIfNeeded: keep), max(start, 0))
    }
}
