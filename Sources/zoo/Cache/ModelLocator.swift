import Foundation
import ZooStore

/// Turns a model argument into the `.onnx` file to run: a `zoo:` stub is pulled first (a cached one needs no
/// network) and its use recorded for gc; a directory gives its `model.onnx` or `deployment/model.onnx`; anything
/// else is the file itself.
struct ModelLocator {
    let fetch: FetchOptions

    func path(for argument: String) throws -> String {
        guard argument.hasPrefix("zoo:") else { return try Self.onnxFile(in: argument) }
        let context = try CacheContext(fetch: fetch)
        let (stub, model) = try context.model(forPull: argument)
        let progress = PullProgress(json: false)
        let report = try context.store.pull(
            model, stub: stub.description, selection: .model(includeTraining: false), fetching: context.fetching,
            events: progress.handle)
        progress.finish()
        try context.store.touch(ModelKey(model))
        return try Self.onnxFile(in: report.path)
    }

    /// The file itself, or a directory's `model.onnx` or `deployment/model.onnx`.
    static func onnxFile(in argument: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
            throw ExitCodeMessage(status: ExitStatus.invalidInput, message: "no such model file or directory: \(argument)")
        }
        guard isDirectory.boolValue else { return argument }
        let candidates = ["model.onnx", "deployment/model.onnx"].map { URL(fileURLWithPath: argument).appendingPathComponent($0).path }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ExitCodeMessage(
                status: ExitStatus.invalidInput,
                message: "the directory \(argument) holds no model.onnx or deployment/model.onnx; pass the .onnx file itself")
        }
        return found
    }
}
