import Foundation
import ZooCatalog

/// What `zoo gc` removed, or would remove with `--dry-run`.
public struct GCReport: Sendable, Encodable {
    public var dryRun: Bool
    /// Cache size (blobs plus unpacked archives) before and after.
    public var bytesBefore: Int64
    public var bytesAfter: Int64
    /// Stubs of the models removed, least recently used first.
    public var removedModels: [String]
    /// Blobs deleted because no model uses them any more.
    public var removedBlobs: Int
    /// Partial downloads and staging directories no live pull owns.
    public var removedLeftovers: Int
    /// Set when the size limit could not be reached without removing pinned models or models being pulled.
    public var shortfall: Int64?

    private enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run", bytesBefore = "bytes_before", bytesAfter = "bytes_after"
        case removedModels = "removed_models", removedBlobs = "removed_blobs", removedLeftovers = "removed_leftovers", shortfall
    }
}

extension Store {
    /// Shrinks the cache to `maxSize` bytes by removing models least recently used first, never a pinned
    /// model or one being pulled; always deletes unused blobs and leftovers of killed pulls.
    public func collectGarbage(maxSize: Int64?, dryRun: Bool) throws -> GCReport {
        try index.refreshAllSizes()
        let models = try list(order: .lastUsed).reversed()
        let modelBlobs = try catalog.database.rows("SELECT DISTINCT namespace, repo_name, sha256 FROM cached_files")
        var blobsOf: [ModelKey: [String]] = [:]
        var users: [String: Int] = [:]
        for row in modelBlobs {
            let key = ModelKey(namespace: row.text(0) ?? "", repoName: row.text(1) ?? "")
            let sha = row.text(2) ?? ""
            blobsOf[key, default: []].append(sha)
            users[sha, default: 0] += 1
        }
        let blobSizes = Dictionary(try index.allBlobs().map { ($0.sha256, $0.size) }, uniquingKeysWith: { a, _ in a })
        let unpacked = models.reduce(Int64(0)) { $0 + $1.ownBytes - ownBlobBytes($1.key, blobsOf, users, blobSizes) }
        let before = blobSizes.values.reduce(0, +) + unpacked
        var size = before - blobSizes.filter { users[$0.key] == nil }.values.reduce(0, +)
        var victims: [CachedModel] = []
        if let maxSize {
            for model in models where size > maxSize && !model.pinned && !model.pulling {
                victims.append(model)
                size -= model.ownBytes - ownBlobBytes(model.key, blobsOf, users, blobSizes)
                for sha in blobsOf[model.key] ?? [] {
                    users[sha]! -= 1
                    if users[sha] == 0 { size -= blobSizes[sha] ?? 0 }
                }
            }
        }
        var removed: [String] = []
        if dryRun {
            removed = victims.map(\.stub)
        } else {
            for model in victims {
                do {
                    let lease = try Lease.acquire(Self.leaseKey(model.key), database: catalog.database, timeout: 0)
                    defer { lease.release() }
                    try assembler.remove(model.key)
                    try index.removeModel(model.key)
                    removed.append(model.stub)
                } catch let error as StoreError where error.code == .busy {
                    continue
                }
            }
        }
        let orphans = try removeUnreferencedBlobs(dryRun: dryRun)
        let leftovers = try removeLeftovers(dryRun: dryRun)
        let shortfall = maxSize.flatMap { size > $0 ? size - $0 : nil }
        return GCReport(
            dryRun: dryRun, bytesBefore: before, bytesAfter: size, removedModels: removed, removedBlobs: orphans.count,
            removedLeftovers: leftovers, shortfall: shortfall)
    }

    /// Bytes of blobs only `key` uses.
    private func ownBlobBytes(_ key: ModelKey, _ blobsOf: [ModelKey: [String]], _ users: [String: Int], _ sizes: [String: Int64]) -> Int64 {
        (blobsOf[key] ?? []).filter { users[$0] == 1 }.reduce(0) { $0 + (sizes[$1] ?? 0) }
    }

    /// Partial downloads and staging directories of pulls that are no longer running.
    private func removeLeftovers(dryRun: Bool) throws -> Int {
        guard try catalog.database.rows("SELECT key FROM leases").allSatisfy({ row in
            (try? Lease.holder(of: row.text(0) ?? "", database: catalog.database)) == nil
        }) else { return 0 }  // a pull is running: its partial files are in use
        var count = 0
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: layout.partials.path)) ?? [] {
            count += 1
            if !dryRun { try? fm.removeItem(at: layout.partials.appendingPathComponent(name)) }
        }
        for namespace in (try? fm.contentsOfDirectory(atPath: layout.models.path)) ?? [] {
            let directory = layout.models.appendingPathComponent(namespace)
            for name in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
            where name.hasPrefix(".") && (name.contains(".staging-") || name.contains(".old-")) {
                count += 1
                if !dryRun { try? fm.removeItem(at: directory.appendingPathComponent(name)) }
            }
        }
        return count
    }
}
