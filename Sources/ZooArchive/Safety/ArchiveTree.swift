/// The tree an archive's entries make, built entry by entry before anything is written: every rule that
/// depends on other entries (the entry count, duplicates, parents, links) is checked here.
struct ArchiveTree {
    private enum Node: Equatable {
        case directory(explicit: Bool)
        case file
        case symbolicLink(target: String)
    }

    /// How many links one symbolic link may resolve through, as Linux's own limit (40).
    private static let maxLinkHops = 40

    private let maxEntries: Int
    private var entryCount = 0
    private var nodes: [EntryPath: Node] = [:]
    private var symbolicLinks: [(path: EntryPath, name: String)] = []
    private var firstTopLevelName: String?
    private var hasSeveralTopLevelNames = false
    private var hasNestedEntry = false

    /// Starts an empty tree that refuses more than `maxEntries` entries.
    init(maxEntries: Int) {
        self.maxEntries = maxEntries
    }

    /// Checks the entry of `header` against the entries before it and adds it. Returns its path, or nil for
    /// the archive's root directory (`./`), which has nothing to write.
    mutating func admit(_ header: ArchiveHeader) throws -> EntryPath? {
        let name = header.name
        entryCount += 1
        guard entryCount <= maxEntries else {
            throw ArchiveError(.tooManyEntries, entry: name, "the archive has more than \(maxEntries) entries (the limit ExtractionLimits.maxEntries), so \(name) was refused; the archive may be hostile, or the limit needs raising")
        }
        let path = try EntryPath(archiveName: name)
        let node = try node(for: header)
        if path.components.isEmpty {
            guard node == .directory(explicit: true) else {
                throw ArchiveError(.pathTraversal, entry: name, "the archive entry \(name) names the destination itself but is not a directory; the archive is unsafe and was not extracted")
            }
            return nil
        }
        for ancestor in path.ancestors {
            switch nodes[ancestor] {
            case nil: nodes[ancestor] = .directory(explicit: false)
            case .directory: continue
            case .file:
                throw ArchiveError(.duplicateEntry, entry: name, "the archive entry \(name) needs \(ancestor.string) to be a directory, but an earlier entry made it a file; the archive is inconsistent and was not extracted")
            case .symbolicLink:
                throw ArchiveError(.linkOutside, entry: name, "the archive entry \(name) would be written through the symbolic link \(ancestor.string); the archive is unsafe and was not extracted")
            }
        }
        switch (nodes[path], node) {
        case (nil, _), (.directory(explicit: false), .directory): break
        default:
            throw ArchiveError(.duplicateEntry, entry: name, "the archive entry \(name) repeats the path \(path.string) of an earlier entry; the archive is inconsistent and was not extracted")
        }
        nodes[path] = node
        if case .symbolicLink = node { symbolicLinks.append((path, name)) }
        noteTopLevel(of: path)
        return path
    }

    private func node(for header: ArchiveHeader) throws -> Node {
        let name = header.name
        switch header.kind {
        case .file: return .file
        case .directory: return .directory(explicit: true)
        case .special(let what):
            throw ArchiveError(.specialFile, entry: name, "the archive entry \(name) is \(what); zoo extracts only files, directories and links, so the archive was not extracted")
        case .symbolicLink(let target):
            guard !target.isEmpty, !target.hasPrefix("/") else {
                throw ArchiveError(.linkOutside, entry: name, "the symbolic link \(name) points to '\(target)'; only relative targets inside the archive are allowed, so the archive was not extracted")
            }
            return .symbolicLink(target: target)
        case .hardLink(let target):
            guard let targetPath = try? EntryPath(archiveName: target), nodes[targetPath] == .file else {
                throw ArchiveError(.linkOutside, entry: name, "the hard link \(name) points to \(target), which is not a file extracted before it inside the archive; the archive is unsafe and was not extracted")
            }
            return .file
        }
    }

    private mutating func noteTopLevel(of path: EntryPath) {
        let top = path.components[0]
        if path.components.count > 1 { hasNestedEntry = true }
        if let first = firstTopLevelName {
            if first != top { hasSeveralTopLevelNames = true }
        } else {
            firstTopLevelName = top
        }
    }

    /// The one top-level directory every entry sits under (e.g. `deployment`), if there is exactly one and
    /// something is inside it.
    var sharedTopDirectory: String? {
        hasNestedEntry && !hasSeveralTopLevelNames ? firstTopLevelName : nil
    }

    /// Every directory, explicit or implied by an entry inside it, deepest first.
    var directoriesDeepestFirst: [EntryPath] {
        nodes.compactMap { path, node in
            if case .directory = node { path } else { nil }
        }.sorted { $0.components.count > $1.components.count }
    }

    /// Resolves every symbolic link the way the kernel will, following links through other links, and
    /// refuses one that leaves the tree at any step. With `topDirectory`, the tree is that directory alone
    /// (it is about to become the destination), so a link may not climb out of it either.
    func checkSymbolicLinks(insideTopDirectory topDirectory: String? = nil) throws {
        let floor = topDirectory == nil ? 0 : 1
        for (path, name) in symbolicLinks {
            guard case .symbolicLink(let target) = nodes[path] else { continue }
            var position = Array(path.components.dropLast())
            var pending = Array(target.split(separator: "/").map(String.init).reversed())
            var hops = 0
            while let part = pending.popLast() {
                if part == "." { continue }
                if part == ".." {
                    guard position.count > floor else {
                        let tree = topDirectory.map { "the directory \($0) that becomes the destination" } ?? "the extracted tree"
                        throw ArchiveError(.linkOutside, entry: name, "the symbolic link \(name) points to \(target), which resolves outside \(tree); the archive is unsafe and was not extracted")
                    }
                    position.removeLast()
                    continue
                }
                position.append(part)
                guard case .symbolicLink(let next) = nodes[EntryPath(components: position)] else { continue }
                hops += 1
                guard hops <= Self.maxLinkHops else {
                    throw ArchiveError(.linkOutside, entry: name, "the symbolic link \(name) resolves through more than \(Self.maxLinkHops) links (a loop); the archive is unsafe and was not extracted")
                }
                position.removeLast()
                pending.append(contentsOf: next.split(separator: "/").map(String.init).reversed())
            }
        }
    }
}
