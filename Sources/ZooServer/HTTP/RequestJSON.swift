import Foundation
import Hummingbird

/// Reading a request's JSON object body and query parameters.
struct RequestJSON {
    let values: [String: Any]

    /// The request's body as a JSON object (an empty body is `{}`); at most 1 MiB.
    static func read(_ request: inout Request) async throws -> RequestJSON {
        let buffer = try await request.collectBody(upTo: 1 << 20)
        guard buffer.readableBytes > 0 else { return RequestJSON(values: [:]) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] else {
            throw APIError.badRequest("the request body must be a JSON object")
        }
        return RequestJSON(values: object)
    }

    /// A required string field.
    func string(_ key: String) throws -> String {
        guard let value = values[key] as? String, !value.isEmpty else {
            throw APIError.badRequest("the request needs \"\(key)\", a string")
        }
        return value
    }

    /// An optional string field.
    func optionalString(_ key: String) throws -> String? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw APIError.badRequest("\"\(key)\" must be a string") }
        return text
    }

    /// An optional boolean field, false when absent.
    func flag(_ key: String) throws -> Bool {
        guard let value = values[key], !(value is NSNull) else { return false }
        guard let flag = value as? Bool else { throw APIError.badRequest("\"\(key)\" must be true or false") }
        return flag
    }

    /// An optional number field.
    func number(_ key: String) throws -> Double? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber else { throw APIError.badRequest("\"\(key)\" must be a number") }
        return number.doubleValue
    }

    /// A list of strings.
    func strings(_ key: String) throws -> [String] {
        guard let value = values[key] as? [String], !value.isEmpty else {
            throw APIError.badRequest("the request needs \"\(key)\", a list of strings")
        }
        return value
    }
}

extension Router where Context == ServerContext {
    /// `POST path`, its handler given the request's body as a JSON object.
    func post(_ path: RouterPath, json handler: @escaping @Sendable (RequestJSON) async throws -> Response) {
        post(path, use: { request, _ in
            var request = request
            return try await handler(try await RequestJSON.read(&request))
        })
    }
}

extension Request {
    /// A query parameter, percent-decoded; nil when absent or empty.
    func query(_ name: String) -> String? {
        uri.queryParameters[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A required query parameter.
    func requiredQuery(_ name: String) throws -> String {
        guard let value = query(name) else { throw APIError.badRequest("the request needs the query parameter \(name)") }
        return value
    }
}
