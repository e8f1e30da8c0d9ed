/// A file that was fetched completely.
public struct TransferOutcome: Sendable {
    /// The request's ``TransferRequest/id``.
    public var id: String
    /// The file's size.
    public var bytes: Int64
    /// The file's SHA-256 as lowercase hex, computed while it was written.
    public var sha256: String
    /// The address the last bytes came from (after redirects).
    public var url: String
    /// How many bytes were already in the partial file before this download and kept.
    public var resumedFrom: Int64

    /// Creates an outcome.
    public init(id: String, bytes: Int64, sha256: String, url: String, resumedFrom: Int64) {
        self.id = id
        self.bytes = bytes
        self.sha256 = sha256
        self.url = url
        self.resumedFrom = resumedFrom
    }
}
