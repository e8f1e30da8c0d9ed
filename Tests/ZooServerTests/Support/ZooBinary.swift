import Foundation
import XCTest
import ZooTestSupport

/// The built `zoo` binary (beside the test bundle), run as a process with its own `ZOO_HOME`.
enum ZooBinary {
    static var url: URL {
        let candidates = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for directory in candidates {
            let url = directory.appendingPathComponent("zoo")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appendingPathComponent("zoo")
    }

    /// What one run printed and returned.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts `zoo ARGUMENTS` with `home` as ZOO_HOME; its output goes to files in `home/../`.
    static func start(_ arguments: [String], home: URL, environment: [String: String] = [:], output: URL) throws -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        variables["ZOO_HOME"] = home.path
        variables["ZOO_OFFLINE"] = nil
        variables["ZOO_HOST"] = nil
        variables.merge(environment) { _, new in new }
        process.environment = variables
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Runs `zoo ARGUMENTS` to the end.
    static func run(_ arguments: [String], home: URL, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        variables["ZOO_HOME"] = home.path
        variables["ZOO_OFFLINE"] = nil
        variables["ZOO_HOST"] = nil
        variables.merge(environment) { _, new in new }
        process.environment = variables
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Waits until `condition` holds, failing after `timeout` seconds.
    static func wait(_ what: String, timeout: Double = 30, until condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw TestServerError("timed out waiting until \(what)") }
            usleep(20_000)
        }
    }
}
