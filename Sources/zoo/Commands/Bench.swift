import ArgumentParser
import Foundation
import SparseEngine
import ZooBench

extension Zoo {
    /// `zoo bench MODEL`: deepsparse.benchmark's flags, fields and JSON export, on zoo's engine.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Benchmark a model on zoo's engine, with deepsparse.benchmark's flags and output.",
            discussion: """
                MODEL is a zoo: stub (pulled into the cache first, as `zoo pull` does), an .onnx file or a model \
                directory (its model.onnx or deployment/model.onnx). Inputs are \
                random, shaped by the model with the batch size as first dimension, or by -shapes. Prints \
                deepsparse.benchmark's fields plus p90/p95/p99 latencies and what the engine did; -x writes \
                deepsparse's JSON export (docs/benchmarks.md).
                """
        )

        @Argument(help: "A zoo: stub (pulled first), an .onnx file or a model directory.")
        var model: String

        @Option(name: [.customShort("b"), .customLong("batch-size"), .customLong("batch_size")], help: "The batch size (default 1).")
        var batchSize: Int?

        @Option(name: [.customLong("ncores", withSingleDash: true), .customLong("num-cores"), .customLong("num_cores")],
                help: "Threads to run on, over all streams (default: all physical cores).")
        var numCores: Int?

        @Option(name: [.customShort("s"), .customLong("scenario")], help: "sync, async or elastic.")
        var scenario: BenchmarkScenario = .sync

        @Option(name: [.customLong("nstreams", withSingleDash: true), .customLong("num-streams"), .customLong("num_streams")],
                help: "Concurrent streams for async and elastic (default max(1, cores / 2)).")
        var numStreams: Int?

        @Option(name: [.customShort("t"), .customLong("time")], help: "Seconds to measure.")
        var time: Double = 10

        @Option(name: [.customShort("w"), .customLong("warmup-time"), .customLong("warmup_time")], help: "Seconds to warm up first.")
        var warmupTime: Double = 2

        @Option(name: [.customLong("shapes", withSingleDash: true), .customShort("i"), .customLong("input-shapes"), .customLong("input_shapes")],
                help: ArgumentHelp("Input shapes by position, e.g. \"[1,3,224,224],[1,128]\".", valueName: "SHAPES"))
        var inputShapes: String?

        @Option(name: [.customShort("x"), .customLong("export-path"), .customLong("export_path")], help: "Write the results as JSON to this file.")
        var exportPath: String?

        @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Do not log progress on stderr.")
        var quiet = false

        @Option(help: ArgumentHelp("After measuring, time every node over this many runs and print where the time goes.", valueName: "RUNS"))
        var profile: Int?

        @Option(help: ArgumentHelp("Prune every Conv/Gemm/MatMul weight (but the first conv's) to this share of zeros by magnitude, in memory, before measuring: what that sparsity would buy.", valueName: "SPARSITY"))
        var sparsify: Double?

        @Option(name: .customLong("value"), help: ArgumentHelp("Fill an input with one number instead of random values, e.g. a sample rate (repeatable).", valueName: "NAME=NUMBER"))
        var values: [String] = []

        @OptionGroup var dimensions: DimensionOptions
        @OptionGroup var fetch: FetchOptions
        @OptionGroup var output: OutputOptions

        /// The `--value` fills by input name.
        private func inputValues() throws -> [String: Double] {
            try NameAssignments.parse(values, option: "--value", expected: "NAME=NUMBER, e.g. --value sr=16000") { Double($0) }
        }

        func run() throws {
            try reportingErrors {
                if let profile, profile < 1 {
                    throw EngineCommandError(.invalidOption, "--profile takes a number of runs of at least 1, got \(profile)")
                }
                let path = try ModelLocator(fetch: fetch).path(for: model)
                let settings = BenchmarkSettings(
                    batchSize: batchSize, cores: numCores ?? CPUTopology.physicalCores, scenario: scenario, streams: numStreams,
                    seconds: time, warmupSeconds: warmupTime, inputShapes: try inputShapes.map(InputShapes.parse),
                    dimensions: try dimensions.sizes(), inputValues: try inputValues(), sparsify: sparsify)
                let log: (String) -> Void = { line in
                    if !quiet { FileHandle.standardError.write(Data("zoo: \(line)\n".utf8)) }
                }
                if scenario == .sync, let numStreams, numStreams != 1 {
                    printWarning("the sync scenario runs one stream; -nstreams \(numStreams) is ignored")
                }
                if scenario != .sync, numStreams == nil {
                    log("num_streams not given, using \(settings.effectiveStreams); this requires tuning and may be sub-optimal")
                }
                // The sessions own what they keep of the model, so it is freed here (compressed weights' dense forms too).
                let benchmark = try Benchmark(model: try ONNXModel(contentsOf: URL(fileURLWithPath: path)), settings: settings)
                for (input, shape) in zip(benchmark.sessions[0].inputs, benchmark.inputShapes) {
                    log("Generating input '\(input.name)', type = \(input.dataType), shape = \(shape)")
                }
                let measurement = try benchmark.run(log: log)
                let timings = try profile.flatMap(profileOrWarn(benchmark))
                let report = BenchmarkReport(benchmark: benchmark, measurement: measurement, originalModelPath: model,
                                             modelPath: path, version: ZooVersion.current, profile: timings)
                if let exportPath {
                    do {
                        try report.exportData().write(to: URL(fileURLWithPath: exportPath))
                    } catch {
                        throw EngineCommandError(.cannotWrite, "cannot write the results to \(exportPath): \(error.localizedDescription)")
                    }
                }
                if output.json {
                    try printJSON(report)
                } else {
                    print(report.text)
                }
            }
        }

        /// The per-node profile over `runs` runs, or nil with a warning for a model that runs in stages (its shapes
        /// depend on values computed while running), so that the measurement is still reported.
        private func profileOrWarn(_ benchmark: Benchmark) -> (Int) throws -> [NodeTiming]? {
            { runs in
                do {
                    return try benchmark.profile(runs: runs)
                } catch let error as EngineError where error.code == .dataDependentShape {
                    printWarning("no per-layer profile: \(error)")
                    return nil
                }
            }
        }
    }
}

extension BenchmarkScenario: ExpressibleByArgument {}
