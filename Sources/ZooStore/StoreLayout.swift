import Foundation
import ZooCatalog

/// Where the cache keeps things under the zoo home: `blobs/sha256/<hex>` (read-only, content-addressed),
/// `models/<namespace>/<repoName>/` (the SparseZoo directory layout) and `tmp/` (partial downloads, staging).
public struct StoreLayout: Sendable {
    /// The zoo home.
    public let home: ZooHome

    /// `blobs/sha256`.
    public let blobs: URL
    /// `models`.
    public let models: URL
    /// `tmp`: partial downloads and directories being assembled; on the same file system as blobs and models,
    /// so every install is a rename.
    public let tmp: URL
    /// `tmp/partial`: downloads in progress, kept across crashes so a later pull resumes them.
    public let partials: URL

    /// The layout under `home`.
    public init(home: ZooHome) {
        self.home = home
        blobs = home.url.appendingPathComponent("blobs/sha256", isDirectory: true)
        models = home.url.appendingPathComponent("models", isDirectory: true)
        tmp = home.url.appendingPathComponent("tmp", isDirectory: true)
        partials = tmp.appendingPathComponent("partial", isDirectory: true)
    }

    /// The blob with digest `sha256`.
    public func blob(_ sha256: String) -> URL { blobs.appendingPathComponent(sha256, isDirectory: false) }

    /// The directory of model `namespace/repoName`.
    public func modelDirectory(_ key: ModelKey) -> URL {
        // Saying isDirectory: without it, URL.appendingPathComponent stats the path (slow in `zoo ls`).
        models.appendingPathComponent(key.namespace + "/" + key.repoName, isDirectory: true)
    }

    /// The partial download of file `name` of `key`: a fixed name, so a pull after a crash finds it again.
    public func partial(_ key: ModelKey, file name: String) -> URL {
        partials.appendingPathComponent(String(SHA256Name.of("\(key)/\(name)").prefix(40)) + ".part", isDirectory: false)
    }

    /// Creates the directories.
    public func create() throws {
        for directory in [blobs, models, partials] {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(.io, "cannot create \(directory.path): \(error.localizedDescription); check that ZOO_HOME is writable")
            }
        }
    }
}

/// A model's identity in the cache: its registry namespace and repoName.
public struct ModelKey: Hashable, Sendable, CustomStringConvertible, Codable {
    public var namespace: String
    public var repoName: String

    /// Creates a key.
    public init(namespace: String, repoName: String) {
        self.namespace = namespace
        self.repoName = repoName
    }

    /// The key of a catalog model.
    public init(_ model: ModelRecord) { self.init(namespace: model.namespace, repoName: model.repoName) }

    public var description: String { "\(namespace)/\(repoName)" }
}
