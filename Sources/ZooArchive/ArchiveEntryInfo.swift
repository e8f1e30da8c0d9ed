/// One entry of an archive, as `ArchiveExtractor.list` reports it.
public struct ArchiveEntryInfo: Sendable, Equatable {
    /// What an entry is.
    public enum Kind: String, Sendable {
        case file, directory, symbolicLink, hardLink
    }

    /// The entry's path inside the archive, without a leading `./` or a trailing `/`.
    public var path: String
    /// What the entry is.
    public var kind: Kind
    /// The size the header declares for a file; nil when the header does not record one.
    public var size: Int64?
    /// Where a symbolic link points (as stored) or which entry a hard link repeats.
    public var linkTarget: String?

    /// Creates an entry description.
    public init(path: String, kind: Kind, size: Int64?, linkTarget: String? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.linkTarget = linkTarget
    }
}

extension ArchiveEntryInfo {
    /// Describes the entry at `path` with the header it was read from.
    init(path: EntryPath, header: ArchiveHeader) {
        switch header.kind {
        case .file: self.init(path: path.string, kind: .file, size: header.declaredSize)
        case .directory, .special: self.init(path: path.string, kind: .directory, size: nil)
        case .symbolicLink(let target): self.init(path: path.string, kind: .symbolicLink, size: nil, linkTarget: target)
        case .hardLink(let target): self.init(path: path.string, kind: .hardLink, size: nil, linkTarget: target)
        }
    }
}
