import Foundation
import ZooCatalog

/// The pulls the daemon has started and not finished, kept in `$ZOO_HOME/serve/pulls.json` so that pulls
/// interrupted by SIGTERM (or a crash) are started again, resuming their partial files, when the daemon restarts.
final class PullJournal: @unchecked Sendable {
    private let file: URL
    private let lock = NSLock()

    init(home: ZooHome) {
        file = home.url.appendingPathComponent("serve/pulls.json")
    }

    /// The pulls recorded as unfinished.
    func unfinished() -> [PullRequest] {
        lock.withLock { read() }
    }

    /// Records that `request` started.
    func started(_ request: PullRequest) {
        lock.withLock {
            var requests = read()
            guard !requests.contains(request) else { return }
            requests.append(request)
            write(requests)
        }
    }

    /// Records that `request` ended (done or failed for good).
    func ended(_ request: PullRequest) {
        lock.withLock {
            let requests = read()
            let remaining = requests.filter { $0 != request }
            if remaining.count != requests.count { write(remaining) }
        }
    }

    private func read() -> [PullRequest] {
        guard let data = try? Data(contentsOf: file) else { return [] }
        return (try? JSONDecoder().decode([PullRequest].self, from: data)) ?? []
    }

    private func write(_ requests: [PullRequest]) {
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        if let data = try? JSONEncoder().encode(requests) { try? data.write(to: file, options: .atomic) }
    }
}
