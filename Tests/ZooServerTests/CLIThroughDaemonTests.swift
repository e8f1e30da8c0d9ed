import Foundation
import XCTest
import ZooServer
import ZooTestSupport

/// The CLI uses the daemon when its socket in `$ZOO_HOME` answers, and prints exactly what it prints in-process.
final class CLIThroughDaemonTests: XCTestCase {
    func testCommandsPrintTheSameThroughTheDaemonAsInProcess() throws {
        let model = try TinyModel()
        let upstream = try NginxServer(root: model.mirror.root)
        defer { upstream.stop() }
        let daemon = try DaemonHarness(registry: upstream.baseURL)
        defer { daemon.stop() }
        let home = daemon.home.url
        let inProcess = ["ZOO_NO_DAEMON": "1"]

        let pull = try ZooBinary.run(["pull", TinyModel.stub, "--json"], home: home)
        XCTAssertEqual(pull.status, 0, pull.stderr)
        let events = pull.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertTrue(events.contains { $0["event"] as? String == "finished" && $0["file"] as? String == "model.onnx" }, pull.stdout)
        XCTAssertEqual(events.last?["event"] as? String, "done")
        XCTAssertEqual(events.last?["path"] as? String, home.appendingPathComponent("models/\(TinyModel.namespace)/\(TinyModel.repoName)").path)

        let commands: [[String]] = [
            ["pull", TinyModel.stub], ["resolve", TinyModel.stub], ["resolve", TinyModel.stub, "--json"],
            ["resolve", "zoo:tinynet-synthetic-pruned80"], ["show", TinyModel.stub], ["show", TinyModel.stub, "--json"],
            ["show", "zoo:no-such-model-pruned10"], ["search", "tinynet"], ["search", "--domain", "cv", "--sparsity", "90", "--json"],
            ["search", "no-such-text-anywhere"], ["ls"], ["ls", "--json"], ["ls", "--recipes"], ["ls", "--recipes", "--json"],
        ]
        for command in commands {
            let viaDaemon = try ZooBinary.run(command, home: home)
            let local = try ZooBinary.run(command, home: home, environment: inProcess)
            XCTAssertEqual(viaDaemon.status, local.status, "\(command)")
            XCTAssertEqual(viaDaemon.stdout, local.stdout, "\(command)")
            XCTAssertEqual(viaDaemon.stderr, local.stderr, "\(command)")
        }
        let metrics = try daemon.unix.get("/metrics").text
        for route in ["/v1/resolve", "/v1/show", "/v1/search", "/v1/ls", "/v1/pull"] {
            XCTAssertTrue(metrics.contains("route=\"\(route)\""), "the CLI asked the daemon for \(route):\n\(metrics)")
        }
    }

    func testWithoutADaemonZooHostThatAnswersNothingIsAClearError() throws {
        let home = TemporaryDirectory()
        let result = try ZooBinary.run(["resolve", TinyModel.stub], home: home.url, environment: ["ZOO_HOST": "127.0.0.1:1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("cannot connect to the zoo daemon at http://127.0.0.1:1"), result.stderr)
    }
}
