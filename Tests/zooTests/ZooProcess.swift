import Foundation
import XCTest

/// Runs the built `zoo` binary with its own `ZOO_HOME`, capturing stdout, stderr and the exit status.
struct ZooProcess {
    /// What one run printed and returned.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let home: URL
    /// Variables added to the environment of every run.
    var environment: [String: String] = [:]

    static var binary: URL {
        let candidates = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for directory in candidates {
            let url = directory.appendingPathComponent("zoo")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appendingPathComponent("zoo")
    }

    init(home: URL = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-cli-\(UUID().uuidString)")) {
        self.home = home
    }

    func remove() { try? FileManager.default.removeItem(at: home) }

    @discardableResult
    func run(_ arguments: String...) throws -> Result {
        try start(arguments).wait()
    }

    /// Starts `zoo ARGUMENTS` without waiting for it.
    func start(_ arguments: [String]) throws -> Running {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ZOO_HOME"] = home.path
        environment.merge(self.environment) { _, new in new }
        process.environment = environment
        let running = Running(process: process)
        process.standardOutput = running.out
        process.standardError = running.err
        try process.run()
        return running
    }

    /// A zoo process that was started and not yet waited for; its output goes to files until it ends.
    final class Running {
        let process: Process
        private let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-out-\(UUID().uuidString)")
        let out: FileHandle
        let err: FileHandle

        init(process: Process) {
            self.process = process
            try? FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
            for name in ["stdout", "stderr"] {
                FileManager.default.createFile(atPath: outputs.appendingPathComponent(name).path, contents: nil)
            }
            out = FileHandle(forWritingAtPath: outputs.appendingPathComponent("stdout").path)!
            err = FileHandle(forWritingAtPath: outputs.appendingPathComponent("stderr").path)!
        }

        /// Waits for it to exit and reads what it printed.
        func wait() -> Result {
            process.waitUntilExit()
            try? out.close()
            try? err.close()
            defer { try? FileManager.default.removeItem(at: outputs) }
            func text(_ name: String) -> String {
                String(decoding: (try? Data(contentsOf: outputs.appendingPathComponent(name))) ?? Data(), as: UTF8.self)
            }
            return Result(status: process.terminationStatus, stdout: text("stdout"), stderr: text("stderr"))
        }
    }

    /// The run's stdout parsed as a JSON object.
    static func object(_ result: Result, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try XCTUnwrap(value as? [String: Any], "not a JSON object: \(result.stdout)", file: file, line: line)
    }
}
