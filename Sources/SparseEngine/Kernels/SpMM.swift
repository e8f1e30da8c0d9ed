/// Where a sparse layer's activations come from and where its results go: the operator's half of `spmm`.
///
/// The reduction axis K and the output rows are the layer's (input features × kernel window, output
/// channels); "pixels" are what the kernel vectorizes over (output pixels, or tokens), numbered image by
/// image: image i owns pixels `i·imagePixels ..< (i+1)·imagePixels`, and no block crosses images.
protocol SpMMOperands {
    /// Pixels per image (all pixels when blocks may cross images).
    var imagePixels: Int { get }
    /// Number of images.
    var images: Int { get }
    /// When activations can be read in place: where a block's row 0 starts, and each row k's byte offset
    /// from there. Only whole blocks are read in place; partial ones are packed.
    var inPlace: SpMMInPlace? { get }
    /// One bias per output row (added by the kernel when it writes a block in place), or nil.
    var bias: UnsafePointer<Float>? { get }
    /// The fused activation as [min, max] bounds (±∞ for none), applied by the kernel after the bias.
    var clamp: (low: Float, high: Float) { get }
    /// Where a whole block's finished results can be written by the kernel itself (saving `store`), or nil.
    func directOutput(pixel0: Int) -> SpMMDirectOutput?
    /// Fills `panel[(k − k0)·width + q]` with activation (k, `pixel0 + q`) for k in `k0 ..< k0 + kc` and q in
    /// `0 ..< count`, zeros for q in `count ..< width`.
    func pack(_ panel: UnsafeMutablePointer<Float>, width: Int, k0: Int, kc: Int, pixel0: Int, count: Int)
    /// Writes the results of `rows` for pixels `pixel0 ..< pixel0 + count` of a block not written directly:
    /// row r's sums are at `tile[(r − rows.lowerBound)·width + q]`, without bias or activation.
    func store(_ tile: UnsafePointer<Float>, width: Int, rows: Range<Int>, pixel0: Int, count: Int)
    /// A function applied in place to each row the kernel wrote directly, after the bias and activation, while the
    /// row is in L1 (a fused GELU), or nil.
    var rowFunction: KernelConfig.VectorFunction? { get }
    /// The block width activations or results are laid out for (panels of the narrow kernel's width), which then
    /// fixes the kernel; nil lets `spmm` choose.
    var blockWidth: Int? { get }
}

extension SpMMOperands {
    var rowFunction: KernelConfig.VectorFunction? { nil }
    var blockWidth: Int? { nil }
}

/// Activations the SpMM kernel reads where they are, without packing (see `ShiftedConvolutionSpMMOperands`).
struct SpMMInPlace {
    /// Byte offset of activation row k from a block's start, for every k; may be empty when `rowStride` gives them.
    let rowOffsets: [Int32]
    /// The stride every row offset is a multiple of (`rowOffsets[k] == k · rowStride`), when there is one:
    /// the kernel then computes offsets instead of reading the table.
    let rowStride: Int?
    /// The address of pixel `pixel` in activation row 0.
    let address: (_ pixel: Int) -> UnsafeRawPointer
}

/// A block's output rows in memory: row r at `output + r·rowStride`, and, for a fused residual, the same rows
/// of the addend, which the sums start from.
struct SpMMDirectOutput {
    let output: UnsafeMutablePointer<Float>
    let rowStride: Int
    let addend: UnsafePointer<Float>?
}

