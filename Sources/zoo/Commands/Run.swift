import ArgumentParser
import Foundation
import SparseEngine
import ZooBench

extension Zoo {
    /// `zoo run MODEL`: one inference on zoo's engine, inputs from files or random, outputs to files.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a model once on zoo's engine and write its outputs as .pb and .npy files.",
            discussion: """
                MODEL is a zoo: stub (pulled into the cache first, as `zoo pull` does), an .onnx file or a model \
                directory (its model.onnx or deployment/model.onnx). \
                --input NAME=FILE feeds one input from an ONNX TensorProto (.pb), .npy or .npz file; a bare FILE \
                feeds inputs by the names of its .npz members, the rest by position (as SparseZoo's sample \
                inputs inp-0000.npz). Inputs not given are random: floats uniform in [0, 1), integers 0 or 1, \
                with symbolic dimensions 1 unless --shapes or --dim say otherwise. Each output is written as \
                NAME.pb and NAME.npy.
                """
        )

        @Argument(help: "A zoo: stub (pulled first), an .onnx file or a model directory.")
        var model: String

        @Option(name: .customLong("input"), help: ArgumentHelp("An input file: NAME=FILE or FILE (.pb, .npy, .npz; repeatable).", valueName: "[NAME=]FILE"))
        var inputs: [String] = []

        @Option(name: .customLong("output-dir"), help: "Where to write the outputs (default ./outputs).")
        var outputDirectory = "outputs"

        @Option(name: [.customLong("shapes"), .customLong("shapes", withSingleDash: true)],
                help: ArgumentHelp("Shapes of the random inputs by input position, e.g. \"[1,3,224,224],[1,128]\".", valueName: "SHAPES"))
        var shapes: String?

        @Option(name: [.customLong("ncores", withSingleDash: true), .customLong("num-cores"), .customLong("num_cores")],
                help: "Threads to run on (default: all physical cores).")
        var numCores: Int?

        @Option(help: "Seed of the random inputs.")
        var seed: UInt64 = 0

        @OptionGroup var dimensions: DimensionOptions
        @OptionGroup var fetch: FetchOptions
        @OptionGroup var output: OutputOptions

        /// What `--json` prints.
        private struct RunReport: Encodable {
            struct Input: Encodable {
                let name: String
                let dtype: String
                let shape: [Int]
                let source: String
            }

            let model: String
            let model_path: String
            let output_dir: String
            let threads: Int
            let isa: String
            let milliseconds: Double
            let inputs: [Input]
            let outputs: [OutputRecord]
        }

        func run() throws {
            try reportingErrors {
                let path = try ModelLocator(fetch: fetch).path(for: model)
                let threads = numCores ?? CPUTopology.physicalCores
                guard threads >= 1 else {
                    throw EngineCommandError(.invalidOption, "the number of cores must be at least 1, got \(threads)")
                }
                let session = try InferenceSession(model: ONNXModel(contentsOf: URL(fileURLWithPath: path)), options: .init(threads: threads))
                let given = try InputFeeds(arguments: inputs, inputs: session.inputs, shapes: try shapes.map(InputShapes.parse),
                                           dimensions: try dimensions.sizes(), seed: seed)
                let started = DispatchTime.now().uptimeNanoseconds
                let outputs = try session.run(given.feeds)
                let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
                let records = try OutputFiles.write(outputs, order: session.outputs.map(\.name), to: URL(fileURLWithPath: outputDirectory))
                let report = RunReport(
                    model: model, model_path: path, output_dir: outputDirectory, threads: threads, isa: session.summary.isa,
                    milliseconds: milliseconds,
                    inputs: given.sources.map { source in
                        let tensor = given.feeds[source.input]!
                        return .init(name: source.input, dtype: tensor.dataType.description, shape: tensor.shape, source: source.origin)
                    },
                    outputs: records)
                if output.json {
                    try printJSON(report)
                } else {
                    print(text(report))
                }
            }
        }

        private func text(_ report: RunReport) -> String {
            func number(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "-" }
            func shape(_ dims: [Int]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
            var inputs = TextTable(columns: ["INPUT", "DTYPE", "SHAPE", "FROM"])
            for input in report.inputs { inputs.append([input.name, input.dtype, shape(input.shape), input.source]) }
            var outputs = TextTable(columns: ["OUTPUT", "DTYPE", "SHAPE", "MIN", "MAX", "MEAN"])
            for o in report.outputs { outputs.append([o.name, o.dtype, shape(o.shape), number(o.min), number(o.max), number(o.mean)]) }
            return [
                inputs.rendered, "", outputs.rendered, "",
                "ran \(report.model_path) in \(String(format: "%.2f", report.milliseconds)) ms on \(report.threads) thread\(report.threads == 1 ? "" : "s") (\(report.isa)); outputs written to \(report.output_dir)",
            ].joined(separator: "\n")
        }
    }
}
