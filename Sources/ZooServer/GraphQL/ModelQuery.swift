import ZooCatalog
import ZooStore
import ZooStub

/// The arguments of a `models(...)` query and the catalog models they match: a stub (`stub:`), a v2 name
/// (`repoName:`, optionally `repoNamespace:`), or the fields of a v1 stub as sparsezoo sends them (`domain`,
/// `task`, `architecture`, `subArchitecture`, `framework`, `repo`, `sourceDataset`, `sparseTag`; the training
/// scheme is dropped by the client). A model the catalog lacks is asked of the daemon's upstream registries.
struct ModelQuery {
    /// Arguments that filter, and the ones sparsezoo may send that change nothing here.
    static let filterNames: Set<String> = [
        "stub", "repoName", "repoNamespace", "domain", "task", "architecture", "subArchitecture", "framework", "repo",
        "sourceDataset", "trainingScheme", "sparseTag", "displayName",
    ]
    static let ignoredNames: Set<String> = ["releaseVersion", "isPubliclyVisible", "version", "page", "pageLength"]

    let filters: [String: String]

    /// The filters of `arguments`; an unknown argument is a GraphQL error.
    init(arguments: [(name: String, value: GraphQLDocument.Value)]) throws {
        var filters: [String: String] = [:]
        for (name, value) in arguments {
            if Self.ignoredNames.contains(name) { continue }
            guard Self.filterNames.contains(name) else { throw GraphQLError("Unknown argument \"\(name)\" on field \"Query.models\".") }
            if value != .null { filters[name] = value.text }
        }
        self.filters = filters
    }

    /// The matching models, in full, best first.
    func models(in session: StoreSession) throws -> [ModelRecord] {
        var found = try match(in: session)
        if found.isEmpty, let stub = upstreamStub, !session.registries.endpoints.isEmpty {
            var problems: [String] = []
            _ = session.registries.refresh(stub, in: session.catalog, problems: &problems)
            found = try match(in: session)
        }
        return try found.map(session.catalog.details(of:))
    }

    private func match(in session: StoreSession) throws -> [ModelRecord] {
        let catalog = session.catalog
        if let text = filters["stub"] {
            guard let stub = try? Stub(parsing: text, prefix: .optional), let model = try catalog.resolve(stub) else { return [] }
            return keep([model])
        }
        if let repoName = filters["repoName"] {
            if let namespace = filters["repoNamespace"] {
                return keep(try catalog.model(namespace: namespace, repoName: repoName).map { [$0] } ?? [])
            }
            if let stub = try? Stub(parsing: "zoo:" + repoName), case .short = stub.body, let model = try catalog.resolve(stub) {
                return keep([model])
            }
            return keep(try catalog.search(SearchFilter(text: repoName)).filter { $0.repoName == repoName })
        }
        let candidates = try catalog.search(SearchFilter(domain: filters["domain"], task: filters["task"], architecture: filters["architecture"]))
        return keep(candidates).sorted { ($0.trainingScheme == nil ? 0 : 1, $0.stub) < ($1.trainingScheme == nil ? 0 : 1, $1.stub) }
    }

    /// The models of `models` that every field filter accepts.
    private func keep(_ models: [ModelRecord]) -> [ModelRecord] {
        models.filter { model in
            let values: [String: String?] = [
                "repoNamespace": model.namespace, "domain": model.domain, "task": model.task, "architecture": model.architecture,
                "subArchitecture": model.subArchitecture, "framework": model.framework, "repo": model.repo,
                "sourceDataset": model.dataset, "trainingScheme": model.trainingScheme, "sparseTag": model.sparseTag,
                "displayName": model.displayName,
            ]
            return filters.allSatisfy { name, wanted in
                guard let value = values[name] else { return true }
                return value == wanted
            }
        }
    }

    /// The stub to ask upstream registries for: the one given, a v2 name, or a v1 stub rebuilt from its fields.
    private var upstreamStub: Stub? {
        if let text = filters["stub"] { return try? Stub(parsing: text, prefix: .optional) }
        if let repoName = filters["repoName"] { return try? Stub(parsing: "zoo:" + repoName) }
        guard let domain = filters["domain"], let task = filters["task"], let architecture = filters["architecture"],
              let framework = filters["framework"], let repo = filters["repo"], let dataset = filters["sourceDataset"],
              let tag = filters["sparseTag"]
        else { return nil }
        let arch = architecture + (filters["subArchitecture"].map { "-" + $0 } ?? "")
        return try? Stub(parsing: "zoo:\(domain)/\(task)/\(arch)/\(framework)/\(repo)/\(dataset)/\(tag)")
    }
}

/// A query the daemon cannot answer, reported in the response's `errors`.
struct GraphQLError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
