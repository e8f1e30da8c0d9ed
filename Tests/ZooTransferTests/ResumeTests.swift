import Foundation
import XCTest
import ZooTestSupport
import ZooTransfer

/// Partial files: kept bytes are re-hashed and only the rest is asked for with Range, unless they prove wrong.
final class ResumeTests: XCTestCase {
    private let fixture = TransferFixture()

    private func request(_ url: String, _ name: String, _ bytes: Data) -> TransferRequest {
        TransferRequest(id: name, sources: [TransferSource(url: url)], destination: fixture.destination(name),
                        expectedSize: Int64(bytes.count), expectedSHA256: sha256(bytes))
    }

    func testResumesFromAPartialFileWithRange() throws {
        let bytes = fixture.serve("model.onnx", size: 500_000)
        let server = try FaultServer(root: fixture.served)
        let kept = 123_457
        fixture.writePartial("model.onnx", bytes.prefix(kept))
        let log = EventLog()
        let outcome = try TransferClient(options: .quick())
            .download([request("\(server.baseURL)/model.onnx", "model.onnx", bytes)], events: log.record)[0].get()

        XCTAssertEqual(outcome.resumedFrom, Int64(kept))
        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
        XCTAssertEqual(try server.requests().map(\.range), ["bytes=\(kept)-"])
        XCTAssertEqual(try server.requests().map(\.status), [206])
        XCTAssertEqual(log.starts.first?.resumedFrom, Int64(kept))
    }

    func testResumesOnNginx() throws {
        let bytes = fixture.serve("model.onnx", size: 800_000)
        let nginx = try NginxServer(root: fixture.served)
        fixture.writePartial("model.onnx", bytes.prefix(799_999))
        let outcome = try TransferClient(options: .quick())
            .download([request("\(nginx.baseURL)/model.onnx", "model.onnx", bytes)]) { _ in }[0].get()
        XCTAssertEqual(outcome.resumedFrom, 799_999)
        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
    }

    func testAWrongPartialFileIsDownloadedAgainFromTheStart() throws {
        let bytes = fixture.serve("model.onnx", size: 300_000)
        let server = try FaultServer(root: fixture.served)
        var wrong = bytes.prefix(100_000)
        wrong[wrong.startIndex + 5] ^= 0xFF
        fixture.writePartial("model.onnx", wrong)
        let log = EventLog()
        let outcome = try TransferClient(options: .quick())
            .download([request("\(server.baseURL)/model.onnx", "model.onnx", bytes)], events: log.record)[0].get()

        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
        XCTAssertEqual(outcome.resumedFrom, 0)
        XCTAssertEqual(try server.requests().map(\.range), ["bytes=100000-", nil])
        XCTAssertTrue(log.retries.first?.reason.contains("sha256") ?? false, "\(log.retries)")
    }

    func testAServerIgnoringRangeStillGivesTheRightFile() throws {
        let bytes = fixture.serve("model.onnx", size: 400_000)
        let server = try FaultServer(root: fixture.served)
        fixture.writePartial("model.onnx", bytes.prefix(150_000))
        let outcome = try TransferClient(options: .quick())
            .download([request("\(server.baseURL)/norange/model.onnx", "model.onnx", bytes)]) { _ in }[0].get()

        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
        XCTAssertEqual(outcome.resumedFrom, 0)
        let logged = try server.requests()
        XCTAssertEqual(logged.map(\.range), ["bytes=150000-"])
        XCTAssertEqual(logged.map(\.status), [200])
    }

    func testAConnectionDroppedMidBodyIsResumedUntilComplete() throws {
        let bytes = fixture.serve("model.onnx", size: 350_000)
        let server = try FaultServer(root: fixture.served)
        // Every response stops after 100,000 bytes; attempts that bring new bytes do not count against the limit.
        let outcome = try TransferClient(options: .quick(maxAttempts: 2))
            .download([request("\(server.baseURL)/drop/100000/model.onnx", "model.onnx", bytes)]) { _ in }[0].get()

        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
        XCTAssertEqual(outcome.sha256, sha256(bytes))
        XCTAssertEqual(try server.requests().map(\.range), [nil, "bytes=100000-", "bytes=200000-", "bytes=300000-"])
    }

    func testACompletePartialFileNeedsNoRequest() throws {
        let bytes = fixture.serve("model.onnx", size: 65_536)
        let server = try FaultServer(root: fixture.served)
        fixture.writePartial("model.onnx", bytes)
        let outcome = try TransferClient(options: .quick())
            .download([request("\(server.baseURL)/model.onnx", "model.onnx", bytes)]) { _ in }[0].get()
        XCTAssertEqual(outcome.resumedFrom, Int64(bytes.count))
        XCTAssertEqual(outcome.sha256, sha256(bytes))
        XCTAssertEqual(try server.requests().count, 0)
    }

    func testAPartialFileLongerThanExpectedIsDiscarded() throws {
        let bytes = fixture.serve("model.onnx", size: 10_000)
        let server = try FaultServer(root: fixture.served)
        fixture.writePartial("model.onnx", bytes + Data(count: 10))
        let outcome = try TransferClient(options: .quick())
            .download([request("\(server.baseURL)/model.onnx", "model.onnx", bytes)]) { _ in }[0].get()
        XCTAssertEqual(outcome.resumedFrom, 0)
        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
        XCTAssertEqual(try server.requests().map(\.range), [nil])
    }

    func testAPartialFileSurvivesAFailedDownload() throws {
        let bytes = fixture.serve("model.onnx", size: 10_000)
        let server = try FaultServer(root: fixture.served)
        fixture.writePartial("model.onnx", bytes.prefix(4_000))
        let error = TransferClient(options: .quick())
            .download([request("\(server.baseURL)/status/404/1/model.onnx", "model.onnx", bytes)]) { _ in }[0].failure
        XCTAssertEqual(error?.status, 404)
        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes.prefix(4_000), "kept for the next try")
    }

    func testADirectoryIsNotADestination() throws {
        let bytes = fixture.serve("model.onnx", size: 10)
        let server = try FaultServer(root: fixture.served)
        try FileManager.default.createDirectory(atPath: fixture.destination("model.onnx"), withIntermediateDirectories: true)
        let error = TransferClient(options: .quick())
            .download([request("\(server.baseURL)/model.onnx", "model.onnx", bytes)]) { _ in }[0].failure
        XCTAssertEqual(error?.code, .writeFailed)
        XCTAssertEqual(try server.requests().count, 0)
    }
}
