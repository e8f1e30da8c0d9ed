import Foundation

/// The activations and results of a sparse 2-D convolution with one group, for `spmm`, read in place.
///
/// The input is zero-padded and split into the stride phases its taps read (`polyphase`; a copy, skipped
/// for stride 1 without padding): phase (py, px) holds the padded pixels (i·sH + py, j·sW + px). Tap (ky, kx) of output
/// pixel (oy, ox) reads padded pixel (oy·sH + ky·dH, ox·sW + kx·dW), which is pixel (oy + qy, ox + qx) of
/// phase (py, px) with ky·dH = qy·sH + py and kx·dW = qx·sW + px. Counting pixels along the phase rows
/// (`v = oy·phaseW + ox`; the columns ox ≥ outW are computed and dropped), every weight's activations are
/// then one contiguous run at a fixed offset from the pixel: no im2col at all, for any kernel, stride or
/// dilation.
struct ShiftedConvolutionSpMMOperands: SpMMOperands {
    /// The input as `polyphase` lays it out: [batch, phases, channels, phaseH, phaseW].
    let source: UnsafePointer<Float>
    let phaseH: Int, phaseW: Int
    let y: UnsafeMutablePointer<Float>
    let bias: UnsafePointer<Float>?
    /// A fused residual of the output's shape, added before the activation.
    let addend: UnsafePointer<Float>?
    let batch: Int, channels: Int, outChannels: Int
    let geometry: ConvGeometry
    let activation: FusedActivation
    /// `rowOffsets(...)` for this geometry.
    let rowOffsets: [Int32]
    /// `usedPhases(geometry).count`.
    let phaseCount: Int
    /// `uniformRowStride(rowOffsets)`.
    let rowStride: Int?
    /// Finishes tiles that are not written directly: bias, residual and activation bounds, vectorized.
    let epilogue: KernelConfig.EpilogueMicrokernel

    /// Pixels up to the last valid one of the last output row.
    var imagePixels: Int { (geometry.outH - 1) * phaseW + geometry.outW }
    var images: Int { batch }
    private var imageFloats: Int { phaseCount * channels * phaseH * phaseW }

    /// Each weight's byte offset from its output pixel's (phase 0, channel 0) activation, or nil when one
    /// does not fit in 32 bits.
    static func rowOffsets(channels: Int, phaseH: Int, phaseW: Int, _ g: ConvGeometry) -> [Int32]? {
        let phases = usedPhases(g)
        guard phases.count * channels * phaseH * phaseW * 4 <= Int(Int32.max) else { return nil }
        var offsets: [Int32] = []
        offsets.reserveCapacity(channels * g.kH * g.kW)
        for c in 0..<channels {
            for ky in 0..<g.kH {
                let ty = ky * g.dilationH
                for kx in 0..<g.kW {
                    let tx = kx * g.dilationW
                    let phase = phases.firstIndex(of: (ty % g.strideH) * g.strideW + tx % g.strideW)!
                    let offset = ((phase * channels + c) * phaseH + ty / g.strideH) * phaseW + tx / g.strideW
                    offsets.append(Int32(offset * 4))
                }
            }
        }
        return offsets
    }

    var inPlace: SpMMInPlace? {
        guard readsWholeLines else { return nil }
        return SpMMInPlace(rowOffsets: rowOffsets, rowStride: rowStride, address: address)
    }

    /// False for rows at a fixed stride (pointwise convolutions) that do not all start on a 64-byte cache line (the
    /// 784-byte planes of a 14×14 image): a vector load that crosses a line costs two, and each such row is read by
    /// every output channel with a nonzero for it, so those layers pack their blocks into aligned panels once per chunk.
    /// Rows through the offset table (taps shifted by a pixel) are read in place: they overlap in L1, and packing
    /// them cost about what it saved.
    private var readsWholeLines: Bool {
        guard let rowStride else { return true }
        return rowStride % 64 == 0 && Int(bitPattern: source) % 64 == 0 && imageFloats % 16 == 0
    }

    var clamp: (low: Float, high: Float) { activation.bounds }

    /// Whole blocks go straight to the output when the phase rows have no extra columns (stride 1, no
    /// horizontal padding: pointwise convolutions), so a block's pixels are contiguous in each output plane.
    func directOutput(pixel0: Int) -> SpMMDirectOutput? {
        guard phaseW == geometry.outW else { return nil }
        let g = geometry, plane = g.outH * g.outW
        let image = pixel0 / imagePixels, v = pixel0 % imagePixels
        let offset = image * outChannels * plane + v
        return SpMMDirectOutput(output: y + offset, rowStride: plane, addend: addend.map { $0 + offset })
    }

    private func address(_ pixel: Int) -> UnsafeRawPointer {
        let image = pixel / imagePixels, v = pixel % imagePixels
        return UnsafeRawPointer(source + image * imageFloats + v)
    }

    func pack(_ panel: UnsafeMutablePointer<Float>, width: Int, k0: Int, kc: Int, pixel0: Int, count: Int) {
        let start = address(pixel0)
        for r in 0..<kc {
            let row = panel + r * width
            row.update(from: (start + Int(rowOffsets[k0 + r])).assumingMemoryBound(to: Float.self), count: count)
            (row + count).update(repeating: 0, count: width - count)
        }
    }

