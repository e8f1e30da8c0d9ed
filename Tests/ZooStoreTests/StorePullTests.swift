import Foundation
import XCTest
import ZooDigest
import ZooStore
import ZooTestSupport

/// Pulling from a static registry served by nginx: layout, verification, reuse, archives, offline.
final class StorePullTests: XCTestCase {
    static let stub = "zoo:cv/classification/tinynet-none/pytorch/zoo/synthetic/pruned90-none"
    static let repoName = "tinynet-synthetic-pruned90"

    var mirror: MirrorFixture!
    var nginx: NginxServer!

    override func setUpWithError() throws {
        mirror = MirrorFixture()
        nginx = try NginxServer(root: mirror.root)
    }

    override func tearDown() {
        nginx?.stop()
    }

    /// A model with a loose ONNX file, a deployment archive, sample inputs and a recipe.
    func makeModel(_ modelBytes: Data = MirrorFixture.bytes(300_000)) throws -> MirrorFixture.Model {
        let scratch = TemporaryDirectory()
        try TarBuilder.write([.file("deployment/model.onnx", modelBytes), .file("deployment/config.json", Data("{}".utf8))],
                             to: scratch.path("deployment.tar.gz"))
        try TarBuilder.write([.file("inp-0000.npz", MirrorFixture.bytes(1000))], to: scratch.path("sample-inputs.tar.gz"))
        var model = MirrorFixture.Model(stub: Self.stub, repoName: Self.repoName)
        model.files = [
            "model.onnx": modelBytes,
            "deployment.tar.gz": try Data(contentsOf: URL(fileURLWithPath: scratch.path("deployment.tar.gz"))),
            "sample-inputs.tar.gz": try Data(contentsOf: URL(fileURLWithPath: scratch.path("sample-inputs.tar.gz"))),
            "recipe.md": Data("version: 1.1\nmodifiers: []\n".utf8),
            "training/model.pth": MirrorFixture.bytes(5000),
        ]
        return model
    }

