import Hummingbird

/// Counts every request by route, method and status, and the body bytes in and out.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init) { metrics.received(length) }
        do {
            var response = try await next(request, context)
            metrics.request(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code)
            if let length = response.body.contentLength {
                metrics.sent(length)
                return response
            }
            let metrics = self.metrics
            let body = response.body
            // Streams (pulls) are counted as they are written.
            response.body = ResponseBody { writer in
                try await body.write(writer.map { buffer in
                    metrics.sent(buffer.readableBytes)
                    return buffer
                })
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status)
            throw error
        }
    }
}
