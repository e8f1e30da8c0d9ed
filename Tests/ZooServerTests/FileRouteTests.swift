import Foundation
import XCTest
import ZooDigest
import ZooServer
import ZooTestSupport

/// `GET`/`HEAD /files/…`: files from the cache with Range, pulled through from upstream on a miss.
final class FileRouteTests: XCTestCase {
    func testAMissPullsThroughOnceThenRangesAreServedFromTheCache() throws {
        let model = try TinyModel(size: 100_000)
        let upstream = try FaultServer(root: model.mirror.root)
        defer { upstream.stop() }
        let daemon = try DaemonHarness(registry: upstream.baseURL)
        defer { daemon.stop() }
        // The daemon learns the model from its registry when asked for it.
        XCTAssertEqual(try daemon.unix.post("/v2/graphql", ["query": "{ models (stub: \"\(TinyModel.stub)\",) { repoName } }"]).status, 200)
        let path = "/files/\(TinyModel.namespace)/\(TinyModel.repoName)"
        let onnx = try XCTUnwrap(model.files["model.onnx"])

        let whole = try daemon.tcp().get("\(path)/model.onnx")
        XCTAssertEqual(whole.status, 200)
        XCTAssertEqual(whole.body, onnx)
        XCTAssertEqual(try daemon.tcp().get("\(path)/deployment/config.json").body, model.unpacked["deployment/config.json"])
        XCTAssertEqual(try daemon.tcp().get("\(path)/recipe.md").body, model.files["recipe.md"])

        let middle = try ranged(daemon, "\(path)/model.onnx", "bytes=1000-1999")
        XCTAssertEqual(middle.status, 206)
        XCTAssertEqual(middle.body, onnx[1000...1999])
        let tail = try ranged(daemon, "\(path)/model.onnx", "bytes=99000-200000")
        XCTAssertEqual(tail.body, onnx[99000...], "an end past the file is clamped")
        XCTAssertEqual(try ranged(daemon, "\(path)/model.onnx", "bytes=-10").body, onnx.suffix(10))
        XCTAssertEqual(try ranged(daemon, "\(path)/model.onnx", "bytes=100000-").status, 416)
        XCTAssertEqual(try daemon.tcp().get("\(path)/nonesuch.bin").status, 404)
        XCTAssertEqual(try daemon.tcp().get("/files/zootest/no-such-model/model.onnx").status, 404)

        let gets = try upstream.requests().filter { $0.method == "GET" && $0.path.hasSuffix("/model.onnx") }
        XCTAssertEqual(gets.count, 1, "fetched upstream once: \(gets)")
    }

    func testHeadAnswersTheLengthAndAcceptRangesAsSparsezooNeeds() throws {
        let model = try TinyModel(size: 50_000)
        let upstream = try NginxServer(root: model.mirror.root)
        defer { upstream.stop() }
        let daemon = try DaemonHarness(registry: upstream.baseURL)
        defer { daemon.stop() }
        XCTAssertEqual(try daemon.unix.post("/v1/pull", ["stub": TinyModel.stub]).status, 200)
        let head = try curl(["-sI", "\(daemon.baseURL)/files/\(TinyModel.namespace)/\(TinyModel.repoName)/model.onnx"]).lowercased()
        XCTAssertTrue(head.contains("content-length: 50000"), head)
        XCTAssertTrue(head.contains("accept-ranges: bytes"), head)
        XCTAssertTrue(head.contains("etag: \"\(SHA256.hex(of: model.files["model.onnx"]!))\""), head)
    }

    private func ranged(_ daemon: DaemonHarness, _ path: String, _ range: String) throws -> (status: Int, body: Data) {
        let output = daemon.home.url.appendingPathComponent("range.out")
        let status = try curl(["-s", "-o", output.path, "-w", "%{http_code}", "-H", "Range: \(range)", daemon.baseURL + path])
        return (Int(status) ?? 0, (try? Data(contentsOf: output)) ?? Data())
    }

    private func curl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
