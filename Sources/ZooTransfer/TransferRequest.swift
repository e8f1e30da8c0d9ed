/// One place a file can be fetched from, with the registry's credentials.
public struct TransferSource: Sendable, Equatable {
    /// An `http://` or `https://` address.
    public var url: String
    /// Sent as `Authorization: Bearer …` to this source's host (libcurl drops it on a redirect to another host).
    public var bearerToken: String?

    /// Creates a source.
    public init(url: String, bearerToken: String? = nil) {
        self.url = url
        self.bearerToken = bearerToken
    }
}

/// One file to fetch: mirrors tried in order, written to `destination`.
///
/// `destination` is a partial file that may already hold bytes from an earlier attempt: they are re-hashed and
/// only the rest is requested, with `Range`. The file is never renamed or moved: the caller installs it.
public struct TransferRequest: Sendable {
    /// The caller's name for the file, echoed in events (e.g. its display name).
    public var id: String
    /// Where the file can be fetched from, tried in order.
    public var sources: [TransferSource]
    /// The path of the partial file to write.
    public var destination: String
    /// The file's size in bytes, when known: a source that disagrees is not used.
    public var expectedSize: Int64?
    /// The file's SHA-256 as lowercase hex, when known. On a mismatch the partial file is emptied and the file
    /// downloaded once more from the start; a second mismatch moves on to the next source, and after the last
    /// one the download fails with ``TransferError/Code-swift.enum/digestMismatch`` and the file is deleted.
    public var expectedSHA256: String?

    /// Creates a request.
    public init(
        id: String, sources: [TransferSource], destination: String,
        expectedSize: Int64? = nil, expectedSHA256: String? = nil
    ) {
        self.id = id
        self.sources = sources
        self.destination = destination
        self.expectedSize = expectedSize
        self.expectedSHA256 = expectedSHA256?.lowercased()
    }
}
