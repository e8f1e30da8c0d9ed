import Foundation
import Hummingbird
import ZooBench
import ZooStore

/// `POST /v1/bench` queues a benchmark (202 with the job), `GET /v1/bench/{id}` reports its status and, when
/// done, `zoo bench --json`'s fields; `GET /v1/bench` lists the jobs. Jobs on one core set run one at a time.
struct BenchRoutes {
    let state: ServerState

    func add(to router: Router<ServerContext>) {
        router.post("/v1/bench") { body in try await submit(body) }
        router.get("/v1/bench") { _, _ in
            JSONText.response(["jobs": state.bench.all().map(\.jsonObject)])
        }
        router.get("/v1/bench/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let job = state.bench.job(id) else {
                throw APIError(.notFound, code: "bench.notFound", "no benchmark job \(id); GET /v1/bench lists them")
            }
            return JSONText.response(job.jsonObject)
        }
    }

    /// `{"model": stub or path, "core_set": "0-3", "batch_size", "num_cores", "scenario", "num_streams", "time",
    /// "warmup_time"}`; a stub must name a cached model.
    private func submit(_ body: RequestJSON) async throws -> Response {
        let model = try body.string("model")
        let coreSet = try body.optionalString("core_set").map(CoreSet.init(parsing:)) ?? CoreSet.all
        let scenarioName = try body.optionalString("scenario") ?? "sync"
        guard let scenario = BenchmarkScenario(rawValue: scenarioName) else {
            throw APIError.badRequest("scenario takes sync, async or elastic, not '\(scenarioName)'")
        }
        let settings = BenchmarkSettings(
            batchSize: try body.number("batch_size").map { Int($0) }, cores: try body.number("num_cores").map { Int($0) } ?? coreSet.cpus.count,
            scenario: scenario, streams: try body.number("num_streams").map { Int($0) }, seconds: try body.number("time") ?? 10,
            warmupSeconds: try body.number("warmup_time") ?? 2)
        let path = try await state.queries.run { session in try Self.locate(model, in: session) }
        let job = try state.bench.submit(model: model, modelPath: path, coreSet: coreSet, settings: settings)
        return JSONText.response(job.jsonObject, status: .accepted)
    }

    /// The `.onnx` file of a cached model (a stub) or of a path on the daemon's machine.
    private static func locate(_ model: String, in session: StoreSession) throws -> String {
        var directory = model
        if model.hasPrefix("zoo:") {
            let key = try CacheRoutes.key(for: model, in: session)
            guard let cached = try session.store.directory(of: key) else {
                throw APIError(.notFound, code: "store.notCached", "\(model) is not cached; pull it first (POST /v1/pull or `zoo pull`)")
            }
            directory = cached.path
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw APIError(.notFound, code: "bench.modelNotFound", "no such model file or directory on the daemon's machine: \(model)")
        }
        guard isDirectory.boolValue else { return directory }
        for candidate in ["model.onnx", "deployment/model.onnx"] {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(candidate).path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw APIError(.notFound, code: "bench.modelNotFound", "\(model) holds no model.onnx or deployment/model.onnx")
    }
}
