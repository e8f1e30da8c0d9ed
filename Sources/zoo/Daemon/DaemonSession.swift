import Foundation
import ZooCatalog
import ZooServer
import ZooStore
import ZooStub

/// The commands' way to a running `zoo serve` (its socket in `$ZOO_HOME`, or `ZOO_HOST`): the same questions
/// the commands ask the catalog and store in-process, answered by the daemon, so that the output is the same.
struct DaemonSession {
    let client: DaemonClient

    /// The daemon to use, if one runs (and `ZOO_NO_DAEMON` is not set).
    static func current() throws -> DaemonSession? {
        do {
            return try DaemonClient.discover().map(DaemonSession.init(client:))
        } catch let error as ServerError {
            throw ExitCodeMessage(status: ExitStatus.invalidInput, message: error.message)
        }
    }

    /// The catalog record `stub` names, in full, and the nearest known stubs when there is none.
    func resolve(_ stub: Stub) throws -> (model: ModelRecord?, nearest: [String]) {
        let object = try answer(try client.get("/v1/resolve" + DaemonClient.query([("stub", stub.description)])), stub: stub)
        let model = try (object["model"] as? [String: Any]).map { try Self.decode(ModelRecord.self, from: $0) }
        return (model, object["nearest"] as? [String] ?? [])
    }

    /// The models `filter` matches.
    func search(_ filter: SearchFilter) throws -> [ModelRecord] {
        let query = DaemonClient.query([
            ("text", filter.text), ("domain", filter.domain), ("task", filter.task), ("arch", filter.architecture),
            ("dataset", filter.dataset), ("sparsity", filter.minimumSparsity.map(String.init)),
            ("quantized", filter.quantized.map(String.init)), ("limit", filter.limit.map(String.init)),
        ])
        let object = try answer(try client.get("/v1/search" + query), stub: nil)
        return try (object["models"] as? [[String: Any]] ?? []).map { try Self.decode(ModelRecord.self, from: $0) }
    }

    /// The full record of the model `stub` names.
    func show(_ stub: Stub) throws -> ModelRecord {
        try Self.decode(ModelRecord.self, from: try answer(try client.get("/v1/show" + DaemonClient.query([("stub", stub.description)])), stub: stub))
    }

    /// The cached models.
    func list(order: CacheOrder) throws -> [CachedModel] {
        let response = try client.get("/v1/ls" + DaemonClient.query([("sort", order.rawValue)]))
        _ = try answerArray(response)
        return try JSONDecoder().decode([CachedModel].self, from: response.body)
    }

    /// The cached recipes.
    func recipes() throws -> [CachedRecipe] {
        let response = try client.get("/v1/ls?recipes=true")
        _ = try answerArray(response)
        return try JSONDecoder().decode([CachedRecipe].self, from: response.body)
    }

    /// Pulls `text` through the daemon, handing its progress to `events` and its warnings to `warning`.
    func pull(_ text: String, training: Bool, registry: String?, offline: Bool, events: (StoreEvent) -> Void) throws -> PullReport {
        let stub = try Stub(parsing: text)
        var request: [String: Any] = ["stub": text, "training": training, "offline": offline]
        if let registry, !registry.isEmpty { request["registry"] = registry }
        var report: PullReport?
        var failure: (any Error)?
        let status = try client.stream("/v1/pull", request) { line in
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { return }
            switch object["event"] as? String {
            case "done": report = try Self.decode(PullReport.self, from: object)
            case "error": failure = DaemonFailure.error(object, stub: stub)
            case "warning": printWarning(object["message"] as? String ?? "")
            default: if let event = StoreEvent(jsonObject: object) { events(event) }
            }
        }
        if let failure { throw failure }
        guard status == 200, let report else {
            throw ExitCodeMessage(status: ExitStatus.failure, message: "the zoo daemon at \(client.endpoint) ended the pull of \(text) without a result (HTTP \(status)); try again, or set ZOO_NO_DAEMON=1")
        }
        return report
    }

    /// The JSON object of a successful answer; a daemon error becomes the error the command would have thrown.
    func answer(_ response: DaemonClient.Response, stub: Stub?) throws -> [String: Any] {
        guard let object = response.object else {
            throw ExitCodeMessage(status: ExitStatus.failure, message: "the zoo daemon at \(client.endpoint) answered HTTP \(response.status) without JSON")
        }
        guard response.status == 200 else { throw DaemonFailure.error(object, stub: stub) }
        return object
    }

    private func answerArray(_ response: DaemonClient.Response) throws -> [Any] {
        if response.status != 200 { _ = try answer(response, stub: nil) }
        guard let array = try? JSONSerialization.jsonObject(with: response.body) as? [Any] else {
            throw ExitCodeMessage(status: ExitStatus.failure, message: "the zoo daemon at \(client.endpoint) answered something other than a list")
        }
        return array
    }

    /// `object` read as a `T`.
    static func decode<T: Decodable>(_ type: T.Type, from object: [String: Any]) throws -> T {
        try JSONDecoder().decode(type, from: try JSONSerialization.data(withJSONObject: object))
    }
}
