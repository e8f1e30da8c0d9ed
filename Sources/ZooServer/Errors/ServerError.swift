/// Why the daemon cannot start or keep running: what happened and what to do.
public struct ServerError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// The flags or configuration cannot work (a public listener without a token, nothing to listen on).
        case invalidConfiguration
        /// Another daemon already serves this home.
        case alreadyRunning
        /// The socket or port could not be bound.
        case cannotListen
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
