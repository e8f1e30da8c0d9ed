import Foundation
import Hummingbird
import ZooCatalog
import ZooStore

/// `GET` and `HEAD /files/<namespace>/<repoName>/<name>`: a model's file from the cache, with `Range`
/// (what the SparseZoo client's `downloadUrl`s point at). A file the cache lacks is pulled through from
/// upstream first: its model is pulled (once, however many clients ask), then the file is served.
struct FileRoutes {
    let state: ServerState
    let files = FileIO()

    func add(to router: Router<ServerContext>) {
        router.get("/files/:namespace/:repoName/**") { request, context in try await serve(request, context: context, body: true) }
        router.head("/files/:namespace/:repoName/**") { request, context in try await serve(request, context: context, body: false) }
    }

    /// The URL path of a model's file: what `downloadUrl` ends with.
    static func path(_ key: ModelKey, name: String) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
        let encoded = name.split(separator: "/").map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0) }
        return "/files/\(key.namespace)/\(key.repoName)/" + encoded.joined(separator: "/")
    }

    private func serve(_ request: Request, context: ServerContext, body: Bool) async throws -> Response {
        let key = ModelKey(
            namespace: try context.parameters.require("namespace"), repoName: try context.parameters.require("repoName"))
        let name = context.parameters.getCatchAll().joined(separator: "/").removingPercentEncoding ?? ""
        let file = try await locate(key, name: name)
        let size = Int(file.size)
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.acceptRanges] = "bytes"
        if let digest = file.sha256 { headers[.eTag] = "\"\(digest)\"" }
        var status = HTTPResponse.Status.ok
        var range = size > 0 ? 0...(size - 1) : nil
        switch ByteRange.resolve(request.headers[.range], size: size) {
        case .success(let asked):
            status = .partialContent
            range = asked
            headers[.contentRange] = "bytes \(asked.lowerBound)-\(asked.upperBound)/\(size)"
        case .failure:
            headers[.contentRange] = "bytes */\(size)"
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case nil:
            break
        }
        headers[.contentLength] = String(range?.count ?? 0)
        guard body, let range else { return Response(status: status, headers: headers, body: ResponseBody()) }
        let contents = try await files.loadFile(path: file.url.path, range: range, context: context)
        return Response(status: status, headers: headers, body: contents)
    }

    /// The cached file, pulled through from upstream when missing; 404 when the model or file is unknown.
    private func locate(_ key: ModelKey, name: String) async throws -> CachedFileInfo {
        enum Lookup: Sendable {
            case cached(CachedFileInfo)
            case pull(PullRequest)
        }
        let lookup = try await state.queries.run { session -> Lookup in
            if let file = try Self.cached(key, name: name, in: session) {
                try? session.store.touch(key)
                return .cached(file)
            }
            guard let record = try session.catalog.model(namespace: key.namespace, repoName: key.repoName) else {
                throw APIError(.notFound, code: "api.notFound", "no model \(key) in the catalog")
            }
            let model = try session.catalog.details(of: record)
            let listed = model.files.map(\.name) + model.recipes.map(\.name)
            let archives = Set(listed.compactMap { $0.hasSuffix(".tar.gz") ? String($0.dropLast(7)) : nil })
            guard listed.contains(name) || archives.contains(where: { name.hasPrefix($0 + "/") }) else {
                throw APIError(.notFound, code: "api.notFound", "\(key) has no file \(name); its files are: \(listed.joined(separator: ", "))")
            }
            let training = name.hasPrefix("training/") || model.files.contains { $0.name == name && $0.kind == "training" }
            return .pull(PullRequest(stub: model.stub, training: training, registry: nil, offline: false))
        }
        switch lookup {
        case .cached(let file):
            state.metrics.hit("file")
            return file
        case .pull(let request):
            state.metrics.miss("file")
            if case .failure(let error) = try await state.coordinator.flight(for: request).outcome() { throw error }
            let file = try await state.queries.run { session in try Self.cached(key, name: name, in: session) }
            guard let file else {
                throw APIError(.notFound, code: "api.notFound", "\(key) was pulled but has no file \(name)")
            }
            return file
        }
    }

    private static func cached(_ key: ModelKey, name: String, in session: StoreSession) throws -> CachedFileInfo? {
        guard let url = try session.store.cachedFile(key, name: name) else { return nil }
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let digest = url.deletingLastPathComponent().path.hasSuffix("blobs/sha256") ? url.lastPathComponent : nil
        return CachedFileInfo(url: url, size: size, sha256: digest)
    }
}

/// A cached file about to be served.
struct CachedFileInfo: Sendable {
    var url: URL
    var size: Int64
    var sha256: String?
}
