import Foundation
import ZooArchive
import ZooCatalog
import ZooTransfer

/// The content-addressed cache shared by every zoo process on a home: blobs, model directories, the rows that
/// describe them, leases while pulling, pins and least-recently-used eviction.
public final class Store {
    /// Where things are on disk.
    public let layout: StoreLayout
    /// The catalog connection the store keeps its rows in.
    public let catalog: Catalog
    let index: CacheIndex
    let blobs: BlobStore
    let assembler: ModelAssembler

    /// Opens the store of `home` on `catalog` (a connection to the same home's catalog).
    public init(home: ZooHome, catalog: Catalog, limits: ExtractionLimits = .default) throws {
        layout = StoreLayout(home: home)
        self.catalog = catalog
        index = CacheIndex(database: catalog.database)
        blobs = BlobStore(layout: layout)
        assembler = ModelAssembler(layout: layout, blobs: blobs, extractor: ArchiveExtractor(limits: limits))
        try layout.create()
    }

    /// The lease key of a model.
    static func leaseKey(_ key: ModelKey) -> String { key.description }

    /// The directory of a cached model, if it is cached.
    public func directory(of key: ModelKey) throws -> URL? {
        try index.isCached(key) ? layout.modelDirectory(key) : nil
    }

    /// Whether every file of the last pull of `key` is in place.
    public func isComplete(_ key: ModelKey) throws -> Bool { try index.isComplete(key) }

    /// Records that a cached model was used now (run, benchmarked, read), for least-recently-used eviction.
    public func touch(_ key: ModelKey) throws { try index.touch(key) }
}
