import Hummingbird

/// Refuses, with 401, every request that does not carry `Authorization: Bearer TOKEN`: the guard of a TCP
/// listener that other machines can reach.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let given = request.headers[.authorization].flatMap { value -> String? in
            let prefix = "Bearer "
            return value.hasPrefix(prefix) ? String(value.dropFirst(prefix.count)) : nil
        }
        guard let given, Self.same(given, token) else {
            let wrong = given == nil ? "" : "; the token given is wrong"
            throw APIError(.unauthorized, code: "api.unauthorized", "this daemon needs a bearer token: send \"Authorization: Bearer TOKEN\" (the CLI reads it from ZOO_HOST_TOKEN)\(wrong)")
        }
        return try await next(request, context)
    }

    /// Compares in time that depends only on the lengths, so the comparison does not leak where they differ.
    private static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
