import Hummingbird

/// Builds the router every listener uses: metrics outermost, then the token check (TCP off loopback), then
/// the error mapping, then the routes of each resource.
enum ServerRouter {
    static func make(state: ServerState, token: String?) -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: state.metrics))
        if let token { router.add(middleware: BearerTokenMiddleware(token: token)) }
        router.add(middleware: ErrorMappingMiddleware())
        HealthRoutes(state: state).add(to: router)
        CatalogRoutes(state: state).add(to: router)
        PullRoutes(state: state).add(to: router)
        CacheRoutes(state: state).add(to: router)
        RecipeRoutes(state: state).add(to: router)
        BenchRoutes(state: state).add(to: router)
        GraphQLRoutes(state: state).add(to: router)
        FileRoutes(state: state).add(to: router)
        return router
    }
}
