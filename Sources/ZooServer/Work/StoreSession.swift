import Foundation
import ZooCatalog
import ZooStore
import ZooStub
import ZooTransfer

/// What one worker thread works with: its own catalog connection (a `Catalog` is one SQLite connection and is
/// not shared between threads), the store on it, a transfer client and the registries.
final class StoreSession {
    let catalog: Catalog
    let store: Store
    let client: TransferClient
    let registries: Registries
    let offline: Bool

    /// Opens the home's catalog and store; transfers stop when `cancellation` is cancelled.
    init(configuration: ServerConfiguration, cancellation: TransferCancellation) throws {
        catalog = try Catalog.open(home: configuration.home)
        store = try Store(home: configuration.home, catalog: catalog)
        client = TransferClient(options: configuration.transfer, cancellation: cancellation)
        offline = configuration.offline
        let endpoints = offline ? [] : try RegistryEndpoint.parseList(configuration.registries)
        registries = Registries(endpoints: endpoints, client: client)
    }

    /// The registries a request asks for (`registry` overrides the daemon's, `offline` turns them off).
    func registries(override list: String?, offline requestOffline: Bool) throws -> Registries? {
        if offline || requestOffline { return nil }
        guard let list, !list.isEmpty else { return registries }
        return Registries(endpoints: try RegistryEndpoint.parseList(list), client: client)
    }

    /// The catalog model `stub` names, in full; asks `registries` first unless the model is cached whole.
    /// Registry problems are returned, not thrown: the catalog may still know the model.
    func model(forPull stub: Stub, registries: Registries?) throws -> (model: ModelRecord, problems: [String]) {
        var problems: [String] = []
        if let registries, !registries.endpoints.isEmpty {
            let known = try catalog.resolve(stub)
            if try known.map({ try store.isComplete(ModelKey($0)) }) != true {
                _ = registries.refresh(stub, in: catalog, problems: &problems)
            }
        }
        guard let model = try catalog.resolve(stub) else {
            var error = APIError.notInCatalog(stub, nearest: try catalog.nearestStubs(to: stub))
            if !problems.isEmpty { error.message += "; the registries said: " + problems.joined(separator: "; ") }
            throw error
        }
        return (try catalog.details(of: model), problems)
    }

    /// How the store may fetch with `registries` (nil: offline).
    func fetching(_ registries: Registries?) -> Store.Fetching {
        guard let registries else { return Store.Fetching(client: nil) { _, _ in [] } }
        return Store.Fetching(client: client) { key, file in registries.sources(for: key, file: file) }
    }
}
