import Foundation
import ZooCatalog

/// Catalog answers (the bodies of resolve, show and search) kept while the catalog is unchanged, shared by
/// every request so that a repeated question needs no worker thread. One connection of its own, used under a
/// lock, reads `PRAGMA data_version`, which moves whenever any other connection (a worker thread, another zoo
/// process) commits; then the answers are dropped.
final class AnswerCache: @unchecked Sendable {
    private let lock = NSLock()
    private let path: String
    private var probe: Database?
    private var version: Int64 = -1
    private var answers: [String: String] = [:]
    private let capacity: Int

    /// A cache of the catalog at `path`.
    init(path: String, capacity: Int = 20_000) {
        self.path = path
        self.capacity = capacity
    }

    /// The answer kept for `key`, if the catalog has not changed since; and the catalog's version now, to hand
    /// back to ``keep(_:_:version:)`` with an answer computed from here on.
    func lookup(_ key: String) -> (answer: String?, version: Int64) {
        lock.withLock {
            guard let now = currentVersion() else { return (nil, -1) }
            if now != version {
                answers.removeAll(keepingCapacity: true)
                version = now
            }
            return (answers[key], now)
        }
    }

    /// Keeps `answer`, computed after a ``lookup(_:)`` that returned `version`, unless the catalog moved on since.
    func keep(_ key: String, _ answer: String, version: Int64) {
        lock.withLock {
            guard version == self.version, version >= 0 else { return }
            if answers.count >= capacity { answers.removeAll(keepingCapacity: true) }
            answers[key] = answer
        }
    }

    /// `PRAGMA data_version` on the cache's own connection; nil when the catalog cannot be read (nothing is kept).
    private func currentVersion() -> Int64? {
        if probe == nil { probe = try? Database(path: path) }
        guard let value = try? probe?.row("PRAGMA data_version")?.int(0) else {
            probe = nil
            return nil
        }
        return Int64(value)
    }
}
