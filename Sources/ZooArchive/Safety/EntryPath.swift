/// An entry's name split into components, refused if it could land anywhere but inside the destination.
struct EntryPath: Hashable {
    /// The components, none empty, `.` or `..`. Empty for the archive's root (`./`).
    let components: [String]

    /// Normalizes `name` (dropping empty and `.` components); refuses absolute names and any `..` component,
    /// even one that would stay inside the tree, since no honest archive needs it.
    init(archiveName name: String) throws {
        if name.hasPrefix("/") {
            throw ArchiveError(.absolutePath, entry: name, "the archive entry \(name) has an absolute path; the archive is unsafe and was not extracted")
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if parts.contains("..") {
            throw ArchiveError(.pathTraversal, entry: name, "the archive entry \(name) has a '..' component that could climb out of the destination; the archive is unsafe and was not extracted")
        }
        components = parts.map(String.init)
    }

    init(components: some Sequence<String>) { self.components = Array(components) }

    /// The path with `/` between components.
    var string: String { components.joined(separator: "/") }

    /// Every proper ancestor, outermost first: `a`, `a/b` for `a/b/c`.
    var ancestors: [EntryPath] {
        components.indices.dropLast().map { EntryPath(components: components[...$0]) }
    }
}
