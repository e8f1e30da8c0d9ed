import Foundation
import XCTest
import ZooDigest
import ZooTestSupport

/// `zoo pull`, `ls`, `rm`, `pin`, `gc`, `verify`, `recipe` and `mirror export` as separate processes against real
/// servers on loopback: the failures only a real process shows (kill -9, two processes at once, a full disk).
final class PullCommandTests: XCTestCase {
    static let stub = "zoo:cv/classification/tinynet-none/pytorch/zoo/synthetic/pruned90-none"
    static let repoName = "tinynet-synthetic-pruned90"

    var mirror: MirrorFixture!
    var zoo: ZooProcess!

    override func setUp() {
        mirror = MirrorFixture()
        zoo = ZooProcess()
        zoo.environment = ["ZOO_BACKOFF": "0.05", "ZOO_MAX_BACKOFF": "0.2", "ZOO_STALL_TIMEOUT": "2", "ZOO_OFFLINE": ""]
    }

    override func tearDown() { zoo.remove() }

    func addModel(size: Int = 200_000, recipe: String = "version: 1.1\n") throws -> MirrorFixture.Model {
        var model = MirrorFixture.Model(stub: Self.stub, repoName: Self.repoName)
        model.files = ["model.onnx": MirrorFixture.bytes(size), "recipe.md": Data(recipe.utf8), "recipe_transfer_learn.md": Data("transfer\n".utf8)]
        try mirror.add(model)
        return model
    }

    var modelDirectory: URL { zoo.home.appendingPathComponent("models/zootest/\(Self.repoName)") }