    func testPullLaysOutTheModelDirectoryAndVerifiesEveryFile() throws {
        let model = try makeModel()
        try mirror.add(model)
        let zoo = try StoreHarness(registry: nginx.baseURL)
        let report = try zoo.pull(Self.stub)

        let directory = zoo.modelDirectory(Self.repoName)
        XCTAssertEqual(report.path, directory.path)
        XCTAssertTrue(report.complete)
        XCTAssertEqual(Set(report.downloaded), ["model.onnx", "deployment.tar.gz", "sample-inputs.tar.gz", "recipe.md"])
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("model.onnx")), model.files["model.onnx"])
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("deployment/model.onnx")), model.files["model.onnx"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("deployment/config.json").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("sample-inputs/inp-0000.npz").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("training").path), "training/ is opt-in")

        // Blobs are named by their digest and read-only.
        let digest = SHA256.hex(of: model.files["model.onnx"]!)
        let blob = zoo.store.layout.blob(digest).path
        XCTAssertTrue(zoo.blobNames().contains(digest))
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: blob)[.posixPermissions] as? Int), 0o444)

        let listed = try XCTUnwrap(try zoo.store.list().first)
        XCTAssertEqual(listed.repoName, Self.repoName)
        XCTAssertEqual(listed.sparsity, 90)
        XCTAssertTrue(listed.complete)
        XCTAssertGreaterThan(listed.ownBytes, Int64(model.files["model.onnx"]!.count))
    }

    func testSecondPullDownloadsNothing() throws {
        try mirror.add(try makeModel())
        let zoo = try StoreHarness(registry: nginx.baseURL)
        try zoo.pull(Self.stub)
        let again = try zoo.pull(Self.stub)
        XCTAssertEqual(again.downloaded, [])
        XCTAssertEqual(again.bytesDownloaded, 0)
        XCTAssertTrue(again.complete)
    }

    func testAnotherModelWithTheSameBytesReusesTheBlob() throws {
        let shared = MirrorFixture.bytes(50_000)
        try mirror.add(MirrorFixture.Model(stub: "zoo:tinynet-a-none", repoName: "tinynet-a-none", files: ["model.onnx": shared]))
        try mirror.add(MirrorFixture.Model(stub: "zoo:tinynet-b-none", repoName: "tinynet-b-none", files: ["model.onnx": shared]))
        let zoo = try StoreHarness(registry: nginx.baseURL)
        try zoo.pull("zoo:tinynet-a-none")
        let second = try zoo.pull("zoo:tinynet-b-none")
        XCTAssertEqual(second.reused, ["model.onnx"])
        let listed = try zoo.store.list()
        XCTAssertEqual(listed.map(\.sharedBytes), [50_000, 50_000])
        XCTAssertEqual(listed.map(\.ownBytes), [0, 0])
    }

    func testWrongDigestFailsAndInstallsNothingOfThatFile() throws {
        var model = try makeModel()
        model.digests["recipe.md"] = .wrong
        try mirror.add(model)
        let zoo = try StoreHarness(registry: nginx.baseURL)
        XCTAssertThrowsError(try zoo.pull(Self.stub)) { error in
            XCTAssertEqual((error as? StoreError)?.code, .transfer)
            XCTAssertTrue("\(error)".contains("recipe.md"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: zoo.modelDirectory(Self.repoName).path))
        XCTAssertFalse(zoo.blobNames().contains(SHA256.hex(of: model.files["recipe.md"]!)))
        // The files that did verify are kept for the next pull.
        XCTAssertTrue(zoo.blobNames().contains(SHA256.hex(of: model.files["model.onnx"]!)))
    }

    func testUnlistedDigestIsLearnedAndEnforcedFromThenOn() throws {
        var model = MirrorFixture.Model(stub: "zoo:tinynet-c-none", repoName: "tinynet-c-none")
        model.files = ["model.onnx": MirrorFixture.bytes(10_000)]
        model.digests["model.onnx"] = .unlisted
        try mirror.add(model)
        let first = try StoreHarness(registry: nginx.baseURL)
        try first.pull("zoo:tinynet-c-none")
        try first.store.remove(.init(namespace: "zootest", repoName: "tinynet-c-none"))

        // The registry now serves other bytes under the same name: the learned digest refuses them.
        try mirror.update("tinynet-c-none") { $0.files["model.onnx"] = MirrorFixture.bytes(10_000) }
        XCTAssertThrowsError(try first.pull("zoo:tinynet-c-none")) { error in
            XCTAssertEqual((error as? StoreError)?.code, .transfer, "\(error)")
        }
    }

    func testHostileArchiveIsRefusedAndNothingEscapes() throws {
        let scratch = TemporaryDirectory()
        try TarBuilder.write([.file("deployment/model.onnx", Data("x".utf8)), .file("../../escaped.txt", Data("pwned".utf8))],
                             to: scratch.path("deployment.tar.gz"))
        var model = MirrorFixture.Model(stub: "zoo:tinynet-evil-none", repoName: "tinynet-evil-none")
        model.files = ["deployment.tar.gz": try Data(contentsOf: URL(fileURLWithPath: scratch.path("deployment.tar.gz")))]
        try mirror.add(model)
        let zoo = try StoreHarness(registry: nginx.baseURL)
        XCTAssertThrowsError(try zoo.pull("zoo:tinynet-evil-none")) { error in
            XCTAssertEqual((error as? StoreError)?.code, .archive, "\(error)")
            XCTAssertTrue("\(error)".contains("escaped.txt"), "the error names the entry: \(error)")
        }
        let models = zoo.store.layout.models
        XCTAssertFalse(FileManager.default.fileExists(atPath: zoo.modelDirectory("tinynet-evil-none").path))
        for candidate in [models, models.appendingPathComponent("zootest"), zoo.directory.url] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: candidate.appendingPathComponent("escaped.txt").path))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: models.appendingPathComponent("zootest").path)
        XCTAssertEqual(leftovers, [], "no staging directory is left behind")
    }

    func testOfflinePullUsesTheCacheOrSaysOfflineAndNotCached() throws {
        try mirror.add(try makeModel())
        let zoo = try StoreHarness(registry: nginx.baseURL)
        XCTAssertThrowsError(try zoo.pull(Self.stub, offline: true))  // not even in the catalog yet
        try zoo.pull(Self.stub)
        nginx.stop()
        XCTAssertEqual(try zoo.pull(Self.stub, offline: true).downloaded, [])

        try mirror.add(MirrorFixture.Model(stub: "zoo:tinynet-d-none", repoName: "tinynet-d-none", files: ["model.onnx": Data("y".utf8)]))
        nginx = try NginxServer(root: mirror.root)
        let online = try StoreHarness(registry: nginx.baseURL, home: zoo.directory)
        try online.refresh("zoo:tinynet-d-none")
        XCTAssertThrowsError(try online.pull("zoo:tinynet-d-none", offline: true)) { error in
            XCTAssertEqual((error as? StoreError)?.code, .notCached)
            XCTAssertTrue("\(error)".hasPrefix("offline and not cached"), "\(error)")
        }
    }

    func testRecipesAloneAreFetchedForRecipeSelection() throws {
        try mirror.add(try makeModel())
        let zoo = try StoreHarness(registry: nginx.baseURL)
        let report = try zoo.pull(Self.stub, selection: .recipes)
        XCTAssertEqual(report.downloaded, ["recipe.md"])
        XCTAssertFalse(report.complete)
        let full = try zoo.pull(Self.stub)
        XCTAssertEqual(full.reused, ["recipe.md"])
        XCTAssertTrue(full.complete)
    }
}
