import Foundation

/// A TCP address to listen on, from `--listen HOST:PORT` (`127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:8080`).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host or IP address, without brackets.
    public var host: String
    /// The port; 0 lets the system choose.
    public var port: Int

    /// An address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, with IPv6 hosts in brackets.
    public init(parsing text: String) throws {
        let problem = ServerError(.invalidConfiguration, "--listen takes HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080), not '\(text)'")
        var hostPart: Substring
        var portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { throw problem }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw problem }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (0...65535).contains(port) else { throw problem }
        host = String(hostPart)
        self.port = port
    }

    /// Whether only this machine can reach the address: `localhost`, 127.0.0.0/8 or `::1`.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
