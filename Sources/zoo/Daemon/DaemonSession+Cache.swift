import Foundation
import ZooStore
import ZooStub

/// The cache commands that change or check the cache (`rm`, `pin`, `unpin`, `gc`, `verify`, `recipe`), asked of
/// the daemon that owns it.
extension DaemonSession {
    /// Removes the cached model `stub` names.
    func remove(_ stub: Stub, force: Bool) throws {
        _ = try answer(try client.post("/v1/rm", ["stubs": [stub.description], "force": force]), stub: stub)
    }

    /// Pins or unpins each cached model `stubs` name, in turn, up to the first that fails.
    func setPinned(_ stubs: [Stub], _ pinned: Bool) throws {
        for stub in stubs {
            _ = try answer(try client.post(pinned ? "/v1/pin" : "/v1/unpin", ["stubs": [stub.description]]), stub: stub)
        }
    }

    /// Shrinks the cache to `maxSize` bytes (or only clears leftovers), or says what it would remove.
    func collectGarbage(maxSize: Int64?, dryRun: Bool) throws -> GCReport {
        var request: [String: Any] = ["dry_run": dryRun]
        if let maxSize { request["max_size"] = maxSize }
        return try Self.decode(GCReport.self, from: try answer(try client.post("/v1/gc", request), stub: nil))
    }

    /// Checks the cached files of the model `stub` names (re-hashing them with `rehash`).
    func verify(_ stub: Stub, rehash: Bool) throws -> VerifyReport {
        try Self.decode(VerifyReport.self, from: try answer(try client.post("/v1/verify", ["stub": stub.description, "files": rehash]), stub: stub))
    }

    /// The recipe `text`'s `?recipe=` picks, its recipes pulled first unless cached; prints the registries' warnings.
    func recipe(_ text: String, registry: String?, offline: Bool) throws -> RecipeText {
        let stub = try Stub(parsing: text)
        var request: [String: Any] = ["stub": text, "offline": offline]
        if let registry, !registry.isEmpty { request["registry"] = registry }
        let object = try answer(try client.post("/v1/recipe", request), stub: stub)
        for warning in object["warnings"] as? [String] ?? [] { printWarning(warning) }
        return try Self.decode(RecipeText.self, from: object)
    }
}
