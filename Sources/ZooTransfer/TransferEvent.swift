/// What happened to a file, reported as it happens (the CLI draws progress bars or prints NDJSON from these).
public enum TransferEvent: Sendable {
    /// A source accepted the request and its body starts arriving at byte `resumedFrom` of `total`.
    /// Sent again for each later attempt that gets that far.
    case started(id: String, url: String, resumedFrom: Int64, total: Int64?)
    /// The partial file now holds `bytes` bytes, received in order; at most about ten per second per file.
    case progress(id: String, bytes: Int64, total: Int64?)
    /// Attempt `attempt` on the current source begins in `delay` seconds because of `reason`.
    case retrying(id: String, attempt: Int, delay: Double, reason: String)
    /// The file is complete, its size and digest checked, and fsynced.
    case finished(id: String, bytes: Int64, sha256: String)
    /// The file could not be fetched from any source.
    case failed(id: String, error: TransferError)
}
