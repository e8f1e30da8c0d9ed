import Foundation

/// A model directory laid out as SparseZoo lays it out, for the sample-data tests: `model.onnx` computing
/// `y = Relu(a + b)` and `z = a · b` for `a, b: float[batch, 3]`, and samples
/// `sample-inputs/inp-NNNN.npz` (arrays `a`, `b` without the batch dimension) with
/// `sample-outputs/out-NNNN.npz` (arrays `y`, `z`), each a directory or a `.tar.gz`. The expected outputs
/// are worked out here in plain Swift, not by the code under test.
public struct SampleModelFixture {
    /// One sample: the two inputs, three values each.
    public struct Sample: Sendable {
        public var a: [Float]
        public var b: [Float]

        public init(a: [Float], b: [Float]) {
            self.a = a
            self.b = b
        }

        /// `Relu(a + b)`.
        public var y: [Float] { zip(a, b).map { max($0 + $1, 0) } }
        /// `a · b`.
        public var z: [Float] { zip(a, b).map { $0 * $1 } }
    }

    /// How the sample files are laid out.
    public enum Layout {
        /// `sample-inputs/` and `sample-outputs/` directories.
        case directories
        /// `sample-inputs.tar.gz` and `sample-outputs.tar.gz`, members under a top `sample-inputs/` directory.
        case archives
    }

    /// Three samples with positive, negative and mixed values.
    public static let samples = [
        Sample(a: [1, -2, 3], b: [-1, 1, -5]),
        Sample(a: [0.5, 6, -4], b: [0.25, -7, 2]),
        Sample(a: [10, 0, -0.5], b: [-3, 2, 0.75]),
    ]

    /// The model, serialized.
    public static func model() -> Data {
        ONNXTestModel(
            nodes: [.init("Add", ["a", "b"], ["s"]), .init("Relu", ["s"], ["y"]), .init("Mul", ["a", "b"], ["z"])],
            inputs: [.init("a", dims: ["batch", 3]), .init("b", dims: ["batch", 3])],
            outputs: [.init("y", dims: ["batch", 3]), .init("z", dims: ["batch", 3])]).data()
    }

    /// Writes `model.onnx` and the samples into `directory` (which must exist). `outputs` may replace a
    /// sample's output arrays (`[name: values]`), e.g. to alter one value.
    public static func write(to directory: URL, layout: Layout = .directories, samples: [Sample] = samples,
                             outputs: [Int: [String: [Float]]] = [:]) throws {
        try model().write(to: directory.appendingPathComponent("model.onnx"))
        var inputFiles: [(String, Data)] = [], outputFiles: [(String, Data)] = []
        let scratch = TemporaryDirectory()
        for (index, sample) in samples.enumerated() {
            let number = String(format: "%04d", index)
            let input = scratch.path("inp-\(number).npz"), output = scratch.path("out-\(number).npz")
            try NumpyFiles.writeNPZ([("a", NumpyFiles.npy(shape: [3], float32: sample.a)), ("b", NumpyFiles.npy(shape: [3], float32: sample.b))],
                                    to: input, compressed: true)
            let replaced = outputs[index] ?? [:]
            try NumpyFiles.writeNPZ([("y", NumpyFiles.npy(shape: [3], float32: replaced["y"] ?? sample.y)),
                                     ("z", NumpyFiles.npy(shape: [3], float32: replaced["z"] ?? sample.z))],
                                    to: output, compressed: true)
            inputFiles.append(("inp-\(number).npz", try Data(contentsOf: URL(fileURLWithPath: input))))
            outputFiles.append(("out-\(number).npz", try Data(contentsOf: URL(fileURLWithPath: output))))
        }
        for (name, files) in [("sample-inputs", inputFiles), ("sample-outputs", outputFiles)] {
            switch layout {
            case .directories:
                let folder = directory.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for (file, data) in files { try data.write(to: folder.appendingPathComponent(file)) }
            case .archives:
                try TarBuilder.write(files.map { .file("\(name)/\($0.0)", $0.1) }, to: directory.appendingPathComponent(name + ".tar.gz").path)
            }
        }
    }
}
