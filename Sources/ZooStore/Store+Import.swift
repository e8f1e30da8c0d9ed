import Foundation
import ZooCatalog
import ZooDigest
import ZooStub

/// What `zoo import` registered.
public struct ModelImportReport: Sendable, Encodable {
    public var stub: String
    public var namespace: String
    public var repoName: String
    /// The model directory in the cache.
    public var path: String
    /// The files registered, by their names in the model directory.
    public var files: [String]
    public var bytes: Int64

    private enum CodingKeys: String, CodingKey { case stub, namespace, repoName = "repo_name", path, files, bytes }
}

extension Store {
    /// Registers a local model (a model directory, or one `.onnx` file which becomes `model.onnx`) under `stub`:
    /// its files become blobs, a catalog source `import:<namespace>/<repoName>` lists them with sizes and sha256,
    /// and the model directory is laid out as a pull would, so other clients can pull it from a daemon on this home.
    /// Loose files under `X/` are left out when `X.tar.gz` is there (it unpacks to the same place); hidden files too.
    public func importModel(from source: URL, stub: Stub, namespace: String = "local", repoName: String? = nil) throws -> ModelImportReport {
        let files = try Self.importableFiles(at: source)
        guard !files.isEmpty else {
            throw StoreError(.invalidInput, "\(source.path) holds no files to import; give a model directory or an .onnx file")
        }
        let name = repoName ?? Self.defaultRepoName(stub)
        let key = ModelKey(namespace: namespace, repoName: name)
        var staged: [(name: String, partial: URL, size: Int64, sha256: String)] = []
        defer { for file in staged { try? FileManager.default.removeItem(at: file.partial) } }
        for (name, url) in files {
            let partial = layout.partial(key, file: name)
            let (size, sha256) = try Self.copyHashing(url, to: partial)
            staged.append((name, partial, size, sha256))
        }
        let entry: [String: Any] = [
            "stub": stub.withoutQuery.description, "namespace": namespace, "repo_name": name,
            "files": staged.map { ["name": $0.name, "kind": FileKind.guess($0.name), "size": $0.size, "sha256": $0.sha256] },
        ]
        let catalogFile: [String: Any] = ["format": "zoo-catalog", "version": 1, "name": "zoo import", "models": [entry]]
        let report = try catalog.importCatalog(
            data: try JSONSerialization.data(withJSONObject: catalogFile, options: [.sortedKeys]), source: "import:\(key)", force: true)
        if let problem = report.problems.first {
            throw StoreError(.invalidInput, "cannot register \(stub): \(problem.message)")
        }
        let lease = try Lease.acquire(Self.leaseKey(key), database: catalog.database, timeout: 0)
        defer { lease.release() }
        var blobFiles: [String: String] = [:]
        for file in staged {
            try blobs.install(file.partial, sha256: file.sha256)
            try index.recordBlob(file.sha256, size: file.size)
            blobFiles[file.name] = file.sha256
        }
        let unpacked = try assembler.assemble(key, files: blobFiles)
        try index.recordModel(key, stub: stub.withoutQuery.description, files: blobFiles, extractedBytes: unpacked, complete: true)
        return ModelImportReport(
            stub: stub.withoutQuery.description, namespace: namespace, repoName: name, path: layout.modelDirectory(key).path,
            files: staged.map(\.name).sorted(), bytes: staged.reduce(0) { $0 + $1.size })
    }

    /// The v2 name of a model imported without `--repo-name`: a short stub's own, else
    /// `architecture[-sub_architecture]-dataset-sparse_tag` from the long stub.
    static func defaultRepoName(_ stub: Stub) -> String {
        switch stub.body {
        case .short(let short): return short.repoName
        case .long(let long):
            return ([long.architecture, long.subArchitecture, long.dataset].compactMap { $0 } + [long.sparseTag.description]).joined(separator: "-")
        }
    }

    /// The files to import, by their names in the model directory, sorted.
    private static func importableFiles(at source: URL) throws -> [(String, URL)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory) else {
            throw StoreError(.invalidInput, "no such file or directory: \(source.path)")
        }
        guard isDirectory.boolValue else {
            guard source.pathExtension == "onnx" else {
                throw StoreError(.invalidInput, "\(source.path) is neither a model directory nor an .onnx file")
            }
            return [("model.onnx", source)]
        }
        var found: [(String, URL)] = []
        let root = source.resolvingSymlinksInPath().standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: source.resolvingSymlinksInPath(), includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
            throw StoreError(.io, "cannot read the directory \(source.path)")
        }
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root + "/") else { continue }
            found.append((String(path.dropFirst(root.count + 1)), url))
        }
        let archived = Set(found.compactMap { name, _ in ArchiveName.directory(of: name) })
        return found.filter { name, _ in !archived.contains { name.hasPrefix($0 + "/") } }.sorted { $0.0 < $1.0 }
    }

    /// Copies `source` to `target` (replacing it), returning its size and sha256.
    private static func copyHashing(_ source: URL, to target: URL) throws -> (Int64, String) {
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw StoreError(.io, "cannot read \(source.path)")
        }
        defer { try? input.close() }
        try? FileManager.default.removeItem(at: target)
        guard FileManager.default.createFile(atPath: target.path, contents: nil), let output = FileHandle(forWritingAtPath: target.path) else {
            throw StoreError(.io, "cannot write \(target.path); check that ZOO_HOME is writable")
        }
        defer { try? output.close() }
        let hasher = SHA256()
        var size: Int64 = 0
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(chunk)
                try output.write(contentsOf: chunk)
                size += Int64(chunk.count)
            }
        } catch {
            throw StoreError(.io, "cannot copy \(source.path) into the cache: \(error.localizedDescription)")
        }
        return (size, hasher.finalize())
    }
}
