import Foundation
import ZooCatalog
import ZooTransfer

extension Store {
    /// How a pull may reach the network.
    public struct Fetching {
        /// The transfers; nil when offline.
        public var client: TransferClient?
        /// Where each file may be fetched from, in order (the catalog's URL first, then mirrors).
        public var sources: (ModelKey, PlannedFile) -> [TransferSource]

        /// Fetching from the catalog's URLs (and mirrors) with `client`; `nil` means offline.
        public init(client: TransferClient?, sources: @escaping (ModelKey, PlannedFile) -> [TransferSource]) {
            self.client = client
            self.sources = sources
        }
    }

    /// Brings the selected files of `model` (loaded with `Catalog.details(of:)`) into the cache and its
    /// directory into place, downloading only what is missing, once even when several processes ask at once.
    ///
    /// Verified downloads are kept even when another file fails, and partial downloads are resumed by the next
    /// pull. Offline, a model whose files are all cached succeeds and anything else fails with `.notCached`.
    public func pull(
        _ model: ModelRecord, stub: String, selection: FileSelection, fetching: Fetching,
        events: (StoreEvent) -> Void = { _ in }
    ) throws -> PullReport {
        let key = ModelKey(model)
        let planned = try plan(model, key: key, selection: selection, stub: stub)
        let lease = try Lease.acquire(Self.leaseKey(key), database: catalog.database) {
            events(.waiting(model: key.description, pid: $0.pid, host: $0.host))
        }
        defer { lease.release() }

        let recorded = try index.files(of: key)
        var files = recorded.filter { blobs.contains($0.value, size: nil) }
        var reused: [String] = []
        var missing: [PlannedFile] = []
        for file in planned {
            if let sha256 = file.sha256 ?? files[file.name], blobs.contains(sha256, size: file.size) {
                files[file.name] = sha256
                reused.append(file.name)
            } else {
                missing.append(file)
            }
        }
        let wasComplete = try index.isComplete(key)
        let complete = wasComplete || selection != .recipes
        let directoryExists = FileManager.default.fileExists(atPath: layout.modelDirectory(key).path)
        if missing.isEmpty && directoryExists && files == recorded && (wasComplete || !complete) {
            try index.touch(key)
            return report(stub: stub, key: key, downloaded: [], reused: reused, bytes: 0, complete: wasComplete)
        }

        var downloaded: [String] = []
        var bytes: Int64 = 0
        if !missing.isEmpty {
            guard let client = fetching.client else {
                throw StoreError(.notCached, "offline and not cached: \(stub) needs \(Self.list(missing.map(\.name))); pull it without --offline (and without ZOO_OFFLINE=1) first")
            }
            try checkFreeSpace(for: missing, key: key, cached: files)
            events(.planned(model: key.description, fetch: missing.map(\.name), reuse: reused, bytes: Self.total(missing.map(\.size))))
            let requests = try missing.map { file in
                let sources = fetching.sources(key, file)
                guard !sources.isEmpty else {
                    throw StoreError(.registry, "the catalog lists no URL for \(file.name) of \(stub); point --registry or ZOO_REGISTRY at a registry that has it")
                }
                return TransferRequest(
                    id: file.name, sources: sources, destination: layout.partial(key, file: file.name).path,
                    expectedSize: file.size, expectedSHA256: file.sha256)
            }
            let results = client.download(requests) { event in
                lease.heartbeat()
                events(.transfer(event))
            }
            var failures: [(String, TransferError)] = []
            for (file, result) in zip(missing, results) {
                switch result {
                case .success(let outcome):
                    try blobs.install(URL(fileURLWithPath: layout.partial(key, file: file.name).path), sha256: outcome.sha256)
                    try index.recordBlob(outcome.sha256, size: outcome.bytes)
                    if file.sha256 == nil { try index.learn(key, file: file.name, size: outcome.bytes, sha256: outcome.sha256) }
                    files[file.name] = outcome.sha256
                    downloaded.append(file.name)
                    bytes += outcome.bytes
                case .failure(let error):
                    failures.append((file.name, error))
                }
            }
            if !failures.isEmpty { throw Self.pullFailure(stub: stub, failures: failures, kept: downloaded) }
        }
        let unpacked = try assembler.assemble(key, files: files) { events(.unpacking(file: $0)) }
        try index.recordModel(key, stub: stub, files: files, extractedBytes: unpacked, complete: complete)
        return report(stub: stub, key: key, downloaded: downloaded, reused: reused, bytes: bytes, complete: complete)
    }

