/// Scratch and caches for `sgemm`, one per kernel context: per-thread tiles and B panels, the packings of
/// the current call, and (in the session's `ConstantPackings`, shared with its other contexts) the packing of
/// every constant operand seen so far (weights are packed once, not every run).
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
    /// The session's constants and their packings.
    let constants: ConstantPackings

    init(threads: Int, constants: ConstantPackings = ConstantPackings()) {
        threadScratch = (0..<max(threads, 1)).map { _ in ScratchBuffer() }
        self.constants = constants
    }

    /// Bytes held by the cached packings of constant operands.
    var packedBytes: Int { constants.packedBytes }

    /// Per-thread scratch (B panels, output tiles), reused call after call.
    func threadBuffer(_ thread: Int, _ count: Int) -> UnsafeMutablePointer<Float> { threadScratch[thread].floats(count) }

    /// Declares `byteCount` bytes at `base` constant for the session's lifetime, so a GEMM operand
    /// inside them is packed once and reused.
    func registerConstant(_ base: UnsafeRawPointer, byteCount: Int) {
        constants.register(base, byteCount: byteCount)
    }

    /// True when the `byteCount` bytes at `pointer` lie in one registered constant range.
    func isConstant(_ pointer: UnsafeRawPointer, byteCount: Int) -> Bool {
        constants.contains(pointer, byteCount: byteCount)
    }

    /// The packing of the operand at `source` (a matrix of `rows` × `columns` floats, row stride `ld`,
    /// as stored): from the cache when it is constant, else made now by `pack` into `slot`'s scratch.
    func packed(_ source: UnsafePointer<Float>, rows: Int, columns: Int, ld: Int, alpha: Float, transposed: Bool,
                layout: Layout, count: Int, slot: Slot, pack: (UnsafeMutablePointer<Float>) -> Void) -> UnsafePointer<Float> {
        let extent = (rows - 1) * ld + columns
        if isConstant(source, byteCount: extent * MemoryLayout<Float>.size) {
            let key = PackingKey(address: UInt(bitPattern: source), ld: ld, transposed: transposed, alphaBits: alpha.bitPattern, layout: layout)
            return constants.packing(key, count: count, pack: pack)
        }
        let buffer = (slot == .left ? leftScratch : rightScratch).floats(count)
        pack(buffer)
        return UnsafePointer(buffer)
    }

    /// Identifies one packing of one constant matrix.
    struct PackingKey: Hashable {
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
