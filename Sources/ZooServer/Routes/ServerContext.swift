import Hummingbird

/// The request context of every route.
typealias ServerContext = BasicRequestContext
