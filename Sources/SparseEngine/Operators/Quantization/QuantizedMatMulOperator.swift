/// `QLinearMatMul` and `MatMulInteger` on the INT8 kernels when B is 2-D (a linear layer's weight): the rows of
/// A (tokens, over every batch) are packed in tiles, each row's 4 K bytes together (`qu8_pack_rows_x4`) and the
/// product is computed transposed, Yᵀ = Bᵀ·Aᵀ, so the kernels' vectors run over tokens; the epilogue writes Y
/// back row-major. `QDQFusion` also gives it a Gemm's int32 bias (input #8, an engine extension) and a Relu
/// (`zoo.activation`). uint8 weights far from their zero point (`MatMulInteger`) are packed less 128 and their
/// outputs corrected (`WeightRecentering`); other shapes, and other weights the kernels cannot hold, run on the reference
/// operator. A layer
/// marked by `QuantizedSparseSelection` keeps only its nonzero weight groups and runs on the sparse microkernels. Up to 8
/// rows of A (a classifier at batch 1, or in a batch slice) run on the channel-lane microkernel, its vectors over output
/// features.
struct QuantizedMatMulOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let reference: IntegerLinearOperator
    let relu: Bool
    let sparse: Bool
    private let cache = QS8LayerCache<RecenteredWeights?, RecenteredLayer>()

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        reference = try IntegerLinearOperator(kind, c)
        relu = try FusedActivation(c) == .relu
        sparse = c.node.attributes[QuantizedSparseSelection.attribute] != nil
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] { try reference.inferOutputs(inputs) }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let y = outputs[0]
        guard let a = inputs[0], let b = inputs[kind == .matMulInteger ? 1 : 3], b.rank == 2, a.rank >= 2, a.shape[a.rank - 1] == b.shape[0]
        else { return try runReference(inputs, outputs, context) }
        let depth = b.shape[0], n = b.shape[1]
        let prepared = try cache.layer(for: inputs, weight: b, context, pack: {
            try pack(inputs, depth: depth, features: n, outputType: y.dataType)
        }, make: { try QuantizedOperands(kind, inputs, outputType: y.dataType).layer(rows: n, packed: $0, relu: relu) })
        guard let prepared else { return try runReference(inputs, outputs, context) }
        multiply(a, rows: a.count / depth, depth: depth, prepared.layer, y, context)
        prepared.recentering?.correct(y, activations: a, tokens: a.count / depth, depth: depth, prepared.layer, context)
    }

    /// B's weights packed for the kernels (`QuantizedOperands.packRecentering`).
    private func pack(_ inputs: [Tensor?], depth: Int, features n: Int, outputType: DataType) throws -> RecenteredWeights? {
        let operands = try QuantizedOperands(kind, inputs, outputType: outputType)
        return operands.packRecentering(rows: n, depth: depth, sparse: sparse) { row, k, _ in operands.weight(k * n + row) }
    }

    private func runReference(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        try reference.run(inputs, outputs, context)
        if relu, inputs.count > 7, let zero = try inputs[7]?.doubleValues().first { clampToZeroPoint(outputs[0], zeroPoint: Int(zero)) }
    }

    private func multiply(_ a: Tensor, rows: Int, depth: Int, _ layer: QS8Layer, _ y: Tensor, _ context: KernelContext) {
        let kernels = context.kernels.qs8
        let product = QS8TileProduct(layer.weights, kernels: kernels, columns: rows), nr = product.nr
        let kgroups = layer.weights.kgroups, n = layer.weights.rows
        // Each tile of nr tokens is packed on its own, K group after K group (nr × 4 bytes each): the kernel then
        // reads one tile's activations in order (a stride of a power of two between groups would alias in L1).
        let tokenTiles = (rows + nr - 1) / nr, tileBytes = kgroups * nr * 4
        let packedInput = UnsafeMutableRawPointer(context.sharedFloats(.first, tokenTiles * tileBytes / 4)).assumingMemoryBound(to: UInt8.self)
        let offsets = (0..<kgroups).map { Int32($0 * nr * 4) }
        let aBytes = a.rawPointer.assumingMemoryBound(to: UInt8.self)
        context.pool.parallelFor(tokenTiles) { tile, _ in
            let r0 = tile * nr
            kernels.packRows(aBytes + r0 * depth, min(nr, rows - r0), depth, depth, nr, layer.fill, layer.flip, packedInput + tile * tileBytes)
        }
        if rows <= 8, kernels.igemmc != nil, layer.requantization != nil, case .dense = layer.weights {
            return multiplyFewRows(UnsafePointer(packedInput), rows: rows, offsets: offsets, layer, y, context)
        }
        // Tasks: (range of feature tiles, token tile), weight block first as in the convolutions: each thread reads its
        // share of the weights once and keeps a block in L2 across the token tiles.
        let featureTiles = layer.weights.tiles, elementSize = y.dataType.byteSize ?? 1
        let tilesPerCall = product.tilesPerCall
        let splits = max(1, min(featureTiles / tilesPerCall, (16 * context.pool.threadCount + tokenTiles - 1) / tokenTiles))
        let tilesPerSplit = (featureTiles + splits * tilesPerCall - 1) / (splits * tilesPerCall) * tilesPerCall
        offsets.withUnsafeBufferPointer { offsets in
            context.pool.parallelFor(tokenTiles * splits) { task, thread in
                let split = task / tokenTiles, tokenTile = task % tokenTiles
                let acc = UnsafeMutableRawPointer(context.scratchFloats(thread: thread, 8 * tilesPerCall * nr)).assumingMemoryBound(to: Int32.self)
                let t0 = tokenTile * nr, t1 = min(rows, t0 + nr), tokens = UnsafePointer(packedInput + tokenTile * tileBytes)
                for tile in stride(from: min(featureTiles, split * tilesPerSplit), to: min(featureTiles, (split + 1) * tilesPerSplit), by: tilesPerCall) {
                    let count = min(8 * tilesPerCall, n - tile * 8)
                    product.compute(tile, count, tokens, offsets.baseAddress!, acc)
                    layer.finish(rows: count, cols: t1 - t0, row0: tile * 8, acc: acc, ldacc: nr,
                                 y: y.rawPointer + t0 * n * elementSize, ldyRow: 1, ldyCol: n, kernels: kernels)
                }
            }
        }
    }

    /// At most 8 rows of A (a classifier at batch 1, or a batch slice of a few items) on the channel-lane microkernel: 32
    /// output features × the rows a call, each row's dword broadcast against 16 features' weights, the call's bytes
    /// (feature-major) turned into the rows of Y through a 256-byte scratch tile. The pixel-lane kernel computed 32
    /// columns for the few real ones (ResNet-50's 2048 → 1000 classifier: 0.24 ms on one core at batch 1).
    private func multiplyFewRows(_ packedInput: UnsafePointer<UInt8>, rows: Int, offsets: [Int32], _ layer: QS8Layer, _ y: Tensor,
                                 _ context: KernelContext) {
        let n = layer.weights.rows, channelTiles = (n + 31) / 32, yBytes = y.rawPointer.assumingMemoryBound(to: UInt8.self)
        let tasks = min(channelTiles, 4 * context.pool.threadCount)
        // The rows in one run of the kernel, or two (8 rows: 4 and 4).
        let first = rows <= 7 ? rows : (rows + 1) / 2
        layer.withRequantizingProduct(context.kernels.qs8) { product in
            guard let product else { return }
            offsets.withUnsafeBufferPointer { offsets in
                context.pool.parallelFor(tasks) { task, _ in
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32 * 8) { scratch in
                        let y = scratch.baseAddress!
                        for c in (channelTiles * task / tasks)..<(channelTiles * (task + 1) / tasks) {
                            let features = min(32, n - 32 * c)
                            product.computeChannels(tile: 4 * c, rows: features, activations: packedInput, offsets: offsets.baseAddress!,
                                                    ChannelLaneRun(start: 0, pixels: first, y: y),
                                                    rows > first ? ChannelLaneRun(start: Int32(4 * first), pixels: rows - first, y: y + first) : nil,
                                                    ldy: rows)
                            for t in 0..<rows {
                                let yRow = yBytes + t * n + 32 * c
                                for f in 0..<features { yRow[f] = scratch[f * rows + t] }
                            }
                        }
                    }
                }
            }
        }
    }
}
