import Foundation

/// Writes entries under a root directory without ever following a symbolic link: every directory on the way
/// is opened with `O_NOFOLLOW` relative to its parent, and files are created with `O_EXCL | O_NOFOLLOW`, so a
/// link written by an earlier entry cannot redirect a later one.
final class TreeWriter {
    private let root: Int32

    /// Opens the directory at `path`, which the caller created and owns.
    init(root path: String) throws {
        root = try retryingInterrupts("open the directory \(path)", entry: nil) {
            open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
    }

    deinit { close(root) }

    /// Creates the directory `path` (and any missing parents) with mode 0755.
    func makeDirectory(_ path: EntryPath, entry: String) throws {
        close(try openDirectory(path.components[...], creating: true, entry: entry))
    }

    /// Creates the new file `path` with mode 0644, or 0755 when `executable`, for its data to be written.
    func createFile(_ path: EntryPath, executable: Bool, entry: String) throws -> FileSink {
        try inParent(of: path, entry: entry) { parent, name in
            let descriptor = try retryingInterrupts("create \(entry)", entry: entry) {
                openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            }
            let sink = FileSink(descriptor: descriptor, entry: entry)
            try retryingInterrupts("set the mode of \(entry)", entry: entry) { fchmod(descriptor, executable ? 0o755 : 0o644) }
            return sink
        }
    }

    /// Creates the symbolic link `path` pointing to `target`.
    func makeSymbolicLink(_ path: EntryPath, target: String, entry: String) throws {
        try inParent(of: path, entry: entry) { parent, name in
            try retryingInterrupts("create the symbolic link \(entry)", entry: entry) { symlinkat(target, parent, name) }
        }
    }

    /// Creates `path` as another name of the existing file `target`.
    func makeHardLink(_ path: EntryPath, to target: EntryPath, entry: String) throws {
        try inParent(of: target, entry: entry) { targetParent, targetName in
            try inParent(of: path, entry: entry) { parent, name in
                try retryingInterrupts("create the hard link \(entry)", entry: entry) {
                    linkat(targetParent, targetName, parent, name, 0)
                }
            }
        }
    }

    /// Flushes every directory in `directories` (deepest first), then the root, to the disk.
    func syncDirectories(_ directories: [EntryPath]) throws {
        for directory in directories {
            let descriptor = try openDirectory(directory.components[...], creating: false, entry: nil)
            defer { close(descriptor) }
            try retryingInterrupts("flush the directory \(directory.string) to the disk", entry: nil) { fsync(descriptor) }
        }
        try retryingInterrupts("flush the extracted tree to the disk", entry: nil) { fsync(root) }
    }

    /// Runs `body` with the open parent directory of `path` (created if missing) and the last component's name.
    @discardableResult
    private func inParent<T>(of path: EntryPath, entry: String, _ body: (Int32, String) throws -> T) throws -> T {
        let parent = try openDirectory(path.components.dropLast(), creating: true, entry: entry)
        defer { if parent != root { close(parent) } }
        return try body(parent, path.components[path.components.count - 1])
    }

    /// Opens the directory `components` below the root one component at a time, refusing to follow links,
    /// creating missing ones with mode 0755 when `creating`. Returns the root itself for no components.
    private func openDirectory(_ components: ArraySlice<String>, creating: Bool, entry: String?) throws -> Int32 {
        var current = root
        for component in components {
            let action = "open the directory \(component) for \(entry ?? "the extracted tree")"
            var created = false
            if creating {
                if mkdirat(current, component, 0o700) == 0 {
                    created = true
                } else if errno != EEXIST {
                    let code = errno
                    if current != root { close(current) }
                    throw ArchiveError.writing(action, entry: entry, errno: code)
                }
            }
            let parent = current
            defer { if parent != root { close(parent) } }
            current = try retryingInterrupts(action, entry: entry) {
                openat(parent, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if created {
                let opened = current
                do {
                    try retryingInterrupts(action, entry: entry) { fchmod(opened, 0o755) }
                } catch {
                    close(opened)
                    throw error
                }
            }
        }
        return current
    }
}
