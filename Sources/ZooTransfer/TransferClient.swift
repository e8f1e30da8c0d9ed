import Foundation

/// Runs transfers on one libcurl multi handle: several files in parallel on the calling thread.
///
/// One call at a time: a client is not shared between threads (its ``cancellation`` is).
public final class TransferClient {
    /// How transfers behave.
    public let options: TransferOptions
    /// Stops this client's transfers from any thread.
    public let cancellation: TransferCancellation
    private let multi = MultiHandle()

    /// Creates a client; connections are kept open between calls and reused.
    public init(options: TransferOptions = .init(), cancellation: TransferCancellation = .init()) {
        self.options = options
        self.cancellation = cancellation
    }

    /// Downloads every request, up to ``TransferOptions/maxParallel`` at once, reporting `events` as they happen;
    /// returns one result per request, in order.
    public func download(
        _ requests: [TransferRequest], events: (TransferEvent) -> Void
    ) -> [Result<TransferOutcome, TransferError>] {
        let buffer = EventBuffer()
        let downloads = requests.map { FileDownload(request: $0, options: options, events: buffer) }
        TransferLoop(multi: multi, cancellation: cancellation).run(downloads, maxParallel: options.maxParallel) {
            for event in buffer.take() { events(event) }
        }
        return downloads.map { $0.result! }
    }

    /// A small request for API calls and index files (GET, or POST with a body), with the same retries and
    /// timeouts as downloads. A status other than 2xx after the retries is thrown as
    /// ``TransferError/Code-swift.enum/http`` with the status.
    public func fetch(
        _ url: String, method: String = "GET", body: Data? = nil, headers: [String: String] = [:],
        bearerToken: String? = nil
    ) throws -> HTTPResponse {
        let request = EasyHandle.Request(url: url, method: method, body: body, headers: headers, bearerToken: bearerToken)
        let fetch = MemoryFetch(request: request, options: options)
        TransferLoop(multi: multi, cancellation: cancellation).run([fetch], maxParallel: 1) {}
        return try fetch.result!.get()
    }
}
