import CArchive
import Foundation

/// One pass over an archive file with libarchive: each entry's header in order, then its data in blocks.
/// Memory stays constant whatever the entry sizes: data is handed over in libarchive's own buffers.
final class ArchiveReader {
    private let handle: OpaquePointer
    /// The archive file.
    let path: String
    /// The size of the archive file, the denominator of the expansion ratio.
    let archiveBytes: Int64
    /// The name of the entry whose header was read last, for messages.
    private var currentEntry: String?

    /// Opens `path`, detecting the compression and the format from its bytes.
    init(path: String) throws {
        self.path = path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber else {
            throw ArchiveError(.unreadable, "cannot read the archive \(path): no such file, or it is not readable")
        }
        archiveBytes = size.int64Value
        guard let handle = archive_read_new() else {
            throw ArchiveError(.unreadable, "cannot read the archive \(path): libarchive is out of memory")
        }
        self.handle = handle
        Self.enableFiltersAndFormats(handle)
        if archive_read_open_filename(handle, path, 64 * 1024) != ARCHIVE_OK {
            throw failure()
        }
    }

    deinit { archive_read_free(handle) }

    /// Compressions and formats, chosen by name rather than with the `_all` calls: those would also enable
    /// `mtree` (a text format whose entries can name local files, which libarchive then reads into the
    /// extraction), `raw` (any compressed byte stream as one file) and `empty` (a zero-byte file as an
    /// empty archive; for zoo that is a truncated download), plus filters that run external programs.
    private static func enableFiltersAndFormats(_ handle: OpaquePointer) {
        for enable in [
            archive_read_support_filter_gzip, archive_read_support_filter_bzip2, archive_read_support_filter_xz,
            archive_read_support_filter_lzma, archive_read_support_filter_lzip, archive_read_support_filter_zstd,
            archive_read_support_filter_lz4, archive_read_support_filter_compress,
            archive_read_support_format_tar, archive_read_support_format_zip, archive_read_support_format_7zip,
            archive_read_support_format_cpio, archive_read_support_format_ar, archive_read_support_format_rar,
            archive_read_support_format_rar5, archive_read_support_format_iso9660, archive_read_support_format_xar,
            archive_read_support_format_cab, archive_read_support_format_lha,
        ] {
            // ARCHIVE_WARN here only means a filter is done by an external program; such an archive then
            // fails to read if the program is missing, with libarchive's message.
            _ = enable(handle)
        }
    }

    /// The next entry's header, or nil after the last one.
    func nextHeader() throws -> ArchiveHeader? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else { throw failure() }
        currentEntry = nil
        let header = try ArchiveHeader(entry)
        currentEntry = header.name
        return header
    }

    /// Hands `body` each block of the current entry's data with its offset in the file, in order.
    func readData(_ body: (_ offset: Int64, _ block: UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            var buffer: UnsafeRawPointer?
            var size = 0
            var offset: Int64 = 0
            let status = archive_read_data_block(handle, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else { throw failure() }
            if size > 0, let buffer {
                try body(offset, UnsafeRawBufferPointer(start: buffer, count: size))
            }
        }
    }

    private func failure() -> ArchiveError {
        let detail = archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
        let place = currentEntry.map { " at the entry \($0)" } ?? ""
        return ArchiveError(
            .unreadable, entry: currentEntry,
            "cannot read the archive \(path)\(place): \(detail); the file is truncated, corrupt or not an archive, so download it again"
        )
    }
}
