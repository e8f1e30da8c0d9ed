import Foundation
import Hummingbird

/// JSON bodies for the API: sorted keys, unescaped slashes, the snake_case field names the records declare.
enum JSONText {
    /// `object` as one line of JSON.
    static func line(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// `value` encoded as one line of JSON.
    static func line<T: Encodable>(encoding value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A JSON response with `object` as its body.
    static func response(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        body(line(object), status: status)
    }

    /// A JSON response with `value` encoded as its body.
    static func response<T: Encodable>(encoding value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        body(try line(encoding: value), status: status)
    }

    /// `value` as a JSON object, to merge keys into.
    static func object<T: Encodable>(_ value: T) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try encoder.encode(value)) as? [String: Any] ?? [:]
    }

    /// A JSON response whose body is `text` (one line of JSON) and a newline.
    static func body(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer(string: text)
        if !text.hasSuffix("\n") { buffer.writeString("\n") }
        return body(buffer, status: status)
    }

    /// A JSON response whose body is `buffer` (one line of JSON and a newline), sent without a copy.
    static func body(_ buffer: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: jsonHeaders, body: ResponseBody(byteBuffer: buffer))
    }

    private static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
