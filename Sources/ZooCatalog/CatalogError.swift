/// An error from the catalog: what happened, what to do about it, and the SQLite detail behind it.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, stable for callers and tests to match on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case sqlite, busy, notACatalog, newerCatalog, invalidCatalogFile, notFound, invalidInput
        }
        private let value: Value
        /// SQLite refused an operation.
        public static let sqlite = Code(value: .sqlite)
        /// Another connection held a lock longer than this one would wait.
        public static let busy = Code(value: .busy)
        /// The catalog file is corrupt or belongs to another program.
        public static let notACatalog = Code(value: .notACatalog)
        /// The catalog was written by a newer zoo with migrations this binary does not know.
        public static let newerCatalog = Code(value: .newerCatalog)
        /// A catalog JSON file could not be read at all (its entries' problems are reported separately).
        public static let invalidCatalogFile = Code(value: .invalidCatalogFile)
        /// The stub names no model in the catalog.
        public static let notFound = Code(value: .notFound)
        /// A caller passed a value the catalog cannot store.
        public static let invalidInput = Code(value: .invalidInput)

        public var description: String { "\(value)" }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and how it may be remedied.
    public var message: String
    /// The underlying detail (SQLite's message and the statement), if any.
    public var cause: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { cause.map { "\(message) (\($0))" } ?? message }
}
