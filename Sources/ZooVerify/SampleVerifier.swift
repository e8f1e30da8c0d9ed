import Foundation
import SparseEngine

/// Runs sample inputs through an inference session and compares the outputs with the sample outputs.
///
/// Arrays feed the model's inputs by name when a file's names are exactly the model's input names,
/// else by position (sparsezoo's runner zips the graph's inputs with the file's arrays in order); the
/// same goes for outputs. Sample arrays carry no batch dimension: one of size 1 is added to an input
/// whose declared rank is one more than the array's (or whose rank is not declared), and dropped from
/// the engine's outputs before comparing.
public struct SampleVerifier {
    /// The model to run.
    public let session: InferenceSession
    /// How close the outputs must be.
    public let tolerance: Tolerance

    /// A verifier running `session` and accepting outputs within `tolerance`.
    public init(session: InferenceSession, tolerance: Tolerance) {
        self.session = session
        self.tolerance = tolerance
    }

    /// Runs `pair.input` and compares every output with `pair.output`. Throws `SampleDataError`
    /// (`.malformedFile` for an unreadable file, `.doesNotFitModel` when its arrays are not the model's
    /// inputs or outputs) and `EngineError` when the model cannot run.
    public func verify(_ pair: SampleData.Pair) throws -> SampleResult {
        let input = try SampleFile(url: pair.input), expected = try SampleFile(url: pair.output)
        let names = session.outputs.map(\.name)
        let wanted = try match(expected, to: names, kind: "output")
        let produced: [String: Tensor]
        do {
            produced = try session.run(try feeds(from: input))
        } catch let error as EngineError where [.invalidInput, .shapeMismatch].contains(error.code) {
            throw SampleDataError(.doesNotFitModel, "\(input.url.path) does not fit the model: \(error.message)")
        }
        let comparisons = try zip(names, wanted).map { name, tensor in
            guard let actual = produced[name] else {
                throw EngineError(.internalError, "the engine returned no output '\(name)'")
            }
            return try OutputComparison(name: name, actual: actual, expected: tensor, tolerance: tolerance)
        }
        return SampleResult(input: input.name, output: expected.name, outputs: comparisons)
    }

    /// The session's feeds from a sample input file, with the batch dimension added where it is missing.
    private func feeds(from file: SampleFile) throws -> [String: Tensor] {
        let tensors = try match(file, to: session.inputs.map(\.name), kind: "input")
        var feeds: [String: Tensor] = [:]
        for (info, tensor) in zip(session.inputs, tensors) {
            let declaredRank = info.shape?.count ?? tensor.rank + 1
            feeds[info.name] = declaredRank == tensor.rank + 1 ? try tensor.reshaped([1] + tensor.shape) : tensor
        }
        return feeds
    }

    /// `file`'s tensors in the order of `names`: by name when its array names are exactly `names`, else
    /// by position when the counts agree.
    private func match(_ file: SampleFile, to names: [String], kind: String) throws -> [Tensor] {
        let byName = Dictionary(file.arrays.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        if Set(byName.keys) == Set(names) { return names.map { byName[$0]! } }
        guard file.arrays.count == names.count else {
            throw SampleDataError(.doesNotFitModel, "\(file.url.path) holds \(file.arrays.count) array(s) (\(file.arrays.map(\.name).joined(separator: ", "))) but the model has \(names.count) \(kind)(s) (\(names.joined(separator: ", ")))")
        }
        return file.arrays.map(\.tensor)
    }
}
