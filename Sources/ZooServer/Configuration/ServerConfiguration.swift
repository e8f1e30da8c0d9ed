import Foundation
import ZooCatalog
import ZooTransfer

/// How `zoo serve` runs: where it listens, who may talk to it, where it fetches from.
public struct ServerConfiguration: Sendable {
    /// The zoo home the daemon serves (its catalog and cache).
    public var home: ZooHome
    /// The Unix socket to listen on (default `$ZOO_HOME/zoo.sock`); nil for none.
    public var socketPath: String?
    /// A TCP address to listen on as well, if any.
    public var tcp: ListenAddress?
    /// The bearer token TCP clients must send; required when `tcp` is not a loopback address.
    public var token: String?
    /// The upstream registries, comma-separated (the `--registry` / `ZOO_REGISTRY` syntax).
    public var registries: String
    /// Never fetch: serve the catalog and cache only.
    public var offline: Bool
    /// Retries, timeouts and parallelism of upstream transfers.
    public var transfer: TransferOptions
    /// Threads answering catalog and cache queries (each with its own catalog connection).
    public var queryThreads: Int
    /// Threads running pulls (each pull of a different model takes one for its duration).
    public var pullThreads: Int
    /// Seconds SIGTERM waits for running pulls before parking them (they resume on the next start).
    public var shutdownGrace: Double
    /// The version `/healthz` reports.
    public var version: String
    /// The URL clients reach the daemon at (`https://zoo.example.com/models`, behind a proxy): the base of the
    /// `downloadUrl`s GraphQL answers. Without it they use the `Host` the request came to.
    public var publicURL: String?

    /// A configuration for `home`; the socket defaults to `$ZOO_HOME/zoo.sock`.
    public init(
        home: ZooHome, socketPath: String? = nil, tcp: ListenAddress? = nil, token: String? = nil,
        registries: String = "", offline: Bool = false, transfer: TransferOptions = TransferOptions(),
        queryThreads: Int = 4, pullThreads: Int = 8, shutdownGrace: Double = 10, version: String = "dev",
        publicURL: String? = nil
    ) {
        self.home = home
        self.socketPath = socketPath ?? Self.defaultSocketPath(home)
        self.tcp = tcp
        self.token = token
        self.registries = registries
        self.offline = offline
        self.transfer = transfer
        self.queryThreads = max(1, queryThreads)
        self.pullThreads = max(1, pullThreads)
        self.shutdownGrace = max(0, shutdownGrace)
        self.version = version
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// `$ZOO_HOME/zoo.sock`: where the daemon listens and where the CLI looks for it.
    public static func defaultSocketPath(_ home: ZooHome) -> String {
        home.url.appendingPathComponent("zoo.sock").path
    }

    /// Refuses a TCP listener on a non-loopback address without a token.
    public func validate() throws {
        if let tcp, !tcp.isLoopback, (token ?? "").isEmpty {
            throw ServerError(.invalidConfiguration, "--listen \(tcp) is reachable from other machines; give it a bearer token with --token-file FILE (or listen on 127.0.0.1)")
        }
        if socketPath == nil && tcp == nil {
            throw ServerError(.invalidConfiguration, "nothing to listen on; keep the Unix socket or add --listen HOST:PORT")
        }
        if let publicURL {
            let url = URLComponents(string: publicURL)
            guard let url, ["http", "https"].contains(url.scheme ?? ""), !(url.host ?? "").isEmpty, url.query == nil, url.fragment == nil else {
                throw ServerError(.invalidConfiguration, "--public-url takes the http(s) URL clients reach the daemon at, such as https://zoo.example.com, not '\(publicURL)'")
            }
        }
    }
}
