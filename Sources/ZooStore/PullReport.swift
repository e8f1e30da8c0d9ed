import Foundation

/// What a pull did.
public struct PullReport: Sendable, Encodable {
    /// The stub as asked for.
    public var stub: String
    public var namespace: String
    public var repoName: String
    /// The model directory.
    public var path: String
    /// Files downloaded now, and files already in the cache.
    public var downloaded: [String]
    public var reused: [String]
    /// Bytes downloaded now.
    public var bytesDownloaded: Int64
    /// Whether every selected file is in place.
    public var complete: Bool

    private enum CodingKeys: String, CodingKey {
        case stub, namespace, repoName = "repo_name", path, downloaded, reused
        case bytesDownloaded = "bytes_downloaded", complete
    }
}
