import Foundation

/// The constants of one session (weights, folded values) and the packings the GEMM made of them, shared by
/// every `GemmWorkspace` of the session: the workspace of each batch stream (`KernelContext.stream`) finds the
/// packings the others made, so a weight is packed, held and read from the cache once however many streams run.
/// Guarded by a lock: streams pack and look up concurrently.
final class ConstantPackings: @unchecked Sendable {
    private let lock = NSLock()
    /// Byte ranges of tensors that never change while the session lives, sorted by start.
    private var ranges: [Range<UInt>] = []
    private var packings: [GemmWorkspace.PackingKey: ScratchBuffer] = [:]

    /// Bytes held by the packings.
    var packedBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return packings.values.reduce(0) { $0 + $1.byteCount }
    }

    /// Declares `byteCount` bytes at `base` constant for the session's lifetime.
    func register(_ base: UnsafeRawPointer, byteCount: Int) {
        let start = UInt(bitPattern: base)
        lock.lock()
        defer { lock.unlock() }
        guard byteCount > 0, !ranges.contains(where: { $0.contains(start) }) else { return }
        let index = ranges.firstIndex { $0.lowerBound > start } ?? ranges.endIndex
        ranges.insert(start..<(start + UInt(byteCount)), at: index)
    }

    /// True when the `byteCount` bytes at `pointer` lie in one registered range.
    func contains(_ pointer: UnsafeRawPointer, byteCount: Int) -> Bool {
        let start = UInt(bitPattern: pointer), end = start + UInt(byteCount)
        lock.lock()
        defer { lock.unlock() }
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].lowerBound <= start { low = mid + 1 } else { high = mid }
        }
        return low > 0 && end <= ranges[low - 1].upperBound
    }

    /// The packing under `key` (`count` floats), made by `pack` on first use.
    func packing(_ key: GemmWorkspace.PackingKey, count: Int, pack: (UnsafeMutablePointer<Float>) -> Void) -> UnsafePointer<Float> {
        lock.lock()
        defer { lock.unlock() }
        if let cached = packings[key] { return UnsafePointer(cached.floats(count)) }
        let buffer = ScratchBuffer()
        pack(buffer.floats(count))
        packings[key] = buffer
        return UnsafePointer(buffer.floats(count))
    }
}
