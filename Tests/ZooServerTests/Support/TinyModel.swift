import Foundation
import ZooDigest
import ZooTestSupport

/// A small model in a static registry for the daemon's tests: `model.onnx` (random bytes of the size asked
/// for), `model.md`, `recipe.md` and `deployment.tar.gz` (holding `model.onnx` and `config.json`), plus the
/// files a client should end up with once the archive is unpacked.
struct TinyModel {
    static let stub = "zoo:cv/classification/tinynet-none/pytorch/zoo/synthetic/pruned90-none"
    static let repoName = "tinynet-synthetic-pruned90"
    static let namespace = "zootest"

    let mirror = MirrorFixture()
    /// The files of the model as listed (the archive itself included).
    let files: [String: Data]
    /// What a model directory holds once the archive is unpacked: every listed file but the archive, and its members.
    let unpacked: [String: Data]

    init(size: Int = 200_000) throws {
        let onnx = MirrorFixture.bytes(size)
        let config = Data("{\"architectures\": [\"TinyNet\"]}\n".utf8)
        let archive = mirror.root.appendingPathComponent("deployment.tar.gz")
        try TarBuilder.write([.file("model.onnx", onnx), .file("config.json", config)], to: archive.path)
        var files = ["model.onnx": onnx, "model.md": Data("---\ndomain: cv\n---\n# tinynet\n".utf8), "recipe.md": Data("version: 1.1\n".utf8)]
        var unpacked = files
        files["deployment.tar.gz"] = try Data(contentsOf: archive)
        try FileManager.default.removeItem(at: archive)
        unpacked["deployment/model.onnx"] = onnx
        unpacked["deployment/config.json"] = config
        self.files = files
        self.unpacked = unpacked
        var model = MirrorFixture.Model(stub: Self.stub, repoName: Self.repoName, files: files)
        model.namespace = Self.namespace
        try mirror.add(model)
    }

    /// Writes the unpacked files under `directory`, as a client should have them.
    func writeUnpacked(to directory: URL) throws {
        for (name, data) in unpacked {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
    }
}
