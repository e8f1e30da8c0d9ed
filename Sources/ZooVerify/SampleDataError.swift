/// Why a model's sample data could not be checked: a sample file that is not what SparseZoo writes,
/// arrays that do not fit the model, or sample data that is not there.
public struct SampleDataError: Error, CustomStringConvertible, Sendable {
    /// A stable category, for callers to map to exit statuses and for tests to match on.
    public enum Code: String, Sendable {
        /// A sample file or archive is unreadable or malformed (bad zip, bad `.npy`, unpaired files).
        case malformedFile
        /// A sample file's arrays do not match the model's inputs or outputs (names, count, types).
        case doesNotFitModel
        /// The model directory lacks `sample-inputs` or `sample-outputs`.
        case missing
    }

    /// The category.
    public let code: Code
    /// What is wrong, naming the file, and what to do.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
