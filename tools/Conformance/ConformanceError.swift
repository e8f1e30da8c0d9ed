/// A failure of the conformance tool itself (not of a case): bad arguments, missing files.
struct ConformanceError: Error, CustomStringConvertible {
    /// The category of failure.
    enum Code {
        /// The command line is wrong.
        case usage
        /// A file could not be read or written.
        case io
        /// A file is not in the expected format.
        case invalidInput
    }

    /// The category.
    let code: Code
    /// What happened and what to do.
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }
}
