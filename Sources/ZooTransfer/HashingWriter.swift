import Foundation
import ZooDigest

/// Writes a download's bytes to its partial file and hashes them on a thread of its own.
///
/// libcurl hands over the body 16 KiB at a time. The bytes are copied into one of a few large slots; a full slot
/// is written with one pwrite(2) and passed to the hashing thread, so receiving, writing and hashing overlap
/// (SHA-256 costs about as much CPU as the transfer itself) and memory stays at `slotCount × slotSize` per file.
/// Slots are hashed in the order they were written, so the digest is the digest of the file.
///
/// All methods but the hashing thread's loop are called from the transfer loop's thread.
final class HashingWriter: @unchecked Sendable {
    private static let slotSize = 512 * 1024
    private static let slotCount = 8

    /// The partial file.
    let file: PartialFile
    /// Bytes accepted so far: written to the file, or waiting in the slot being filled.
    private(set) var length: Int64 = 0
    /// Bytes written to the file.
    private var writtenLength: Int64 = 0

    private let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: slotSize * slotCount, alignment: 64)
    private let slotLengths = UnsafeMutablePointer<Int>.allocate(capacity: slotCount)
    private var fillingSlot = 0
    private var fillingLength = 0

    // Shared with the hashing thread, under `condition`. `hasher` belongs to the hashing thread while
    // `queued` is above 0, and to the caller when it is 0.
    private let condition = NSCondition()
    private var queued = 0
    private var stopping = false
    private var hasher = SHA256()

    /// Takes over `file`, whose first `existingBytes` bytes are kept: they are hashed now, before anything else.
    init(file: PartialFile, keeping existingBytes: Int64) throws {
        self.file = file
        try file.hash(first: existingBytes, into: hasher)
        length = existingBytes
        writtenLength = existingBytes
        Thread.detachNewThread { [self] in hashQueuedSlots() }
    }

    deinit {
        storage.deallocate()
        slotLengths.deallocate()
    }

    /// Stops the hashing thread once it has hashed what is queued. The writer is not used afterwards.
    func close() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Adds `bytes` at the end; returns the errno of a failed write, after which ``length`` is what the file holds.
    func append(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        var taken = 0
        while taken < bytes.count {
            let count = min(Self.slotSize - fillingLength, bytes.count - taken)
            (storage.baseAddress! + fillingSlot * Self.slotSize + fillingLength).copyMemory(from: bytes.baseAddress! + taken, byteCount: count)
            fillingLength += count
            taken += count
            length += Int64(count)
            if fillingLength == Self.slotSize, let error = flush() { return error }
        }
        return nil
    }

    /// Writes the slot being filled to the file and queues it for hashing; returns the errno of a failed write.
    func flush() -> Int32? {
        guard fillingLength > 0 else { return nil }
        let slot = UnsafeRawBufferPointer(start: storage.baseAddress! + fillingSlot * Self.slotSize, count: fillingLength)
        let (written, error) = file.write(slot, at: writtenLength)
        fillingLength = 0
        writtenLength += Int64(written)
        length = writtenLength
        if written > 0 { queue(fillingSlotLength: written) }
        return error
    }

    /// The SHA-256 of everything written, as lowercase hex; the digest starts afresh afterwards.
    func finishDigest() -> String {
        waitUntilHashed()
        defer { hasher = SHA256() }
        return hasher.finalize()
    }

    /// Empties the file and the digest, to start again from byte 0.
    func discardAll() throws {
        fillingLength = 0
        waitUntilHashed()
        try file.truncate(to: 0)
        hasher = SHA256()
        length = 0
        writtenLength = 0
    }

    // MARK: The hashing thread

    private func queue(fillingSlotLength count: Int) {
        slotLengths[fillingSlot] = count
        condition.lock()
        queued += 1
        condition.broadcast()
        fillingSlot = (fillingSlot + 1) % Self.slotCount
        // Slots are hashed in order, so the next one is free once fewer than all are queued.
        while queued == Self.slotCount { condition.wait() }
        condition.unlock()
    }

    private func waitUntilHashed() {
        condition.lock()
        while queued > 0 { condition.wait() }
        condition.unlock()
    }

    private func hashQueuedSlots() {
        var slot = 0
        while true {
            condition.lock()
            while queued == 0 && !stopping { condition.wait() }
            if queued == 0 {
                condition.unlock()
                return
            }
            condition.unlock()
            hasher.update(UnsafeRawBufferPointer(start: storage.baseAddress! + slot * Self.slotSize, count: slotLengths[slot]))
            slot = (slot + 1) % Self.slotCount
            condition.lock()
            queued -= 1
            condition.broadcast()
            condition.unlock()
        }
    }
}
