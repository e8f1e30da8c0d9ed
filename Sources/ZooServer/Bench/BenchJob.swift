import Foundation
import ZooBench

/// One benchmark the daemon was asked to run, with its status and, when done, deepsparse.benchmark's fields.
struct BenchJob: Sendable {
    /// Where a job is. `interrupted`: it was running when the daemon stopped.
    enum Status: String, Sendable, CaseIterable {
        case queued, running, done, failed, interrupted
    }

    let id: String
    /// The model as asked for (a stub or a path) and the `.onnx` file it resolved to.
    let model: String
    let modelPath: String
    let coreSet: CoreSet
    let settings: BenchmarkSettings
    var status: Status = .queued
    var submittedAt = Date().timeIntervalSince1970
    var startedAt: Double?
    var finishedAt: Double?
    /// `zoo bench --json`'s object, once done.
    var result: String?
    var error: String?

    /// The job as the API shows it.
    var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "id": id, "model": model, "model_path": modelPath, "core_set": coreSet.description, "status": status.rawValue,
            "submitted_at": submittedAt, "batch_size": settings.batchSize ?? 1, "num_cores": settings.cores,
            "scenario": settings.scenario.rawValue, "time": settings.seconds, "warmup_time": settings.warmupSeconds,
        ]
        if let startedAt { object["started_at"] = startedAt }
        if let finishedAt { object["finished_at"] = finishedAt }
        if let error { object["error"] = error }
        if let result, let parsed = try? JSONSerialization.jsonObject(with: Data(result.utf8)) { object["result"] = parsed }
        return object
    }
}
