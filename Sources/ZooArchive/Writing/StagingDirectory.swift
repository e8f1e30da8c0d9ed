import Foundation

/// The hidden sibling of the destination that an archive is extracted into. It is renamed to the destination
/// only once everything in it is good and on the disk, so the destination is either complete or absent.
final class StagingDirectory {
    /// Where the extracted tree is being written: `<parent>/.<name>.extracting-<uuid>`, with the name cut to
    /// 100 bytes so the whole stays within the 255 bytes a file name may have.
    let path: String
    private let destination: String
    private let parent: String

    /// Creates the staging directory for `destination`, which must not exist yet while its parent must.
    init(for destination: String) throws {
        let url = URL(fileURLWithPath: destination).standardizedFileURL
        self.destination = url.path
        parent = url.deletingLastPathComponent().path
        let shortName = String(decoding: url.lastPathComponent.utf8.prefix(100), as: UTF8.self)
        path = "\(parent)/.\(shortName).extracting-\(UUID().uuidString)"
        try Self.requireAbsent(self.destination)
        try retryingInterrupts("create a temporary directory beside \(self.destination) (its parent directory must exist and be writable)", entry: nil) {
            mkdir(path, 0o700)
        }
    }

    /// Moves the tree (or its `subdirectory`, when a shared top directory is stripped) to the destination and
    /// makes the move durable; if that last step fails, the destination is removed again. `rename` never
    /// replaces a non-empty directory, so a concurrent extraction to the same destination fails instead of
    /// mixing two trees.
    func commit(subdirectory: String?) throws {
        let source = subdirectory.map { "\(path)/\($0)" } ?? path
        try retryingInterrupts("set the mode of \(destination)", entry: nil) { chmod(source, 0o755) }
        try Self.requireAbsent(destination)
        try retryingInterrupts("move the extracted tree to \(destination)", entry: nil) { rename(source, destination) }
        if subdirectory != nil { rmdir(path) }
        do {
            try Self.sync(directory: parent)
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw error
        }
    }

    private static func sync(directory path: String) throws {
        let directory = try retryingInterrupts("open \(path)", entry: nil) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(directory) }
        try retryingInterrupts("flush \(path) to the disk", entry: nil) { fsync(directory) }
    }

    /// Removes the staging directory and everything in it (links are removed, never followed).
    func discard() {
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func requireAbsent(_ destination: String) throws {
        var status = stat()
        if lstat(destination, &status) == 0 {
            throw ArchiveError(.writeFailed, "cannot extract into \(destination): it already exists; remove it or choose another destination")
        }
    }
}
