import Foundation

/// The daemon's Unix socket file: refused when another daemon answers on it, replaced when stale, bound in a
/// private directory and moved into place only once its mode is 0600, so no other user can connect even briefly.
struct UnixSocket: Sendable {
    /// Where clients find it (`$ZOO_HOME/zoo.sock`).
    let path: String
    /// Where it is bound first: `<dir of path>/.zoo-serve-<pid>/s` (mode 0700).
    let bindPath: String

    init(path: String) {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(".zoo-serve-\(getpid())")
        bindPath = directory.appendingPathComponent("s").path
    }

    /// Checks that no daemon serves `path`, removes a stale socket, and creates the private directory.
    func prepare() throws {
        guard path.utf8.count < 104, bindPath.utf8.count < 104 else {
            throw ServerError(.invalidConfiguration, "the socket path \(path) is too long for a Unix socket; choose a shorter ZOO_HOME or --socket")
        }
        if FileManager.default.fileExists(atPath: path) {
            if Self.answers(path) {
                throw ServerError(.alreadyRunning, "a zoo daemon already listens on \(path); stop it first (it exits on SIGTERM)")
            }
            unlink(path)
        }
        let directory = URL(fileURLWithPath: bindPath).deletingLastPathComponent()
        try? FileManager.default.removeItem(at: directory)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ServerError(.cannotListen, "cannot create \(directory.path) for the socket: \(error.localizedDescription)")
        }
    }

    /// Makes the bound socket 0600 and moves it to `path`.
    func publish() throws {
        guard chmod(bindPath, 0o600) == 0, rename(bindPath, path) == 0 else {
            throw ServerError(.cannotListen, "cannot put the socket in place at \(path): \(String(cString: strerror(errno)))")
        }
        rmdir(URL(fileURLWithPath: bindPath).deletingLastPathComponent().path)
    }

    /// Removes the socket file and the private directory.
    func remove() {
        unlink(path)
        unlink(bindPath)
        rmdir(URL(fileURLWithPath: bindPath).deletingLastPathComponent().path)
    }

    /// Whether something accepts connections on the socket at `path`.
    static func answers(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }
}
