/// What an import did: models written and removed, and every entry it had to refuse.
public struct ImportReport: Sendable, Encodable {
    /// `shipped` or the path of the user's catalog file.
    public var source: String
    /// The same bytes were imported before, so nothing was done.
    public var unchanged: Bool = false
    /// Models written (new or updated).
    public var imported: Int = 0
    /// Models this source listed before and no longer does, now removed.
    public var removed: Int = 0
    /// Models that another catalog already defines and that this one may not replace.
    public var skipped: [String] = []
    /// Entries refused, by index in the file's `models` list.
    public var problems: [ImportProblem] = []

    private enum CodingKeys: String, CodingKey { case source, unchanged, imported, removed, skipped, problems }
}

/// One refused catalog entry.
public struct ImportProblem: Sendable, Encodable, CustomStringConvertible {
    /// Position in the file's `models` list, from 0.
    public var index: Int
    /// The entry's stub, when it had one.
    public var stub: String?
    /// What is wrong with it.
    public var message: String

    public var description: String { "entry \(index)\(stub.map { " (\($0))" } ?? ""): \(message)" }
}