    func store(_ tile: UnsafePointer<Float>, width: Int, rows: Range<Int>, pixel0: Int, count: Int) {
        let g = geometry, plane = g.outH * g.outW
        let image = pixel0 / imagePixels, v0 = pixel0 % imagePixels
        var q = 0
        while q < count {
            let v = v0 + q, oy = v / phaseW, ox = v % phaseW
            guard ox < g.outW else {
                q += phaseW - ox
                continue
            }
            let length = min(g.outW - ox, count - q)
            let offset = (image * outChannels + rows.lowerBound) * plane + oy * g.outW + ox
            let (low, high) = activation.bounds
            epilogue(rows.count, length, tile + q, width, bias.map { $0 + rows.lowerBound }, addend.map { $0 + offset },
                     y + offset, plane, low, high)
            q += length
        }
    }
}

/// The row offsets of `ShiftedConvolutionSpMMOperands` for each input geometry a convolution has seen, so
/// runs do not rebuild them. Locked: batch streams (`BatchStreams`) run one operator on several threads.
final class ShiftedRowOffsetCache: @unchecked Sendable {
    private let lock = NSLock()
    private struct Key: Hashable {
        let channels: Int, phaseH: Int, phaseW: Int
        let geometry: ConvGeometry
    }
    private var cache: [Key: (offsets: [Int32], phaseCount: Int, rowStride: Int?)?] = [:]

    /// `ShiftedConvolutionSpMMOperands.rowOffsets` for this geometry, the number of stride phases they read
    /// (`usedPhases`) and their stride when they have one (`uniformRowStride`), made on first use; nil when the
    /// offsets do not fit in 32 bits.
    func offsets(channels: Int, phaseH: Int, phaseW: Int, _ g: ConvGeometry) -> (offsets: [Int32], phaseCount: Int, rowStride: Int?)? {
        let key = Key(channels: channels, phaseH: phaseH, phaseW: phaseW, geometry: g)
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[key] { return cached }
        let made = ShiftedConvolutionSpMMOperands.rowOffsets(channels: channels, phaseH: phaseH, phaseW: phaseW, g)
            .map { ($0, usedPhases(g).count, uniformRowStride($0)) }
        cache[key] = made
        return made
    }
}

/// The stride when `offsets[k] == k · stride` for every k (pointwise convolutions: one input plane per row),
/// else nil.
func uniformRowStride(_ offsets: [Int32]) -> Int? {
    guard offsets.count > 1 else { return offsets.isEmpty ? nil : 0 }
    let stride = Int(offsets[1])
    for (k, offset) in offsets.enumerated() where Int(offset) != k * stride { return nil }
    return stride
}

/// The height and width of one stride phase of the padded input (see `ShiftedConvolutionSpMMOperands`).
func phaseSize(_ g: ConvGeometry) -> (height: Int, width: Int) {
    let paddedH = g.inH + g.padTop + g.padBottom, paddedW = g.inW + g.padLeft + g.padRight
    return ((paddedH + g.strideH - 1) / g.strideH, (paddedW + g.strideW - 1) / g.strideW)
}

/// The stride phases `py·strideW + px` some tap of the kernel reads, ascending (one for a 1×1 convolution,
/// whatever its stride).
func usedPhases(_ g: ConvGeometry) -> [Int] {
    var phases = Set<Int>()
    for ky in 0..<g.kH {
        for kx in 0..<g.kW { phases.insert((ky * g.dilationH % g.strideH) * g.strideW + kx * g.dilationW % g.strideW) }
    }
    return phases.sorted()
}

/// Lays out `[batch, channels, inH, inW]` as `[batch, usedPhases, channels, phaseH, phaseW]`: zero-padded
/// and split into the stride phases the taps read (see `ShiftedConvolutionSpMMOperands`). Parallel over
/// (input plane, phase, block of rows): an image's 3 colour planes alone would leave a thread of 2 with twice the
/// other's work (YOLOv5s's and ResNet-50's first layers), so planes × phases are cut into row blocks until there are
/// a few tasks per thread, in a multiple of the threads (`TaskSplit`).
func polyphase(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, batch: Int, channels: Int, _ g: ConvGeometry,
               pool: ThreadPool) {
    let (phaseH, phaseW) = phaseSize(g)
    let phasePlane = phaseH * phaseW
    let phases = usedPhases(g)
    let units = batch * channels * phases.count, threads = pool.threadCount
    guard units > 0 else { return }
    let blocks = threads == 1 ? 1 : TaskSplit.ranges(least: (threads * 4 + units - 1) / units, most: phaseH, blocks: units, threads: threads)
    pool.parallelFor(units * blocks) { task, _ in
        let unit = task / blocks, block = task % blocks
        let plane = unit / phases.count, index = unit % phases.count, phase = phases[index]
        let image = plane / channels, c = plane % channels
        let source = x + plane * g.inH * g.inW
        let py = phase / g.strideW, px = phase % g.strideW
        let destination = out + ((image * phases.count + index) * channels + c) * phasePlane
        // Phase column j is input column j·sW + px − padLeft; the in-range ones are first..<end.
        let first = max(0, (g.padLeft - px + g.strideW - 1) / g.strideW)
        let end = max(first, min(phaseW, (g.inW + g.padLeft - px + g.strideW - 1) / g.strideW))
        for i in (phaseH * block / blocks)..<(phaseH * (block + 1) / blocks) {
            let row = destination + i * phaseW
            let iy = i * g.strideH + py - g.padTop
            guard iy >= 0 && iy < g.inH else {
                row.update(repeating: 0, count: phaseW)
                continue
            }
            let input = source + iy * g.inW + px - g.padLeft
            row.update(repeating: 0, count: first)
            if g.strideW == 1 {
                (row + first).update(from: input + first, count: end - first)
            } else {
                f32StridedGather(input + first * g.strideW, stride: g.strideW, count: end - first, into: row + first)
            }
            (row + end).update(repeating: 0, count: phaseW - end)
        }
    }
}
