import Foundation

/// A small blocking HTTP/1.1 client for the daemon's API over its Unix socket or TCP: one connection per
/// request, JSON in and out, NDJSON streams read line by line. What the CLI uses when a daemon runs.
public struct DaemonClient: Sendable {
    /// An answer: the status and the body.
    public struct Response: Sendable {
        public var status: Int
        public var body: Data

        /// The body as a JSON object, if it is one.
        public var object: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    }

    /// Where the daemon listens.
    public let endpoint: DaemonEndpoint
    /// Sent as `Authorization: Bearer …`.
    public let token: String?

    /// A client of the daemon at `endpoint`.
    public init(endpoint: DaemonEndpoint, token: String? = nil) {
        self.endpoint = endpoint
        self.token = token
    }

    /// The daemon the environment names or the home's socket (``DaemonEndpoint/discover(environment:)``), with
    /// `ZOO_HOST_TOKEN`; nil when none runs.
    public static func discover(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DaemonClient? {
        guard let endpoint = try DaemonEndpoint.discover(environment: environment) else { return nil }
        return DaemonClient(endpoint: endpoint, token: environment["ZOO_HOST_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
    }

    /// `GET path` (with its query).
    public func get(_ path: String) throws -> Response {
        try send("GET", path, body: nil)
    }

    /// `POST path` with `object` as JSON.
    public func post(_ path: String, _ object: [String: Any]) throws -> Response {
        try send("POST", path, body: try JSONSerialization.data(withJSONObject: object))
    }

    /// `POST path` with `object` as JSON, handing each line of the NDJSON answer to `line` as it arrives;
    /// returns the status (the body of an error status goes to `line` too).
    public func stream(_ path: String, _ object: [String: Any], line: (Data) throws -> Void) throws -> Int {
        let connection = try DaemonConnection(endpoint)
        defer { connection.close() }
        try connection.write(request("POST", path, body: try JSONSerialization.data(withJSONObject: object)))
        let head = try connection.readHead()
        var pending = Data()
        try connection.readBody(head) { chunk in
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                let text = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                if !text.isEmpty { try line(Data(text)) }
            }
        }
        if !pending.isEmpty { try line(pending) }
        return head.status
    }

    /// `?key=value&…` with each value percent-encoded.
    public static func query(_ pairs: [(String, String?)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let items = pairs.compactMap { key, value in
            value.map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" }
        }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }

    private func send(_ method: String, _ path: String, body: Data?) throws -> Response {
        let connection = try DaemonConnection(endpoint)
        defer { connection.close() }
        try connection.write(request(method, path, body: body))
        let head = try connection.readHead()
        var data = Data()
        try connection.readBody(head) { data.append($0) }
        return Response(status: head.status, body: data)
    }

    private func request(_ method: String, _ path: String, body: Data?) -> Data {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nConnection: close\r\nAccept: application/json\r\n"
        if let token { text += "Authorization: Bearer \(token)\r\n" }
        if let body { text += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        var data = Data((text + "\r\n").utf8)
        if let body { data.append(body) }
        return data
    }

    private var hostHeader: String {
        switch endpoint {
        case .unix: "localhost"
        case .tcp(let host, let port): ListenAddress(host: host, port: port).description
        }
    }
}
