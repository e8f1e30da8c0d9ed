import Foundation
import ZooCatalog

extension Store {
    /// Every cached model with its sizes, tags, pin and last use: one query, fast at tens of thousands of models.
    public func list(order: CacheOrder = .name) throws -> [CachedModel] {
        let orderBy = switch order {
        case .name: "c.stub"
        case .size: "own + shared DESC, c.stub"
        case .lastUsed: "c.last_used DESC, c.stub"
        }
        let rows = try catalog.database.rows("""
            SELECT c.stub, c.namespace, c.repo_name, c.own_bytes + c.extracted_bytes AS own, c.shared_bytes AS shared,
                   c.file_count, m.sparsity, coalesce(m.quantized, 0), c.complete, c.pinned, l.key IS NOT NULL,
                   c.pulled_at, c.last_used
            FROM cached_models c
            LEFT JOIN models m ON m.namespace = c.namespace AND m.repo_name = c.repo_name
            LEFT JOIN leases l ON l.key = c.namespace || '/' || c.repo_name
            ORDER BY \(orderBy)
            """)
        return rows.map { r in
            let key = ModelKey(namespace: r.text(1) ?? "", repoName: r.text(2) ?? "")
            return CachedModel(
                stub: r.text(0) ?? "", namespace: key.namespace, repoName: key.repoName,
                path: layout.modelDirectory(key).path, ownBytes: Int64(r.int(3) ?? 0), sharedBytes: Int64(r.int(4) ?? 0),
                files: r.int(5) ?? 0, sparsity: r.int(6), quantized: r.bool(7), complete: r.bool(8), pinned: r.bool(9),
                pulling: r.bool(10), pulledAt: r.double(11) ?? 0, lastUsed: r.double(12) ?? 0)
        }
    }

    /// Every cached recipe file (top-level `recipe*` files of cached models).
    public func recipes() throws -> [CachedRecipe] {
        try catalog.database.rows("""
            SELECT c.stub, c.namespace, c.repo_name, f.name, b.size FROM cached_files f
            JOIN cached_models c USING (namespace, repo_name) JOIN blobs b USING (sha256)
            WHERE f.name LIKE 'recipe%' AND f.name NOT LIKE '%/%' ORDER BY c.stub, f.name
            """).map { r in
            let key = ModelKey(namespace: r.text(1) ?? "", repoName: r.text(2) ?? "")
            let name = r.text(3) ?? ""
            return CachedRecipe(
                stub: r.text(0) ?? "", name: name, size: Int64(r.int(4) ?? 0),
                path: layout.modelDirectory(key).appendingPathComponent(name).path)
        }
    }

    /// Pins or unpins a cached model; gc never removes a pinned one.
    public func setPinned(_ key: ModelKey, _ pinned: Bool) throws {
        guard try index.setPinned(key, pinned) else {
            throw StoreError(.notCached, "\(key) is not cached; `zoo pull` it first")
        }
    }

    /// Removes a cached model: its directory, its rows, and the blobs no other model uses.
    /// Refuses a pinned model unless `force`, and a model another process is pulling.
    public func remove(_ key: ModelKey, force: Bool = false) throws {
        guard let model = try list().first(where: { $0.key == key }) else {
            throw StoreError(.notCached, "\(key) is not cached")
        }
        if model.pinned && !force {
            throw StoreError(.invalidInput, "\(model.stub) is pinned; `zoo unpin` it first, or pass --force")
        }
        let lease = try Lease.acquire(Self.leaseKey(key), database: catalog.database, timeout: 0)
        defer { lease.release() }
        try assembler.remove(key)
        try index.removeModel(key)
        try removeUnreferencedBlobs(dryRun: false)
    }

    /// Deletes the blobs no cached model uses; returns how many bytes that frees.
    @discardableResult
    func removeUnreferencedBlobs(dryRun: Bool) throws -> (count: Int, bytes: Int64) {
        let orphans = try index.unreferencedBlobs()
        if !dryRun {
            for blob in orphans {
                blobs.remove(blob.sha256)
                try index.forgetBlob(blob.sha256)
            }
        }
        return (orphans.count, orphans.reduce(0) { $0 + $1.size })
    }
}
