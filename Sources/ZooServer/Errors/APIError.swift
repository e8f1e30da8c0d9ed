import Foundation
import Hummingbird

/// An error as the API answers it: an HTTP status and `{"error": {"code", "message", …}}`, where `code` is
/// `<domain>.<code>` (`store.notCached`, `catalog.notFound`, `api.unauthorized`) and `message` says what to do.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// `<domain>.<code>`, stable for clients to match on.
    public var code: String
    /// What went wrong and how it may be remedied.
    public var message: String
    /// The stubs nearest to one the catalog does not have (`catalog.notFound`).
    public var nearest: [String]?

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, code: String, _ message: String, nearest: [String]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.nearest = nearest
    }

    public var description: String { message }

    /// The `error` object of the body.
    public var body: [String: Any] {
        var error: [String: Any] = ["code": code, "message": message]
        if let nearest { error["nearest"] = nearest }
        return ["error": error]
    }

    /// One NDJSON line for streams that already started: `{"event": "error", "error": {...}}`.
    public var eventLine: String {
        JSONText.line(["event": "error", "error": body["error"] ?? [:]])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONText.response(body, status: status)
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, code: "api.badRequest", message) }
}
