import ZooStore
import ZooStub

/// One pull the daemon is asked for: a stub, which files, and where it may fetch from.
struct PullRequest: Sendable, Codable, Hashable {
    /// The stub as given (its query kept, as `zoo pull` reports it).
    var stub: String
    /// Also fetch framework checkpoints (`training/`).
    var training: Bool
    /// Registries for this pull instead of the daemon's, comma-separated.
    var registry: String?
    /// Never fetch for this pull.
    var offline: Bool
    /// Fetch the recipes only (`zoo recipe`); nil, as journals written before it have it, is false.
    var recipesOnly: Bool?

    /// Requests for the same model and files share one flight; the registry choice goes with the first.
    var flightKey: String {
        let body = (try? Stub(parsing: stub).withoutQuery.description) ?? stub
        return recipesOnly == true ? "\(body)|recipes" : "\(body)|training=\(training)"
    }

    var selection: FileSelection { recipesOnly == true ? .recipes : .model(includeTraining: training) }
}

extension PullRequest {
    /// The pull a request body asks for: `{"stub", "training"?, "registry"?, "offline"?}` (training ignored with
    /// `recipesOnly`); a malformed stub is 400 `stub.invalid`.
    init(body: RequestJSON, recipesOnly: Bool = false) throws {
        stub = try body.string("stub")
        _ = try CatalogRoutes.parse(stub)
        training = recipesOnly ? false : try body.flag("training")
        registry = try body.optionalString("registry")
        offline = try body.flag("offline")
        self.recipesOnly = recipesOnly ? true : nil
    }
}
