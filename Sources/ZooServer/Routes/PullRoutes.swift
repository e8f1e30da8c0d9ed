import Foundation
import Hummingbird
import ZooStore

/// `POST /v1/pull`: fetches a model into the cache and streams its progress as NDJSON, the events of
/// `zoo pull --json`, ending with `done` (the report) or `error`. Clients asking for the same model at once
/// follow one pull.
struct PullRoutes {
    let state: ServerState

    func add(to router: Router<ServerContext>) {
        router.post("/v1/pull") { body in try await pull(body) }
    }

    private func pull(_ body: RequestJSON) async throws -> Response {
        let updates = try state.coordinator.flight(for: try PullRequest(body: body)).follow()
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            for await update in updates {
                switch update {
                case .line(let line):
                    try await writer.write(ByteBuffer(string: line + "\n"))
                case .finished(.success(let report)):
                    var object = try JSONText.object(report)
                    object["event"] = "done"
                    try await writer.write(ByteBuffer(string: JSONText.line(object) + "\n"))
                case .finished(.failure(let error)):
                    try await writer.write(ByteBuffer(string: error.eventLine + "\n"))
                }
            }
            try await writer.finish(nil)
        })
    }
}
