import Foundation
import XCTest
import ZooTestSupport

/// The real `sparsezoo` package from PyPI (1.8, in the project's .venv) pointed at the daemon with
/// `SPARSEZOO_API_URL`: it resolves a stub through `/v2/graphql`, downloads every file from the daemon (which
/// pulls through from its upstream) and ends up with byte-identical files.
final class SparseZooClientTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testTheSparsezooClientDownloadsByteIdenticalFilesThroughTheDaemon() throws {
        let python = try Self.pythonWithSparsezoo()
        let model = try TinyModel(size: 400_000)
        let upstream = try NginxServer(root: model.mirror.root)
        defer { upstream.stop() }
        let daemon = try DaemonHarness(registry: upstream.baseURL)
        defer { daemon.stop() }
        let work = TemporaryDirectory()
        let expected = work.url.appendingPathComponent("expected")
        try model.writeUnpacked(to: expected)

        let result = try Self.run(python, [
            Self.root.appendingPathComponent("scripts/sparsezoo_client_test.py").path, "--api", daemon.baseURL,
            "--stub", TinyModel.stub, "--expected", expected.path, "--work", work.url.appendingPathComponent("client").path,
        ], home: work.url)
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("\(model.unpacked.count) files byte-identical"), result.output)
        let misses = try daemon.unix.get("/metrics").text
        XCTAssertTrue(misses.contains("zoo_http_requests_total{method=\"POST\",route=\"/v2/graphql\",status=\"200\"}"), misses)
    }

    /// The project's .venv python (scripts/venv.sh creates or updates it from scripts/requirements.txt).
    static func pythonWithSparsezoo() throws -> String {
        let setup = try run("/bin/bash", [root.appendingPathComponent("scripts/venv.sh").path], home: nil)
        guard setup.status == 0 else { throw TestServerError("scripts/venv.sh failed:\n\(setup.output)") }
        return root.appendingPathComponent(".venv/bin/python").path
    }

    /// Runs a program; `home` becomes HOME (sparsezoo writes download chunks under ~/.cache whatever it is told).
    static func run(_ executable: String, _ arguments: [String], home: URL?) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NM_DISABLE_ANALYTICS"] = "1"
        environment["NM_VERSION_CHECK"] = "false"
        if let home { environment["HOME"] = home.path }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
