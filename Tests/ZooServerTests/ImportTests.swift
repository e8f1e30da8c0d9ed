import Foundation
import XCTest
import ZooDigest
import ZooServer
import ZooTestSupport

/// `zoo import` registers a local model in the catalog and cache; another zoo then pulls it from the daemon
/// (through its SparseZoo API and file endpoint) and gets the same bytes.
final class ImportTests: XCTestCase {
    static let stub = "zoo:cv/classification/mynet-none/pytorch/me/synthetic/pruned50-none"

    func testAnImportedModelCanBePulledFromTheDaemonByAnotherZoo() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let source = TemporaryDirectory()
        let files = ["model.onnx": MirrorFixture.bytes(150_000), "model.md": Data("# my pruned net\n".utf8), "recipe.md": Data("version: 1.1\n".utf8)]
        for (name, data) in files { try data.write(to: source.url.appendingPathComponent(name)) }

        let before = try daemon.unix.get("/v1/resolve?stub=\(Self.stub)")
        XCTAssertTrue(before.object?["model"] is NSNull, before.text)
        let imported = try ZooBinary.run(["import", source.url.path, "--stub", Self.stub, "--json"], home: daemon.home.url)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["namespace"] as? String, "local")
        XCTAssertEqual(report["files"] as? [String], files.keys.sorted())
        let after = try daemon.unix.get("/v1/resolve?stub=\(Self.stub)")
        XCTAssertEqual((after.object?["model"] as? [String: Any])?["repo_name"] as? String, report["repo_name"] as? String,
                       "the daemon's kept answer gave way to the import of another process: \(after.text)")

        let other = TemporaryDirectory()
        let pull = try ZooBinary.run(["pull", Self.stub, "--registry", "graphql+" + daemon.baseURL, "--json"], home: other.url)
        XCTAssertEqual(pull.status, 0, pull.stderr + pull.stdout)
        let done = try XCTUnwrap(pull.stdout.split(separator: "\n").last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        XCTAssertEqual(done["event"] as? String, "done")
        let directory = URL(fileURLWithPath: try XCTUnwrap(done["path"] as? String))
        XCTAssertTrue(directory.path.hasPrefix(other.url.path), directory.path)
        for (name, data) in files {
            XCTAssertEqual(SHA256.hex(of: try Data(contentsOf: directory.appendingPathComponent(name))), SHA256.hex(of: data), name)
        }
        XCTAssertEqual(try ZooBinary.run(["verify", Self.stub, "--files"], home: other.url).status, 0)
    }

    func testImportRefusesWhatIsNotAModel() throws {
        let home = TemporaryDirectory()
        let text = home.url.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: text)
        let refused = try ZooBinary.run(["import", text.path, "--stub", Self.stub], home: home.url)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("neither a model directory nor an .onnx file"), refused.stderr)
        XCTAssertEqual(try ZooBinary.run(["import", home.url.appendingPathComponent("missing").path, "--stub", Self.stub], home: home.url).status, 2)
    }
}
