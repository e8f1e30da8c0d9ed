import CCurl
import Foundation

/// A small request whose response body is kept in memory (API calls, index files), retried like downloads.
final class MemoryFetch: TransferJob, ResponseBodyReceiver {
    private let request: EasyHandle.Request
    private let options: TransferOptions
    private var body = Data()
    private var failuresInARow = 0
    /// How the fetch ended; nil while it runs.
    private(set) var result: Result<HTTPResponse, TransferError>?

    init(request: EasyHandle.Request, options: TransferOptions) {
        self.request = request
        self.options = options
    }

    func beginAttempt() -> EasyHandle? {
        body.removeAll(keepingCapacity: true)
        do {
            return try EasyHandle(request, options: options, receiver: self)
        } catch {
            result = .failure(error as? TransferError ?? TransferError(.network, url: request.url, "\(error)"))
            return nil
        }
    }

    func receive(_ bytes: UnsafeRawBufferPointer, from handle: EasyHandle) -> Bool {
        body.append(contentsOf: bytes)
        return true
    }

    func endAttempt(_ handle: EasyHandle, result code: CURLcode) -> Double? {
        let url = handle.effectiveURL
        let failure: AttemptFailure
        if code != CURLE_OK {
            failure = .transport(code, explanation: handle.explanation(of: code), url: url)
        } else if (200..<300).contains(handle.head.status) {
            result = .success(HTTPResponse(status: handle.head.status, headers: handle.head.headers, body: body, url: url))
            return nil
        } else {
            failure = .status(handle.head.status, url: url, retryAfter: handle.retryAfter)
        }
        if case .retry(let retryAfter) = failure.remedy {
            failuresInARow += 1
            if failuresInARow < options.maxAttempts {
                return options.delay(afterFailures: failuresInARow, retryAfter: retryAfter)
            }
        }
        result = .failure(failure.error)
        return nil
    }

    func cancel() {
        result = .failure(TransferError(.cancelled, url: request.url, "the request to \(request.url) was cancelled"))
    }
}
