import Foundation
import ZooTransfer

extension StoreEvent {
    /// The event as one NDJSON object, with the names `zoo pull --json` prints (docs/cli.md): `waiting`,
    /// `planned`, `started`, `progress`, `retrying`, `finished`, `failed`, `unpacking`. Absent values are left out.
    public var jsonObject: [String: Any] {
        switch self {
        case .waiting(let model, let pid, let host):
            return ["event": "waiting", "model": model, "pid": Int(pid), "host": host]
        case .planned(let model, let fetch, let reuse, let bytes):
            return Self.dropNil(["event": "planned", "model": model, "fetch": fetch, "reuse": reuse, "bytes": bytes])
        case .unpacking(let file):
            return ["event": "unpacking", "file": file]
        case .transfer(.started(let id, let url, let resumedFrom, let total)):
            return Self.dropNil(["event": "started", "file": id, "url": url, "resumed_from": resumedFrom, "total": total])
        case .transfer(.progress(let id, let bytes, let total)):
            return Self.dropNil(["event": "progress", "file": id, "bytes": bytes, "total": total])
        case .transfer(.retrying(let id, let attempt, let delay, let reason)):
            return ["event": "retrying", "file": id, "attempt": attempt, "delay": delay, "reason": reason]
        case .transfer(.finished(let id, let bytes, let sha256)):
            return ["event": "finished", "file": id, "bytes": bytes, "sha256": sha256]
        case .transfer(.failed(let id, let error)):
            return ["event": "failed", "file": id, "error": error.description, "code": error.code.rawValue]
        }
    }

    /// The event an NDJSON object of ``jsonObject`` describes; nil for other objects (`done`, `error`).
    public init?(jsonObject object: [String: Any]) {
        func string(_ key: String) -> String? { object[key] as? String }
        func int64(_ key: String) -> Int64? { (object[key] as? NSNumber)?.int64Value }
        switch string("event") {
        case "waiting":
            guard let model = string("model"), let pid = int64("pid") else { return nil }
            self = .waiting(model: model, pid: Int32(truncatingIfNeeded: pid), host: string("host") ?? "")
        case "planned":
            guard let model = string("model") else { return nil }
            self = .planned(model: model, fetch: object["fetch"] as? [String] ?? [], reuse: object["reuse"] as? [String] ?? [], bytes: int64("bytes"))
        case "unpacking":
            guard let file = string("file") else { return nil }
            self = .unpacking(file: file)
        case "started":
            guard let file = string("file") else { return nil }
            self = .transfer(.started(id: file, url: string("url") ?? "", resumedFrom: int64("resumed_from") ?? 0, total: int64("total")))
        case "progress":
            guard let file = string("file"), let bytes = int64("bytes") else { return nil }
            self = .transfer(.progress(id: file, bytes: bytes, total: int64("total")))
        case "retrying":
            guard let file = string("file") else { return nil }
            let delay = (object["delay"] as? NSNumber)?.doubleValue ?? 0
            self = .transfer(.retrying(id: file, attempt: Int(int64("attempt") ?? 0), delay: delay, reason: string("reason") ?? ""))
        case "finished":
            guard let file = string("file"), let bytes = int64("bytes") else { return nil }
            self = .transfer(.finished(id: file, bytes: bytes, sha256: string("sha256") ?? ""))
        case "failed":
            guard let file = string("file") else { return nil }
            let code = string("code").flatMap(TransferError.Code.init(rawValue:)) ?? .http
            self = .transfer(.failed(id: file, error: TransferError(code, string("error") ?? "")))
        default:
            return nil
        }
    }

    private static func dropNil(_ object: [String: Any?]) -> [String: Any] { object.compactMapValues { $0 } }
}
