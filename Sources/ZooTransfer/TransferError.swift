/// Why a transfer failed: a stable code, the address and status involved, and a sentence saying what to do.
public struct TransferError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, stable for callers and tests to match on.
    public enum Code: String, Sendable {
        /// The connection failed or broke (DNS, refused, reset, closed early, TLS).
        case network
        /// The server answered with a status that is not a success.
        case http
        /// No connection within the connect timeout, or the body stalled for the stall timeout.
        case timeout
        /// The bytes do not have the expected SHA-256.
        case digestMismatch
        /// The server's size for the file is not the expected size.
        case sizeMismatch
        /// The disk holding the destination is full (or over quota); the partial bytes are kept.
        case diskFull
        /// The destination could not be opened, written or synced.
        case writeFailed
        /// ``TransferCancellation/cancel()`` stopped the transfer; the partial bytes are kept.
        case cancelled
        /// The address is malformed or not `http`/`https`.
        case badURL
    }

    /// The kind of failure.
    public var code: Code
    /// The address involved, if any.
    public var url: String?
    /// The HTTP status, for ``Code-swift.enum/http``.
    public var status: Int?
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, url: String? = nil, status: Int? = nil, _ message: String) {
        self.code = code
        self.url = url
        self.status = status
        self.message = message
    }

    public var description: String { message }
}