    func testPullListRecipeVerifyRemove() throws {
        let model = try addModel()
        let nginx = try NginxServer(root: mirror.root)
        defer { nginx.stop() }

        let pull = try zoo.run("pull", Self.stub, "--registry", nginx.baseURL, "--json")
        XCTAssertEqual(pull.status, 0, pull.stderr)
        let lines = pull.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertTrue(lines.allSatisfy { $0 != nil }, "every line is JSON: \(pull.stdout)")
        XCTAssertTrue(lines.contains { $0?["event"] as? String == "finished" && $0?["file"] as? String == "model.onnx" })
        XCTAssertEqual(lines.last??["event"] as? String, "done")
        XCTAssertEqual(try Data(contentsOf: modelDirectory.appendingPathComponent("model.onnx")), model.files["model.onnx"])

        let ls = try zoo.run("ls", "--json")
        let listed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ls.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(listed.first?["repo_name"] as? String, Self.repoName)
        XCTAssertEqual(listed.first?["sparsity"] as? Int, 90)
        XCTAssertEqual(listed.first?["pinned"] as? Bool, false)
        XCTAssertTrue(try zoo.run("ls").stdout.contains(Self.stub))
        XCTAssertTrue(try zoo.run("ls", "--recipes").stdout.contains("recipe_transfer_learn.md"))

        XCTAssertEqual(try zoo.run("recipe", Self.stub, "--offline").stdout, "version: 1.1\n")
        XCTAssertEqual(try zoo.run("recipe", Self.stub + "?recipe=transfer_learn", "--offline").stdout, "transfer\n")
        XCTAssertEqual(try zoo.run("recipe", Self.stub + "?recipe=nonesuch", "--offline").status, 3)

        XCTAssertEqual(try zoo.run("verify", Self.stub, "--files").status, 0)
        XCTAssertEqual(try zoo.run("rm", Self.stub).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: modelDirectory.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: zoo.home.appendingPathComponent("blobs/sha256").path), [])
        XCTAssertTrue(try zoo.run("ls").stdout.contains("no models cached"))
    }

    func testVerifyFindsACorruptBlobAndTheNextPullRepairsIt() throws {
        let model = try addModel()
        let nginx = try NginxServer(root: mirror.root)
        defer { nginx.stop() }
        XCTAssertEqual(try zoo.run("pull", Self.stub, "--registry", nginx.baseURL).status, 0)

        let blob = zoo.home.appendingPathComponent("blobs/sha256/\(SHA256.hex(of: model.files["model.onnx"]!))")
        chmod(blob.path, 0o644)
        let handle = try FileHandle(forWritingTo: blob)
        try handle.seek(toOffset: 1000)
        handle.write(Data([0xFF, 0x00, 0xFF]))
        try handle.close()

        XCTAssertEqual(try zoo.run("verify", Self.stub).status, 0, "sizes alone still match")
        let verify = try zoo.run("verify", Self.stub, "--files")
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stdout.contains("corrupt"), verify.stdout)
        let repair = try zoo.run("pull", Self.stub, "--registry", nginx.baseURL, "--json")
        XCTAssertEqual(repair.status, 0, repair.stderr)
        XCTAssertTrue(repair.stdout.contains("\"file\":\"model.onnx\""))
        XCTAssertEqual(try Data(contentsOf: modelDirectory.appendingPathComponent("model.onnx")), model.files["model.onnx"])
        XCTAssertEqual(try zoo.run("verify", Self.stub, "--files").status, 0)
    }

    func testKilledPullResumesFromItsVerifiedBytes() throws {
        let model = try addModel(size: 4_000_000)
        let server = try FaultServer(root: mirror.root)
        defer { server.stop() }
        // The first request for the file sends half of it and then stalls for a minute; zoo is killed once a good
        // part of that half is on disk.
        try mirror.update(Self.repoName) { $0.urls["model.onnx"] = server.baseURL + "/stall/60/" + mirror.path($0, "model.onnx") }
        zoo.environment["ZOO_STALL_TIMEOUT"] = "120"
        let first = try zoo.start(["pull", Self.stub, "--registry", server.baseURL])
        let partials = zoo.home.appendingPathComponent("tmp/partial")
        try waitUntil("half the file is on disk") {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: partials.path)) ?? []
            return names.contains { name in
                ((try? FileManager.default.attributesOfItem(atPath: partials.appendingPathComponent(name).path)[.size] as? Int) ?? 0) >= 1_000_000
            }
        }
        kill(first.process.processIdentifier, SIGKILL)
        _ = first.wait()

        let second = try zoo.run("pull", Self.stub, "--registry", server.baseURL)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try Data(contentsOf: modelDirectory.appendingPathComponent("model.onnx")), model.files["model.onnx"])
        let ranges = try server.requests().filter { $0.path.hasSuffix("model.onnx") }.compactMap(\.range)
        XCTAssertTrue(ranges.contains { $0.hasPrefix("bytes=") && !$0.hasPrefix("bytes=0-") }, "resumed with Range: \(ranges)")
    }

    func testTwoProcessesPullingAtOnceDownloadOnceAndBothSucceed() throws {
        let model = try addModel(size: 8_000_000)
        let server = try FaultServer(root: mirror.root)
        defer { server.stop() }
        let first = try zoo.start(["pull", Self.stub, "--registry", server.baseURL])
        let second = try zoo.start(["pull", Self.stub, "--registry", server.baseURL])
        let results = [first.wait(), second.wait()]
        for result in results { XCTAssertEqual(result.status, 0, result.stderr) }
        let gets = try server.requests().filter { $0.method == "GET" && $0.path.hasSuffix("model.onnx") }
        XCTAssertEqual(gets.count, 1, "downloaded once: \(gets)")
        XCTAssertEqual(try Data(contentsOf: modelDirectory.appendingPathComponent("model.onnx")), model.files["model.onnx"])
    }

    func testPinnedModelsSurviveGCAndLeastRecentlyUsedGoFirst() throws {
        for name in ["a", "b", "c"] {
            try mirror.add(MirrorFixture.Model(stub: "zoo:gcnet-\(name)-none", repoName: "gcnet-\(name)-none", files: ["model.onnx": MirrorFixture.bytes(100_000)]))
        }
        let nginx = try NginxServer(root: mirror.root)
        defer { nginx.stop() }
        for name in ["a", "b", "c"] {
            XCTAssertEqual(try zoo.run("pull", "zoo:gcnet-\(name)-none", "--registry", nginx.baseURL).status, 0)
        }
        XCTAssertEqual(try zoo.run("pin", "zoo:gcnet-a-none").status, 0)
        let dryRun = try zoo.run("gc", "--max-size", "150k", "--dry-run", "--json")
        let planned = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(dryRun.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(planned["removed_models"] as? [String], ["zoo:gcnet-b-none", "zoo:gcnet-c-none"])
        let listed = try JSONSerialization.jsonObject(with: Data(try zoo.run("ls", "--json").stdout.utf8)) as? [Any]
        XCTAssertEqual(listed?.count, 3, "a dry run removes nothing")

        XCTAssertEqual(try zoo.run("gc", "--max-size", "150k").status, 0)
        let left = try zoo.run("ls").stdout
        XCTAssertTrue(left.contains("gcnet-a"), left)
        XCTAssertFalse(left.contains("gcnet-b") || left.contains("gcnet-c"), left)
        XCTAssertEqual(try zoo.run("rm", "zoo:gcnet-a-none").status, 2, "a pinned model needs --force")
        XCTAssertEqual(try zoo.run("rm", "zoo:gcnet-a-none", "--force").status, 0)
    }

    func testMirrorExportServesAnotherHome() throws {
        let model = try addModel()
        let nginx = try NginxServer(root: mirror.root)
        defer { nginx.stop() }
        XCTAssertEqual(try zoo.run("pull", Self.stub, "--registry", nginx.baseURL).status, 0)
        let exported = TemporaryDirectory()
        XCTAssertEqual(try zoo.run("mirror", "export", exported.url.path).status, 0)

        let other = try NginxServer(root: exported.url)
        defer { other.stop() }
        var second = ZooProcess()
        second.environment = zoo.environment
        defer { second.remove() }
        let pull = try second.run("pull", Self.stub, "--registry", other.baseURL)
        XCTAssertEqual(pull.status, 0, pull.stderr)
        let copy = second.home.appendingPathComponent("models/zootest/\(Self.repoName)/model.onnx")
        XCTAssertEqual(try Data(contentsOf: copy), model.files["model.onnx"])
    }

    func testFullDiskGivesACleanErrorAndKeepsWhatWasCached() throws {
        let small = try addModel(size: 10_000)
        var big = MirrorFixture.Model(stub: "zoo:bignet-none-none", repoName: "bignet-none-none")
        big.files = ["model.onnx": MirrorFixture.bytes(40_000_000)]
        big.unlistedSizes = ["model.onnx"]
        big.digests["model.onnx"] = .unlisted
        try mirror.add(big)
        let nginx = try NginxServer(root: mirror.root)
        defer { nginx.stop() }

        // A real full disk: a 24 MB tmpfs. The big file's size is not listed, so no pre-check can stop it: the
        // write fails with ENOSPC part way.
        let disk = try SmallDisk(megabytes: 24)
        zoo = ZooProcess(home: disk.url.appendingPathComponent("home"))
        zoo.environment = ["ZOO_BACKOFF": "0.05", "ZOO_MAX_BACKOFF": "0.2"]
        defer { disk.remove() }
        let first = try zoo.run("pull", Self.stub, "--registry", nginx.baseURL)
        XCTAssertEqual(first.status, 0, first.stderr)

        let full = try zoo.run("pull", "zoo:bignet-none-none", "--registry", nginx.baseURL)
        XCTAssertEqual(full.status, 1)
        XCTAssertTrue(full.stderr.contains("disk") || full.stderr.contains("space"), full.stderr)
        XCTAssertFalse(full.stderr.contains("Fatal error"), full.stderr)
        XCTAssertEqual(try zoo.run("verify", Self.stub, "--files").status, 0, "the model cached before is intact")
        XCTAssertEqual(try Data(contentsOf: zoo.home.appendingPathComponent("models/zootest/\(Self.repoName)/model.onnx")), small.files["model.onnx"])
        XCTAssertTrue(try zoo.run("ls").stdout.contains(Self.stub))
    }

    func testOfflineWorksFromTheCacheAndSaysOfflineAndNotCached() throws {
        _ = try addModel()
        try mirror.add(MirrorFixture.Model(stub: "zoo:othernet-none-none", repoName: "othernet-none-none", files: ["model.onnx": MirrorFixture.bytes(1000)]))
        let nginx = try NginxServer(root: mirror.root)
        XCTAssertEqual(try zoo.run("pull", Self.stub, "--registry", nginx.baseURL).status, 0)
        nginx.stop()

        let flag = try zoo.run("pull", "zoo:othernet-none-none", "--offline", "--registry", nginx.baseURL)
        XCTAssertEqual(flag.status, 3, flag.stderr)
        XCTAssertTrue(flag.stderr.contains("offline and not cached"), flag.stderr)
        zoo.environment["ZOO_OFFLINE"] = "1"
        let variable = try zoo.run("pull", "zoo:othernet-none-none", "--registry", nginx.baseURL)
        XCTAssertEqual(variable.status, 3, variable.stderr)
        XCTAssertTrue(variable.stderr.contains("offline and not cached"), variable.stderr)
        XCTAssertEqual(try zoo.run("pull", Self.stub).status, 0, "a cached model pulls offline")
        XCTAssertEqual(try zoo.run("ls").status, 0)
    }

    private func waitUntil(_ what: String, timeout: Double = 20, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw TimedOut(what: what) }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}

/// A wait in a test that ran out of time.
struct TimedOut: Error {
    let what: String
}
