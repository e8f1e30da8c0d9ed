import Foundation
import ZooCatalog
import ZooStub
import ZooTransfer

/// The ordered upstreams of `--registry` / `ZOO_REGISTRY`: asked in turn for a model, recorded in the catalog,
/// and offered as mirrors for every file.
public final class Registries {
    /// The upstreams, in order.
    public let endpoints: [RegistryEndpoint]
    private let client: TransferClient
    private var kinds: [String: RegistryKind] = [:]
    private var staticIndexes: [String: Data] = [:]

    /// Registries reached through `client`.
    public init(endpoints: [RegistryEndpoint], client: TransferClient) {
        self.endpoints = endpoints
        self.client = client
    }

    /// Asks each registry in turn for the model `stub` names and records its answer in `catalog` (a static
    /// registry's whole index, a GraphQL registry's one model). Returns the registry that listed it, or nil
    /// when none did; `problems` collects why a registry could not be asked.
    public func refresh(_ stub: Stub, in catalog: Catalog, problems: inout [String]) -> RegistryEndpoint? {
        for endpoint in endpoints {
            do {
                switch try kind(of: endpoint) {
                case .static:
                    try importStaticIndex(of: endpoint, into: catalog)
                    if let model = try catalog.resolve(stub), !(try catalog.details(of: model).files.isEmpty) { return endpoint }
                case .graphql:
                    if try importGraphQLModel(stub, from: endpoint, into: catalog) { return endpoint }
                }
            } catch {
                problems.append("\(endpoint): \(error)")
            }
        }
        return nil
    }

    /// Where file `file` of model `key` may be fetched from: its catalog URL first, then the same path under
    /// every static registry (the layout `zoo mirror export` writes), each with its registry's token.
    public func sources(for key: ModelKey, file: PlannedFile) -> [TransferSource] {
        var urls: [String] = file.url.map { [$0] } ?? []
        for endpoint in endpoints where kinds[endpoint.baseURL] == .static || endpoint.declaredKind == .static {
            let mirrored = endpoint.url(MirrorLayout.path(key, file: file.name))
            if !urls.contains(mirrored) { urls.append(mirrored) }
        }
        return urls.map { url in
            TransferSource(url: url, bearerToken: endpoints.first { url.hasPrefix($0.baseURL + "/") }?.token)
        }
    }

    /// The kind of `endpoint`: declared, or detected by asking for `{base}/index.json` and `{base}/v2/graphql`.
    func kind(of endpoint: RegistryEndpoint) throws -> RegistryKind {
        if let known = endpoint.declaredKind ?? kinds[endpoint.baseURL] { return known }
        var reasons: [String] = []
        do {
            let index = try client.fetch(endpoint.url("index.json"), bearerToken: endpoint.token).body
            if (try? JSONSerialization.jsonObject(with: index) as? [String: Any])?["format"] as? String == "zoo-catalog" {
                kinds[endpoint.baseURL] = .static
                staticIndexes[endpoint.baseURL] = index
                return .static
            }
            reasons.append("index.json is not a zoo catalog")
        } catch {
            reasons.append("index.json: \(error)")
        }
        do {
            if try graphQL(GraphQLQuery.probe, at: endpoint)["data"] != nil {
                kinds[endpoint.baseURL] = .graphql
                return .graphql
            }
        } catch {
            reasons.append("v2/graphql: \(error)")
        }
        throw StoreError(.registry, "neither a static index nor a SparseZoo API (\(reasons.joined(separator: "; ")))")
    }

    /// Imports the registry's `index.json`, its relative file URLs made absolute, as catalog source `registry:<base>`.
    private func importStaticIndex(of endpoint: RegistryEndpoint, into catalog: Catalog) throws {
        let data = try staticIndexes[endpoint.baseURL] ?? client.fetch(endpoint.url("index.json"), bearerToken: endpoint.token).body
        staticIndexes[endpoint.baseURL] = data
        let resolved = try StaticIndex.resolvingURLs(in: data, base: endpoint.baseURL)
        let report = try catalog.importCatalog(data: resolved, source: "registry:\(endpoint.baseURL)")
        if !report.problems.isEmpty {
            throw StoreError(.registry, "its index.json has \(report.problems.count) bad entries, e.g. \(report.problems[0])")
        }
    }

    /// Asks a SparseZoo API for the model and imports it; false when the API does not know it.
    private func importGraphQLModel(_ stub: Stub, from endpoint: RegistryEndpoint, into catalog: Catalog) throws -> Bool {
        let response = try graphQL(GraphQLQuery.model(stub), at: endpoint)
        guard let entry = try GraphQLModels.firstEntry(in: response, stub: stub) else { return false }
        let file: [String: Any] = ["format": "zoo-catalog", "version": 1, "models": [entry]]
        let data = try JSONSerialization.data(withJSONObject: file, options: [.sortedKeys])
        let report = try catalog.importCatalog(data: data, source: "registry:\(endpoint.baseURL)", merging: true)
        if let problem = report.problems.first {
            throw StoreError(.registry, "its answer for \(stub) was not usable: \(problem)")
        }
        return true
    }

    private func graphQL(_ query: String, at endpoint: RegistryEndpoint) throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: ["query": query])
        let response = try client.fetch(
            endpoint.url("v2/graphql"), method: "POST", body: body, headers: ["Content-Type": "application/json"],
            bearerToken: endpoint.token)
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            throw StoreError(.registry, "v2/graphql did not answer JSON")
        }
        if let errors = object["errors"] {
            throw StoreError(.registry, "v2/graphql answered with errors: \(errors)")
        }
        return object
    }
}
