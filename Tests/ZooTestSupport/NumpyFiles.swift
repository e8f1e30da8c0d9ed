import Foundation

/// NumPy `.npy` and `.npz` files for tests, written without the code under test: `.npy` by its
/// documented header layout, `.npz` with Python's `zipfile` (which `numpy.savez` itself uses).
public enum NumpyFiles {
    /// A float32 (`<f4`) `.npy` file of `shape` holding `values`, format 1.0.
    public static func npy(shape: [Int], float32 values: [Float]) -> Data {
        npy(descr: "<f4", shape: shape, payload: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }

    /// An int64 (`<i8`) `.npy` file of `shape` holding `values`, format 1.0.
    public static func npy(shape: [Int], int64 values: [Int64]) -> Data {
        npy(descr: "<i8", shape: shape, payload: values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) })
    }

    private static func npy(descr: String, shape: [Int], payload: [UInt8]) -> Data {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.append(contentsOf: payload)
        return data
    }

    /// The float32 values of a `.npy` file with a `<f4` C-order header, and its shape.
    public static func readFloat32(_ data: Data) -> (shape: [Int], values: [Float])? {
        let bytes = [UInt8](data)
        guard bytes.count > 10, bytes[0] == 0x93 else { return nil }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        guard header.contains("'<f4'"), let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else { return nil }
        let shape = header[open.upperBound..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let body = Array(bytes[(10 + headerLength)...])
        let values = stride(from: 0, to: body.count, by: 4).map { i in
            Float(bitPattern: UInt32(body[i]) | UInt32(body[i + 1]) << 8 | UInt32(body[i + 2]) << 16 | UInt32(body[i + 3]) << 24)
        }
        return (shape, values)
    }

    /// Writes a `.npz` (a zip of `NAME.npy` members, in the order given), deflated like
    /// `numpy.savez_compressed` or stored like `numpy.savez`.
    public static func writeNPZ(_ members: [(name: String, npy: Data)], to path: String, compressed: Bool) throws {
        let spec = members.map { ["name": $0.name + ".npy", "data": $0.npy.base64EncodedString()] }
        let script = """
            import base64, json, sys, zipfile
            mode = zipfile.ZIP_DEFLATED if sys.argv[2] == "1" else zipfile.ZIP_STORED
            with zipfile.ZipFile(sys.argv[1], "w", mode) as z:
                for m in json.load(sys.stdin):
                    z.writestr(m["name"], base64.b64decode(m["data"]))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path, compressed ? "1" : "0"]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: spec))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
