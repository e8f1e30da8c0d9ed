import Foundation

/// The content-addressed files under `blobs/sha256/`: installed by rename from a verified partial download,
/// read-only from then on, linked (not copied) into model directories.
struct BlobStore {
    let layout: StoreLayout

    /// Whether the blob is on disk with the expected size.
    func contains(_ sha256: String, size: Int64?) -> Bool {
        var info = stat()
        guard stat(layout.blob(sha256).path, &info) == 0 else { return false }
        return size.map { Int64(info.st_size) == $0 } ?? true
    }

    /// Moves a verified download into place as blob `sha256`, read-only. If the blob is already there (another
    /// model brought the same bytes), the download is dropped.
    func install(_ partial: URL, sha256: String) throws {
        let target = layout.blob(sha256)
        guard fsyncFile(partial.path) else {
            throw StoreError(.io, "cannot flush \(partial.path) to disk: \(String(cString: strerror(errno)))")
        }
        chmod(partial.path, 0o444)
        if contains(sha256, size: nil) {
            unlink(partial.path)
            return
        }
        guard rename(partial.path, target.path) == 0 else {
            throw StoreError(.io, "cannot install blob \(sha256): \(String(cString: strerror(errno)))")
        }
        _ = fsyncFile(layout.blobs.path)
    }

    /// Makes `path` name blob `sha256`: a hard link, or a copy where the file system refuses links.
    func link(_ sha256: String, to path: URL) throws {
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        if Foundation.link(layout.blob(sha256).path, path.path) == 0 { return }
        do {
            try FileManager.default.copyItem(at: layout.blob(sha256), to: path)
        } catch {
            throw StoreError(.io, "cannot place \(path.lastPathComponent) in \(path.deletingLastPathComponent().path): \(error.localizedDescription)")
        }
    }

    /// Removes the blob file.
    func remove(_ sha256: String) {
        let path = layout.blob(sha256).path
        chmod(path, 0o644)
        unlink(path)
    }

    private func fsyncFile(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return fsync(fd) == 0
    }
}
