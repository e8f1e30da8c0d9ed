/// Reading the cache's reports back from their JSON, as `zoo` does with a daemon's answers.
extension CachedModel: Decodable {
    private enum DecodingKeys: String, CodingKey {
        case stub, namespace, repoName = "repo_name", path, ownBytes = "own_bytes", sharedBytes = "shared_bytes"
        case files, sparsity, quantized, complete, pinned, pulling, pulledAt = "pulled_at", lastUsed = "last_used"
    }

    /// Decodes a model encoded by ``CachedModel``'s `Encodable` conformance.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        stub = try c.decode(String.self, forKey: .stub)
        namespace = try c.decode(String.self, forKey: .namespace)
        repoName = try c.decode(String.self, forKey: .repoName)
        path = try c.decode(String.self, forKey: .path)
        ownBytes = try c.decode(Int64.self, forKey: .ownBytes)
        sharedBytes = try c.decode(Int64.self, forKey: .sharedBytes)
        files = try c.decode(Int.self, forKey: .files)
        sparsity = try c.decodeIfPresent(Int.self, forKey: .sparsity)
        quantized = try c.decode(Bool.self, forKey: .quantized)
        complete = try c.decode(Bool.self, forKey: .complete)
        pinned = try c.decode(Bool.self, forKey: .pinned)
        pulling = try c.decode(Bool.self, forKey: .pulling)
        pulledAt = try c.decode(Double.self, forKey: .pulledAt)
        lastUsed = try c.decode(Double.self, forKey: .lastUsed)
    }
}

extension CachedRecipe: Decodable {
    private enum DecodingKeys: String, CodingKey { case stub, name, size, path }

    /// Decodes a recipe encoded by ``CachedRecipe``'s `Encodable` conformance.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        stub = try c.decode(String.self, forKey: .stub)
        name = try c.decode(String.self, forKey: .name)
        size = try c.decode(Int64.self, forKey: .size)
        path = try c.decode(String.self, forKey: .path)
    }
}

extension PullReport: Decodable {
    private enum DecodingKeys: String, CodingKey {
        case stub, namespace, repoName = "repo_name", path, downloaded, reused
        case bytesDownloaded = "bytes_downloaded", complete
    }

    /// Decodes a report encoded by ``PullReport``'s `Encodable` conformance.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        stub = try c.decode(String.self, forKey: .stub)
        namespace = try c.decode(String.self, forKey: .namespace)
        repoName = try c.decode(String.self, forKey: .repoName)
        path = try c.decode(String.self, forKey: .path)
        downloaded = try c.decode([String].self, forKey: .downloaded)
        reused = try c.decode([String].self, forKey: .reused)
        bytesDownloaded = try c.decode(Int64.self, forKey: .bytesDownloaded)
        complete = try c.decode(Bool.self, forKey: .complete)
    }
}

extension GCReport: Decodable {
    private enum DecodingKeys: String, CodingKey {
        case dryRun = "dry_run", bytesBefore = "bytes_before", bytesAfter = "bytes_after"
        case removedModels = "removed_models", removedBlobs = "removed_blobs", removedLeftovers = "removed_leftovers", shortfall
    }

    /// Decodes a report encoded by ``GCReport``'s `Encodable` conformance.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        dryRun = try c.decode(Bool.self, forKey: .dryRun)
        bytesBefore = try c.decode(Int64.self, forKey: .bytesBefore)
        bytesAfter = try c.decode(Int64.self, forKey: .bytesAfter)
        removedModels = try c.decode([String].self, forKey: .removedModels)
        removedBlobs = try c.decode(Int.self, forKey: .removedBlobs)
        removedLeftovers = try c.decode(Int.self, forKey: .removedLeftovers)
        shortfall = try c.decodeIfPresent(Int64.self, forKey: .shortfall)
    }
}

extension FileCheck: Decodable {
    private enum DecodingKeys: String, CodingKey { case name, sha256, status }

    /// Decodes a check encoded by ``FileCheck``'s `Encodable` conformance.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        sha256 = try c.decode(String.self, forKey: .sha256)
        status = try c.decode(String.self, forKey: .status)
    }
}

extension VerifyReport: Decodable {
    private enum DecodingKeys: String, CodingKey { case stub, path, rehashed, files }

    /// Decodes a report encoded by ``VerifyReport``'s `Encodable` conformance (`ok` follows from the files).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        stub = try c.decode(String.self, forKey: .stub)
        path = try c.decode(String.self, forKey: .path)
        rehashed = try c.decode(Bool.self, forKey: .rehashed)
        files = try c.decode([FileCheck].self, forKey: .files)
    }
}
