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
