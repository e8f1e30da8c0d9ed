import Foundation

/// The two kinds of upstream zoo fetches from.
public enum RegistryKind: String, Sendable, Codable {
    /// The SparseZoo API: `POST {base}/v2/graphql` (the real service, or another `zoo serve`).
    case graphql
    /// A plain HTTP tree with an `index.json` in the zoo catalog format, as `zoo mirror export` writes.
    case `static`
}

/// One upstream from `--registry` or `ZOO_REGISTRY`: a base URL, its kind when forced with a `static+` or
/// `graphql+` prefix (else detected), and its bearer token.
public struct RegistryEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The base URL, without a trailing slash.
    public var baseURL: String
    /// The kind when the user named it; nil means detect.
    public var declaredKind: RegistryKind?
    /// Sent as `Authorization: Bearer …` to this registry and its file URLs.
    public var token: String?

    public var description: String { baseURL }

    /// Parses a comma-separated list, in order. Tokens come from `ZOO_TOKEN_<HOST>` (the host upper-cased,
    /// every other character than A–Z and 0–9 turned into `_`), else `ZOO_REGISTRY_TOKEN`.
    public static func parseList(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [RegistryEndpoint] {
        try text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map {
            try RegistryEndpoint(parsing: $0, environment: environment)
        }
    }

    /// Parses one entry: `URL`, `static+URL` or `graphql+URL`, with scheme http or https.
    public init(parsing entry: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var text = entry
        for kind in [RegistryKind.static, .graphql] where text.hasPrefix(kind.rawValue + "+") {
            declaredKind = kind
            text.removeFirst(kind.rawValue.count + 1)
        }
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              !(url.host ?? "").isEmpty
        else {
            throw StoreError(.invalidInput, "registry '\(entry)' is not an http(s) URL; write e.g. https://zoo.example.com or static+http://127.0.0.1:8080/mirror (serve a mirror directory with any web server)")
        }
        baseURL = text
        let host = (url.host ?? "").uppercased().map { $0.isLetter && $0.isASCII || $0.isNumber ? String($0) : "_" }.joined()
        token = environment["ZOO_TOKEN_\(host)"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["ZOO_REGISTRY_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The URL of `path` under the base.
    func url(_ path: String) -> String { baseURL + "/" + path }
}
