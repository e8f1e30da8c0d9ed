import Foundation

/// Resolves `TensorProto.external_data` references against the model's directory.
///
/// Locations must be relative and stay inside the directory: absolute paths, `..` components
/// and symlinks that lead outside are refused. Each file is mapped once and tensors borrow
/// from the map.
final class ExternalDataResolver {
    /// The model directory, or nil if the model came from memory (then external data is an error).
    let directory: URL?
    private var files: [String: MappedFile] = [:]

    init(directory: URL?) {
        self.directory = directory
    }

    /// Returns storage borrowed from the referenced file region.
    func storage(for tensorName: String, entries: [String: String], byteCount: Int) throws -> TensorStorage {
        guard let location = entries["location"], !location.isEmpty else {
            throw EngineError(.externalData, "tensor '\(tensorName)' has external data without a 'location'; the model file is incomplete")
        }
        guard let directory else {
            throw EngineError(.externalData, "tensor '\(tensorName)' keeps its data in external file '\(location)', but the model was loaded from memory; load it from its file instead")
        }
        let file = try mappedFile(location, tensorName: tensorName, directory: directory)
        let offset = try Self.integer(entries["offset"], key: "offset", tensorName) ?? 0
        let length = try Self.integer(entries["length"], key: "length", tensorName) ?? (file.size - offset)
        guard offset >= 0, length >= 0, offset + length <= file.size else {
            throw EngineError(.externalData, "tensor '\(tensorName)' reads bytes \(offset)..<\(offset + length) of '\(location)', which has only \(file.size) bytes; the external data file is truncated or does not belong to this model")
        }
        guard length == byteCount else {
            throw EngineError(.externalData, "tensor '\(tensorName)' needs \(byteCount) bytes but its external data in '\(location)' has \(length)")
        }
        guard let base = file.base else { return TensorStorage(zeroedByteCount: 0) }
        let start = base + offset
        if Int(bitPattern: start) % 64 == 0 {
            return TensorStorage(borrowing: start, byteCount: length, owner: file)
        }
        // Unaligned region: one copy into aligned memory.
        let copy = TensorStorage(zeroedByteCount: length)
        copy.base.copyMemory(from: start, byteCount: length)
        return copy
    }

    private func mappedFile(_ location: String, tensorName: String, directory: URL) throws -> MappedFile {
        if let file = files[location] { return file }
        let components = location.split(separator: "/", omittingEmptySubsequences: false)
        if location.hasPrefix("/") || location.hasPrefix("\\") || components.contains("..") || location.contains("\\..") || location.contains("\0") {
            throw EngineError(.externalData, "tensor '\(tensorName)' refers to external data '\(location)' outside the model directory; only relative paths inside '\(directory.path)' are allowed")
        }
        let candidate = directory.appendingPathComponent(location).path
        guard let realDir = realpath(directory.path, nil).map({ p -> String in defer { free(p) }; return String(cString: p) }) else {
            throw EngineError(.externalData, "model directory '\(directory.path)' cannot be resolved: \(String(cString: strerror(errno)))")
        }
        guard let real = realpath(candidate, nil).map({ p -> String in defer { free(p) }; return String(cString: p) }) else {
            throw EngineError(.externalData, "external data file '\(location)' for tensor '\(tensorName)' not found in '\(directory.path)'; copy it next to the model")
        }
        guard real.hasPrefix(realDir.hasSuffix("/") ? realDir : realDir + "/") else {
            throw EngineError(.externalData, "external data '\(location)' for tensor '\(tensorName)' resolves to '\(real)', outside the model directory; refusing to read it")
        }
        let file = try MappedFile(path: real)
        files[location] = file
        return file
    }

    private static func integer(_ text: String?, key: String, _ tensorName: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw EngineError(.externalData, "tensor '\(tensorName)' has external data \(key) '\(text)', which is not a non-negative integer")
        }
        return value
    }
}
