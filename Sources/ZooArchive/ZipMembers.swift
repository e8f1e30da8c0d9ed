import CArchive
import Foundation

/// One member of a zip file, read into memory.
public struct ZipMember: Sendable {
    /// The member's name as stored in the zip (e.g. `input_ids.npy`).
    public let name: String
    /// The member's uncompressed bytes.
    public let data: Data
}

/// Reads the regular-file members of a zip file into memory, in archive order: the `.npy` arrays of a
/// NumPy `.npz` file, stored or deflated. Only the zip format is enabled, and the bytes read are
/// capped so that a hostile or mistaken file cannot exhaust memory.
public enum ZipMembers {
    /// Reads every regular-file member of the zip at `path`; directories are skipped. Throws
    /// `ArchiveError` `.unreadable` when the file is not a readable zip and `.expansionLimit` when the
    /// members together exceed `maxTotalBytes` (default 4 GiB).
    public static func read(path: String, maxTotalBytes: Int = 4 << 30) throws -> [ZipMember] {
        guard let handle = archive_read_new() else {
            throw ArchiveError(.unreadable, "cannot read \(path): libarchive is out of memory")
        }
        defer { archive_read_free(handle) }
        archive_read_support_format_zip(handle)
        func failure(_ entry: String? = nil) -> ArchiveError {
            let reason = archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
            let subject = entry.map { "member \($0) of \(path)" } ?? path
            return ArchiveError(.unreadable, entry: entry, "cannot read \(subject) as a zip file (\(reason)); check that it is a complete .npz or .zip file")
        }
        guard archive_read_open_filename(handle, path, 64 * 1024) == ARCHIVE_OK else { throw failure() }
        var members: [ZipMember] = []
        var total = 0
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(handle, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else { throw failure() }
            let name = archive_entry_pathname_utf8(entry).map { String(cString: $0) } ?? ""
            guard archive_entry_filetype(entry) & CArchive_IFMT == CArchive_IFREG else { continue }
            var data = Data()
            if archive_entry_size_is_set(entry) != 0 {
                data.reserveCapacity(Int(clamping: min(archive_entry_size(entry), Int64(maxTotalBytes - total))))
            }
            var buffer = [UInt8](repeating: 0, count: 256 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
                if count == 0 { break }
                guard count > 0 else { throw failure(name) }
                total += count
                guard total <= maxTotalBytes else {
                    throw ArchiveError(.expansionLimit, entry: name, "the members of \(path) hold more than \(maxTotalBytes) bytes, more than zoo reads into memory; split the inputs into smaller files")
                }
                data.append(contentsOf: buffer[0..<count])
            }
            members.append(ZipMember(name: name, data: data))
        }
        return members
    }
}
