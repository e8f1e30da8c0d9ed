import Foundation
import SparseEngine
import ZooBench

/// The tensors `zoo run` feeds a model: from `--input [NAME=]FILE` arguments, with random tensors
/// for any input no file gives.
struct InputFeeds {
    /// Where one input's tensor came from.
    struct Source {
        let input: String
        /// The file, or `random` for a generated tensor.
        let origin: String
    }

    private(set) var feeds: [String: Tensor] = [:]
    private(set) var sources: [Source] = []

    /// Assigns files to `inputs`.
    ///
    /// `NAME=FILE` feeds input NAME from FILE (which must hold one tensor, or an npz member named NAME).
    /// A bare `FILE` feeds inputs by the names its npz members carry, the rest by position: its
    /// tensors go, in order, to the model's inputs not fed yet. Inputs left over are random, shaped
    /// by `shapes` (explicit, by position) or the declared shapes with `dimensions` and 1 for the others.
    init(arguments: [String], inputs: [ValueInfo], shapes: [[Int]]?, dimensions: [String: Int], seed: UInt64) throws {
        let names = Set(inputs.map(\.name))
        var positional: [(origin: String, tensor: Tensor)] = []
        for argument in arguments {
            if let equals = argument.firstIndex(of: "="), names.contains(String(argument[..<equals])) {
                let name = String(argument[..<equals]), path = String(argument[argument.index(after: equals)...])
                let file = try TensorFile(path: path)
                let entry = file.entries.count == 1 ? file.entries[0] : file.entries.first { $0.name == name }
                guard let entry else {
                    throw EngineCommandError(.invalidInput, "\(path) holds \(file.entries.count) arrays and none is named '\(name)'; name the member or pass the file without NAME=")
                }
                try feed(name, entry.tensor, from: path)
                continue
            }
            if let equals = argument.firstIndex(of: "="), !FileManager.default.fileExists(atPath: argument) {
                throw EngineCommandError(.invalidInput, "the model has no input '\(argument[..<equals])'; its inputs are: \(inputs.map(\.description).joined(separator: ", "))")
            }
            let file = try TensorFile(path: argument)
            for entry in file.entries {
                if let name = entry.name, names.contains(name), feeds[name] == nil {
                    try feed(name, entry.tensor, from: argument)
                } else {
                    positional.append((argument, entry.tensor))
                }
            }
        }
        let unfed = inputs.filter { feeds[$0.name] == nil }
        guard positional.count <= unfed.count else {
            throw EngineCommandError(.invalidInput, "\(positional.count) tensors were given by position but only \(unfed.count) input(s) are left to feed (\(unfed.map(\.name).joined(separator: ", "))); name them with NAME=FILE")
        }
        for (input, given) in zip(unfed, positional) { try feed(input.name, given.tensor, from: given.origin) }

        let missing = inputs.filter { feeds[$0.name] == nil }
        if !missing.isEmpty {
            var explicit: [[Int]]?
            if let shapes {
                guard shapes.count == inputs.count else {
                    throw EngineCommandError(.invalidOption, "\(shapes.count) shape(s) given but the model has \(inputs.count) input(s): \(inputs.map(\.description).joined(separator: ", "))")
                }
                explicit = missing.map { input in shapes[inputs.firstIndex { $0.name == input.name }!] }
            }
            let resolved = try InputShapes.resolve(missing, batchSize: nil, explicit: explicit, dimensions: dimensions)
            for (name, tensor) in try RandomInputs.make(for: missing, shapes: resolved, seed: seed) {
                try feed(name, tensor, from: "random")
            }
        }
        sources.sort { a, b in inputs.firstIndex { $0.name == a.input }! < inputs.firstIndex { $0.name == b.input }! }
    }

    private mutating func feed(_ name: String, _ tensor: Tensor, from origin: String) throws {
        guard feeds[name] == nil else {
            throw EngineCommandError(.invalidInput, "input '\(name)' is given twice (again by \(origin))")
        }
        feeds[name] = tensor
        sources.append(Source(input: name, origin: origin))
    }
}
