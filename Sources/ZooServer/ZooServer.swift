import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `zoo serve`: the daemon. It listens on a Unix socket (mode 0600) and optionally on TCP (a bearer token
/// required off loopback), answers the REST API of docs/api.md and SparseZoo's GraphQL API, serves model files
/// with Range, and on SIGTERM parks running pulls so that the cache stays consistent and they resume on restart;
/// benchmark jobs are kept in the catalog and taken up again on restart.
public final class ZooServer: Sendable {
    /// How it runs.
    public let configuration: ServerConfiguration
    private let state: ServerState
    private let group = LockedGroup()

    /// A daemon for `configuration`; throws when the configuration cannot work.
    public init(configuration: ServerConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        state = ServerState(configuration: configuration)
    }

    /// Runs until SIGTERM or SIGINT (with `handlingSignals`) or ``shutdown()``, logging at info level with
    /// `verbose` (else warnings and errors only); `onReady` gets the addresses once clients can connect
    /// (`unix:PATH`, `http://HOST:PORT`).
    public func run(
        verbose: Bool = false, handlingSignals: Bool = true, onReady: @escaping @Sendable ([String]) -> Void = { _ in }
    ) async throws {
        let logger = Logger(label: "zoo.serve") { label in ServeLogHandler(label: label, logLevel: verbose ? .info : .warning) }
        try await state.queries.run { _ in }  // opens (and migrates) the catalog now: a broken home fails here
        try state.bench.restore()
        let socket = configuration.socketPath.map(UnixSocket.init(path:))
        try socket?.prepare()
        defer {
            socket?.remove()
            state.stop()
        }
        let ready = ReadyCounter(expected: (socket == nil ? 0 : 1) + (configuration.tcp == nil ? 0 : 1)) { [state] addresses in
            state.coordinator.resumeUnfinished()
            onReady(addresses)
        }
        var services: [any Service] = []
        if let socket {
            services.append(Application(
                router: ServerRouter.make(state: state, token: nil),
                configuration: ApplicationConfiguration(address: .unixDomainSocket(path: socket.bindPath), serverName: "zoo"),
                onServerRunning: { _ in
                    do {
                        try socket.publish()
                        ready.arrived("unix:\(socket.path)")
                    } catch {
                        logger.critical("\(error)")
                    }
                },
                logger: logger))
        }
        if let tcp = configuration.tcp {
            let token = tcp.isLoopback && (configuration.token ?? "").isEmpty ? nil : configuration.token
            services.append(Application(
                router: ServerRouter.make(state: state, token: token),
                configuration: ApplicationConfiguration(address: .hostname(tcp.host, port: tcp.port), serverName: "zoo"),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? tcp.port
                    ready.arrived("http://\(ListenAddress(host: tcp.host, port: port))")
                },
                logger: logger))
        }
        services.append(ParkingService(state: state))
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: handlingSignals ? [.sigterm, .sigint] : [], logger: logger))
        group.set(serviceGroup)
        try await serviceGroup.run()
    }

    /// Shuts the daemon down as SIGTERM does.
    public func shutdown() async {
        await group.get()?.triggerGracefulShutdown()
    }
}

/// The running service group, for ``ZooServer/shutdown()``.
private final class LockedGroup: @unchecked Sendable {
    private let lock = NSLock()
    private var group: ServiceGroup?

    func set(_ group: ServiceGroup) { lock.withLock { self.group = group } }
    func get() -> ServiceGroup? { lock.withLock { group } }
}

/// Calls back once every listener is up, with their addresses.
private final class ReadyCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var addresses: [String] = []
    private let expected: Int
    private let done: @Sendable ([String]) -> Void

    init(expected: Int, done: @escaping @Sendable ([String]) -> Void) {
        self.expected = expected
        self.done = done
    }

    func arrived(_ address: String) {
        let all: [String]? = lock.withLock {
            addresses.append(address)
            return addresses.count == expected ? addresses.sorted() : nil
        }
        if let all { done(all) }
    }
}
