import Foundation
import XCTest
import ZooTestSupport
import ZooTransfer

/// Mirrors, redirects and credentials.
final class SourceTests: XCTestCase {
    private let fixture = TransferFixture()

    private func request(_ sources: [TransferSource], _ bytes: Data) -> TransferRequest {
        TransferRequest(id: "model.onnx", sources: sources, destination: fixture.destination("model.onnx"),
                        expectedSize: Int64(bytes.count), expectedSHA256: sha256(bytes))
    }

    func testAMissingFileMovesOnToTheNextMirrorAtOnce() throws {
        let bytes = fixture.serve("model.onnx", size: 30_000)
        let server = try FaultServer(root: fixture.served)
        let nginx = try NginxServer(root: fixture.served)
        let log = EventLog()
        let sources = [TransferSource(url: "\(server.baseURL)/elsewhere/model.onnx"), TransferSource(url: "\(nginx.baseURL)/model.onnx")]
        let outcome = try TransferClient(options: .quick()).download([request(sources, bytes)], events: log.record)[0].get()
        XCTAssertEqual(outcome.url, "\(nginx.baseURL)/model.onnx")
        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
        XCTAssertEqual(try server.requests().map(\.status), [404], "a 404 is not retried")
        XCTAssertTrue(log.retries.first?.reason.contains("404") ?? false, "\(log.retries)")
    }

    func testADeadMirrorIsRetriedThenLeftForTheNext() throws {
        let bytes = fixture.serve("model.onnx", size: 30_000)
        let nginx = try NginxServer(root: fixture.served)
        let dead = try LoopbackPort.unused()
        let log = EventLog()
        let sources = [TransferSource(url: "http://127.0.0.1:\(dead)/model.onnx"), TransferSource(url: "\(nginx.baseURL)/model.onnx")]
        let outcome = try TransferClient(options: .quick(maxAttempts: 2)).download([request(sources, bytes)], events: log.record)[0].get()
        XCTAssertEqual(outcome.url, "\(nginx.baseURL)/model.onnx")
        XCTAssertEqual(log.retries.map(\.attempt), [2, 1], "one retry on the dead mirror, then the first attempt on the next")
        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
    }

    func testWhenEveryMirrorFailsTheErrorNamesThemAll() throws {
        let bytes = fixture.serve("model.onnx", size: 30_000)
        let server = try FaultServer(root: fixture.served)
        let sources = [TransferSource(url: "\(server.baseURL)/gone/model.onnx"), TransferSource(url: "\(server.baseURL)/corrupt/model.onnx")]
        let error = TransferClient(options: .quick()).download([request(sources, bytes)]) { _ in }[0].failure
        XCTAssertEqual(error?.code, .digestMismatch)
        XCTAssertTrue(error?.message.contains("/gone/model.onnx") ?? false, error?.message ?? "")
    }

    func testAMirrorContinuesFromTheBytesAnotherOneSent() throws {
        let bytes = fixture.serve("model.onnx", size: 300_000)
        let server = try FaultServer(root: fixture.served)
        let sources = [TransferSource(url: "\(server.baseURL)/drop/120000/model.onnx"), TransferSource(url: "\(server.baseURL)/model.onnx")]
        // One attempt per source: the first mirror breaks off, the second sends the rest.
        let outcome = try TransferClient(options: .quick(maxAttempts: 1)).download([request(sources, bytes)]) { _ in }[0].get()
        XCTAssertEqual(outcome.url, "\(server.baseURL)/model.onnx")
        XCTAssertEqual(fixture.contents(fixture.destination("model.onnx")), bytes)
        XCTAssertEqual(try server.requests().map(\.range), [nil, "bytes=120000-"])
    }

    func testRedirectsAreFollowed() throws {
        let bytes = fixture.serve("model.onnx", size: 30_000)
        let server = try FaultServer(root: fixture.served)
        let outcome = try TransferClient(options: .quick())
            .download([request([TransferSource(url: "\(server.baseURL)/redirect/model.onnx")], bytes)]) { _ in }[0].get()
        XCTAssertEqual(outcome.url, "\(server.baseURL)/model.onnx")
        XCTAssertEqual(try server.requests().map(\.status), [302, 200])
    }

    func testTheBearerTokenIsSent() throws {
        let bytes = fixture.serve("model.onnx", size: 30_000)
        let server = try FaultServer(root: fixture.served)
        let source = TransferSource(url: "\(server.baseURL)/auth/s3cret/model.onnx", bearerToken: "s3cret")
        _ = try TransferClient(options: .quick()).download([request([source], bytes)]) { _ in }[0].get()
        XCTAssertEqual(try server.requests().map(\.authorization), ["Bearer s3cret"])
    }

    func testTheTokenIsNotSentToAnotherServerAfterARedirect() throws {
        let bytes = fixture.serve("model.onnx", size: 30_000)
        let registry = try FaultServer(root: fixture.served)
        let storage = try FaultServer(root: fixture.served)
        let source = TransferSource(url: "\(registry.baseURL)/redirect-port/\(storage.port)/model.onnx", bearerToken: "s3cret")
        let outcome = try TransferClient(options: .quick()).download([request([source], bytes)]) { _ in }[0].get()
        XCTAssertEqual(outcome.url, "\(storage.baseURL)/model.onnx")
        XCTAssertEqual(try registry.requests().map(\.authorization), ["Bearer s3cret"])
        XCTAssertEqual(try storage.requests().map(\.authorization), [nil])
    }

    func testAMissingTokenFailsWithAdvice() throws {
        let bytes = fixture.serve("model.onnx", size: 30_000)
        let server = try FaultServer(root: fixture.served)
        let source = TransferSource(url: "\(server.baseURL)/auth/s3cret/model.onnx")
        let error = TransferClient(options: .quick()).download([request([source], bytes)]) { _ in }[0].failure
        XCTAssertEqual(error?.code, .http)
        XCTAssertEqual(error?.status, 401)
        XCTAssertTrue(error?.message.contains("token") ?? false, error?.message ?? "")
        XCTAssertEqual(try server.requests().count, 1, "a 401 is not retried")
    }

    func testOnlyHTTPAddressesAreUsed() throws {
        let bytes = fixture.serve("model.onnx", size: 10)
        let source = TransferSource(url: "file://\(fixture.served.path)/model.onnx")
        let error = TransferClient(options: .quick()).download([request([source], bytes)]) { _ in }[0].failure
        XCTAssertEqual(error?.code, .badURL)
    }
}
