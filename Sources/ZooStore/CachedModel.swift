/// A model in the cache, as `zoo ls` shows it.
public struct CachedModel: Sendable, Encodable {
    public var stub: String
    public var namespace: String
    public var repoName: String
    /// The model directory.
    public var path: String
    /// Bytes only this model uses (its blobs no other model shares, plus what its archives unpacked to).
    public var ownBytes: Int64
    /// Bytes of blobs this model shares with other cached models.
    public var sharedBytes: Int64
    public var files: Int
    /// Weight sparsity in percent, as the catalog knows it.
    public var sparsity: Int?
    public var quantized: Bool
    public var complete: Bool
    public var pinned: Bool
    /// A pull of this model is running now.
    public var pulling: Bool
    /// Unix seconds.
    public var pulledAt: Double
    public var lastUsed: Double

    private enum CodingKeys: String, CodingKey {
        case stub, namespace, repoName = "repo_name", path, ownBytes = "own_bytes", sharedBytes = "shared_bytes"
        case files, sparsity, quantized, complete, pinned, pulling, pulledAt = "pulled_at", lastUsed = "last_used"
    }

    /// The model's key.
    public var key: ModelKey { ModelKey(namespace: namespace, repoName: repoName) }
}

/// A recipe file in the cache, as `zoo ls --recipes` shows it.
public struct CachedRecipe: Sendable, Encodable {
    public var stub: String
    public var name: String
    public var size: Int64
    public var path: String
}

/// The orders `zoo ls` can list in.
public enum CacheOrder: String, Sendable, CaseIterable {
    /// By stub.
    case name
    /// Largest (own + shared bytes) first.
    case size
    /// Most recently used first.
    case lastUsed = "last-used"
}
