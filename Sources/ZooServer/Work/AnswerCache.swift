import Foundation
import Hummingbird
import ZooCatalog

/// Catalog answers (the bodies of resolve, show and search) kept while the catalog is unchanged, shared by
/// every request so that a repeated question needs no worker thread. Requests that ask the same question at once
/// while it is not kept wait for one computation instead of each making their own (the first burst after a start
/// asks most questions many times over). One connection of its own, used under a lock, reads
/// `PRAGMA data_version`, which moves whenever any other connection (a worker thread, another zoo process)
/// commits; then the answers are dropped.
final class AnswerCache: @unchecked Sendable {
    private let lock = NSLock()
    private let path: String
    private var probe: Database?
    private var version: Int64 = -1
    private var answers: [String: ByteBuffer] = [:]
    private var computing: [String: Task<ByteBuffer, any Error>] = [:]
    private let capacity: Int

    /// A cache of the catalog at `path`.
    init(path: String, capacity: Int = 20_000) {
        self.path = path
        self.capacity = capacity
    }

    /// The answer kept for `key` if the catalog has not changed since it was computed; else `compute`'s (one line
    /// of JSON), computed once for all who ask meanwhile and kept. The answer ends with a newline.
    func answer(_ key: String, compute: @escaping @Sendable () async throws -> String) async throws -> ByteBuffer {
        enum Step {
            case kept(ByteBuffer)
            case wait(Task<ByteBuffer, any Error>)
        }
        let step: Step = lock.withLock {
            let now = currentVersion()
            if now != version {
                answers.removeAll(keepingCapacity: true)
                computing.removeAll()
                version = now
            }
            if let kept = answers[key] { return .kept(kept) }
            if let running = computing[key] { return .wait(running) }
            let task = Task { try await self.compute(key, version: now, compute) }
            if now >= 0 { computing[key] = task }
            return .wait(task)
        }
        switch step {
        case .kept(let answer): return answer
        case .wait(let task): return try await task.value
        }
    }

    /// Computes an answer and keeps it unless the catalog moved on meanwhile (or cannot be read: `version` -1).
    private func compute(_ key: String, version: Int64, _ compute: () async throws -> String) async throws -> ByteBuffer {
        let text: String
        do {
            text = try await compute()
        } catch {
            lock.withLock { if version == self.version { computing[key] = nil } }
            throw error
        }
        var answer = ByteBuffer(string: text)
        if !text.hasSuffix("\n") { answer.writeString("\n") }
        lock.withLock {
            guard version == self.version else { return }
            computing[key] = nil
            guard version >= 0 else { return }
            if answers.count >= capacity { answers.removeAll(keepingCapacity: true) }
            answers[key] = answer
        }
        return answer
    }

    /// `PRAGMA data_version` on the cache's own connection (a statement prepared once); -1 when the catalog
    /// cannot be read, and then nothing is kept.
    private func currentVersion() -> Int64 {
        if probe == nil { probe = try? Database(path: path) }
        guard let value = try? probe?.row("PRAGMA data_version")?.int(0) else {
            probe = nil
            return -1
        }
        return Int64(value)
    }
}
