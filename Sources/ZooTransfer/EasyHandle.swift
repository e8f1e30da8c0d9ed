import CCurl
import Foundation

/// What receives a response body chunk by chunk, inside libcurl's write callback.
protocol ResponseBodyReceiver: AnyObject {
    /// Takes the next `bytes` of the body `handle` is receiving; returning false aborts the transfer
    /// (libcurl then ends it with CURLE_WRITE_ERROR, and the receiver keeps the reason).
    func receive(_ bytes: UnsafeRawBufferPointer, from handle: EasyHandle) -> Bool
}

/// One HTTP request on a libcurl easy handle: its options, the response head read so far, and the callbacks
/// that hand the body to a ``ResponseBodyReceiver``.
final class EasyHandle {
    /// What the request asks for.
    struct Request {
        var url: String
        var method = "GET"
        var body: Data?
        var headers: [String: String] = [:]
        var bearerToken: String?
        /// When above 0, only the bytes from here on are asked for (`Range: bytes=N-`).
        var rangeStart: Int64 = 0
    }

    /// libcurl's handle, also the key the multi handle reports completions by.
    let raw: UnsafeMutableRawPointer
    /// The address asked for (before redirects).
    let url: String
    /// The status and headers of the response being received.
    private(set) var head = ResponseHead()
    private let receiver: ResponseBodyReceiver
    /// When the last header line or body byte arrived (or the handle was made), on ``monotonicSeconds()``.
    private var lastActivity = monotonicSeconds()
    private let stallTimeout: Double
    /// Why the loop cut the transfer short, when it did.
    private var cutShortBecause: String?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    /// libcurl's receive buffer: large, so that a fast loopback or LAN transfer takes few reads.
    private static let receiveBufferSize = 512 * 1024

    /// Creates the handle for `request`; it starts when added to a ``MultiHandle``.
    init(_ request: Request, options: TransferOptions, receiver: ResponseBodyReceiver) throws {
        CurlGlobal.initialize()
        guard let raw = curl_easy_init() else {
            throw TransferError(.network, url: request.url, "libcurl could not create a transfer (out of memory)")
        }
        self.raw = raw
        self.url = request.url
        self.receiver = receiver
        stallTimeout = options.stallTimeout
        errorBuffer[0] = 0
        try configure(request, options: options)
    }

    deinit {
        curl_easy_cleanup(raw)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure(_ request: Request, options: TransferOptions) throws {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        try set(CURLOPT_URL, request.url)
        // Registries and mirrors are web servers: nothing else (file://, ftp://…) may be reached,
        // neither directly nor through a redirect.
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 1)
        try set(CURLOPT_MAXREDIRS, 5)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_CONNECTTIMEOUT_MS, Int(max(options.connectTimeout, 0.001) * 1000))
        // libcurl averages the speed over its last few seconds, which catches a trickle; a transfer that stops
        // dead is caught sooner by ``cutShortIfStalled(now:)``.
        try set(CURLOPT_LOW_SPEED_LIMIT, 1)
        try set(CURLOPT_LOW_SPEED_TIME, max(1, Int(options.stallTimeout.rounded(.up))))
        try set(CURLOPT_BUFFERSIZE, Self.receiveBufferSize)
        try set(CURLOPT_USERAGENT, options.userAgent)
        try set(CURLOPT_WRITEFUNCTION, function: { data, size, count, context in
            let handle = Unmanaged<EasyHandle>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            handle.lastActivity = monotonicSeconds()
            let accepted = handle.receiver.receive(UnsafeRawBufferPointer(start: data, count: length), from: handle)
            return accepted ? length : 0
        })
        try set(CURLOPT_WRITEDATA, pointer: context)
        try set(CURLOPT_HEADERFUNCTION, function: { data, size, count, context in
            let handle = Unmanaged<EasyHandle>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            let line = UnsafeRawBufferPointer(start: data, count: length)
            handle.lastActivity = monotonicSeconds()
            handle.head.take(line: String(decoding: line, as: UTF8.self))
            return length
        })
        try set(CURLOPT_HEADERDATA, pointer: context)
        if request.rangeStart > 0 { try set(CURLOPT_RANGE, "\(request.rangeStart)-") }
        try setMethod(request.method, body: request.body)

