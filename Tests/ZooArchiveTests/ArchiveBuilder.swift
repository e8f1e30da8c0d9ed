import CArchive
import Foundation

/// Writes archives entry by entry with libarchive's write API, so tests can build any archive, hostile
/// ones included, without checked-in binaries.
final class ArchiveBuilder {
    /// The container and compression to write.
    enum Format {
        case tar, tarGzip, tarXz, tarZstd, zip
    }

    private let handle: OpaquePointer

    /// Writes the archive `path` in `format`: `body` adds the entries.
    static func write(_ path: String, format: Format = .tarGzip, _ body: (ArchiveBuilder) throws -> Void) throws {
        let builder = try ArchiveBuilder(path: path, format: format)
        try body(builder)
        try builder.check(archive_write_close(builder.handle))
    }

    private init(path: String, format: Format) throws {
        handle = archive_write_new()
        switch format {
        case .zip:
            try check(archive_write_set_format_zip(handle))
        case .tar, .tarGzip, .tarXz, .tarZstd:
            try check(archive_write_set_format_pax_restricted(handle))
        }
        switch format {
        case .tarGzip: try check(archive_write_add_filter_gzip(handle))
        case .tarXz: try check(archive_write_add_filter_xz(handle))
        case .tarZstd: try check(archive_write_add_filter_zstd(handle))
        case .tar, .zip: break
        }
        try check(archive_write_open_filename(handle, path))
    }

    deinit { archive_write_free(handle) }

    /// Adds a regular file holding `contents`.
    func file(_ name: String, _ contents: [UInt8], mode: mode_t = 0o644) throws {
        try add(name, type: CArchive_IFREG, mode: mode, size: Int64(contents.count))
        try contents.withUnsafeBytes { try writeData($0) }
    }

    /// Adds a regular file holding `count` zero bytes, written a mebibyte at a time.
    func file(_ name: String, zeros count: Int64, declaring declared: Int64? = nil) throws {
        try add(name, type: CArchive_IFREG, mode: 0o644, size: declared ?? count)
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        var left = count
        while left > 0 {
            let piece = Int(min(left, Int64(chunk.count)))
            try chunk.withUnsafeBytes { try writeData(UnsafeRawBufferPointer(rebasing: $0[..<piece])) }
            left -= Int64(piece)
        }
    }

    /// Adds a directory.
    func directory(_ name: String) throws {
        try add(name, type: CArchive_IFDIR, mode: 0o755, size: 0)
    }

    /// Adds a symbolic link to `target`.
    func symbolicLink(_ name: String, to target: String) throws {
        try add(name, type: CArchive_IFLNK, mode: 0o777, size: 0) { archive_entry_set_symlink($0, target) }
    }

    /// Adds a hard link repeating the entry `target`.
    func hardLink(_ name: String, to target: String) throws {
        try add(name, type: CArchive_IFREG, mode: 0o644, size: 0) { archive_entry_set_hardlink($0, target) }
    }

    /// Adds an entry of a special `type` (`CArchive_IFIFO`, `CArchive_IFCHR`, …).
    func special(_ name: String, type: mode_t) throws {
        try add(name, type: type, mode: 0o644, size: 0) { archive_entry_set_rdevmajor($0, 1) }
    }

    private func add(_ name: String, type: mode_t, mode: mode_t, size: Int64, _ configure: (OpaquePointer) -> Void = { _ in }) throws {
        let entry = archive_entry_new()!
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        archive_entry_set_filetype(entry, UInt32(type))
        archive_entry_set_perm(entry, mode)
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, 1_700_000_000, 0)
        configure(entry)
        try check(archive_write_header(handle, entry))
    }

    private func writeData(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        if archive_write_data(handle, bytes.baseAddress, bytes.count) != bytes.count { try check(ARCHIVE_FATAL) }
    }

    private func check(_ status: Int32) throws {
        guard status == ARCHIVE_OK else {
            let detail = archive_error_string(handle).map { String(cString: $0) } ?? "status \(status)"
            throw ArchiveBuilderError(message: "libarchive cannot write the test archive: \(detail)")
        }
    }
}

/// libarchive refused to write a test archive.
struct ArchiveBuilderError: Error {
    let message: String
}

/// Bytes that look random but are the same on every run (SplitMix64).
func deterministicBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt8(truncatingIfNeeded: z ^ (z >> 31))
    }
}
