import ArgumentParser
import Foundation
import ZooCatalog
import ZooServer
import ZooTransfer

extension Zoo {
    /// `zoo serve`: the daemon, on `$ZOO_HOME/zoo.sock` and optionally TCP.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the zoo daemon: the REST API (docs/api.md), SparseZoo's GraphQL API and model files, on a Unix socket and optionally TCP.",
            discussion: """
                Listens on $ZOO_HOME/zoo.sock (mode 0600); other zoo commands on this home use it while it runs. \
                --listen adds TCP; an address other than loopback needs --token-file. SIGTERM lets running pulls \
                finish for --grace seconds, then parks them; they resume when the daemon starts again.
                """)

        @Option(help: ArgumentHelp("Also listen on TCP at HOST:PORT (e.g. 127.0.0.1:8080).", valueName: "host:port"))
        var listen: String?

        @Option(help: ArgumentHelp("A file holding the bearer token TCP clients must send (required off loopback).", valueName: "file"))
        var tokenFile: String?

        @Option(help: ArgumentHelp("The Unix socket (default $ZOO_HOME/zoo.sock).", valueName: "path"))
        var socket: String?

        @Flag(help: "Listen on TCP only, without the Unix socket.")
        var noSocket = false

        @Option(help: ArgumentHelp("The URL clients reach the daemon at, behind a proxy (e.g. https://zoo.example.com): the base of the download URLs of the SparseZoo API. Default: the Host each request came to.", valueName: "url"))
        var publicURL: String?

        @Option(help: ArgumentHelp("Seconds SIGTERM waits for running pulls before parking them.", valueName: "seconds"))
        var grace: Double = 10

        @Option(help: ArgumentHelp("Threads answering catalog and cache requests.", valueName: "n"))
        var threads: Int = 4

        @Flag(help: "Log more on stderr (start-up and shutdown, not only failures).")
        var verbose = false

        @OptionGroup var fetch: FetchOptions

        func run() throws {
            try reportingErrors {
                let home = ZooHome()
                var token: String?
                if let tokenFile {
                    guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                        throw ValidationError("cannot read the token file \(tokenFile)")
                    }
                    token = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard token?.isEmpty == false else { throw ValidationError("the token file \(tokenFile) is empty") }
                }
                var configuration = ServerConfiguration(
                    home: home, socketPath: socket, tcp: try listen.map(Self.address), token: token,
                    registries: fetch.registryList, offline: fetch.isOffline, transfer: TransferOptions.fromEnvironment(),
                    queryThreads: threads, shutdownGrace: grace, version: ZooVersion.current, publicURL: publicURL)
                if noSocket { configuration.socketPath = nil }
                let server: ZooServer
                do {
                    server = try ZooServer(configuration: configuration)
                } catch let error as ServerError {
                    throw ExitCodeMessage(status: ExitStatus.invalidInput, message: error.message)
                }
                try Self.serve(server, verbose: verbose)
            }
        }

        private static func address(_ text: String) throws -> ListenAddress {
            do {
                return try ListenAddress(parsing: text)
            } catch let error as ServerError {
                throw ValidationError(error.message)
            }
        }

        /// Runs the daemon until it shuts down, printing where it listens once it does.
        private static func serve(_ server: ZooServer, verbose: Bool) throws {
            let finished = DispatchSemaphore(value: 0)
            let failure = FailureBox()
            Task {
                do {
                    try await server.run(verbose: verbose, onReady: { addresses in
                        FileHandle.standardOutput.write(Data("zoo serve: listening on \(addresses.joined(separator: " and "))\n".utf8))
                    })
                } catch {
                    failure.error = error
                }
                finished.signal()
            }
            finished.wait()
            if let error = failure.error as? ServerError {
                throw ExitCodeMessage(status: error.code == .invalidConfiguration ? ExitStatus.invalidInput : ExitStatus.failure, message: error.message)
            }
            if let error = failure.error { throw error }
        }
    }
}

/// The error the daemon's task ended with, handed back to the command's thread.
private final class FailureBox: @unchecked Sendable {
    var error: (any Error)?
}
