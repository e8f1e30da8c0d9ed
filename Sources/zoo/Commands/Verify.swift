import ArgumentParser
import Foundation
import SparseEngine
import ZooStore
import ZooStub
import ZooVerify

extension Zoo {
    /// `zoo verify STUB|DIR`: checks a cached model's files, then runs its sample inputs through zoo's engine
    /// and compares the outputs with its sample outputs.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a model: its cached files, then its sample inputs run through zoo's engine against its sample outputs.",
            discussion: """
                STUB names a cached model: every file must be present with its size (with --files, re-hashed against \
                its sha256); a damaged file is removed from the cache so that the next `zoo pull` fetches it again \
                (a running daemon checks the files; the samples run in this process). \
                DIR is a model directory (model.onnx or deployment/model.onnx). Then each sample-inputs/inp-NNNN.npz \
                (directory or .tar.gz) runs through the engine and every output is compared with \
                sample-outputs/out-NNNN.npz: an element matches when |engine - sample| <= atol + rtol * |sample| \
                (default atol 8e-4, rtol 0: deepsparse's check of its engine against sample outputs). \
                Exits 1 on a damaged file or a mismatch, 2 on a malformed sample file, 3 when the stub is not cached.
                """)

        @Argument(help: ArgumentHelp("A stub of a cached model, or a model directory.", valueName: "STUB|DIR"))
        var model: String

        @Flag(help: "Re-hash every cached file (reads all of it).")
        var files = false

        @Flag(name: .customLong("no-samples"), help: "Check the cached files only; do not run the sample inputs.")
        var noSamples = false

        @Option(help: ArgumentHelp("Absolute tolerance (default 8e-4).", valueName: "ATOL"))
        var atol: Double?

        @Option(help: ArgumentHelp("Relative tolerance (default 0).", valueName: "RTOL"))
        var rtol: Double?

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let tolerance = try chosenTolerance()
                let report: VerificationReport
                do {
                    report = try verify(tolerance: tolerance)
                } catch let error as SampleDataError {
                    throw ExitCodeMessage(status: error.code == .missing ? ExitStatus.notFound : ExitStatus.invalidInput, message: error.message)
                }
                if output.json {
                    try printJSON(report)
                } else {
                    print(report.text)
                }
                let mismatches = report.mismatches
                for (sample, output) in mismatches.prefix(10) {
                    printError("output '\(output.name)' of \(sample.output) (input \(sample.input)) does not match: \(output.problem ?? "")")
                }
                if mismatches.count > 10 { printError("… and \(mismatches.count - 10) more mismatched output(s)") }
                if !report.ok { throw ExitCode(ExitStatus.failure) }
            }
        }

        private func chosenTolerance() throws -> Tolerance {
            var tolerance = Tolerance.deepsparse
            for (flag, value) in [("--atol", atol), ("--rtol", rtol)] {
                if let value, !(value.isFinite && value >= 0) {
                    throw EngineCommandError(.invalidOption, "\(flag) must be a finite number of at least 0, got \(value)")
                }
            }
            tolerance.absolute = atol ?? tolerance.absolute
            tolerance.relative = rtol ?? tolerance.relative
            return tolerance
        }

        /// Checks the files (for a stub), then the samples.
        private func verify(tolerance: Tolerance) throws -> VerificationReport {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory)
            if exists || model.hasPrefix("/") || model.hasPrefix(".") {
                guard isDirectory.boolValue else {
                    throw ExitCodeMessage(status: exists ? ExitStatus.invalidInput : ExitStatus.notFound,
                                          message: exists ? "\(model) is a file; pass the model directory that holds it and its sample-inputs and sample-outputs"
                                                          : "no such model directory: \(model)")
                }
                let directory = URL(fileURLWithPath: model)
                guard !noSamples else {
                    throw EngineCommandError(.invalidOption, "--no-samples leaves nothing to check for a directory; it only applies to a cached STUB")
                }
                guard let samples = try SampleData.locate(in: directory) else {
                    throw ExitCodeMessage(status: ExitStatus.notFound, message: "\(model) has no sample-inputs and sample-outputs (directories or .tar.gz); there is nothing to verify")
                }
                return try run(samples, in: directory, stub: nil, files: nil, tolerance: tolerance)
            }
            let filesReport: VerifyReport
            if let daemon = try DaemonSession.current() {
                filesReport = try daemon.verify(try Stub(parsing: model), rehash: files)
            } else {
                let context = try CacheContext()
                filesReport = try context.store.verify(try context.key(for: model), rehash: files)
            }
            let directory = URL(fileURLWithPath: filesReport.path)
            let filesOnly = VerificationReport(
                model: model, stub: filesReport.stub, path: filesReport.path, rehashed: filesReport.rehashed, files: filesReport.files,
                modelPath: nil, sampleInputs: nil, sampleOutputs: nil, tolerance: tolerance, samples: nil)
            guard filesReport.ok, !noSamples else { return filesOnly }
            guard FileManager.default.fileExists(atPath: directory.path) else {
                printWarning("\(filesReport.stub) is cached on the daemon's machine (\(directory.path)), not this one; only its files were checked")
                return filesOnly
            }
            guard let samples = try SampleData.locate(in: directory) else {
                printWarning("\(filesReport.stub) has no sample-inputs and sample-outputs; only its files were checked")
                return filesOnly
            }
            return try run(samples, in: directory, stub: filesReport.stub, files: filesReport, tolerance: tolerance)
        }

        /// Runs every sample through the engine on the directory's model.
        private func run(_ samples: SampleData, in directory: URL, stub: String?, files: VerifyReport?, tolerance: Tolerance) throws -> VerificationReport {
            let modelPath = try ModelLocator.onnxFile(in: directory.path)
            let session = try InferenceSession(model: ONNXModel(contentsOf: URL(fileURLWithPath: modelPath)), options: .init(threads: CPUTopology.physicalCores))
            let verifier = SampleVerifier(session: session, tolerance: tolerance)
            let results = try samples.pairs.map { try verifier.verify($0) }
            return VerificationReport(model: model, stub: stub, path: directory.path, rehashed: files?.rehashed ?? false, files: files?.files ?? [],
                                      modelPath: modelPath, sampleInputs: samples.inputsSource, sampleOutputs: samples.outputsSource,
                                      tolerance: tolerance, samples: results)
        }
    }
}
