import Foundation

/// A small tmpfs mounted for one test, to make a disk fill up for real. Needs the right to mount (root or
/// CAP_SYS_ADMIN), which the CI machines have; without it the test fails saying so.
final class SmallDisk {
    /// The mount point.
    let url: URL

    init(megabytes: Int) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", url.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: url)
            throw MountFailed(message: "cannot mount a \(megabytes) MB tmpfs at \(url.path) (the full-disk test needs root or CAP_SYS_ADMIN)")
        }
    }

    /// Unmounts and deletes the mount point.
    func remove() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [url.path]
        try? process.run()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: url)
    }

    struct MountFailed: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