/// Sparse weights × dense activations: `Y[row, pixel] = Σ_k W[row, k] · X[k, pixel]` with W compressed
/// (`SparseWeights`), X read in place or packed by `operands` one block of pixels (the microkernel's
/// width) and one K chunk at a time, and Y written by the kernel (bias, residual and activation included)
/// where `operands` allows it (then finished by its `rowFunction`), else handed back to `operands` per tile.
///
/// Work is split into tasks of (pixel block, range of row groups). With enough blocks to keep every
/// thread busy, a task is a whole block and packs its own panels chunk by chunk (they stay in L1). With
/// few blocks (small images, batch 1), every block's rows are split between tasks, so panels that need
/// packing are first packed once, in parallel, into memory all tasks read.
func spmm<Operands: SpMMOperands>(_ weights: SparseWeights, _ operands: Operands, context: KernelContext) {
    let inPlace = operands.inPlace, rowFunction = operands.rowFunction
    let (kernel, width) = context.kernels.spmmKernel(imagePixels: operands.imagePixels,
                                                     readsInPlace: inPlace != nil && operands.blockWidth == nil)
    precondition(operands.blockWidth == nil || operands.blockWidth == width, "panels of another width than the narrow kernel's")
    let blocksPerImage = (operands.imagePixels + width - 1) / width
    let blocks = blocksPerImage * operands.images
    guard blocks > 0, weights.m > 0 else { return }
    func pixelRange(_ block: Int) -> (pixel0: Int, count: Int) {
        let image = block / blocksPerImage, start = (block % blocksPerImage) * width
        return (image * operands.imagePixels + start, min(width, operands.imagePixels - start))
    }
    func packs(_ block: Int) -> Bool { inPlace == nil || pixelRange(block).count < width }
    let threads = context.pool.threadCount
    let wanted = threads == 1 ? 1 : threads * 3
    let splits = min(weights.groups, max(1, (wanted + blocks - 1) / blocks))
    let panelFloats = weights.chunk * width
    let panelStride = width * MemoryLayout<Float>.size

    var shared: UnsafeMutablePointer<Float>?
    // Only when some block packs: a parallel region that finds nothing to do still waits for every thread.
    if splits > 1, (0..<blocks).contains(where: packs) {
        let panels = context.sharedFloats(.first, blocks * weights.chunks * panelFloats)
        context.pool.parallelFor(blocks * weights.chunks) { task, _ in
            let block = task / weights.chunks, c = task % weights.chunks
            guard packs(block) else { return }
            let (pixel0, count) = pixelRange(block)
            let k0 = c * weights.chunk
            operands.pack(panels + task * panelFloats, width: width, k0: k0, kc: min(weights.chunk, weights.k - k0),
                          pixel0: pixel0, count: count)
        }
        shared = panels
    }
    let maxRows = (weights.groups + splits - 1) / splits * SparseWeights.groupRows
    (inPlace?.rowOffsets ?? []).withUnsafeBufferPointer { inPlaceOffsets in
        context.pool.parallelFor(blocks * splits) { task, thread in
            let block = task / splits, split = task % splits
            let g0 = weights.groups * split / splits, g1 = weights.groups * (split + 1) / splits
            let r0 = g0 * SparseWeights.groupRows, r1 = min(weights.m, g1 * SparseWeights.groupRows)
            let (pixel0, count) = pixelRange(block)
            let scratch = context.scratchFloats(thread: thread, panelFloats + (maxRows + 1) * width)
            let tile = scratch + panelFloats, discard = tile + maxRows * width
            let firstPair = weights.firstPair(group: g0)
            let endPair = g1 == weights.groups ? weights.pairsPerChunk : weights.firstPair(group: g1)
            let packed = packs(block)
            let start = packed ? nil : inPlace!.address(pixel0)
            let direct = count == width ? operands.directOutput(pixel0: pixel0) : nil
            let (low, high) = operands.clamp
            var bounds = SIMD2<Float>(low, high)
            for c in 0..<weights.chunks {
                let k0 = c * weights.chunk
                // Rows at a fixed stride are addressed by the kernel; others through the offset table.
                let base: UnsafeRawPointer, offsets: UnsafePointer<Int32>?, stride: Int
                if let start {
                    stride = inPlace!.rowStride ?? 0
                    base = start + k0 * stride
                    offsets = inPlace!.rowStride == nil ? inPlaceOffsets.baseAddress! + k0 : nil
                } else if let shared {
                    (base, offsets, stride) = (UnsafeRawPointer(shared + (block * weights.chunks + c) * panelFloats), nil, panelStride)
                } else {
                    operands.pack(scratch, width: width, k0: k0, kc: min(weights.chunk, weights.k - k0), pixel0: pixel0, count: count)
                    (base, offsets, stride) = (UnsafeRawPointer(scratch), nil, panelStride)
                }
                let pairs = weights.pairTable + (c * weights.pairsPerChunk + firstPair) * 4
                guard let direct else {
                    kernel(pairs, endPair - firstPair, weights.indices, weights.values, base, offsets, stride,
                           tile, width, r0, discard, c > 0 ? UnsafePointer(tile) : nil, nil, nil)
                    continue
                }
                // Written where the output lives: sums start from the residual, and the last chunk finishes them.
                let sumsStart = c > 0 ? UnsafePointer(direct.output) : direct.addend
                guard c == weights.chunks - 1 else {
                    kernel(pairs, endPair - firstPair, weights.indices, weights.values, base, offsets, stride,
                           direct.output, direct.rowStride, 0, discard, sumsStart, nil, nil)
                    continue
                }
                withUnsafeBytes(of: &bounds) {
                    kernel(pairs, endPair - firstPair, weights.indices, weights.values, base, offsets, stride,
                           direct.output, direct.rowStride, 0, discard, sumsStart, operands.bias, $0.baseAddress!.assumingMemoryBound(to: Float.self))
                }
                if let rowFunction {
                    // Rows that follow each other (panels) in one call: the function's constants and latency chains are
                    // set up once, not per row.
                    if direct.rowStride == width {
                        rowFunction(direct.output + r0 * width, direct.output + r0 * width, (r1 - r0) * width)
                    } else {
                        for row in r0..<r1 { rowFunction(direct.output + row * direct.rowStride, direct.output + row * direct.rowStride, width) }
                    }
                }
            }
            if direct == nil { operands.store(tile, width: width, rows: r0..<r1, pixel0: pixel0, count: count) }
        }
    }
}