    /// The planned files with learned digests filled in; fails when there is nothing to fetch.
    private func plan(_ model: ModelRecord, key: ModelKey, selection: FileSelection, stub: String) throws -> [PlannedFile] {
        var planned = PullPlan.files(of: model, selection: selection)
        guard !planned.isEmpty else {
            let what = selection == .recipes ? "no recipes" : "no files"
            throw StoreError(.registry, "the catalog lists \(what) for \(stub); point --registry or ZOO_REGISTRY at a registry that has the model")
        }
        for i in planned.indices where planned[i].sha256 == nil {
            if let learned = try index.learnedDigest(key, file: planned[i].name) {
                planned[i].sha256 = learned.sha256
                planned[i].size = planned[i].size ?? learned.size
            }
        }
        return planned
    }

    /// Refuses to start when the files still to download, plus room to unpack the model's archives (cached
    /// ones are unpacked again when the directory is rebuilt), exceed the free space.
    private func checkFreeSpace(for missing: [PlannedFile], key: ModelKey, cached: [String: String]) throws {
        guard let available = FreeSpace.available(at: layout.tmp.path) else { return }
        var needed: Int64 = 8 << 20
        for file in missing {
            let partial = Self.fileSize(layout.partial(key, file: file.name).path)
            needed += max(0, (file.size ?? 0) - partial)
            if ArchiveName.stem(file.name) != nil { needed += file.size ?? 0 }
        }
        for (name, sha256) in cached where ArchiveName.stem(name) != nil && !missing.contains(where: { $0.name == name }) {
            needed += try index.blobSize(sha256) ?? 0
        }
        guard needed <= available else {
            throw StoreError(.diskFull, "not enough free space to pull \(key): it needs \(ByteCount.format(needed)) and \(ByteCount.format(available)) is free on the disk holding \(layout.home.url.path); free some (e.g. `zoo gc --max-size …`) or set ZOO_HOME elsewhere")
        }
    }

    /// The size of the file at `path`, 0 when there is none.
    private static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    private static func pullFailure(stub: String, failures: [(String, TransferError)], kept: [String]) -> StoreError {
        let diskFull = failures.contains { $0.1.code == .diskFull }
        var lines = failures.map { "  \($0.0): \($0.1)" }
        if !kept.isEmpty { lines.append("verified and kept: \(list(kept))") }
        lines.append(diskFull
            ? "the disk filled up; the bytes already verified are kept and the next `zoo pull` resumes them once space is freed (`zoo gc --max-size …`)"
            : "run `zoo pull \(stub)` again to resume")
        return StoreError(diskFull ? .diskFull : .transfer, "could not fetch \(stub):\n" + lines.joined(separator: "\n"))
    }

    private func report(stub: String, key: ModelKey, downloaded: [String], reused: [String], bytes: Int64, complete: Bool) -> PullReport {
        PullReport(
            stub: stub, namespace: key.namespace, repoName: key.repoName, path: layout.modelDirectory(key).path,
            downloaded: downloaded, reused: reused, bytesDownloaded: bytes, complete: complete)
    }

    private static func total(_ sizes: [Int64?]) -> Int64? {
        sizes.reduce(Int64(0)) { sum, size in sum.flatMap { s in size.map { s + $0 } } }
    }

    static func list(_ names: [String]) -> String { names.joined(separator: ", ") }
}
