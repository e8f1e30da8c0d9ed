import Foundation
import Hummingbird
import ZooStore

/// `POST /v1/recipe`: a model's recipe, as `zoo recipe` prints it. The model's recipes are pulled first unless
/// cached (one pull however many ask), then the one the stub's `?recipe=NAME` picks is read.
struct RecipeRoutes {
    let state: ServerState

    func add(to router: Router<ServerContext>) {
        router.post("/v1/recipe") { body in try await recipe(body) }
    }

    /// `{"stub", "registry"?, "offline"?}` → `{stub, name, path, text, warnings}`: `stub` is the catalog's,
    /// `warnings` what registries that could not be asked said.
    private func recipe(_ body: RequestJSON) async throws -> Response {
        let request = try PullRequest(body: body, recipesOnly: true)
        let stub = try CatalogRoutes.parse(request.stub)
        var warnings: [String] = []
        var outcome: Result<PullReport, APIError>?
        for await update in try state.coordinator.flight(for: request).follow() {
            switch update {
            case .line(let line):
                let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if event?["event"] as? String == "warning", let message = event?["message"] as? String { warnings.append(message) }
            case .finished(let result):
                outcome = result
            }
        }
        guard let outcome else { throw APIError(.internalServerError, code: "api.internal", "the pull of \(request.stub)'s recipes ended without an outcome") }
        let report = try outcome.get()
        let answer = try await state.queries.run { [warnings] session -> String in
            guard let model = try session.catalog.resolve(stub) else {
                throw APIError.notInCatalog(stub, nearest: try session.catalog.nearestStubs(to: stub))
            }
            var object = try JSONText.object(try report.recipe(named: stub.query.recipeName, stub: model.stub))
            object["warnings"] = warnings
            return JSONText.line(object)
        }
        return JSONText.body(answer)
    }
}
