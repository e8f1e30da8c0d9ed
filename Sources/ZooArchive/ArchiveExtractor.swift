/// Extracts tar / tar.gz / tar.xz / tar.zst / zip and the other formats libarchive reads (format and
/// compression detected from the bytes), refusing any entry that could escape the destination, any special
/// file, and archives that pass the `ExtractionLimits`. docs/archive-safety.md lists the rules.
public struct ArchiveExtractor: Sendable {
    /// The caps this extractor enforces.
    public let limits: ExtractionLimits

    /// An extractor enforcing `limits`.
    public init(limits: ExtractionLimits = .default) {
        self.limits = limits
    }

    /// Extracts `archive` into `destination`, which must not exist yet. Everything is written into a
    /// temporary sibling directory first (same parent, name starting with ".") and renamed to `destination`
    /// only when every entry is good and flushed to the disk; on any error the temporary directory is
    /// removed and `destination` never appears. With `stripSharedTopDirectory`, when every entry sits under
    /// one top-level directory (e.g. `deployment/…`), its contents land directly in `destination`.
    /// Throws `ArchiveError`.
    public func extract(archive: String, into destination: String, stripSharedTopDirectory: Bool = true) throws -> ExtractionReport {
        let reader = try ArchiveReader(path: archive)
        let staging = try StagingDirectory(for: destination)
        do {
            let writer = try TreeWriter(root: staging.path)
            var unpacking = Unpacking(limits: limits, archiveBytes: reader.archiveBytes)
            try unpacking.run(reader, into: writer)
            let topDirectory = stripSharedTopDirectory ? unpacking.tree.sharedTopDirectory : nil
            try unpacking.tree.checkSymbolicLinks(insideTopDirectory: topDirectory)
            try writer.syncDirectories(unpacking.tree.directoriesDeepestFirst)
            try staging.commit(subdirectory: topDirectory)
            let stripped = topDirectory == nil ? 0 : 1
            let files = unpacking.written.map { EntryPath(components: $0.components.dropFirst(stripped)).string }
            return ExtractionReport(files: files.sorted(), bytes: unpacking.budget.totalBytes)
        } catch {
            staging.discard()
            throw error
        }
    }

    /// Lists the entries (path, kind, declared size, link target) in archive order without writing anything,
    /// applying the same checks as `extract`; sizes are the headers' claims. Throws `ArchiveError`.
    public func list(archive: String) throws -> [ArchiveEntryInfo] {
        let reader = try ArchiveReader(path: archive)
        var tree = ArchiveTree(maxEntries: limits.maxEntries)
        var budget = ExpansionBudget(limits: limits, archiveBytes: reader.archiveBytes)
        var entries: [ArchiveEntryInfo] = []
        while let header = try reader.nextHeader() {
            guard let path = try tree.admit(header) else { continue }
            if case .file = header.kind, let size = header.declaredSize {
                try budget.record(size, of: header.name, entryBytes: size)
            }
            entries.append(ArchiveEntryInfo(path: path, header: header))
        }
        try tree.checkSymbolicLinks()
        return entries
    }
}
