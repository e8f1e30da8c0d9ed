import Foundation
import XCTest
import ZooDigest
import ZooTestSupport
import ZooTransfer

/// Files to serve, a place to download them to, and the events a download reported.
final class TransferFixture {
    let directory = TemporaryDirectory()
    /// The directory the servers serve.
    let served: URL

    init() {
        served = directory.url.appendingPathComponent("served")
        try! FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(at: directory.url.appendingPathComponent("downloads"), withIntermediateDirectories: true)
    }

    /// Writes `size` random bytes to `name` under the served directory and returns them.
    @discardableResult
    func serve(_ name: String, size: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<(size + 7) / 8).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64, Array.init) }.prefix(size))
        try! bytes.write(to: served.appendingPathComponent(name))
        return bytes
    }

    /// A destination path for a download named `name`.
    func destination(_ name: String) -> String { directory.path("downloads/\(name)") }

    /// Leaves `bytes` in the destination of `name`, as an earlier, interrupted download would.
    func writePartial(_ name: String, _ bytes: Data) {
        try! bytes.write(to: URL(fileURLWithPath: destination(name)))
    }

    /// The bytes at `path`, or nil if there is no file.
    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
}

/// Keeps every event of a download.
final class EventLog {
    private(set) var events: [TransferEvent] = []

    func record(_ event: TransferEvent) { events.append(event) }

    var retries: [(attempt: Int, delay: Double, reason: String)] {
        events.compactMap { if case .retrying(_, let attempt, let delay, let reason) = $0 { (attempt, delay, reason) } else { nil } }
    }

    var starts: [(url: String, resumedFrom: Int64, total: Int64?)] {
        events.compactMap { if case .started(_, let url, let resumedFrom, let total) = $0 { (url, resumedFrom, total) } else { nil } }
    }

    var progress: [Int64] {
        events.compactMap { if case .progress(_, let bytes, _) = $0 { bytes } else { nil } }
    }
}

extension TransferOptions {
    /// Options for tests: retries come quickly so that the suite stays fast.
    static func quick(maxAttempts: Int = 5, stallTimeout: Double = 10, maxParallel: Int = 4, maxBackoff: Double = 5) -> TransferOptions {
        TransferOptions(
            maxParallel: maxParallel, maxAttempts: maxAttempts, initialBackoff: 0.01, maxBackoff: maxBackoff,
            connectTimeout: 5, stallTimeout: stallTimeout, userAgent: "zoo-tests"
        )
    }
}

extension Result {
    /// The error of a failure, or nil.
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}

/// The sha256 of `data` in lowercase hex.
func sha256(_ data: Data) -> String { SHA256.hex(of: data) }
