import Foundation
import ZooStore
import ZooTransfer

/// Shows a pull as it happens: a progress bar per file on a terminal (stderr), a line per finished file when
/// stderr is not a terminal, or NDJSON events on stdout with `--json`.
final class PullProgress {
    private struct FileState {
        var bytes: Int64 = 0
        var total: Int64?
        var started = Date()
        var done = false
    }

    private let json: Bool
    private let terminal = isatty(STDERR_FILENO) == 1
    private var files: [(name: String, state: FileState)] = []
    private var drawnLines = 0
    private var lastDraw = Date.distantPast

    init(json: Bool) { self.json = json }

    /// Handles one store event.
    func handle(_ event: StoreEvent) {
        switch event {
        case .waiting(let model, let pid, let host):
            emit(["event": "waiting", "model": model, "pid": Int(pid), "host": host],
                 text: "waiting for another zoo (pid \(pid) on \(host)) that is pulling \(model)")
        case .planned(let model, let fetch, let reuse, let bytes):
            emit(["event": "planned", "model": model, "fetch": fetch, "reuse": reuse, "bytes": bytes as Any],
                 text: "fetching \(fetch.count) file(s)\(bytes.map { ", \(ByteCount.format($0))" } ?? "") for \(model)\(reuse.isEmpty ? "" : "; \(reuse.count) already cached")")
        case .unpacking(let file):
            emit(["event": "unpacking", "file": file], text: "unpacking \(file)")
        case .transfer(let transfer):
            handle(transfer)
        }
    }

    private func handle(_ event: TransferEvent) {
        switch event {
        case .started(let id, let url, let resumedFrom, let total):
            update(id) { $0.bytes = resumedFrom; $0.total = total }
            emit(["event": "started", "file": id, "url": url, "resumed_from": resumedFrom, "total": total as Any],
                 text: resumedFrom > 0 ? "resuming \(id) from \(ByteCount.format(resumedFrom))" : nil)
        case .progress(let id, let bytes, let total):
            update(id) { $0.bytes = bytes; $0.total = total ?? $0.total }
            if json { emit(["event": "progress", "file": id, "bytes": bytes, "total": total as Any], text: nil) }
        case .retrying(let id, let attempt, let delay, let reason):
            emit(["event": "retrying", "file": id, "attempt": attempt, "delay": delay, "reason": reason],
                 text: "\(id): \(reason); retrying in \(String(format: "%.1f", delay)) s (attempt \(attempt))")
        case .finished(let id, let bytes, let sha256):
            update(id) { $0.bytes = bytes; $0.done = true }
            emit(["event": "finished", "file": id, "bytes": bytes, "sha256": sha256],
                 text: terminal ? nil : "\(id)  \(ByteCount.format(bytes))  sha256:\(sha256.prefix(12))")
        case .failed(let id, let error):
            emit(["event": "failed", "file": id, "error": error.description, "code": error.code.rawValue],
                 text: "\(id): \(error)")
        }
        if terminal && !json { draw() }
    }

    /// Removes the bars before the final report is printed.
    func finish() {
        if terminal && !json { draw(force: true) }
    }

    private func update(_ id: String, _ change: (inout FileState) -> Void) {
        if let index = files.firstIndex(where: { $0.name == id }) {
            change(&files[index].state)
        } else {
            var state = FileState()
            change(&state)
            files.append((id, state))
        }
    }

    private func emit(_ object: [String: Any], text: String?) {
        if json {
            let data = (try? JSONSerialization.data(withJSONObject: object.filter { !($0.value is NSNull) }, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else if let text {
            clearBars()
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    private func clearBars() {
        guard terminal, drawnLines > 0 else { return }
        FileHandle.standardError.write(Data("\u{1B}[\(drawnLines)A\u{1B}[J".utf8))
        drawnLines = 0
    }

    private func draw(force: Bool = false) {
        guard force || Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        clearBars()
        let width = min(max(files.map(\.name.count).max() ?? 0, 10), 40)
        let lines = files.map { file -> String in
            let name = String(file.name.suffix(width)).padding(toLength: width, withPad: " ", startingAt: 0)
            let fraction = file.state.total.map { $0 > 0 ? min(1, Double(file.state.bytes) / Double($0)) : 1 }
            let filled = Int((fraction ?? 0) * 24)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 24 - filled)
            let seconds = max(Date().timeIntervalSince(file.state.started), 0.001)
            let rate = file.state.done ? "done" : "\(ByteCount.format(Int64(Double(file.state.bytes) / seconds)))/s"
            let amount = ByteCount.format(file.state.bytes) + (file.state.total.map { " / " + ByteCount.format($0) } ?? "")
            return "\(name)  [\(bar)]  \(amount)  \(rate)"
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        drawnLines = lines.count
    }
}
