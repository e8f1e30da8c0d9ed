import Foundation

/// One request the ``FaultServer`` answered, as it logged it.
public struct FaultServerRequest: Decodable, Sendable, Equatable {
    /// `GET` or `HEAD`.
    public var method: String
    /// The request path, faults included (e.g. `/drop/4096/model.onnx`).
    public var path: String
    /// The `Range` header, if sent.
    public var range: String?
    /// The `Authorization` header, if sent.
    public var authorization: String?
    /// The status the server answered with.
    public var status: Int
}

/// A file server that misbehaves on request: `fault_server.py` (beside this file) run by python3.
///
/// The leading path segments choose the fault (`/drop/N/`, `/corrupt/`, `/truncate/`, `/status/CODE/TIMES/`,
/// `/stall/SECONDS/`, `/norange/`, `/auth/TOKEN/`, `/redirect/`, `/redirect-port/PORT/`); the rest names a file under `root`.
/// The script's docstring describes each one.
public final class FaultServer {
    /// The server's address, e.g. `http://127.0.0.1:40123` (no trailing slash).
    public let baseURL: String
    /// The port it listens on.
    public let port: Int
    private let process: Process
    private let directory = TemporaryDirectory()

    /// Starts the server on a free port of 127.0.0.1, serving the files under `root`.
    public init(root: URL) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fault_server.py")
        let output = Pipe()
        let errorLog = directory.path("stderr.txt")
        _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
        process = try ServerProcess.start(
            ["/usr/bin/python3", script.path, "--root", root.path, "--log", directory.path("requests.jsonl")],
            output: output, errors: FileHandle(forWritingAtPath: errorLog) ?? FileHandle.nullDevice
        )

        // The script prints "PORT <n>" once it is listening.
        var announcement = Data()
        while !announcement.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            announcement.append(chunk)
        }
        let line = String(decoding: announcement, as: UTF8.self)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let errors = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
            throw TestServerError("the fault server (\(script.path)) did not start; check that /usr/bin/python3 is installed (scripts/install-deps.sh) and runs it:\n\(errors)")
        }
        self.port = port
        baseURL = "http://127.0.0.1:\(port)"
    }

    deinit { stop() }

    /// Every request answered so far, oldest first.
    public func requests() throws -> [FaultServerRequest] {
        let text = (try? String(contentsOfFile: directory.path("requests.jsonl"), encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONDecoder().decode(FaultServerRequest.self, from: Data($0.utf8)) }
    }

    /// Stops the server and waits for it to exit.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
