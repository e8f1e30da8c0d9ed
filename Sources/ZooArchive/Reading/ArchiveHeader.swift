import CArchive

/// The parts of a libarchive entry header that extraction looks at, copied out of libarchive's buffers.
struct ArchiveHeader {
    /// What the header says the entry is.
    enum Kind {
        case file
        case directory
        case symbolicLink(target: String)
        case hardLink(target: String)
        /// A device, fifo or socket, named for messages ("a fifo").
        case special(String)
    }

    /// The entry's name exactly as stored in the archive.
    let name: String
    let kind: Kind
    /// The size of a file's data as the header declares it; nil when the header does not say.
    let declaredSize: Int64?
    /// Whether any of the owner, group or other execute bits is set.
    let isExecutable: Bool
    /// Whether the data comes as regions with holes between them (sparse tar entries).
    let isSparse: Bool

    /// Reads the header of `entry`, which libarchive owns.
    init(_ entry: OpaquePointer) throws {
        guard let rawName = archive_entry_pathname(entry) ?? archive_entry_pathname_utf8(entry) else {
            throw ArchiveError(.unreadable, "an entry of the archive has no name; the archive is corrupt")
        }
        guard let name = String(validatingCString: rawName) else {
            let lossy = String(cString: rawName)
            throw ArchiveError(.unreadable, entry: lossy, "the archive entry \(lossy) has a name that is not valid UTF-8; zoo only extracts UTF-8 names")
        }
        self.name = name
        kind = try Self.kind(of: entry, name: name)
        declaredSize = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil
        isExecutable = archive_entry_perm(entry) & 0o111 != 0
        isSparse = archive_entry_sparse_count(entry) > 0
    }

    private static func kind(of entry: OpaquePointer, name: String) throws -> Kind {
        if let target = archive_entry_hardlink(entry) {
            return .hardLink(target: try linkTarget(target, of: name))
        }
        switch archive_entry_filetype(entry) & CArchive_IFMT {
        case CArchive_IFREG: return .file
        case CArchive_IFDIR: return .directory
        case CArchive_IFLNK:
            guard let target = archive_entry_symlink(entry) else { return .symbolicLink(target: "") }
            return .symbolicLink(target: try linkTarget(target, of: name))
        case CArchive_IFCHR: return .special("a character device")
        case CArchive_IFBLK: return .special("a block device")
        case CArchive_IFIFO: return .special("a fifo")
        case CArchive_IFSOCK: return .special("a socket")
        default: return .special("of an unknown type")
        }
    }

    private static func linkTarget(_ raw: UnsafePointer<CChar>, of name: String) throws -> String {
        guard let target = String(validatingCString: raw) else {
            throw ArchiveError(.unreadable, entry: name, "the link \(name) in the archive has a target that is not valid UTF-8; zoo only extracts UTF-8 names")
        }
        return target
    }
}
