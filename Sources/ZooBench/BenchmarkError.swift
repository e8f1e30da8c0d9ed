/// The one error type of `ZooBench`: a bad benchmark setting or input specification.
public struct BenchmarkError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A stable, matchable category.
    public enum Code: String, Sendable {
        /// A setting or argument is malformed or out of range (`-shapes`, `-b`, `-ncores`, …).
        case invalidArgument
        /// An input file or the inputs given do not fit the model.
        case invalidInput
    }

    /// The category.
    public let code: Code
    /// What happened and what to do.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
