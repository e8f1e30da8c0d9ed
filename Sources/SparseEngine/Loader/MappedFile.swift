#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file; unmapped when the last reference goes away.
///
/// Weights that live in a mapped file (external data) are borrowed straight from the map.
final class MappedFile: @unchecked Sendable {
    /// The path that was mapped, for messages.
    let path: String
    /// First byte (nil for an empty file).
    let base: UnsafeMutableRawPointer?
    /// File size in bytes.
    let size: Int

    /// Maps `path` or throws `.io` naming it.
    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw EngineError(.io, "cannot open '\(path)': \(String(cString: strerror(errno))); check the path and its permissions")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw EngineError(.io, "cannot stat '\(path)': \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw EngineError(.io, "'\(path)' is not a regular file")
        }
        size = Int(st.st_size)
        if size == 0 {
            base = nil
            return
        }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw EngineError(.io, "cannot map '\(path)' (\(size) bytes): \(String(cString: strerror(errno)))")
        }
        base = p
    }

    deinit {
        if let base { munmap(base, size) }
    }
}
