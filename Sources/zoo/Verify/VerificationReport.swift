import ZooStore
import ZooVerify

/// What `zoo verify` found: the cached files' check (for a stub) and every sample's comparison.
struct VerificationReport: Encodable {
    /// The argument as given.
    let model: String
    /// The cached model's stub; nil for a directory.
    let stub: String?
    /// The model directory.
    let path: String
    /// Whether the cached files were re-hashed (`--files`).
    let rehashed: Bool
    /// The cached files' check; empty for a directory, which has no recorded digests.
    let files: [FileCheck]
    /// The `.onnx` the samples ran through; nil when no sample was run.
    let modelPath: String?
    /// Where the sample inputs and outputs were found; nil when there are none or they were skipped.
    let sampleInputs: String?
    let sampleOutputs: String?
    let tolerance: Tolerance
    /// One result per sample; nil when the samples were not run (`--no-samples`, none there, damaged files).
    let samples: [SampleResult]?

    /// Every file is intact.
    var filesOK: Bool { files.allSatisfy { $0.status == "ok" } }
    /// Every file is intact and every sample output matched.
    var ok: Bool { filesOK && (samples ?? []).allSatisfy(\.ok) }

    /// Every output that did not match, with the sample it belongs to.
    var mismatches: [(sample: SampleResult, output: OutputComparison)] {
        (samples ?? []).flatMap { sample in sample.outputs.filter { !$0.ok }.map { (sample, $0) } }
    }

    private enum CodingKeys: String, CodingKey {
        case model, stub, path, rehashed, files, filesOK = "files_ok", modelPath = "model_path"
        case sampleInputs = "sample_inputs", sampleOutputs = "sample_outputs", atol, rtol, samples, ok
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(stub, forKey: .stub)
        try container.encode(path, forKey: .path)
        try container.encode(rehashed, forKey: .rehashed)
        try container.encode(files, forKey: .files)
        try container.encode(filesOK, forKey: .filesOK)
        try container.encode(modelPath, forKey: .modelPath)
        try container.encode(sampleInputs, forKey: .sampleInputs)
        try container.encode(sampleOutputs, forKey: .sampleOutputs)
        try container.encode(tolerance.absolute, forKey: .atol)
        try container.encode(tolerance.relative, forKey: .rtol)
        try container.encode(samples, forKey: .samples)
        try container.encode(ok, forKey: .ok)
    }
}
