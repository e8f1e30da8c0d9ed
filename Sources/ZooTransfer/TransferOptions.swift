/// How transfers behave: parallelism, retries, timeouts and how zoo introduces itself.
///
/// Proxies are not configured here: libcurl reads `http_proxy`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY`
/// from the environment (docs/transfers.md).
public struct TransferOptions: Sendable {
    /// How many files download at once.
    public var maxParallel: Int
    /// Attempts per source for network errors, timeouts, 5xx, 408 and 429 before the next source is tried.
    /// An attempt that brings bytes never seen before starts the count again.
    public var maxAttempts: Int
    /// Seconds before the first retry, doubled on each further retry up to ``maxBackoff``.
    public var initialBackoff: Double
    /// The longest wait between attempts in seconds, also the cap on a server's `Retry-After`.
    public var maxBackoff: Double
    /// Seconds allowed to open a connection (DNS, TCP and TLS).
    public var connectTimeout: Double
    /// An attempt that receives less than one byte per second for this many seconds is aborted and retried.
    /// libcurl counts whole seconds, so this is rounded up to at least 1.
    public var stallTimeout: Double
    /// The `User-Agent` header.
    public var userAgent: String

    /// Creates options; the defaults suit downloads from a registry over the internet.
    public init(
        maxParallel: Int = 4, maxAttempts: Int = 5, initialBackoff: Double = 0.5, maxBackoff: Double = 30,
        connectTimeout: Double = 15, stallTimeout: Double = 30,
        userAgent: String = "zoo (libcurl/\(CurlLibrary.version))"
    ) {
        self.maxParallel = maxParallel
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.connectTimeout = connectTimeout
        self.stallTimeout = stallTimeout
        self.userAgent = userAgent
    }
}
