import ArgumentParser
import Foundation
import ZooStore
import ZooStub

extension Zoo {
    /// `zoo import DIR|MODEL.onnx --stub zoo:…`: registers a local model in the catalog and cache.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a local model (a model directory or an .onnx file) under a stub, in the catalog and the cache.",
            discussion: "Its files become cache blobs and its directory is laid out as a pull would, so `zoo pull`, `zoo bench` and clients of `zoo serve` on this home find it. An .onnx file becomes model.onnx.")

        @Argument(help: "A model directory or an .onnx file.")
        var path: String

        @Option(help: ArgumentHelp("The stub to register the model under (zoo:…).", valueName: "stub"))
        var stub: String

        @Option(help: ArgumentHelp("The namespace of its cache directory.", valueName: "name"))
        var namespace: String = "local"

        @Option(help: ArgumentHelp("Its v2 name (default: a short stub's own, else architecture-dataset-tag).", valueName: "name"))
        var repoName: String?

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingErrors {
                let parsed = try Stub(parsing: stub)
                let context = try CacheContext()
                let report = try context.store.importModel(
                    from: URL(fileURLWithPath: path), stub: parsed, namespace: namespace, repoName: repoName)
                if output.json { return try printJSON(report) }
                print("imported \(report.stub)\n  \(report.files.count) file(s), \(ByteCount.format(report.bytes))\n  \(report.path)")
            }
        }
    }
}
