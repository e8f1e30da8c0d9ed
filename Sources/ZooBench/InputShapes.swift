import SparseEngine

/// Concrete shapes for a model's inputs, from the declared shapes, a batch size, named dimension
/// sizes, or explicit shapes in `deepsparse.benchmark`'s `-shapes "[1,3,224,224],[1,128]"` form.
public enum InputShapes {
    /// Parses `"[1,3,224,224],[1,128]"` (spaces allowed; `[]` for a scalar) into one shape per input, in input order.
    public static func parse(_ text: String) throws -> [[Int]] {
        let trimmed = text.filter { !$0.isWhitespace }
        func fail() -> BenchmarkError {
            BenchmarkError(.invalidArgument, "input shapes '\(text)' are not in the form \"[1,3,224,224],[1,128]\" (one bracketed list of positive sizes per input)")
        }
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]") else { throw fail() }
        let groups = trimmed.dropFirst().dropLast().components(separatedBy: "],[")
        return try groups.map { group in
            if group.isEmpty { return [] }  // "[]": a scalar, such as a sample rate
            let sizes = group.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else { throw fail() }
            return sizes.map { $0! }
        }
    }

    /// One shape per input (in `inputs` order).
    ///
    /// With `explicit` shapes (by position), those are used as given; a `batchSize` must then equal
    /// each shape's first size. Otherwise each declared dimension is used: a fixed size as is, a
    /// named one from `dimensions`, else the first dimension is the batch (`batchSize`, default 1) and
    /// any other unnamed or unbound dimension is 1.
    public static func resolve(_ inputs: [ValueInfo], batchSize: Int?, explicit: [[Int]]?, dimensions: [String: Int] = [:]) throws -> [[Int]] {
        if let explicit {
            guard explicit.count == inputs.count else {
                throw BenchmarkError(.invalidArgument, "\(explicit.count) input shape(s) given but the model has \(inputs.count) input(s): \(inputs.map(\.description).joined(separator: ", "))")
            }
            for (input, shape) in zip(inputs, explicit) {
                if let declared = input.shape, declared.count != shape.count {
                    throw BenchmarkError(.invalidArgument, "shape \(shape) for input '\(input.name)' has rank \(shape.count) but the model declares \(input)")
                }
                if let batchSize, shape.first != batchSize {
                    throw BenchmarkError(.invalidArgument, "batch size \(batchSize) disagrees with shape \(shape) given for input '\(input.name)'; drop -b or make the first size \(batchSize)")
                }
            }
            return explicit
        }
        return try inputs.map { input in
            guard let declared = input.shape else {
                throw BenchmarkError(.invalidArgument, "input '\(input.name)' declares no shape; give every input's shape with --shapes \"[…],[…]\"")
            }
            return try declared.enumerated().map { index, dimension in
                switch dimension {
                case .fixed(let size):
                    if index == 0, let batchSize, batchSize != size {
                        throw BenchmarkError(.invalidArgument, "input '\(input.name)' has a fixed batch dimension of \(size) (\(input)), so it cannot run batch size \(batchSize); re-export the model with a symbolic batch dimension")
                    }
                    return size
                case .symbolic(let name):
                    if let size = dimensions[name] { return size }
                    return index == 0 ? batchSize ?? 1 : 1
                case .unknown:
                    return index == 0 ? batchSize ?? 1 : 1
                }
            }
        }
    }
}
