import Foundation

/// One regular file being extracted: blocks written at their offsets (holes stay holes), then synced and closed.
final class FileSink {
    private var descriptor: Int32
    private let entry: String
    /// The end of the data written so far.
    private(set) var end: Int64 = 0

    /// Takes ownership of `descriptor`, open for writing, for the file of archive entry `entry`.
    init(descriptor: Int32, entry: String) {
        self.descriptor = descriptor
        self.entry = entry
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Writes `block` at `offset`.
    func write(_ block: UnsafeRawBufferPointer, at offset: Int64) throws {
        var written = 0
        while written < block.count {
            let count = try retryingInterrupts("write \(entry)", entry: entry) {
                pwrite(descriptor, block.baseAddress! + written, block.count - written, off_t(offset) + off_t(written))
            }
            written += count
        }
        end = max(end, offset + Int64(block.count))
    }

    /// Extends the file to `size` if its data stopped short (a sparse entry ending in a hole), flushes it to
    /// the disk and closes it.
    func finish(extendingTo size: Int64?) throws {
        if let size, size > end {
            try retryingInterrupts("extend \(entry)", entry: entry) { ftruncate(descriptor, off_t(size)) }
        }
        try retryingInterrupts("flush \(entry) to the disk", entry: entry) { fsync(descriptor) }
        let closing = descriptor
        descriptor = -1
        // Linux frees the descriptor even when close is interrupted, so it is never retried.
        if close(closing) != 0 && errno != EINTR {
            throw ArchiveError.writing("close \(entry)", entry: entry, errno: errno)
        }
    }
}
