/// The body of an extraction: reads every entry, checks it against the entries before it and the limits,
/// and writes it under a `TreeWriter`.
struct Unpacking {
    /// The tree the entries made.
    private(set) var tree: ArchiveTree
    /// The bytes counted against the limits; at the end, the bytes of file data written.
    private(set) var budget: ExpansionBudget
    /// Every file and link written, in archive order.
    private(set) var written: [EntryPath] = []

    /// Prepares to unpack an archive file of `archiveBytes` bytes within `limits`.
    init(limits: ExtractionLimits, archiveBytes: Int64) {
        tree = ArchiveTree(maxEntries: limits.maxEntries)
        budget = ExpansionBudget(limits: limits, archiveBytes: archiveBytes)
    }

    /// Writes every entry `reader` yields, stopping at the first one that is refused or fails.
    mutating func run(_ reader: ArchiveReader, into writer: TreeWriter) throws {
        while let header = try reader.nextHeader() {
            guard let path = try tree.admit(header) else { continue }
            try write(header, at: path, from: reader, into: writer)
        }
    }

    private mutating func write(_ header: ArchiveHeader, at path: EntryPath, from reader: ArchiveReader, into writer: TreeWriter) throws {
        let name = header.name
        switch header.kind {
        case .directory:
            try writer.makeDirectory(path, entry: name)
            return
        case .file:
            try writeFile(header, at: path, from: reader, into: writer)
        case .symbolicLink(let target):
            try writer.makeSymbolicLink(path, target: target, entry: name)
        case .hardLink(let target):
            try writer.makeHardLink(path, to: EntryPath(archiveName: target), entry: name)
        case .special:
            preconditionFailure("ArchiveTree.admit refuses \(name) before it can be written")
        }
        written.append(path)
    }

    private mutating func writeFile(_ header: ArchiveHeader, at path: EntryPath, from reader: ArchiveReader, into writer: TreeWriter) throws {
        let name = header.name
        if let declared = header.declaredSize {
            try budget.admit(name, declaredBytes: declared)
        }
        let sink = try writer.createFile(path, executable: header.isExecutable, entry: name)
        var entryBytes: Int64 = 0
        try reader.readData { offset, block in
            entryBytes += Int64(block.count)
            try budget.record(Int64(block.count), of: name, entryBytes: entryBytes)
            try sink.write(block, at: offset)
        }
        try sink.finish(extendingTo: header.isSparse ? header.declaredSize : nil)
    }
}
