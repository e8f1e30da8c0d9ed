import Foundation
import ZooCatalog

extension Store {
    /// Bytes the cache holds: every blob plus what the models' archives unpacked to.
    public func cacheBytes() throws -> Int64 {
        let blobs = try catalog.database.row("SELECT total(size) FROM blobs")?.double(0) ?? 0
        let unpacked = try catalog.database.row("SELECT total(extracted_bytes) FROM cached_models")?.double(0) ?? 0
        return Int64(blobs + unpacked)
    }

    /// The file on disk holding file `name` of a cached model: its blob when the model's pull recorded the file,
    /// else the file in the model directory (a member an archive unpacked, e.g. `deployment/model.onnx`); nil
    /// when the model does not have it. `name` must be a relative path without `..`.
    public func cachedFile(_ key: ModelKey, name: String) throws -> URL? {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else { return nil }
        guard try index.isCached(key) else { return nil }
        if let sha256 = try index.files(of: key)[name], blobs.contains(sha256, size: nil) {
            return layout.blob(sha256)
        }
        let path = layout.modelDirectory(key).appendingPathComponent(name, isDirectory: false)
        var info = stat()
        guard lstat(path.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return path
    }
}
