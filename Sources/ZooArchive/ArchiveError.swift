/// Why an archive was refused or could not be read. `entry` names the offending member when there is one.
public struct ArchiveError: Error, CustomStringConvertible, Sendable {
    /// The kind of refusal or failure, stable for callers and tests to match on.
    public enum Code: String, Sendable {
        /// libarchive could not read the archive: truncated, corrupt, or not an archive at all.
        case unreadable
        /// An entry's name has a `..` component.
        case pathTraversal
        /// An entry's name is absolute.
        case absolutePath
        /// A link points outside the extracted tree, or an entry would be written through a link.
        case linkOutside
        /// An entry is a device, a fifo or a socket.
        case specialFile
        /// One entry is larger than `ExtractionLimits.maxEntryBytes`.
        case entryTooLarge
        /// The archive has more than `ExtractionLimits.maxEntries` entries.
        case tooManyEntries
        /// The expanded bytes passed `ExtractionLimits.maxTotalBytes` or `maxExpansionRatio`.
        case expansionLimit
        /// Two entries claim the same path.
        case duplicateEntry
        /// Writing the extracted tree failed for a reason other than a full disk.
        case writeFailed
        /// The disk (or the user's quota) ran out of space.
        case diskFull
    }

    /// The kind of refusal or failure.
    public var code: Code
    /// The archive member at fault, as named in the archive, if the failure concerns one.
    public var entry: String?
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, entry: String? = nil, _ message: String) {
        self.code = code
        self.entry = entry
        self.message = message
    }

    public var description: String { message }
}
