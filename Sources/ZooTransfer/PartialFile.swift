import Foundation
import ZooDigest

/// The destination of a download, written in place with pwrite(2) right after the bytes already verified.
final class PartialFile {
    /// Where the file is.
    let path: String
    private let descriptor: Int32

    /// Whether opening the file created it.
    let created: Bool

    /// Opens `path` for reading and writing, creating it empty if absent; existing bytes are kept.
    /// Anything but a regular file (a directory, a device) is refused.
    init(path: String) throws {
        self.path = path
        created = access(path, F_OK) != 0
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw Self.failure(errno, path: path, doing: "open") }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw TransferError(.writeFailed, "\(path) is not a regular file; zoo downloads only into files it can replace")
        }
    }

    deinit { close(descriptor) }

    /// The file's current length in bytes.
    func length() throws -> Int64 {
        var status = stat()
        if fstat(descriptor, &status) != 0 { throw Self.failure(errno, path: path, doing: "inspect") }
        return Int64(status.st_size)
    }

    /// Feeds the first `count` bytes of the file into `hasher`, reading a mebibyte at a time.
    func hash(first count: Int64, into hasher: SHA256) throws {
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while offset < count {
            let wanted = Int(min(Int64(chunk), count - offset))
            let read = pread(descriptor, buffer.baseAddress, wanted, off_t(offset))
            if read < 0 && errno == EINTR { continue }
            if read < 0 { throw Self.failure(errno, path: path, doing: "read") }
            if read == 0 { throw TransferError(.writeFailed, "\(path) became shorter while it was being read; another program is writing it") }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<read]))
            offset += Int64(read)
        }
    }

    /// Writes `bytes` at `offset`; returns how many were written and, if not all, the errno that stopped it.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) -> (written: Int, error: Int32?) {
        var written = 0
        while written < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + written, bytes.count - written, off_t(offset) + off_t(written))
            if result < 0 && errno == EINTR { continue }
            if result <= 0 { return (written, result < 0 ? errno : ENOSPC) }
            written += result
        }
        return (written, nil)
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: Int64) throws {
        if ftruncate(descriptor, off_t(length)) != 0 { throw Self.failure(errno, path: path, doing: "truncate") }
    }

    /// Flushes the file's bytes to the disk (fsync).
    func synchronize() throws {
        if fsync(descriptor) != 0 { throw Self.failure(errno, path: path, doing: "sync") }
    }

    /// Deletes the file at `path`, if there is one.
    static func remove(at path: String) {
        unlink(path)
    }

    /// The error for a failed system call on `path`: a full disk, or another failure to write.
    static func failure(_ code: Int32, path: String, doing action: String) -> TransferError {
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT {
            return TransferError(.diskFull, "the disk holding \(path) is full (\(reason)); free some space and run the command again: the bytes fetched so far are kept and the download resumes")
        }
        return TransferError(.writeFailed, "cannot \(action) \(path): \(reason); check that its directory exists and is writable")
    }
}
