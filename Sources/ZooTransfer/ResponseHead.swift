import Foundation

/// The status line and headers of the response a transfer is receiving, read line by line from libcurl's
/// header callback. A new status line (after a redirect or a `100 Continue`) starts a new head.
struct ResponseHead {
    /// The status code, 0 until a status line arrives.
    private(set) var status = 0
    /// The headers, names lower-cased; a repeated name keeps its last value.
    private(set) var headers: [String: String] = [:]

    /// Takes one raw header line, with or without its CRLF.
    mutating func take(line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            let fields = trimmed.split(separator: " ", maxSplits: 2)
            status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            headers = [:]
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = trimmed[..<colon].lowercased()
            headers[name] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    /// `Content-Length`, if present and a number.
    var contentLength: Int64? { headers["content-length"].flatMap { Int64($0) } }

    /// `Content-Range: bytes FIRST-LAST/TOTAL` (TOTAL may be `*`), if present and well-formed.
    var contentRange: (first: Int64, last: Int64, total: Int64?)? {
        guard let value = headers["content-range"], value.hasPrefix("bytes ") else { return nil }
        let parts = value.dropFirst("bytes ".count).split(separator: "/", maxSplits: 1)
        let bounds = parts.first?.split(separator: "-", maxSplits: 1) ?? []
        guard parts.count == 2, bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]) else {
            return nil
        }
        return (first, last, Int64(parts[1]))
    }
}
