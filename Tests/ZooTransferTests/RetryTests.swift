import Foundation
import XCTest
import ZooTestSupport
import ZooTransfer

/// Server failures, stalls, wrong bytes and cancellation, against the fault-injecting server.
final class RetryTests: XCTestCase {
    private let fixture = TransferFixture()

    private func download(
        _ path: String, from server: FaultServer, _ bytes: Data, expectSize: Bool = true,
        options: TransferOptions = .quick(), log: EventLog = EventLog()
    ) -> Result<TransferOutcome, TransferError> {
        let request = TransferRequest(
            id: "model.onnx", sources: [TransferSource(url: "\(server.baseURL)\(path)")],
            destination: fixture.destination("model.onnx"),
            expectedSize: expectSize ? Int64(bytes.count) : nil, expectedSHA256: sha256(bytes)
        )
        return TransferClient(options: options).download([request], events: log.record)[0]
    }

    func testServerErrorsAreRetried() throws {
        let bytes = fixture.serve("model.onnx", size: 20_000)
        let server = try FaultServer(root: fixture.served)
        let log = EventLog()
        _ = try download("/status/500/2/model.onnx", from: server, bytes, log: log).get()
        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
        XCTAssertEqual(try server.requests().map(\.status), [500, 500, 200])
        XCTAssertEqual(log.retries.map(\.attempt), [2, 3])
        XCTAssertEqual(log.retries.map(\.delay), [0.01, 0.02], "the backoff doubles")
    }

    func testServerErrorsBeyondTheAttemptLimitFail() throws {
        let bytes = fixture.serve("model.onnx", size: 20_000)
        let server = try FaultServer(root: fixture.served)
        let error = download("/status/503/9/model.onnx", from: server, bytes, options: .quick(maxAttempts: 3, maxBackoff: 0.05)).failure
        XCTAssertEqual(error?.code, .http)
        XCTAssertEqual(error?.status, 503)
        XCTAssertEqual(try server.requests().count, 3)
        XCTAssertNil(fixture.contents(fixture.destination("model.onnx")), "an empty partial file is not left behind")
    }

    func testTooManyRequestsWaitsForRetryAfter() throws {
        let bytes = fixture.serve("model.onnx", size: 20_000)
        let server = try FaultServer(root: fixture.served)
        let log = EventLog()
        let start = Date()
        _ = try download("/status/429/1/model.onnx", from: server, bytes, log: log).get()
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(log.retries.map(\.delay), [1], "Retry-After: 1 replaces the 0.01 s backoff")
        XCTAssertGreaterThanOrEqual(elapsed, 0.95)
        XCTAssertLessThan(elapsed, 3)
        XCTAssertEqual(try server.requests().map(\.status), [429, 200])
    }

    func testRetryAfterIsCappedByTheLongestBackoff() throws {
        let bytes = fixture.serve("model.onnx", size: 20_000)
        let server = try FaultServer(root: fixture.served)
        let log = EventLog()
        _ = try download("/status/429/1/model.onnx", from: server, bytes, options: .quick(maxBackoff: 0.2), log: log).get()
        XCTAssertEqual(log.retries.map(\.delay), [0.2])
    }

    func testAStalledTransferTimesOutAndResumes() throws {
        let bytes = fixture.serve("model.onnx", size: 200_000)
        let server = try FaultServer(root: fixture.served)
        let log = EventLog()
        let start = Date()
        // The first response sends half the body, then nothing for 8 s.
        _ = try download("/stall/8/model.onnx", from: server, bytes, options: .quick(stallTimeout: 1), log: log).get()
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
        XCTAssertLessThan(elapsed, 5, "the stall was not cut short")
        XCTAssertEqual(log.retries.count, 1)
        XCTAssertTrue(log.retries.first?.reason.contains("timed out") ?? false, "\(log.retries)")
        XCTAssertEqual(try server.requests().map(\.range), [nil, "bytes=100000-"])
    }

    func testACorruptFileFailsWithDigestMismatchAndLeavesNothing() throws {
        let bytes = fixture.serve("model.onnx", size: 100_000)
        let server = try FaultServer(root: fixture.served)
        let log = EventLog()
        let error = download("/corrupt/model.onnx", from: server, bytes, log: log).failure
        XCTAssertEqual(error?.code, .digestMismatch)
        XCTAssertTrue(error?.message.contains(sha256(bytes)) ?? false, error?.message ?? "")
        XCTAssertNil(fixture.contents(fixture.destination("model.onnx")))
        XCTAssertEqual(try server.requests().count, 2, "downloaded once more from the start, then given up")
        guard case .failed(_, let reported) = log.events.last else { return XCTFail("no failed event") }
        XCTAssertEqual(reported.code, .digestMismatch)
    }

    func testALengthLongerThanTheBodyIsCaughtBySize() throws {
        let bytes = fixture.serve("model.onnx", size: 50_000)
        let server = try FaultServer(root: fixture.served)
        let error = download("/truncate/model.onnx", from: server, bytes).failure
        XCTAssertEqual(error?.code, .sizeMismatch)
        XCTAssertNil(fixture.contents(fixture.destination("model.onnx")))
        XCTAssertEqual(try server.requests().count, 1)
    }

    func testALengthLongerThanTheBodyNeverPassesForComplete() throws {
        let bytes = fixture.serve("model.onnx", size: 50_000)
        let server = try FaultServer(root: fixture.served)
        // Without an expected size the body always ends early: each attempt is a network error until the limit.
        let error = download("/truncate/model.onnx", from: server, bytes, expectSize: false,
                             options: .quick(maxAttempts: 3, maxBackoff: 0.05)).failure
        XCTAssertEqual(error?.code, .network)
        // The whole body, then a resume the server refuses (416), then the whole body again: no new bytes.
        XCTAssertEqual(try server.requests().map(\.range), [nil, "bytes=50000-", nil])
        XCTAssertEqual(try server.requests().map(\.status), [200, 416, 200])
    }

    func testCancellationStopsAndKeepsThePartialFile() throws {
        let bytes = fixture.serve("model.onnx", size: 200_000)
        let server = try FaultServer(root: fixture.served)
        let request = TransferRequest(id: "model.onnx", sources: [TransferSource(url: "\(server.baseURL)/stall/10/model.onnx")],
                                      destination: fixture.destination("model.onnx"), expectedSize: Int64(bytes.count))
        let client = TransferClient(options: .quick(stallTimeout: 30))
        let cancellation = client.cancellation
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { cancellation.cancel() }
        let start = Date()
        let error = client.download([request]) { _ in }[0].failure
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
        XCTAssertEqual(error?.code, .cancelled)
        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes.prefix(100_000))
    }
}
