import Foundation
import ZooCatalog
import ZooStore
import ZooStub
import ZooTestSupport
import ZooTransfer

/// A zoo home with its catalog, store and registries, pulling from one registry URL the way the CLI does.
final class StoreHarness {
    let directory: TemporaryDirectory
    let home: ZooHome
    let catalog: Catalog
    let store: Store
    let client: TransferClient
    let registries: Registries

    /// A harness on a fresh home, or on `home` to share one with another harness.
    init(registry: String, home shared: TemporaryDirectory? = nil, options: TransferOptions = StoreHarness.fastOptions) throws {
        directory = shared ?? TemporaryDirectory()
        home = ZooHome(url: directory.url)
        catalog = try Catalog.open(home: home)
        store = try Store(home: home, catalog: catalog)
        client = TransferClient(options: options)
        registries = Registries(endpoints: try RegistryEndpoint.parseList(registry), client: client)
    }

    /// Retries in milliseconds, so fault tests stay fast.
    static let fastOptions = TransferOptions(maxAttempts: 3, initialBackoff: 0.05, maxBackoff: 0.2, connectTimeout: 5, stallTimeout: 2)

    /// Resolves `stub` through the registries and pulls it.
    @discardableResult
    func pull(_ stub: String, selection: FileSelection = .model(includeTraining: false), offline: Bool = false) throws -> PullReport {
        let parsed = try Stub(parsing: stub)
        if !offline { try refresh(stub) }
        guard let model = try catalog.resolve(parsed) else { throw StoreError(.notCached, "\(stub) is not in the catalog") }
        let fetching = Store.Fetching(client: offline ? nil : client) { [registries] key, file in registries.sources(for: key, file: file) }
        return try store.pull(try catalog.details(of: model), stub: stub, selection: selection, fetching: fetching)
    }

    /// Asks the registries for `stub`, recording their answer in the catalog.
    func refresh(_ stub: String) throws {
        var problems: [String] = []
        _ = registries.refresh(try Stub(parsing: stub), in: catalog, problems: &problems)
        if let problem = problems.first { throw StoreError(.registry, problem) }
    }

    /// The model directory of `repoName` in namespace `zootest`.
    func modelDirectory(_ repoName: String) -> URL {
        store.layout.modelDirectory(ModelKey(namespace: "zootest", repoName: repoName))
    }

    /// Every file under the home's blobs.
    func blobNames() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: store.layout.blobs.path))?.sorted() ?? []
    }
}
