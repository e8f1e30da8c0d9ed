import Foundation

/// The daemon's counters, rendered for Prometheus at `/metrics`: requests by route, method and status, bytes
/// in and out, cache hits and misses, upstream bytes. Gauges (pulls in flight, cache bytes) are read at scrape time.
final class ServerMetrics: @unchecked Sendable {
    /// Labels of one request counter.
    struct RequestLabels: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private let lock = NSLock()
    private var requests: [RequestLabels: Int] = [:]
    private var bytesIn = 0
    private var bytesOut = 0
    private var hits: [String: Int] = [:]
    private var misses: [String: Int] = [:]
    private var upstreamBytes: Int64 = 0

    /// Counts one answered request.
    func request(route: String, method: String, status: Int) {
        lock.withLock { requests[RequestLabels(route: route, method: method, status: status), default: 0] += 1 }
    }

    /// Counts request body bytes received.
    func received(_ bytes: Int) { lock.withLock { bytesIn += bytes } }

    /// Counts response body bytes sent.
    func sent(_ bytes: Int) { lock.withLock { bytesOut += bytes } }

    /// Counts a request the cache answered (`kind`: `pull` or `file`).
    func hit(_ kind: String) { lock.withLock { hits[kind, default: 0] += 1 } }

    /// Counts a request that had to fetch from upstream.
    func miss(_ kind: String) { lock.withLock { misses[kind, default: 0] += 1 } }

    /// Counts bytes downloaded from upstream registries.
    func downloaded(_ bytes: Int64) { lock.withLock { upstreamBytes += bytes } }

    /// The Prometheus text exposition (format 0.0.4) of the counters and the gauges given.
    func exposition(pullsInFlight: Int, benchJobs: [String: Int], cacheBytes: Int64?) -> String {
        lock.lock()
        defer { lock.unlock() }
        var text = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { text += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        let requestSamples = requests.sorted { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }
            .map { (Self.labels(["route": $0.key.route, "method": $0.key.method, "status": String($0.key.status)]), String($0.value)) }
        family("zoo_http_requests_total", "counter", "HTTP requests answered, by route, method and status.", requestSamples)
        family("zoo_http_request_bytes_total", "counter", "Request body bytes received.", [("", String(bytesIn))])
        family("zoo_http_response_bytes_total", "counter", "Response body bytes sent.", [("", String(bytesOut))])
        let kinds = ["file", "pull"]
        family("zoo_cache_hits_total", "counter", "Pulls and file requests answered from the cache.",
               kinds.map { (Self.labels(["kind": $0]), String(hits[$0] ?? 0)) })
        family("zoo_cache_misses_total", "counter", "Pulls and file requests that fetched from upstream.",
               kinds.map { (Self.labels(["kind": $0]), String(misses[$0] ?? 0)) })
        family("zoo_upstream_bytes_total", "counter", "Bytes downloaded from upstream registries.", [("", String(upstreamBytes))])
        family("zoo_pulls_in_flight", "gauge", "Pulls running now.", [("", String(pullsInFlight))])
        family("zoo_bench_jobs", "gauge", "Benchmark jobs by status.",
               benchJobs.sorted { $0.key < $1.key }.map { (Self.labels(["status": $0.key]), String($0.value)) })
        if let cacheBytes {
            family("zoo_cache_bytes", "gauge", "Bytes the cache holds: blobs plus unpacked archives.", [("", String(cacheBytes))])
        }
        return text
    }

    private static func labels(_ pairs: [String: String]) -> String {
        let body = pairs.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }
        return "{" + body.joined(separator: ",") + "}"
    }
}
