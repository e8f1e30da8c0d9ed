import Foundation
import Logging

/// The daemon's log lines on stderr (`2026-01-02T03:04:05+0000 warning zoo.serve: hb.request.id=… message`).
/// Unlike swift-log's `StreamLogHandler`, which formats its metadata again whenever a key is set, it formats
/// only the lines it writes: Hummingbird tags a logger with a request id for every request, and at the daemon's
/// usual level (warnings) almost none of them log anything.
struct ServeLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let explicit = event.metadata { all.merge(explicit) { _, new in new } }
        let tags = all.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let time = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withInternetDateTime])
        FileHandle.standardError.write(Data("\(time) \(event.level) \(label):\(tags) \(event.message)\n".utf8))
    }
}
