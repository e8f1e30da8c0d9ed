/// What an extraction wrote.
public struct ExtractionReport: Sendable, Equatable {
    /// Every file and link written, relative to the destination (after any stripped top directory), sorted.
    public var files: [String]
    /// The bytes of file data written.
    public var bytes: Int64

    /// Creates a report.
    public init(files: [String], bytes: Int64) {
        self.files = files
        self.bytes = bytes
    }
}
