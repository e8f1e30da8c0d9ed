import Foundation

/// A complete, successful (2xx) response to ``TransferClient/fetch(_:method:body:headers:bearerToken:)``.
public struct HTTPResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// The response's headers, names in lower case (the last one wins when a name repeats).
    public var headers: [String: String]
    /// The response body.
    public var body: Data
    /// The address that answered (after redirects).
    public var url: String

    /// Creates a response.
    public init(status: Int, headers: [String: String], body: Data, url: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }
}
