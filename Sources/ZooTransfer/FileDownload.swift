import CCurl
import Foundation

/// One file's download: its partial file, the digest of the bytes in it, and which source and attempt it is on.
///
/// The partial file always holds `length` bytes that arrived in order and are hashed as they are written (see
/// ``HashingWriter``), so a retry resumes at `length` with `Range`, and the digest is ready with the last byte.
final class FileDownload: TransferJob, ResponseBodyReceiver {
    private let request: TransferRequest
    private let options: TransferOptions
    private let events: EventBuffer
    /// How the download ended; nil while it runs.
    private(set) var result: Result<TransferOutcome, TransferError>?

    /// The partial file and its digest, open while the download runs.
    private var writer: HashingWriter?
    /// Bytes in the partial file (or about to be written to it), hashed in order.
    private var length: Int64 { writer?.length ?? 0 }
    /// Whether this download created the partial file (so may delete it when it ends empty).
    private var createdPartialFile = false
    /// Bytes found in the partial file at the start and kept.
    private var keptFromEarlierRun: Int64 = 0

    private var sourceIndex = 0
    private var failuresInARow = 0
    /// The longest the partial file has been on this source: an attempt that goes past it made real progress.
    private var furthest: Int64 = 0
    private var downloadedAgainAfterWrongDigest = false
    /// The last error of each source given up on, for the final message.
    private var abandoned: [TransferError] = []

    // The attempt in flight.
    private var attemptStart: Int64 = 0
    private var responseAccepted = false
    private var responseTotal: Int64?
    private var abortReason: AttemptFailure?
    private var lastProgressReport = 0.0

    /// The shortest time between two progress events of one file, in seconds.
    private static let progressInterval = 0.1

    init(request: TransferRequest, options: TransferOptions, events: EventBuffer) {
        self.request = request
        self.options = options
        self.events = events
    }

    private var source: TransferSource { request.sources[sourceIndex] }

    // MARK: Attempts

    func beginAttempt() -> EasyHandle? {
        guard result == nil else { return nil }
        if writer == nil {
            guard openPartialFile() else { return nil }
        }
        attemptStart = length
        responseAccepted = false
        responseTotal = nil
        abortReason = nil
        let wanted = EasyHandle.Request(url: source.url, bearerToken: source.bearerToken, rangeStart: length)
        do {
            return try EasyHandle(wanted, options: options, receiver: self)
        } catch {
            finish(failing: error as? TransferError ?? TransferError(.network, url: source.url, "\(error)"))
            return nil
        }
    }

    func endAttempt(_ handle: EasyHandle, result code: CURLcode) -> Double? {
        let url = handle.effectiveURL
        if let error = writer?.flush() {
            return recover(from: AttemptFailure(error: PartialFile.failure(error, path: request.destination, doing: "write"), remedy: .stop))
        }
        if let abortReason { return recover(from: abortReason) }
        if code != CURLE_OK {
            return recover(from: .transport(code, explanation: handle.explanation(of: code), url: url))
        }
        if !responseAccepted, let refusal = accept(handle) { return recover(from: refusal) }
        if let problem = verifyCompleteFile(from: url) { return recover(from: problem) }
        return nil
    }

    func cancel() {
        _ = writer?.flush()
        finish(failing: TransferError(.cancelled, url: source.url,
            "the download of \(request.id) was cancelled; the \(length) bytes fetched so far are kept for the next try"))
    }

    /// Opens the partial file and hashes the bytes already in it; false when the download ended right there
    /// (the file was already complete, or could not be opened).
    private func openPartialFile() -> Bool {
        guard !request.sources.isEmpty else {
            finish(failing: TransferError(.badURL, "no address to download \(request.id) from; the registry lists none"))
            return false
        }
        do {
            let file = try PartialFile(path: request.destination)
            createdPartialFile = file.created
            var existing = try file.length()
            if let expected = request.expectedSize, existing > expected {
                try file.truncate(to: 0)
                existing = 0
            }
            let writer = try HashingWriter(file: file, keeping: existing)
            self.writer = writer
            keptFromEarlierRun = existing
            furthest = existing
            if let expected = request.expectedSize, existing == expected {
                // Already full length: done if the digest proves it, otherwise fetched again.
                let digest = writer.finishDigest()
                if let wanted = request.expectedSHA256, wanted == digest {
                    try file.synchronize()
                    finish(url: source.url, sha256: digest)
                    return false
                }
                try discardPartialBytes()
            }
            return true
        } catch {
            finish(failing: error as? TransferError ?? TransferError(.writeFailed, "\(error)"))
            return false
        }
    }

