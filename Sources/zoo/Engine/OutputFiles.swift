import Foundation
import SparseEngine

/// One model output as `zoo run` reports it: its files and a few statistics of its values.
struct OutputRecord: Encodable {
    let name: String
    let dtype: String
    let shape: [Int]
    /// Smallest, largest and mean value; nil for an empty tensor.
    let min: Double?
    let max: Double?
    let mean: Double?
    /// The `.pb` (TensorProto named after the output) and `.npy` files written.
    let files: [String]

    /// `min`/`max`/`mean` of `tensor`'s values, NaNs skipped.
    init(name: String, tensor: Tensor, files: [String]) throws {
        self.name = name
        dtype = tensor.dataType.description
        shape = tensor.shape
        self.files = files
        let values = try tensor.doubleValues().filter { !$0.isNaN }
        min = values.min()
        max = values.max()
        mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}

/// Writes outputs as `NAME.pb` and `NAME.npy` (characters outside `[A-Za-z0-9._-]` in NAME become `_`).
enum OutputFiles {
    /// Writes every output into `directory` (created if needed), in `order`.
    static func write(_ outputs: [String: Tensor], order: [String], to directory: URL) throws -> [OutputRecord] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EngineCommandError(.cannotWrite, "cannot create the output directory \(directory.path): \(error.localizedDescription)")
        }
        var usedStems = Set<String>()
        return try order.compactMap { name in
            guard let tensor = outputs[name] else { return nil }
            var stem = fileStem(name)
            while !usedStems.insert(stem).inserted { stem += "_" }
            let pb = directory.appendingPathComponent(stem + ".pb"), npy = directory.appendingPathComponent(stem + ".npy")
            try tensor.writeTensorProto(to: pb, name: name)
            do {
                try tensor.npyData().write(to: npy)
            } catch let error as EngineError {
                throw error
            } catch {
                throw EngineCommandError(.cannotWrite, "cannot write \(npy.path): \(error.localizedDescription)")
            }
            return try OutputRecord(name: name, tensor: tensor, files: [pb.path, npy.path])
        }
    }

    /// A file name for a value name.
    static func fileStem(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let stem = String(name.map { allowed.contains($0) ? $0 : "_" })
        return stem.isEmpty || stem == "." || stem == ".." ? "_" + stem : stem
    }
}
