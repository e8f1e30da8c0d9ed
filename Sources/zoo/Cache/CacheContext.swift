import Foundation
import ZooCatalog
import ZooStore
import ZooStub
import ZooTransfer

/// What the cache commands share: the catalog, the store on it, the registries and the transfer client, and
/// the one way a stub becomes a model for them.
struct CacheContext {
    let catalog: Catalog
    let store: Store
    let registries: Registries
    let client: TransferClient?

    /// Opens the home's catalog and store; with `fetch`, the registries too (none when offline).
    init(fetch: FetchOptions? = nil) throws {
        let home = ZooHome()
        catalog = try Catalog.open(home: home)
        store = try Store(home: home, catalog: catalog)
        let offline = fetch?.isOffline ?? true
        let transfer = TransferClient(options: TransferOptions.fromEnvironment())
        client = offline ? nil : transfer
        let endpoints = offline ? [] : try RegistryEndpoint.parseList(fetch?.registryList ?? "")
        registries = Registries(endpoints: endpoints, client: transfer)
    }

    /// The catalog model `text` names, in full; asks the registries first unless the model is cached whole.
    func model(forPull text: String) throws -> (stub: Stub, model: ModelRecord) {
        let stub = try Stub(parsing: text)
        if client != nil, !registries.endpoints.isEmpty {
            let known = try catalog.resolve(stub)
            if try known.map({ try store.isComplete(ModelKey($0)) }) != true {
                var problems: [String] = []
                if registries.refresh(stub, in: catalog, problems: &problems) == nil {
                    for problem in problems { printWarning("registry \(problem)") }
                }
            }
        }
        return (stub, try model(for: stub))
    }

    /// The catalog model `stub` names, in full, without asking any registry.
    func model(for stub: Stub) throws -> ModelRecord {
        guard let model = try catalog.resolve(stub) else {
            throw NotInCatalog(stub: stub, nearest: try catalog.nearestStubs(to: stub))
        }
        return try catalog.details(of: model)
    }

    /// The cache key of the model `text` names.
    func key(for text: String) throws -> ModelKey {
        ModelKey(try model(for: try Stub(parsing: text)))
    }

    /// How the store may fetch: this context's client and the registries' sources.
    var fetching: Store.Fetching {
        Store.Fetching(client: client) { [registries] key, file in registries.sources(for: key, file: file) }
    }
}
