import Foundation
import ZooCatalog

/// The cache's rows in the catalog database (migration 0002): blobs, cached models and their files,
/// learned digests. Every method is one short statement or transaction; the caller holds the model's lease
/// when it changes a model.
struct CacheIndex {
    let database: Database

    static func now() -> Double { Date().timeIntervalSince1970 }

    // MARK: blobs

    func recordBlob(_ sha256: String, size: Int64) throws {
        try database.run(
            "INSERT INTO blobs (sha256, size, added_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            [.text(sha256), .integer(size), .real(Self.now())])
    }

    func blobSize(_ sha256: String) throws -> Int64? {
        try database.row("SELECT size FROM blobs WHERE sha256 = ?", [.text(sha256)])?.int(0).map(Int64.init)
    }

    func forgetBlob(_ sha256: String) throws {
        try database.transaction {
            let users = try database.rows(
                "SELECT DISTINCT namespace, repo_name FROM cached_files WHERE sha256 = ?", [.text(sha256)])
            try database.run("DELETE FROM cached_files WHERE sha256 = ?", [.text(sha256)])
            try database.run("DELETE FROM blobs WHERE sha256 = ?", [.text(sha256)])
            for user in users { try refreshSizes(of: ModelKey(namespace: user.text(0) ?? "", repoName: user.text(1) ?? "")) }
        }
    }

    /// Blobs no cached model uses any more.
    func unreferencedBlobs() throws -> [(sha256: String, size: Int64)] {
        try database.rows("SELECT sha256, size FROM blobs WHERE refs = 0").map { ($0.text(0) ?? "", Int64($0.int(1) ?? 0)) }
    }

    func allBlobs() throws -> [(sha256: String, size: Int64)] {
        try database.rows("SELECT sha256, size FROM blobs").map { ($0.text(0) ?? "", Int64($0.int(1) ?? 0)) }
    }

    // MARK: models

    func files(of key: ModelKey) throws -> [String: String] {
        var files: [String: String] = [:]
        for row in try database.rows(
            "SELECT name, sha256 FROM cached_files WHERE namespace = ? AND repo_name = ?", Self.arguments(key))
        {
            files[row.text(0) ?? ""] = row.text(1) ?? ""
        }
        return files
    }

    func isComplete(_ key: ModelKey) throws -> Bool {
        try database.row(
            "SELECT complete FROM cached_models WHERE namespace = ? AND repo_name = ?", Self.arguments(key))?.bool(0) ?? false
    }

    func isCached(_ key: ModelKey) throws -> Bool {
        try database.row("SELECT 1 FROM cached_models WHERE namespace = ? AND repo_name = ?", Self.arguments(key)) != nil
    }

    /// Records the model's files after its directory was put in place.
    func recordModel(_ key: ModelKey, stub: String, files: [String: String], extractedBytes: Int64, complete: Bool) throws {
        try database.transaction {
            let before = Set(try self.files(of: key).values)
            let now = Self.now()
            try database.run("""
                INSERT INTO cached_models (namespace, repo_name, stub, complete, extracted_bytes, pulled_at, last_used)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (namespace, repo_name) DO UPDATE SET stub = excluded.stub, complete = excluded.complete,
                    extracted_bytes = excluded.extracted_bytes, pulled_at = excluded.pulled_at, last_used = excluded.last_used
                """, Self.arguments(key) + [.text(stub), .bool(complete), .integer(extractedBytes), .real(now), .real(now)])
            try database.run("DELETE FROM cached_files WHERE namespace = ? AND repo_name = ?", Self.arguments(key))
            for (name, sha256) in files {
                try database.run(
                    "INSERT INTO cached_files (namespace, repo_name, name, sha256) VALUES (?, ?, ?, ?)",
                    Self.arguments(key) + [.text(name), .text(sha256)])
            }
            try refreshSizes(ofUsersOf: before.union(files.values), and: key)
        }
    }

    func markIncomplete(_ key: ModelKey) throws {
        try database.run(
            "UPDATE cached_models SET complete = 0 WHERE namespace = ? AND repo_name = ?", Self.arguments(key))
    }

    func touch(_ key: ModelKey) throws {
        try database.run(
            "UPDATE cached_models SET last_used = ? WHERE namespace = ? AND repo_name = ?",
            [.real(Self.now())] + Self.arguments(key))
    }

    /// Sets the pin; false when the model is not cached.
    func setPinned(_ key: ModelKey, _ pinned: Bool) throws -> Bool {
        try database.run(
            "UPDATE cached_models SET pinned = ? WHERE namespace = ? AND repo_name = ?",
            [.bool(pinned)] + Self.arguments(key))
        return database.changes > 0
    }

    func removeModel(_ key: ModelKey) throws {
        try database.transaction {
            let blobs = Set(try files(of: key).values)
            try database.run("DELETE FROM cached_models WHERE namespace = ? AND repo_name = ?", Self.arguments(key))
            try refreshSizes(ofUsersOf: blobs, and: nil)
        }
    }

    // MARK: sizes

    /// Recomputes own/shared bytes and the file count of `key` and of every model using one of `blobs`:
    /// whoever shares a blob that came or went. Kept in the rows so that `ls` reads them in one scan.
    private func refreshSizes(ofUsersOf blobs: Set<String>, and key: ModelKey?) throws {
        var keys: Set<ModelKey> = key.map { [$0] } ?? []
        for sha256 in blobs {
            for row in try database.rows("SELECT DISTINCT namespace, repo_name FROM cached_files WHERE sha256 = ?", [.text(sha256)]) {
                keys.insert(ModelKey(namespace: row.text(0) ?? "", repoName: row.text(1) ?? ""))
            }
        }
        for key in keys { try refreshSizes(of: key) }
    }

    /// Recomputes every model's sizes: after rows were written by something other than the store.
    func refreshAllSizes() throws {
        try database.run("UPDATE cached_models SET \(Self.sizeAssignments)")
    }

    private func refreshSizes(of key: ModelKey) throws {
        try database.run(
            "UPDATE cached_models SET \(Self.sizeAssignments) WHERE namespace = ? AND repo_name = ?", Self.arguments(key))
    }

    /// A blob is shared when cached_files rows of other models name it too (its refs exceed this model's rows).
    private static let sizeAssignments = """
        file_count = (SELECT count(*) FROM cached_files f
                      WHERE f.namespace = cached_models.namespace AND f.repo_name = cached_models.repo_name),
        own_bytes = (SELECT total(b.size) FROM (SELECT sha256, count(*) AS mine FROM cached_files f
                     WHERE f.namespace = cached_models.namespace AND f.repo_name = cached_models.repo_name GROUP BY sha256) d
                     JOIN blobs b USING (sha256) WHERE b.refs = d.mine),
        shared_bytes = (SELECT total(b.size) FROM (SELECT sha256, count(*) AS mine FROM cached_files f
                        WHERE f.namespace = cached_models.namespace AND f.repo_name = cached_models.repo_name GROUP BY sha256) d
                        JOIN blobs b USING (sha256) WHERE b.refs > d.mine)
        """

    // MARK: learned digests

    func learnedDigest(_ key: ModelKey, file name: String) throws -> (size: Int64, sha256: String)? {
        guard let row = try database.row(
            "SELECT size, sha256 FROM learned_digests WHERE namespace = ? AND repo_name = ? AND name = ?",
            Self.arguments(key) + [.text(name)])
        else { return nil }
        return (Int64(row.int(0) ?? 0), row.text(1) ?? "")
    }

    func learn(_ key: ModelKey, file name: String, size: Int64, sha256: String) throws {
        try database.run(
            "INSERT OR IGNORE INTO learned_digests (namespace, repo_name, name, size, sha256) VALUES (?, ?, ?, ?, ?)",
            Self.arguments(key) + [.text(name), .integer(size), .text(sha256)])
    }

    static func arguments(_ key: ModelKey) -> [SQLValue] { [.text(key.namespace), .text(key.repoName)] }
}
