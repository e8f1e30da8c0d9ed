import Foundation
import Hummingbird
import ZooCatalog
import ZooStore
import ZooStub

/// `GET /v1/ls`, `POST /v1/rm`, `/v1/pin`, `/v1/unpin`, `/v1/gc` and `/v1/verify`: the cache, as `zoo ls`, `rm`,
/// `pin`, `unpin`, `gc` and `verify` (its check of the cached files).
struct CacheRoutes {
    let state: ServerState

    func add(to router: Router<ServerContext>) {
        router.get("/v1/ls") { request, _ in try await list(request) }
        router.post("/v1/rm") { body in try await remove(body) }
        router.post("/v1/pin") { body in try await setPinned(body, true) }
        router.post("/v1/unpin") { body in try await setPinned(body, false) }
        router.post("/v1/gc") { body in try await collectGarbage(body) }
        router.post("/v1/verify") { body in try await verify(body) }
    }

    /// The cached models (`zoo ls --json`'s records), or with `recipes=true` the cached recipes.
    private func list(_ request: Request) async throws -> Response {
        let sort = request.query("sort") ?? "name"
        guard let order = CacheOrder(rawValue: sort) else {
            throw APIError.badRequest("sort takes name, size or last-used, not '\(sort)'")
        }
        let recipes = request.query("recipes") == "true"
        let answer = try await state.queries.run { session -> String in
            recipes ? try JSONText.line(encoding: try session.store.recipes())
                    : try JSONText.line(encoding: try session.store.list(order: order))
        }
        return JSONText.body(answer)
    }

    /// `{"stubs": [...], "force": bool}` → `{"removed": [...]}`; stops at the first model that cannot be removed.
    private func remove(_ body: RequestJSON) async throws -> Response {
        let force = try body.flag("force")
        return try await forEachModel(try body.strings("stubs"), answering: "removed") { session, key in
            try session.store.remove(key, force: force)
        }
    }

    /// `{"stubs": [...]}` → `{"pinned": [...]}` (or `unpinned`); stops at the first model that is not cached.
    private func setPinned(_ body: RequestJSON, _ pinned: Bool) async throws -> Response {
        try await forEachModel(try body.strings("stubs"), answering: pinned ? "pinned" : "unpinned") { session, key in
            try session.store.setPinned(key, pinned)
        }
    }

    /// Runs `body` for the cached model of each stub in turn and answers `{answering: [the stubs done]}`; the
    /// first failure ends the request with its error, the models before it done.
    private func forEachModel(
        _ stubs: [String], answering name: String, _ body: @escaping @Sendable (StoreSession, ModelKey) throws -> Void
    ) async throws -> Response {
        let answer = try await state.queries.run { session -> String in
            for text in stubs { try body(session, try Self.key(for: text, in: session)) }
            return JSONText.line([name: stubs])
        }
        return JSONText.body(answer)
    }

    /// `{"max_size": "20G" or bytes, "dry_run": bool}` → the gc report.
    private func collectGarbage(_ body: RequestJSON) async throws -> Response {
        var limit: Int64?
        if let text = body.values["max_size"] as? String {
            guard let bytes = ByteCount.parse(text) else {
                throw APIError.badRequest("max_size takes a size such as 20G, 500MB or 1.5GiB, not '\(text)'")
            }
            limit = bytes
        } else if let number = try body.number("max_size") {
            limit = Int64(number)
        }
        let dryRun = try body.flag("dry_run")
        let answer = try await state.queries.run { [limit] session in
            try JSONText.line(encoding: try session.store.collectGarbage(maxSize: limit, dryRun: dryRun))
        }
        return JSONText.body(answer)
    }

    /// `{"stub": ..., "files": bool}` → the verify report (`ok` false when anything was wrong).
    private func verify(_ body: RequestJSON) async throws -> Response {
        let stub = try body.string("stub")
        let rehash = try body.flag("files")
        let answer = try await state.queries.run { session in
            try JSONText.line(encoding: try session.store.verify(try Self.key(for: stub, in: session), rehash: rehash))
        }
        return JSONText.body(answer)
    }

    /// The cache key of the model `text` names.
    static func key(for text: String, in session: StoreSession) throws -> ModelKey {
        let stub = try Stub(parsing: text)
        guard let model = try session.catalog.resolve(stub) else {
            throw APIError.notInCatalog(stub, nearest: try session.catalog.nearestStubs(to: stub))
        }
        return ModelKey(model)
    }
}
