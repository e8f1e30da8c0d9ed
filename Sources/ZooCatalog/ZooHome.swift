import Foundation

/// The directory zoo keeps everything in: `$ZOO_HOME`, else `$XDG_CACHE_HOME/zoo`, else `~/.cache/zoo`.
public struct ZooHome: Sendable {
    /// The root directory.
    public let url: URL

    /// A home at an explicit directory.
    public init(url: URL) { self.url = url }

    /// The home the environment names.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let home = environment["ZOO_HOME"], !home.isEmpty {
            url = URL(fileURLWithPath: home)
        } else if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
            url = URL(fileURLWithPath: cache).appendingPathComponent("zoo")
        } else {
            url = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/zoo")
        }
    }

    /// `catalog.sqlite`.
    public var catalogPath: String { url.appendingPathComponent("catalog.sqlite").path }

    /// Creates the root directory if it is missing.
    public func create() throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw CatalogError(.invalidInput, "cannot create the zoo home \(url.path); set ZOO_HOME to a writable directory",
                               cause: "\(error)")
        }
    }
}
