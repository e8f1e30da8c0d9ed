import Foundation

/// Free bytes on the file system that holds a path, as an unprivileged process may use them.
enum FreeSpace {
    static func available(at path: String) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