    // MARK: The body, inside libcurl's write callback

    func receive(_ bytes: UnsafeRawBufferPointer, from handle: EasyHandle) -> Bool {
        if !responseAccepted {
            if let refusal = accept(handle) {
                abortReason = refusal
                return false
            }
        }
        if let expected = request.expectedSize, length + Int64(bytes.count) > expected {
            abortReason = AttemptFailure(error: TransferError(.sizeMismatch, url: handle.effectiveURL,
                "\(handle.effectiveURL) sends more than the expected \(expected) bytes; the mirror holds a different version of the file"),
                remedy: .nextSource)
            return false
        }
        if let error = writer!.append(bytes) {
            abortReason = AttemptFailure(error: PartialFile.failure(error, path: request.destination, doing: "write"), remedy: .stop)
            return false
        }
        let now = monotonicSeconds()
        if now - lastProgressReport >= Self.progressInterval {
            lastProgressReport = now
            events.append(.progress(id: request.id, bytes: length, total: request.expectedSize ?? responseTotal))
        }
        return true
    }

    /// Checks the response before its first body byte is kept: its status, its range and its size.
    /// Returns why it cannot be used, or nil after reporting `started`.
    private func accept(_ handle: EasyHandle) -> AttemptFailure? {
        let head = handle.head
        let url = handle.effectiveURL
        switch head.status {
        case 206:
            guard let range = head.contentRange, range.first == attemptStart else {
                return AttemptFailure(error: TransferError(.http, url: url, status: 206,
                    "\(url) answered a request for bytes \(attemptStart)- with \(head.headers["content-range"] ?? "no Content-Range"); the server's range support is broken"),
                    remedy: .nextSource)
            }
            responseTotal = range.total
        case 200:
            if attemptStart > 0 {
                // The server ignored Range and sends the whole file: start over from byte 0.
                do { try discardPartialBytes() } catch {
                    return AttemptFailure(error: error as? TransferError ?? TransferError(.writeFailed, "\(error)"), remedy: .stop)
                }
                attemptStart = 0
            }
            responseTotal = head.contentLength
        default:
            return .status(head.status, url: url, retryAfter: handle.retryAfter)
        }
        if let expected = request.expectedSize, let total = responseTotal, total != expected {
            return AttemptFailure(error: TransferError(.sizeMismatch, url: url,
                "\(url) serves \(total) bytes where \(expected) were expected; the mirror holds a different version of the file"),
                remedy: .nextSource)
        }
        responseAccepted = true
        events.append(.started(id: request.id, url: url, resumedFrom: attemptStart, total: request.expectedSize ?? responseTotal))
        return nil
    }

    // MARK: The end of the file

    /// Checks the size and digest of the complete file and syncs it; returns what is wrong, or nil when the
    /// download has finished.
    private func verifyCompleteFile(from url: String) -> AttemptFailure? {
        if let expected = request.expectedSize, length != expected {
            return AttemptFailure(error: TransferError(.sizeMismatch, url: url,
                "\(url) sent \(length) bytes where \(expected) were expected; the mirror holds a different version of the file"),
                remedy: .nextSource)
        }
        let digest = writer!.finishDigest()
        if let wanted = request.expectedSHA256, wanted != digest {
            return AttemptFailure(error: TransferError(.digestMismatch, url: url,
                "the file from \(url) has sha256 \(digest) where \(wanted) was expected; the mirror serves a corrupt or different copy"),
                remedy: .wrongDigest)
        }
        do {
            try writer!.file.synchronize()
        } catch {
            return AttemptFailure(error: error as? TransferError ?? TransferError(.writeFailed, "\(error)"), remedy: .stop)
        }
        finish(url: url, sha256: digest)
        return nil
    }

