import Foundation
import SparseEngine

/// Checks a whole model against ONNX Runtime's outputs saved by `scripts/ort_reference.py`:
/// per output, the largest absolute difference relative to the largest reference magnitude,
/// `max|engine − ort| / max|ort|`, must not exceed `maxError`.
struct ReferenceCheck {
    let model: URL
    let referenceDirectory: URL
    let maxError: Double
    let threads: Int

    /// One output's measured error.
    struct Result {
        let output: String
        let error: Double
        let passed: Bool
    }

    private struct Reference: Decodable {
        struct Value: Decodable {
            let name: String
            let file: String
        }
        let inputs: [Value]
        let outputs: [Value]
    }

    /// Runs the model on the reference inputs and measures every output.
    func run() throws -> [Result] {
        let url = referenceDirectory.appendingPathComponent("reference.json")
        let reference: Reference
        do {
            reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        } catch {
            throw ConformanceError(.invalidInput, "cannot read '\(url.path)' (\(error)); write it with scripts/ort_reference.py")
        }
        func tensor(_ folder: String, _ value: Reference.Value) throws -> Tensor {
            try Tensor(fromTensorProtoFile: referenceDirectory.appendingPathComponent(folder).appendingPathComponent(value.file + ".pb"))
        }
        var feeds: [String: Tensor] = [:]
        for input in reference.inputs { feeds[input.name] = try tensor("inputs", input) }
        let session = try InferenceSession(model: try ONNXModel(contentsOf: model), options: .init(threads: threads))
        let results = try session.run(feeds)
        return try reference.outputs.map { output in
            let expected = try tensor("outputs", output)
            guard let actual = results[output.name] else {
                throw ConformanceError(.invalidInput, "the engine returned no output '\(output.name)'")
            }
            guard actual.dataType == expected.dataType, actual.shape == expected.shape else {
                throw ConformanceError(.invalidInput, "output '\(output.name)' is \(actual.dataType)\(actual.shape), ONNX Runtime's is \(expected.dataType)\(expected.shape)")
            }
            let a = try actual.doubleValues(), e = try expected.doubleValues()
            let scale = e.reduce(0) { max($0, abs($1)) }
            var worst = 0.0
            for i in a.indices {
                let d = abs(a[i] - e[i])
                worst = d.isNaN ? .infinity : max(worst, d)
            }
            let error = scale > 0 ? worst / scale : worst
            return Result(output: output.name, error: error, passed: error <= maxError)
        }
    }
}
