import Foundation

extension ArchiveError {
    /// The error for a system call that failed with `code` while `action` (e.g. "write the file x").
    /// A full disk or an exhausted quota is `diskFull`; anything else is `writeFailed`.
    static func writing(_ action: String, entry: String?, errno code: Int32) -> ArchiveError {
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT {
            return ArchiveError(.diskFull, entry: entry, "cannot \(action): \(reason); free some disk space (for example with `zoo gc`) and try again")
        }
        return ArchiveError(.writeFailed, entry: entry, "cannot \(action): \(reason)")
    }
}

/// Runs a system call until it is not interrupted, throwing with `errno` when it fails (returns -1).
@discardableResult
func retryingInterrupts<T: BinaryInteger>(
    _ action: @autoclosure () -> String, entry: String?, _ call: () -> T
) throws -> T {
    while true {
        let result = call()
        if result != -1 { return result }
        if errno != EINTR { throw ArchiveError.writing(action(), entry: entry, errno: errno) }
    }
}
