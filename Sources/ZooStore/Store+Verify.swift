import Foundation
import ZooDigest

/// What `zoo verify` found for one file of a cached model.
public struct FileCheck: Sendable, Encodable {
    /// The file's path in the model directory.
    public var name: String
    public var sha256: String
    /// `ok`, `corrupt` (its bytes no longer hash to its digest), `missing` (blob or directory entry gone) or
    /// `wrong size`.
    public var status: String
}

/// What `zoo verify` found for a model.
public struct VerifyReport: Sendable, Encodable {
    public var stub: String
    public var path: String
    /// Whether the files were re-hashed (`--files`) or only checked for presence and size.
    public var rehashed: Bool
    public var files: [FileCheck]
    /// Every file is ok.
    public var ok: Bool { files.allSatisfy { $0.status == "ok" } }

    private enum CodingKeys: String, CodingKey { case stub, path, rehashed, files, ok }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stub, forKey: .stub)
        try container.encode(path, forKey: .path)
        try container.encode(rehashed, forKey: .rehashed)
        try container.encode(files, forKey: .files)
        try container.encode(ok, forKey: .ok)
    }
}

extension Store {
    /// Checks every file of a cached model: present with its recorded size, and with `rehash` its bytes
    /// hash to its digest. A bad blob is deleted and the model marked incomplete, so the next pull fetches it again.
    public func verify(_ key: ModelKey, rehash: Bool) throws -> VerifyReport {
        guard let model = try list().first(where: { $0.key == key }) else {
            throw StoreError(.notCached, "\(key) is not cached; `zoo pull` it first")
        }
        let directory = layout.modelDirectory(key)
        var checks: [FileCheck] = []
        var bad: Set<String> = []
        for (name, sha256) in try index.files(of: key).sorted(by: { $0.key < $1.key }) {
            let status = try check(sha256, linkedAt: directory.appendingPathComponent(name), rehash: rehash)
            checks.append(FileCheck(name: name, sha256: sha256, status: status))
            if status != "ok" { bad.insert(sha256) }
        }
        for sha256 in bad {
            blobs.remove(sha256)
            try index.forgetBlob(sha256)
        }
        if !bad.isEmpty { try index.markIncomplete(key) }
        return VerifyReport(stub: model.stub, path: directory.path, rehashed: rehash, files: checks)
    }

    private func check(_ sha256: String, linkedAt path: URL, rehash: Bool) throws -> String {
        guard let size = try index.blobSize(sha256) else { return "missing" }
        let blob = layout.blob(sha256)
        var blobInfo = stat()
        var linkInfo = stat()
        guard stat(blob.path, &blobInfo) == 0, stat(path.path, &linkInfo) == 0 else { return "missing" }
        guard Int64(blobInfo.st_size) == size, Int64(linkInfo.st_size) == size else { return "wrong size" }
        guard rehash else { return "ok" }
        let sameFile = blobInfo.st_ino == linkInfo.st_ino && blobInfo.st_dev == linkInfo.st_dev
        let digests = try (sameFile ? [blob] : [blob, path]).map { try Self.hash($0) }
        return digests.allSatisfy { $0 == sha256 } ? "ok" : "corrupt"
    }

    /// The SHA-256 of a file, read in 1 MiB blocks.
    static func hash(_ url: URL) throws -> String {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw StoreError(.io, "cannot read \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 { throw StoreError(.io, "cannot read \(url.path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hasher.finalize()
    }
}
