import Foundation
import Hummingbird
import ZooCatalog
import ZooStub

/// `GET /v1/resolve`, `/v1/search` and `/v1/show`: the catalog, as `zoo resolve`, `zoo search` and `zoo show`.
struct CatalogRoutes {
    let state: ServerState

    func add(to router: Router<ServerContext>) {
        router.get("/v1/resolve") { request, _ in try await resolve(request) }
        router.get("/v1/search") { request, _ in try await search(request) }
        router.get("/v1/show") { request, _ in try await show(request) }
    }

    /// `{input, canonical, model, nearest}`: `model` is the full record or null, `nearest` the closest known stubs.
    private func resolve(_ request: Request) async throws -> Response {
        let input = try request.requiredQuery("stub")
        return try await cached("resolve \(input)") {
            let stub = try Self.parse(input)
            return try await state.queries.run { session in
                let catalog = session.catalog
                let (model, nearest) = try catalog.database.read {
                    let model = try catalog.resolve(stub).map(catalog.details(of:))
                    return (model, model == nil ? try catalog.nearestStubs(to: stub) : [])
                }
                return try JSONText.line(encoding: ResolveAnswer(input: input, canonical: stub.description, model: model, nearest: nearest))
            }
        }
    }

    /// `{count, models}` for the filters of `zoo search` (`text domain task arch dataset sparsity quantized limit`).
    private func search(_ request: Request) async throws -> Response {
        var filter = SearchFilter(
            text: request.query("text"), domain: request.query("domain"), task: request.query("task"),
            architecture: request.query("arch"), dataset: request.query("dataset"))
        if let sparsity = request.query("sparsity") {
            guard let value = Int(sparsity), (0...100).contains(value) else {
                throw APIError.badRequest("sparsity takes a percentage from 0 to 100, not '\(sparsity)'")
            }
            filter.minimumSparsity = value
        }
        if let quantized = request.query("quantized") {
            guard let value = Bool(quantized) else { throw APIError.badRequest("quantized takes true or false, not '\(quantized)'") }
            filter.quantized = value
        }
        if let limit = request.query("limit") {
            guard let value = Int(limit), value >= 1 else { throw APIError.badRequest("limit must be a number of at least 1, not '\(limit)'") }
            filter.limit = value
        }
        return try await cached("search \(request.uri.query ?? "")") { [filter] in
            try await state.queries.run { session in
                let models = try session.catalog.database.read { try session.catalog.search(filter) }
                return try JSONText.line(encoding: SearchAnswer(count: models.count, models: models))
            }
        }
    }

    /// The full record; 404 `catalog.notFound` with the nearest stubs when the catalog does not have it.
    private func show(_ request: Request) async throws -> Response {
        let input = try request.requiredQuery("stub")
        return try await cached("show \(input)") {
            let stub = try Self.parse(input)
            return try await state.queries.run { session in
                let catalog = session.catalog
                let model = try catalog.database.read {
                    guard let model = try catalog.resolve(stub) else {
                        throw APIError.notInCatalog(stub, nearest: try catalog.nearestStubs(to: stub))
                    }
                    return try catalog.details(of: model)
                }
                return try JSONText.line(encoding: model)
            }
        }
    }

    /// The answer kept for `key` (the request as given: a kept answer needs no parsing) while the catalog is
    /// unchanged, else `compute`'s.
    private func cached(_ key: String, _ compute: @escaping @Sendable () async throws -> String) async throws -> Response {
        JSONText.body(try await state.answers.answer(key, compute: compute))
    }

    /// The stub `text` names; a malformed one is 400 `stub.invalid`.
    static func parse(_ text: String) throws -> Stub {
        do {
            return try Stub(parsing: text)
        } catch {
            throw APIError.from(error)
        }
    }
}
