import Foundation

extension Tensor {
    /// Reads a NumPy `.npy` file (format 1.0–3.0, C order, little-endian numeric or bool dtypes).
    public init(npy data: Data, source: String = "<memory>") throws {
        func fail(_ why: String) -> EngineError {
            EngineError(.invalidTensorFile, "'\(source)' is not a readable .npy file: \(why)")
        }
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else { throw fail("missing the \\x93NUMPY magic") }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default: throw fail("unsupported format version \(major)")
        }
        guard data.count >= headerStart + headerLength else { throw fail("truncated header") }
        guard let header = String(data: data.subdata(in: data.startIndex + headerStart ..< data.startIndex + headerStart + headerLength), encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw fail("header is not text")
        }
        guard let descr = Self.npyField(header, "descr"), let order = Self.npyField(header, "fortran_order"), let shapeText = Self.npyField(header, "shape") else {
            throw fail("header lacks descr, fortran_order or shape")
        }
        guard order == "False" else { throw fail("Fortran-order arrays are not supported; save with np.ascontiguousarray") }
        let typeCode = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        guard let dataType = Self.npyTypes[typeCode] else { throw fail("dtype '\(typeCode)' is not supported (use little-endian float/int/bool)") }
        let dimsText = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
        var shape: [Int] = []
        for part in dimsText.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let n = Int(trimmed), n >= 0 else { throw fail("bad shape '\(shapeText)'") }
            shape.append(n)
        }
        let t = try Tensor(zeros: dataType, shape: shape)
        let start = headerStart + headerLength
        guard data.count - start >= t.byteCount else {
            throw fail("has \(data.count - start) data bytes but \(typeCode)\(shape) needs \(t.byteCount)")
        }
        data.withUnsafeBytes { raw in
            t.rawPointer.copyMemory(from: raw.baseAddress! + start, byteCount: t.byteCount)
        }
        self = t
    }

    /// Reads a `.npy` file.
    public init(npyFile url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw EngineError(.io, "cannot read '\(url.path)': \(error.localizedDescription)")
        }
        try self.init(npy: data, source: url.path)
    }

    /// Serializes as NumPy `.npy` format 1.0 (C order, little-endian).
    public func npyData() throws -> Data {
        guard let code = Self.npyTypes.first(where: { $0.value == dataType && !$0.key.hasPrefix("=") })?.key else {
            throw EngineError(.unsupportedDataType, "tensors of type \(dataType) cannot be written as .npy")
        }
        let shapeText = shape.isEmpty ? "()" : shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(code)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = header.utf8.count
        out.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        out.append(contentsOf: Array(header.utf8))
        withUnsafeBytes { out.append(contentsOf: $0) }
        return out
    }

    private static let npyTypes: [String: DataType] = [
        "<f4": .float, "<f8": .double, "<f2": .float16, "<i8": .int64, "<i4": .int32, "<i2": .int16, "|i1": .int8,
        "|u1": .uint8, "<u2": .uint16, "<u4": .uint32, "<u8": .uint64, "|b1": .bool,
        "=f4": .float, "=f8": .double, "=i8": .int64, "=i4": .int32, "|?": .bool,
    ]

    /// Extracts the text of `key`'s value from a Python dict literal header.
    private static func npyField(_ header: String, _ key: String) -> String? {
        for quote in ["'", "\""] {
            guard let range = header.range(of: "\(quote)\(key)\(quote)") else { continue }
            var rest = header[range.upperBound...].drop(while: { $0 == " " || $0 == ":" })
            if rest.first == "(" {
                guard let close = rest.firstIndex(of: ")") else { return nil }
                return String(rest[...close])
            }
            if rest.first == "'" || rest.first == "\"" {
                let q = rest.first!
                rest = rest.dropFirst()
                guard let end = rest.firstIndex(of: q) else { return nil }
                return String(rest[..<end])
            }
            let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) ?? rest.endIndex
            return rest[..<end].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
