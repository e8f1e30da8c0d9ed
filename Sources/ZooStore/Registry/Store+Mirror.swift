import Foundation
import ZooCatalog

/// What `zoo mirror export` wrote.
public struct MirrorReport: Sendable, Encodable {
    /// The mirror's directory and its index.
    public var directory: String
    public var index: String
    /// Stubs of the models exported.
    public var models: [String]
    public var files: Int
    public var bytes: Int64
}

extension Store {
    /// Writes a static mirror of cached models into `directory`: every file at `models/<namespace>/<repoName>/`
    /// (hard-linked from the blobs where the file system allows) and an `index.json` in the zoo catalog format
    /// with relative URLs, sizes and sha256, that any web server can serve and `ZOO_REGISTRY` can point at.
    /// `keys` nil exports every complete model.
    public func exportMirror(to directory: URL, keys: [ModelKey]?) throws -> MirrorReport {
        let cached = try list().filter { model in keys.map { $0.contains(model.key) } ?? model.complete }
        if let keys, let missing = keys.first(where: { key in !cached.contains { $0.key == key } }) {
            throw StoreError(.notCached, "\(missing) is not cached; `zoo pull` it before exporting")
        }
        var entries: [[String: Any]] = []
        var fileCount = 0
        var bytes: Int64 = 0
        for model in cached {
            let record = try catalog.model(namespace: model.namespace, repoName: model.repoName).map(catalog.details(of:))
            let kinds = Dictionary((record?.files ?? []).map { ($0.name, $0.kind) }, uniquingKeysWith: { a, _ in a })
            var files: [[String: Any]] = []
            for (name, sha256) in try index.files(of: model.key).sorted(by: { $0.key < $1.key }) {
                let relative = MirrorLayout.path(model.key, file: name)
                let size = try index.blobSize(sha256) ?? 0
                try place(sha256, at: directory.appendingPathComponent(relative))
                files.append(["name": name, "kind": kinds[name] ?? FileKind.guess(name), "url": relative, "size": size, "sha256": sha256])
                fileCount += 1
                bytes += size
            }
            var entry: [String: Any] = [
                "stub": record?.stub ?? model.stub, "namespace": model.namespace, "repo_name": model.repoName, "files": files,
            ]
            if let record {
                entry["repo_name_source"] = record.repoNameSource == "stub" ? "declared" : record.repoNameSource
                entry["aliases"] = record.stubs.filter { $0 != record.stub }
                if let domain = record.domain { entry["domain"] = domain }
                if let task = record.task { entry["task"] = task }
                if let name = record.displayName { entry["display_name"] = name }
                if let text = record.description { entry["description"] = text }
                if record.synthetic { entry["synthetic"] = true }
            }
            entries.append(entry)
        }
        let index = directory.appendingPathComponent("index.json")
        let root: [String: Any] = ["format": "zoo-catalog", "version": 1, "name": "zoo mirror", "models": entries]
        let data = try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try data.write(to: index, options: .atomic)
        return MirrorReport(directory: directory.path, index: index.path, models: cached.map(\.stub), files: fileCount, bytes: bytes)
    }

    private func place(_ sha256: String, at path: URL) throws {
        if FileManager.default.fileExists(atPath: path.path) { try FileManager.default.removeItem(at: path) }
        try blobs.link(sha256, to: path)
    }
}
