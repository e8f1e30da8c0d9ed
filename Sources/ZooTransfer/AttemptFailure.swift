import CCurl

/// The judgement on one failed attempt: the error to report, and what may still help.
struct AttemptFailure {
    /// What to do next.
    enum Remedy {
        /// Try the same source again after a backoff, or after the server's `Retry-After` (seconds).
        case retry(retryAfter: Double?)
        /// This source will not serve the file: go on to the next one.
        case nextSource
        /// The server refused the resume range: empty the partial file and start again from byte 0.
        case restartFromZero
        /// The finished file has the wrong digest: empty it and download once more, then move on.
        case wrongDigest
        /// Stop: no retry can help (a full disk, a failed write, cancelled).
        case stop
    }

    var error: TransferError
    var remedy: Remedy

    /// Judges libcurl's result `code` (not CURLE_OK) for a transfer to `url`.
    static func transport(_ code: CURLcode, explanation: String, url: String) -> AttemptFailure {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return AttemptFailure(error: TransferError(.timeout, url: url,
                "the transfer from \(url) timed out (\(explanation)); check the network, or try again later"),
                remedy: .retry(retryAfter: nil))
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return AttemptFailure(error: TransferError(.badURL, url: url,
                "\(url) is not a usable http:// or https:// address (\(explanation)); check the registry's configuration"),
                remedy: .nextSource)
        case CURLE_TOO_MANY_REDIRECTS:
            return AttemptFailure(error: TransferError(.http, url: url,
                "\(url) redirects more than 5 times (\(explanation)); the registry or mirror is misconfigured"),
                remedy: .nextSource)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return AttemptFailure(error: TransferError(.network, url: url,
                "the TLS certificate of \(url) cannot be trusted (\(explanation)); check the address and the system's CA certificates"),
                remedy: .nextSource)
        default:
            return AttemptFailure(error: TransferError(.network, url: url,
                "the connection to \(url) failed (\(explanation)); check the network, the proxy variables (https_proxy, no_proxy) and the registry's address"),
                remedy: .retry(retryAfter: nil))
        }
    }

    /// Judges a response with status `status` (not 200 or 206) from `url`.
    static func status(_ status: Int, url: String, retryAfter: Double?) -> AttemptFailure {
        switch status {
        case 408, 429, 500...599:
            return AttemptFailure(error: TransferError(.http, url: url, status: status,
                "\(url) answered HTTP \(status); the server is busy or failing, try again later"),
                remedy: .retry(retryAfter: retryAfter))
        case 401, 403:
            return AttemptFailure(error: TransferError(.http, url: url, status: status,
                "\(url) answered HTTP \(status): access denied; check the registry's token"),
                remedy: .nextSource)
        case 404, 410:
            return AttemptFailure(error: TransferError(.http, url: url, status: status,
                "\(url) answered HTTP \(status): the file is not there; the registry's index may be out of date"),
                remedy: .nextSource)
        case 416:
            return AttemptFailure(error: TransferError(.http, url: url, status: status,
                "\(url) refused to resume the partial file (HTTP 416); downloading it again from the start"),
                remedy: .restartFromZero)
        default:
            return AttemptFailure(error: TransferError(.http, url: url, status: status,
                "\(url) answered HTTP \(status) where the file was expected; check the registry's address"),
                remedy: .nextSource)
        }
    }
}

extension TransferOptions {
    /// Seconds to wait after `failures` failures in a row: the backoff doubling from ``initialBackoff``, or the
    /// server's `Retry-After` when longer, never more than ``maxBackoff``.
    func delay(afterFailures failures: Int, retryAfter: Double?) -> Double {
        let exponential = initialBackoff * Double(1 << min(max(failures - 1, 0), 30))
        return min(max(exponential, retryAfter ?? 0), maxBackoff)
    }
}
