import Hummingbird
import Logging

/// Turns every error a route throws into an ``APIError`` (`{"error": {"code", "message"}}` with its status),
/// logging the ones that are the daemon's fault.
struct ErrorMappingMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            throw APIError(error.status, code: "api.http\(error.status.code)", error.body ?? error.status.reasonPhrase)
        } catch {
            let mapped = APIError.from(error)
            if mapped.status.code >= 500 {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(mapped.message)")
            }
            throw mapped
        }
    }
}
