/// Why a store operation failed: what happened and what the user can do about it.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, stable for callers and tests to match on.
    public enum Code: String, Sendable {
        /// The model is not in the cache and zoo may not fetch it (offline, or nothing lists its files).
        case notCached
        /// No registry knows the model, or a registry answered with something zoo cannot use.
        case registry
        /// A file could not be fetched or failed verification.
        case transfer
        /// An archive was refused or could not be unpacked.
        case archive
        /// There is not enough free space for the pull.
        case diskFull
        /// A cached file no longer matches its digest.
        case integrity
        /// Another process holds the model (pulling it) and the operation cannot wait.
        case busy
        /// The request itself is wrong (a pinned model to remove, a bad size).
        case invalidInput
        /// A file-system operation failed.
        case io
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and how it may be remedied.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
