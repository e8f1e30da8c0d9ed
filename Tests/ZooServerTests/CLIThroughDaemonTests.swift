import Foundation
import XCTest
import ZooServer
import ZooTestSupport

/// The CLI uses a running `zoo serve` (its socket in `$ZOO_HOME`) for every catalog and cache command, and prints
/// exactly what it prints in-process (`ZOO_NO_DAEMON=1`): the same output, messages and exit statuses, and the
/// same changes to the cache.
final class CLIThroughDaemonTests: XCTestCase {
    private static let inProcess = ["ZOO_NO_DAEMON": "1"]
    private static let cacheDirectory = "models/\(TinyModel.namespace)/\(TinyModel.repoName)"

    private var model: TinyModel!
    private var upstream: NginxServer!
    private var home: TemporaryDirectory!
    private var daemon: DaemonProcess!

    override func setUpWithError() throws {
        model = try TinyModel()
        upstream = try NginxServer(root: model.mirror.root)
        home = TemporaryDirectory()
        daemon = try DaemonProcess(home: home.url, arguments: ["--registry", upstream.baseURL])
    }

    override func tearDownWithError() throws {
        try daemon.stop()
        upstream.stop()
    }

    func testCatalogCommandsAndPullPrintTheSameThroughTheDaemonAsInProcess() throws {
        let pull = try run(["pull", TinyModel.stub, "--json"])
        XCTAssertEqual(pull.status, 0, pull.stderr)
        let events = pull.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertTrue(events.contains { $0["event"] as? String == "finished" && $0["file"] as? String == "model.onnx" }, pull.stdout)
        XCTAssertEqual(events.last?["event"] as? String, "done")
        XCTAssertEqual(events.last?["path"] as? String, home.url.appendingPathComponent(Self.cacheDirectory).path)

        for command in [
            ["pull", TinyModel.stub], ["resolve", TinyModel.stub], ["resolve", TinyModel.stub, "--json"],
            ["resolve", "zoo:tinynet-synthetic-pruned80"], ["show", TinyModel.stub], ["show", TinyModel.stub, "--json"],
            ["show", "zoo:no-such-model-pruned10"], ["search", "tinynet"], ["search", "--domain", "cv", "--sparsity", "90", "--json"],
            ["search", "no-such-text-anywhere"], ["ls"], ["ls", "--json"], ["ls", "--recipes"], ["ls", "--recipes", "--json"],
        ] {
            try assertSameBothWays(command)
        }
        try assertTheDaemonAnswered(["/v1/resolve", "/v1/show", "/v1/search", "/v1/ls", "/v1/pull"])
    }

    func testPinUnpinRemoveAndGCChangeTheCacheTheSameThroughTheDaemon() throws {
        XCTAssertEqual(try run(["pull", TinyModel.stub]).status, 0)
        let pullAgain = { XCTAssertEqual(try self.run(["pull", TinyModel.stub]).status, 0) }
        try assertSameBothWays(["pin", TinyModel.stub], undo: { _ = try self.run(["unpin", TinyModel.stub]) })
        XCTAssertEqual(try cacheState(), "\(TinyModel.stub) complete pinned")
        try assertSameBothWays(["rm", TinyModel.stub])  // refused: pinned
        try assertSameBothWays(["gc", "--max-size", "1"])  // nothing to remove: pinned
        try assertSameBothWays(["unpin", TinyModel.stub], undo: { _ = try self.run(["pin", TinyModel.stub]) })
        XCTAssertEqual(try cacheState(), "\(TinyModel.stub) complete")
        try assertSameBothWays(["gc", "--max-size", "1", "--dry-run", "--json"])
        try assertSameBothWays(["gc", "--max-size", "1kb"], undo: pullAgain)
        XCTAssertEqual(try cacheState(), "")
        try pullAgain()
        try assertSameBothWays(["rm", TinyModel.stub, "--json"], undo: pullAgain)
        try pullAgain()
        try assertSameBothWays(["rm", TinyModel.stub], undo: pullAgain)
        XCTAssertEqual(try cacheState(), "")
        for failing in [
            ["rm", TinyModel.stub], ["pin", TinyModel.stub], ["unpin", "zoo:resnet_v1-50-imagenet-pruned95"],
            ["pin", "zoo:no-such-model-pruned10"], ["rm", "zoo:cv/classification/resnet v1"], ["gc", "--max-size", "lots"],
        ] {
            let result = try assertSameBothWays(failing)
            XCTAssertNotEqual(result.status, 0, "\(failing): \(result.stdout)")
        }
        try assertTheDaemonAnswered(["/v1/pin", "/v1/unpin", "/v1/rm", "/v1/gc"])
    }

