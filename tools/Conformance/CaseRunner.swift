import Foundation
import SparseEngine

/// Runs one conformance case through `ONNXModel` + `InferenceSession` and checks every output
/// of every data set.
struct CaseRunner {
    let directory: URL
    let threads: Int

    /// nil when the case passes, else a one-line reason.
    func failure(of c: ConformanceCase) -> String? {
        let caseDirectory = directory.appendingPathComponent(c.name)
        let session: InferenceSession
        do {
            let model = try ONNXModel(contentsOf: caseDirectory.appendingPathComponent("model.onnx"))
            session = try InferenceSession(model: model, options: .init(threads: threads))
        } catch {
            return "load: \(error)"
        }
        let comparison = TensorComparison(rtol: c.rtol, atol: c.atol)
        for set in 0..<c.dataSets {
            let data = caseDirectory.appendingPathComponent("test_data_set_\(set)")
            let label = c.dataSets > 1 ? "data set \(set): " : ""
            do {
                var feeds: [String: Tensor] = [:]
                for (k, name) in c.inputs.enumerated() {
                    feeds[name] = try load(data.appendingPathComponent("input_\(k).pb"), declared: c.inputTypes[k])
                }
                let results = try session.run(feeds)
                for (k, name) in c.outputs.enumerated() {
                    let expected = try load(data.appendingPathComponent("output_\(k).pb"), declared: c.outputTypes[k])
                    guard let actual = results[name] else { return "\(label)output '\(name)' missing" }
                    if let reason = try comparison.mismatch(actual: actual, expected: expected) {
                        return "\(label)output '\(name)': \(reason)"
                    }
                }
            } catch {
                return "\(label)run: \(error)"
            }
        }
        return nil
    }

    /// Reads a test-data tensor. onnx 1.14 writes bfloat16 test data as `uint16` tensors of the
    /// bit patterns (NumPy has no bfloat16); those are read back as the declared bfloat16.
    private func load(_ url: URL, declared: String) throws -> Tensor {
        let tensor = try Tensor(fromTensorProtoFile: url)
        if declared == "tensor(bfloat16)" && tensor.dataType == .uint16 { return try tensor.bitcast(to: .bfloat16) }
        return tensor
    }
}
