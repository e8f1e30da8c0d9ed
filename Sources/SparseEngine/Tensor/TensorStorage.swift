/// The bytes behind one or more tensors.
///
/// Storage either owns a 64-byte aligned allocation, or borrows memory that belongs to
/// `owner` (a memory-mapped file, a decoded protobuf message, an arena) and keeps that
/// owner alive. Borrowing is how weights reach the graph without being copied.
final class TensorStorage: @unchecked Sendable {
    /// First byte.
    let base: UnsafeMutableRawPointer
    /// Size in bytes.
    let byteCount: Int
    private let owner: AnyObject?
    private let ownsAllocation: Bool

    /// Allocates `byteCount` zeroed bytes, 64-byte aligned (`LargeAllocation`: huge pages for large ones).
    init(zeroedByteCount byteCount: Int) {
        let size = max(byteCount, 1)
        base = LargeAllocation.allocate(byteCount: size)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        self.byteCount = byteCount
        owner = nil
        ownsAllocation = true
    }

    /// Borrows memory that stays valid as long as `owner` lives.
    init(borrowing base: UnsafeMutableRawPointer, byteCount: Int, owner: AnyObject?) {
        self.base = base
        self.byteCount = byteCount
        self.owner = owner
        ownsAllocation = false
    }

    /// True when the bytes belong to `owner` (a mapped file or decoded message), not to this storage.
    var isBorrowed: Bool { !ownsAllocation }

    deinit {
        if ownsAllocation { base.deallocate() }
    }
}
