import Foundation

/// Starts the test servers' processes so that they cannot outlive the test process: they run under
/// `setpriv --pdeathsig TERM` (util-linux), so the kernel sends them SIGTERM when the thread that started them
/// ends, even if the tests crash. Start servers from the test's own thread, not from a short-lived worker.
enum ServerProcess {
    private static let setpriv = "/usr/bin/setpriv"

    /// Runs `command` (an absolute executable path, then its arguments).
    static func start(_ command: [String], output: Any = FileHandle.nullDevice, errors: Any = FileHandle.nullDevice) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            throw TestServerError("\(setpriv) is missing; install util-linux (scripts/install-deps.sh)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: setpriv)
        process.arguments = ["--pdeathsig", "TERM", "--"] + command
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return process
    }
}