    func testVerifyAndRecipePrintTheSameThroughTheDaemonAsInProcess() throws {
        let withSamples = try SampleModel(mirror: model.mirror)
        XCTAssertEqual(try run(["pull", TinyModel.stub]).status, 0)
        XCTAssertEqual(try run(["pull", withSamples.stub]).status, 0)
        for command in [
            ["verify", TinyModel.stub], ["verify", TinyModel.stub, "--files", "--json"], ["verify", withSamples.stub],
            ["verify", withSamples.stub, "--files", "--json"], ["verify", withSamples.stub, "--no-samples"],
            ["verify", "zoo:resnet_v1-50-imagenet-pruned95"], ["recipe", TinyModel.stub], ["recipe", TinyModel.stub, "--json"],
            ["recipe", TinyModel.stub + "?recipe=nonesuch"], ["recipe", "zoo:no-such-model-pruned10"],
        ] {
            try assertSameBothWays(command)
        }
        let verified = try run(["verify", withSamples.stub])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue(verified.stdout.contains("ok: 3 sample(s) of"), verified.stdout)
        XCTAssertEqual(try run(["recipe", TinyModel.stub]).stdout, "version: 1.1\n")
        try assertTheDaemonAnswered(["/v1/verify", "/v1/recipe"])
    }

    func testWithoutADaemonZooHostThatAnswersNothingIsAClearError() throws {
        let elsewhere = TemporaryDirectory()
        let result = try ZooBinary.run(["resolve", TinyModel.stub], home: elsewhere.url, environment: ["ZOO_HOST": "127.0.0.1:1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("cannot connect to the zoo daemon at http://127.0.0.1:1"), result.stderr)
    }

    /// Runs `zoo COMMAND` on the daemon's home; through the daemon unless `environment` says otherwise.
    private func run(_ command: [String], environment: [String: String] = [:]) throws -> ZooBinary.Result {
        try ZooBinary.run(command, home: home.url, environment: environment)
    }

    /// Runs `command` through the daemon, then (after `undo`, if the command changed the cache) in-process, and
    /// checks that both print the same, exit the same and leave the cache the same; returns the result.
    @discardableResult
    private func assertSameBothWays(_ command: [String], undo: (() throws -> Void)? = nil,
                                    file: StaticString = #filePath, line: UInt = #line) throws -> ZooBinary.Result {
        let viaDaemon = try run(command)
        let stateViaDaemon = try cacheState()
        try undo?()
        let local = try run(command, environment: Self.inProcess)
        XCTAssertEqual(viaDaemon.status, local.status, "\(command)", file: file, line: line)
        XCTAssertEqual(viaDaemon.stdout, local.stdout, "\(command)", file: file, line: line)
        XCTAssertEqual(viaDaemon.stderr, local.stderr, "\(command)", file: file, line: line)
        XCTAssertEqual(stateViaDaemon, try cacheState(), "\(command) changed the cache differently", file: file, line: line)
        return viaDaemon
    }

    /// The cached models with their completeness and pins, one line each.
    private func cacheState() throws -> String {
        let list = try run(["ls", "--json"], environment: Self.inProcess)
        let models = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]], list.stderr)
        return models.map { model in
            [model["stub"] as? String ?? "", model["complete"] as? Bool == true ? "complete" : "", model["pinned"] as? Bool == true ? "pinned" : ""]
                .filter { !$0.isEmpty }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// Checks that the daemon's metrics count requests to each of `routes`.
    private func assertTheDaemonAnswered(_ routes: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let metrics = String(decoding: try daemon.client.get("/metrics").body, as: UTF8.self)
        for route in routes {
            XCTAssertTrue(metrics.contains("route=\"\(route)\""), "the CLI asked the daemon for \(route):\n\(metrics)", file: file, line: line)
        }
    }
}
