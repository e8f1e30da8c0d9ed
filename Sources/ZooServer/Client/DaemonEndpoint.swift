import Foundation
import ZooCatalog

/// Where a `zoo serve` listens, as a client finds it: `ZOO_HOST` (`unix:/path/zoo.sock`, `http://host:port` or
/// `host:port`, with `ZOO_HOST_TOKEN` as its bearer token), else `$ZOO_HOME/zoo.sock` when a daemon answers there.
/// `ZOO_NO_DAEMON=1` makes clients work in-process.
public enum DaemonEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// A Unix socket path.
    case unix(String)
    /// A TCP host and port.
    case tcp(host: String, port: Int)

    /// The daemon the environment names or the home's socket, if one answers; nil to work in-process.
    public static func discover(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DaemonEndpoint? {
        if ["1", "true", "yes"].contains(environment["ZOO_NO_DAEMON"]?.lowercased() ?? "") { return nil }
        if let host = environment["ZOO_HOST"], !host.isEmpty { return try parse(host) }
        let socket = ServerConfiguration.defaultSocketPath(ZooHome(environment: environment))
        return UnixSocket.answers(socket) ? .unix(socket) : nil
    }

    /// Parses `unix:PATH`, `http://HOST:PORT` or `HOST:PORT`.
    public static func parse(_ text: String) throws -> DaemonEndpoint {
        if text.hasPrefix("unix:") {
            return .unix(String(text.dropFirst("unix:".count)).replacingOccurrences(of: "//", with: "/"))
        }
        if text.hasPrefix("/") { return .unix(text) }
        var rest = text
        if rest.hasPrefix("http://") { rest.removeFirst("http://".count) }
        while rest.hasSuffix("/") { rest.removeLast() }
        guard let address = try? ListenAddress(parsing: rest) else {
            throw ServerError(.invalidConfiguration, "ZOO_HOST takes unix:/path/zoo.sock, http://HOST:PORT or HOST:PORT, not '\(text)'")
        }
        return .tcp(host: address.host, port: address.port)
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): "http://\(ListenAddress(host: host, port: port))"
        }
    }
}
