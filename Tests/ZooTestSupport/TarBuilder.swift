import Foundation

/// Writes tar.gz archives for tests with Python's tarfile module, including entries no honest tool writes
/// (`../` paths, links out of the tree), so the store's refusal can be tested end to end.
public enum TarBuilder {
    /// One member of an archive.
    public enum Member {
        case file(String, Data)
        case symlink(String, target: String)
    }

    public static func write(_ members: [Member], to path: String) throws {
        let spec: [[String: String]] = members.map {
            switch $0 {
            case .file(let name, let data): ["type": "file", "name": name, "data": data.base64EncodedString()]
            case .symlink(let name, let target): ["type": "symlink", "name": name, "target": target]
            }
        }
        let script = """
            import base64, io, json, sys, tarfile
            spec = json.load(sys.stdin)
            with tarfile.open(sys.argv[1], "w:gz") as tar:
                for m in spec:
                    info = tarfile.TarInfo(m["name"])
                    if m["type"] == "symlink":
                        info.type = tarfile.SYMTYPE
                        info.linkname = m["target"]
                        tar.addfile(info)
                    else:
                        data = base64.b64decode(m["data"])
                        info.size = len(data)
                        tar.addfile(info, io.BytesIO(data))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: spec))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