        var lines = request.headers.map { "\($0.key): \($0.value)" }.sorted()
        if let token = request.bearerToken { lines.append("Authorization: Bearer \(token)") }
        // libcurl adds `Expect: 100-continue` to larger POSTs; an empty value removes it (one round trip less).
        lines.append("Expect:")
        for line in lines { headerList = curl_slist_append(headerList, line) }
        try set(CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(headerList))
    }

    private func setMethod(_ method: String, body: Data?) throws {
        let verb = method.uppercased()
        if verb == "HEAD" { try set(CURLOPT_NOBODY, 1) }
        // POSTFIELDS makes the request a POST; any other verb with a body goes through CUSTOMREQUEST.
        if verb != "POST" && verb != "HEAD" && (verb != "GET" || body != nil) { try set(CURLOPT_CUSTOMREQUEST, verb) }
        guard verb == "POST" || body != nil else { return }
        let bytes = body ?? Data()
        try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(bytes.count))
        if bytes.isEmpty {
            try set(CURLOPT_COPYPOSTFIELDS, "")
        } else {
            let code = bytes.withUnsafeBytes { CCurl_setoptPointer(raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
            try check(code, CURLOPT_COPYPOSTFIELDS)
        }
    }

    // MARK: Facts after (or during) the transfer

    /// The address that answered, after redirects.
    var effectiveURL: String {
        var text: UnsafeMutablePointer<CChar>?
        guard CCurl_getinfoString(raw, CURLINFO_EFFECTIVE_URL, &text) == CURLE_OK, let text else { return url }
        return String(cString: text)
    }

    /// The response's `Retry-After` in seconds (libcurl reads both forms, seconds and an HTTP date).
    var retryAfter: Double? {
        var seconds: curl_off_t = 0
        guard CCurl_getinfoOffset(raw, CURLINFO_RETRY_AFTER, &seconds) == CURLE_OK, seconds > 0 else { return nil }
        return Double(seconds)
    }

    /// Whether nothing has arrived for the stall timeout; if so, remembers that as the reason to end the
    /// transfer (the caller detaches it and ends the attempt with CURLE_OPERATION_TIMEDOUT).
    func cutShortIfStalled(now: Double) -> Bool {
        guard now - lastActivity >= stallTimeout else { return false }
        cutShortBecause = "nothing arrived for \(String(format: "%g", stallTimeout)) s"
        return true
    }

    /// libcurl's explanation of `code`: the detailed message of this transfer when there is one.
    func explanation(of code: CURLcode) -> String {
        if let cutShortBecause { return cutShortBecause }
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    // MARK: Typed option setters over the C shims

    private func set(_ option: CURLoption, _ value: Int) throws {
        try check(CCurl_setoptLong(raw, option, value), option)
    }

    private func set(_ option: CURLoption, offset value: Int64) throws {
        try check(CCurl_setoptOffset(raw, option, curl_off_t(value)), option)
    }

    private func set(_ option: CURLoption, _ value: String) throws {
        try check(CCurl_setoptString(raw, option, value), option)
    }

    private func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws {
        try check(CCurl_setoptPointer(raw, option, value), option)
    }

    private func set(_ option: CURLoption, function: curl_write_callback) throws {
        try check(CCurl_setoptWriteFunction(raw, option, function), option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws {
        guard code != CURLE_OK else { return }
        let reason = String(cString: curl_easy_strerror(code))
        let what = code == CURLE_UNKNOWN_OPTION || code == CURLE_NOT_BUILT_IN
            ? "; zoo needs libcurl 7.85 or newer with HTTP support (this is \(CurlLibrary.version))" : ""
        throw TransferError(.network, url: url, "libcurl refused option \(option.rawValue) for \(url): \(reason)\(what)")
    }
}
