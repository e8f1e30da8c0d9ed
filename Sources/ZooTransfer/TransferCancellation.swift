import Foundation

/// Stops a ``TransferClient``'s work from any thread: transfers in flight end with
/// ``TransferError/Code-swift.enum/cancelled`` within about a tenth of a second, keeping their partial files.
public final class TransferCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    /// Creates a token that is not cancelled.
    public init() {}

    /// Asks the transfers to stop. It cannot be undone: later calls to the client fail at once.
    public func cancel() { lock.withLock { cancelled = true } }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { lock.withLock { cancelled } }
}
