import Foundation

/// One blocking connection to the daemon (Unix socket or TCP) that writes a request and reads an HTTP/1.1
/// response: the status line, the headers, and the body by Content-Length, chunks, or until the end.
final class DaemonConnection {
    /// The status and the headers that matter for reading the body.
    struct Head {
        var status: Int
        var contentLength: Int?
        var chunked: Bool
    }

    private let fd: Int32
    private var buffer = Data()
    private var ended = false

    init(_ endpoint: DaemonEndpoint) throws {
        switch endpoint {
        case .unix(let path):
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Self.failure("cannot create a socket", endpoint) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
                Foundation.close(fd)
                throw ServerError(.invalidConfiguration, "the socket path \(path) is too long")
            }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard connected == 0 else {
                let error = Self.failure("cannot connect", endpoint)
                Foundation.close(fd)
                throw error
            }
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var results: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else {
                throw ServerError(.cannotListen, "cannot find the daemon's host \(host)")
            }
            defer { freeaddrinfo(results) }
            var candidate: UnsafeMutablePointer<addrinfo>? = first
            var connectedFD: Int32 = -1
            while let info = candidate, connectedFD < 0 {
                let attempt = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
                if attempt >= 0 {
                    if connect(attempt, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { connectedFD = attempt } else { Foundation.close(attempt) }
                }
                candidate = info.pointee.ai_next
            }
            guard connectedFD >= 0 else { throw Self.failure("cannot connect", endpoint) }
            fd = connectedFD
        }
    }

    func close() { Foundation.close(fd) }

    func write(_ data: Data) throws {
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw ServerError(.cannotListen, "the daemon closed the connection: \(String(cString: strerror(errno)))") }
                offset += written
            }
        }
    }

    /// Reads the status line and headers.
    func readHead() throws -> Head {
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard try fill() else { throw ServerError(.cannotListen, "the daemon closed the connection before answering") }
        }
        let range = buffer.range(of: separator)!
        let text = String(decoding: buffer[buffer.startIndex..<range.lowerBound], as: UTF8.self)
        buffer = Data(buffer[range.upperBound...])
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw ServerError(.cannotListen, "the daemon answered something that is not HTTP: \(lines.first ?? "")")
        }
        var head = Head(status: status, contentLength: nil, chunked: false)
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-length" { head.contentLength = Int(value) }
            if name == "transfer-encoding" && value.lowercased().contains("chunked") { head.chunked = true }
        }
        return head
    }

    /// Reads the body, handing each piece to `piece` as it arrives.
    func readBody(_ head: Head, piece: (Data) throws -> Void) throws {
        if head.chunked {
            while true {
                let sizeLine = try readLine()
                guard let size = Int(sizeLine.split(separator: ";").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "", radix: 16) else {
                    throw ServerError(.cannotListen, "the daemon sent a malformed chunk")
                }
                if size == 0 {
                    _ = try? readLine()
                    return
                }
                try readExactly(size, piece: piece)
                _ = try readLine()
            }
        } else if let length = head.contentLength {
            try readExactly(length, piece: piece)
        } else {
            while true {
                if !buffer.isEmpty {
                    try piece(buffer)
                    buffer = Data()
                }
                guard try fill() else { return }
            }
        }
    }

    private func readExactly(_ count: Int, piece: (Data) throws -> Void) throws {
        var remaining = count
        while remaining > 0 {
            if buffer.isEmpty, !(try fill()) { throw ServerError(.cannotListen, "the daemon closed the connection mid-answer") }
            let take = min(remaining, buffer.count)
            try piece(Data(buffer.prefix(take)))
            buffer = Data(buffer.dropFirst(take))
            remaining -= take
        }
    }

    private func readLine() throws -> String {
        let newline = Data("\r\n".utf8)
        while buffer.range(of: newline) == nil {
            guard try fill() else { throw ServerError(.cannotListen, "the daemon closed the connection mid-answer") }
        }
        let range = buffer.range(of: newline)!
        let line = String(decoding: buffer[buffer.startIndex..<range.lowerBound], as: UTF8.self)
        buffer = Data(buffer[range.upperBound...])
        return line
    }

    /// Reads more bytes; false at the end of the stream.
    private func fill() throws -> Bool {
        guard !ended else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw ServerError(.cannotListen, "reading from the daemon failed: \(String(cString: strerror(errno)))") }
            if count == 0 {
                ended = true
                return false
            }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    private static func failure(_ what: String, _ endpoint: DaemonEndpoint) -> ServerError {
        ServerError(.cannotListen, "\(what) to the zoo daemon at \(endpoint): \(String(cString: strerror(errno))); start it with `zoo serve`, or set ZOO_NO_DAEMON=1 to work without it")
    }
}
