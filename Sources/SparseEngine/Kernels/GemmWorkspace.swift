/// Scratch and caches for `sgemm`, one per session: per-thread tiles and B panels, the packings of
/// the current call, and the packing of every constant operand seen so far (weights are packed once,
/// not every run).
final class GemmWorkspace: @unchecked Sendable {
    /// How an operand is packed, part of the cache key.
    enum Layout: Hashable {
        /// `packSlivers` of op(A).
        case slivers(GemmShape)
        /// `packPanels` of op(B) (or of op(A) taken as the right operand).
        case panels(GemmShape)
        /// `WinogradWeights.packed`: 36 transformed matrices, each packed as `slivers`.
        case winograd(GemmShape)
    }

    /// Which scratch buffer a per-call packing goes to (two can be live at once).
    enum Slot { case left, right }

    private let threadScratch: [ScratchBuffer]
    private let leftScratch = ScratchBuffer()
    private let rightScratch = ScratchBuffer()
    /// Byte ranges of tensors that never change while the session lives (weights, folded constants).
    private var constantRanges: [Range<UInt>] = []
    private var packedConstants: [Key: ScratchBuffer] = [:]

    init(threads: Int) {
        threadScratch = (0..<max(threads, 1)).map { _ in ScratchBuffer() }
    }

    /// Bytes held by the cached packings of constant operands.
    var packedBytes: Int { packedConstants.values.reduce(0) { $0 + $1.byteCount } }

    /// Per-thread scratch (B panels, output tiles), reused call after call.
    func threadBuffer(_ thread: Int, _ count: Int) -> UnsafeMutablePointer<Float> { threadScratch[thread].floats(count) }

    /// Declares `byteCount` bytes at `base` constant for the session's lifetime, so a GEMM operand
    /// inside them is packed once and reused.
    func registerConstant(_ base: UnsafeRawPointer, byteCount: Int) {
        let start = UInt(bitPattern: base)
        guard byteCount > 0, !constantRanges.contains(where: { $0.contains(start) }) else { return }
        let index = constantRanges.firstIndex { $0.lowerBound > start } ?? constantRanges.endIndex
        constantRanges.insert(start..<(start + UInt(byteCount)), at: index)
    }

    /// True when the `byteCount` bytes at `pointer` lie in one registered constant range.
    func isConstant(_ pointer: UnsafeRawPointer, byteCount: Int) -> Bool {
        let start = UInt(bitPattern: pointer), end = start + UInt(byteCount)
        var low = 0, high = constantRanges.count
        while low < high {
            let mid = (low + high) / 2
            if constantRanges[mid].lowerBound <= start { low = mid + 1 } else { high = mid }
        }
        return low > 0 && end <= constantRanges[low - 1].upperBound
    }

    /// The packing of the operand at `source` (a matrix of `rows` × `columns` floats, row stride `ld`,
    /// as stored): from the cache when it is constant, else made now by `pack` into `slot`'s scratch.
    func packed(_ source: UnsafePointer<Float>, rows: Int, columns: Int, ld: Int, alpha: Float, transposed: Bool,
                layout: Layout, count: Int, slot: Slot, pack: (UnsafeMutablePointer<Float>) -> Void) -> UnsafePointer<Float> {
        let extent = (rows - 1) * ld + columns
        if isConstant(source, byteCount: extent * MemoryLayout<Float>.size) {
            let key = Key(address: UInt(bitPattern: source), ld: ld, transposed: transposed, alphaBits: alpha.bitPattern, layout: layout)
            if let cached = packedConstants[key] { return UnsafePointer(cached.floats(count)) }
            let buffer = ScratchBuffer()
            pack(buffer.floats(count))
            packedConstants[key] = buffer
            return UnsafePointer(buffer.floats(count))
        }
        let buffer = (slot == .left ? leftScratch : rightScratch).floats(count)
        pack(buffer)
        return UnsafePointer(buffer)
    }

    /// Identifies one packing of one constant matrix.
    private struct Key: Hashable {
        let address: UInt
        let ld: Int
        let transposed: Bool
        let alphaBits: UInt32
        let layout: Layout
    }
}

/// A growable 64-byte aligned float buffer (`LargeAllocation`), freed with its owner.
final class ScratchBuffer: @unchecked Sendable {
    private var pointer: UnsafeMutablePointer<Float>?
    private var capacity = 0

    /// Bytes allocated.
    var byteCount: Int { capacity * MemoryLayout<Float>.size }

    /// At least `count` floats; the contents are kept only while the size does not grow.
    func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if let pointer, count <= capacity { return pointer }
        pointer?.deallocate()
        capacity = max(count, 16)
        let fresh = LargeAllocation.allocate(byteCount: capacity * 4).bindMemory(to: Float.self, capacity: capacity)
        pointer = fresh
        return fresh
    }

    deinit { pointer?.deallocate() }
}
