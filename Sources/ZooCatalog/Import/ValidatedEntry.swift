import ZooStub

/// A catalog entry that passed every check, ready to store.
struct ValidatedEntry {
    var stub: Stub
    var aliases: [Stub]
    var namespace: String
    var repoName: String
    var repoNameSource: String
    var domain: String?
    var subDomain: String?
    var displayName: String?
    var description: String?
    var synthetic: Bool
    var files: [FileEntry]
    var recipes: [FileEntry]

    /// Checks `entry`: the stub and aliases parse, the listed fields agree with the stub, names are safe
    /// to use as directories, and file sizes and digests are well formed. Throws a message without the index.
    init(_ entry: CatalogEntry, defaultNamespace: String) throws {
        stub = try Self.parseStub(entry.stub, what: "stub")
        aliases = try (entry.aliases ?? []).map { try Self.parseStub($0, what: "alias") }
        namespace = entry.namespace ?? defaultNamespace
        try Self.checkPathComponent(namespace, what: "namespace")

        switch stub.body {
        case .short(let short):
            if let given = entry.repoName, given != short.repoName {
                throw EntryProblem("repo_name '\(given)' differs from the short stub's own name '\(short.repoName)'")
            }
            repoName = short.repoName
            repoNameSource = "stub"
            domain = entry.domain
            subDomain = entry.task
        case .long(let long):
            let shortAlias = aliases.lazy.compactMap { if case .short(let s) = $0.body { s.repoName } else { nil } }.first
            guard let name = entry.repoName ?? shortAlias else {
                throw EntryProblem("a long-form stub needs \"repo_name\" (the model's v2 name) or a short-form alias")
            }
            repoName = name
            repoNameSource = entry.repoNameSource ?? (entry.repoName == nil ? "stub" : "declared")
            domain = long.domain
            subDomain = long.subDomain
            for (what, given) in [("domain", entry.domain), ("task", entry.task)] {
                let own = what == "domain" ? long.domain : long.subDomain
                if let given, given != own { throw EntryProblem("\(what) '\(given)' differs from the stub's '\(own)'") }
            }
        }
        try Self.checkPathComponent(repoName, what: "repo_name")
        guard ["stub", "observed", "derived", "declared"].contains(repoNameSource) else {
            throw EntryProblem("repo_name_source '\(repoNameSource)' is not one of stub, observed, derived, declared")
        }
        try Self.checkFields(entry.fields ?? [:], against: stub)
        displayName = entry.displayName
        description = entry.description
        synthetic = entry.synthetic ?? false
        files = try (entry.files ?? []).map { try Self.checkFile($0, what: "file") }
        recipes = try (entry.recipes ?? []).map { try Self.checkFile($0, what: "recipe") }
    }

    private static func parseStub(_ text: String, what: String) throws -> Stub {
        let stub: Stub
        do {
            stub = try Stub(parsing: text, prefix: .optional)
        } catch let error as StubError {
            throw EntryProblem("\(what) '\(text)': \(error.summary)")
        }
        guard stub.query.isEmpty else {
            throw EntryProblem("\(what) '\(text)' has a query; a catalog names models, drop the '?…' part")
        }
        return stub
    }

    /// The stub's parsed fields by the names catalog files use.
    static func fields(of stub: Stub) -> [String: String?] {
        switch stub.body {
        case .long(let l):
            return [
                "domain": l.domain, "sub_domain": l.subDomain, "architecture": l.architecture,
                "sub_architecture": l.subArchitecture, "framework": l.framework, "repo": l.repo, "dataset": l.dataset,
                "training_scheme": l.trainingScheme, "sparse_name": l.sparseTag.name,
                "sparse_category": l.sparseTag.category, "sparse_target": l.sparseTag.target,
            ]
        case .short(let s):
            return [
                "architecture": s.architecture, "sub_architecture": s.subArchitecture,
                "source_dataset": s.sourceDataset, "training_dataset": s.trainingDataset, "sparse_tag": s.sparseTag,
            ]
        }
    }

    private static func checkFields(_ listed: [String: String?], against stub: Stub) throws {
        let parsed = fields(of: stub)
        for (name, value) in listed.sorted(by: { $0.key < $1.key }) {
            guard let own = parsed[name] else {
                throw EntryProblem("field '\(name)' is not a field of a \(parsed["domain"] == nil ? "short" : "long")-form stub")
            }
            if own != value {
                throw EntryProblem("field '\(name)' is \(value.map { "'\($0)'" } ?? "null") but the stub says \(own.map { "'\($0)'" } ?? "nothing")")
            }
        }
    }

    private static func checkFile(_ file: FileEntry, what: String) throws -> FileEntry {
        let parts = file.name.split(separator: "/", omittingEmptySubsequences: false)
        guard !file.name.isEmpty, !file.name.hasPrefix("/"),
              parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && isSafeName($0) })
        else {
            throw EntryProblem("\(what) name '\(file.name)' must be a relative path of letters, digits, '.', '_' and '-' without '..'")
        }
        if let size = file.size, size < 0 { throw EntryProblem("\(what) '\(file.name)' has a negative size") }
        if let digest = file.sha256 {
            guard digest.count == 64, digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw EntryProblem("\(what) '\(file.name)' has sha256 '\(digest)'; expected 64 lower-case hex digits")
            }
        }
        if let url = file.url, !(url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("file://")) {
            throw EntryProblem("\(what) '\(file.name)' has url '\(url)'; expected http://, https:// or file://")
        }
        return file
    }

    private static func checkPathComponent(_ name: String, what: String) throws {
        guard !name.isEmpty, name != ".", name != "..", isSafeName(Substring(name)) else {
            throw EntryProblem("\(what) '\(name)' must be letters, digits, '.', '_' and '-' (it names a directory)")
        }
    }

    private static func isSafeName(_ name: Substring) -> Bool {
        name.unicodeScalars.allSatisfy { c in
            switch c {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return true
            default: return false
            }
        }
    }
}

/// What is wrong with one entry; the importer adds its index and stub.
struct EntryProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