    // MARK: Failures

    /// Decides what follows a failed attempt: the seconds until the next one, or nil when the download ended.
    private func recover(from failure: AttemptFailure) -> Double? {
        let madeProgress = length > furthest
        furthest = max(furthest, length)
        do {
            switch failure.remedy {
            case .stop:
                return finish(failing: failure.error)
            case .retry(let retryAfter):
                failuresInARow = madeProgress ? 1 : failuresInARow + 1
                guard failuresInARow < options.maxAttempts else { return moveToNextSource(after: failure.error) }
                let delay = options.delay(afterFailures: failuresInARow, retryAfter: retryAfter)
                events.append(.retrying(id: request.id, attempt: failuresInARow + 1, delay: delay, reason: failure.error.message))
                return delay
            case .restartFromZero:
                try discardPartialBytes()
                failuresInARow += 1
                guard failuresInARow < options.maxAttempts else { return moveToNextSource(after: failure.error) }
                events.append(.retrying(id: request.id, attempt: failuresInARow + 1, delay: 0, reason: failure.error.message))
                return 0
            case .wrongDigest:
                try discardPartialBytes()
                guard !downloadedAgainAfterWrongDigest else { return moveToNextSource(after: failure.error) }
                downloadedAgainAfterWrongDigest = true
                events.append(.retrying(id: request.id, attempt: failuresInARow + 1, delay: 0,
                    reason: "\(failure.error.message); downloading it again from the start"))
                return 0
            case .nextSource:
                // A source that disagrees about the size may have supplied the bytes so far: drop them.
                if failure.error.code == .sizeMismatch { try discardPartialBytes() }
                return moveToNextSource(after: failure.error)
            }
        } catch {
            return finish(failing: error as? TransferError ?? TransferError(.writeFailed, "\(error)"))
        }
    }

    /// Gives up on the current source: the next one continues from the bytes kept, or the download fails.
    private func moveToNextSource(after error: TransferError) -> Double? {
        abandoned.append(error)
        sourceIndex += 1
        failuresInARow = 0
        downloadedAgainAfterWrongDigest = false
        furthest = length
        guard sourceIndex < request.sources.count else {
            sourceIndex -= 1
            var final = error
            if abandoned.count > 1 {
                final.message += " (the other sources failed too: "
                    + abandoned.dropLast().map(\.message).joined(separator: "; ") + ")"
            }
            return finish(failing: final)
        }
        events.append(.retrying(id: request.id, attempt: 1, delay: 0, reason: "\(error.message); trying \(source.url) instead"))
        return 0
    }

    /// Empties the partial file and the digest, to start again from byte 0.
    private func discardPartialBytes() throws {
        try writer?.discardAll()
        keptFromEarlierRun = 0
    }

    // MARK: Ends

    private func closePartialFile() {
        writer?.close()
        writer = nil
    }

    private func finish(url: String, sha256: String) {
        let length = self.length
        closePartialFile()
        let outcome = TransferOutcome(id: request.id, bytes: length, sha256: sha256, url: url, resumedFrom: keptFromEarlierRun)
        result = .success(outcome)
        events.append(.finished(id: request.id, bytes: length, sha256: sha256))
    }

    /// Ends the download with `error`. The partial file is kept for a later resume, unless its bytes are known
    /// to be wrong, or it was created by this download and is still empty.
    @discardableResult
    private func finish(failing error: TransferError) -> Double? {
        let opened = writer != nil
        let length = self.length
        closePartialFile()
        let wrongBytes = error.code == .digestMismatch || error.code == .sizeMismatch
        if opened && (wrongBytes || (createdPartialFile && length == 0)) {
            PartialFile.remove(at: request.destination)
        }
        result = .failure(error)
        events.append(.failed(id: request.id, error: error))
        return nil
    }
}
