import Foundation

/// `index.json` as written by `scripts/onnx_conformance_export.py`.
struct CaseIndex: Decodable {
    /// The onnx version the cases were exported with.
    let onnxVersion: String
    /// Every exported case.
    let cases: [ConformanceCase]

    enum CodingKeys: String, CodingKey {
        case onnxVersion = "onnx_version", cases
    }

    /// Reads `DIRECTORY/index.json`.
    static func load(from directory: URL) throws -> CaseIndex {
        let url = directory.appendingPathComponent("index.json")
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ConformanceError(.io, "cannot read '\(url.path)'; export the cases first with scripts/onnx_conformance_export.py \(directory.path)")
        }
        do {
            return try JSONDecoder().decode(CaseIndex.self, from: data)
        } catch {
            throw ConformanceError(.invalidInput, "'\(url.path)' is not a conformance index (\(error)); re-export the cases")
        }
    }
}

/// One exported conformance case: a model and the data sets to run it on.
struct ConformanceCase: Decodable {
    /// The case name, which is also its directory, e.g. `test_abs`.
    let name: String
    /// `node`, `simple` or `light`.
    let kind: String
    /// Operator types of the graph and its subgraphs; non-default domains prefixed (`ai.onnx.ml.Binarizer`).
    let opTypes: [String]
    /// The imported default-domain opset (0 if none).
    let opset: Int
    /// Names of the inputs the case feeds, in the order of the `input_K.pb` files.
    let inputs: [String]
    /// Types of those inputs, e.g. `tensor(float)`, `seq(tensor(int64))`.
    let inputTypes: [String]
    /// Names of the outputs, in the order of the `output_K.pb` files.
    let outputs: [String]
    /// Types of the outputs.
    let outputTypes: [String]
    /// How many `test_data_set_N` directories there are.
    let dataSets: Int
    /// ONNX's relative tolerance for this case.
    let rtol: Double
    /// ONNX's absolute tolerance for this case.
    let atol: Double

    enum CodingKeys: String, CodingKey {
        case name, kind, opset, inputs, outputs, rtol, atol
        case opTypes = "op_types", inputTypes = "input_types", outputTypes = "output_types", dataSets = "data_sets"
    }
}
