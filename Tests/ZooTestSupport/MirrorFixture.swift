import Foundation
import ZooDigest

/// A static registry on disk for the tests: model files under `models/<namespace>/<repo>/` and an `index.json`
/// in the zoo catalog format that lists them, as `zoo mirror export` writes it. Serve `root` with nginx or
/// the fault server.
public final class MirrorFixture {
    public init() {}

    /// A model of the mirror.
    public struct Model {
        public var stub: String
        public var namespace = "zootest"
        public var repoName: String
        public var files: [String: Data] = [:]
        /// Per file: how its sha256 is listed (default: correctly).
        public var digests: [String: DigestListing] = [:]
        /// Per file: list its size (default) or not.
        public var unlistedSizes: Set<String> = []
        /// Per file: an absolute URL to list instead of the relative path.
        public var urls: [String: String] = [:]

        /// A model named by `stub` and `repoName` with `files`.
        public init(stub: String, repoName: String, files: [String: Data] = [:]) {
            self.stub = stub
            self.repoName = repoName
            self.files = files
        }
    }

    /// How the index lists a file's digest.
    public enum DigestListing { case correct, wrong, unlisted }

    public let directory = TemporaryDirectory()
    public var root: URL { directory.url }
    public private(set) var models: [Model] = []

    /// Adds a model and writes its files.
    public func add(_ model: Model) throws {
        models.removeAll { $0.repoName == model.repoName }
        models.append(model)
        for (name, data) in model.files {
            let url = root.appendingPathComponent(path(model, name))
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        try writeIndex()
    }

    /// Changes a model (e.g. its URLs) and rewrites the index.
    public func update(_ repoName: String, _ change: (inout Model) -> Void) throws {
        guard var model = models.first(where: { $0.repoName == repoName }) else { return }
        change(&model)
        try add(model)
    }

    public func path(_ model: Model, _ name: String) -> String { "models/\(model.namespace)/\(model.repoName)/\(name)" }

    private func writeIndex() throws {
        let entries: [[String: Any]] = models.map { model in
            let files: [[String: Any]] = model.files.keys.sorted().map { name in
                let data = model.files[name]!
                var file: [String: Any] = ["name": name, "url": model.urls[name] ?? path(model, name)]
                if !model.unlistedSizes.contains(name) { file["size"] = data.count }
                switch model.digests[name] ?? .correct {
                case .correct: file["sha256"] = SHA256.hex(of: data)
                case .wrong: file["sha256"] = String(repeating: "0", count: 64)
                case .unlisted: break
                }
                return file
            }
            return ["stub": model.stub, "namespace": model.namespace, "repo_name": model.repoName, "synthetic": true, "files": files]
        }
        let index: [String: Any] = ["format": "zoo-catalog", "version": 1, "name": "test mirror", "models": entries]
        try JSONSerialization.data(withJSONObject: index, options: [.sortedKeys]).write(to: root.appendingPathComponent("index.json"))
    }

    /// Random bytes: content no two tests share by accident.
    public static func bytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        var data = Data(count: (count + 7) / 8 * 8)
        data.withUnsafeMutableBytes { raw in
            for i in raw.bindMemory(to: UInt64.self).indices { raw.storeBytes(of: generator.next(), toByteOffset: i * 8, as: UInt64.self) }
        }
        return data.prefix(count)
    }
}
