import Foundation
import Hummingbird

/// `POST /v2/graphql`: the SparseZoo API, as far as its clients use it (research/sparsezoo.md §2.2–2.4):
/// `models(...)` with either stub form's arguments and any selection of the model, file and result fields,
/// answered from the catalog as `{"data": {"models": [...]}}`. Anything else gets `{"errors": [...]}`. File
/// `downloadUrl`s start with `--public-url` when the daemon has one, else with the Host the client used.
struct GraphQLRoutes {
    let state: ServerState

    func add(to router: Router<ServerContext>) {
        router.post("/v2/graphql") { request, _ in
            var request = request
            let body = try await RequestJSON.read(&request)
            return try await answer(try body.string("query"), host: request.head.authority)
        }
        router.get("/v2/graphql") { request, _ in
            try await answer(try request.requiredQuery("query"), host: request.head.authority)
        }
    }

    private func answer(_ query: String, host: String?) async throws -> Response {
        let document: GraphQLDocument
        do {
            document = try GraphQLDocument(parsing: query)
        } catch let error as GraphQLSyntaxError {
            return Self.errors([error.message])
        }
        let renderer = ModelFields(baseURL: state.configuration.publicURL ?? "http://" + (host ?? "localhost"))
        do {
            let answer = try await state.queries.run { session -> String in
                var data: [String: Any] = [:]
                for field in document.fields {
                    guard field.name == "models" else {
                        throw GraphQLError("Cannot query field \"\(field.name)\" on type \"Query\"; this server answers models(...) only.")
                    }
                    guard let selection = field.selection else {
                        throw GraphQLError("Field \"models\" must have a selection of subfields.")
                    }
                    let models = try ModelQuery(arguments: field.arguments).models(in: session)
                    data[field.responseKey] = try models.map { try renderer.render($0, selection: selection) }
                }
                return JSONText.line(["data": data])
            }
            return JSONText.body(answer)
        } catch let error as GraphQLError {
            return Self.errors([error.message])
        }
    }

    private static func errors(_ messages: [String]) -> Response {
        JSONText.response(["errors": messages.map { ["message": $0] }, "data": NSNull()])
    }
}
