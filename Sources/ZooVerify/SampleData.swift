import Foundation
import ZooArchive

/// A model directory's sample data: its `sample-inputs` and `sample-outputs` (unpacked directories, or
/// the `.tar.gz` archives SparseZoo ships, unpacked into a scratch directory that lives as long as this
/// object), paired file by file in sorted name order as sparsezoo pairs them: `inp-0000.npz` with
/// `out-0000.npz`, and so on.
public final class SampleData {
    /// One input file and the output file that goes with it.
    public struct Pair: Sendable {
        /// `…/inp-NNNN.npz`.
        public let input: URL
        /// `…/out-NNNN.npz`.
        public let output: URL
    }

    /// Directory names that hold sample inputs, in order of preference; the underscore spelling is
    /// what older integrations wrote.
    public static let inputNames = ["sample-inputs", "sample_inputs"]
    /// Directory names that hold sample outputs, in order of preference: the framework's outputs, the
    /// older underscore spelling, then the per-engine outputs.
    public static let outputNames = ["sample-outputs", "sample_outputs", "sample-outputs_onnxruntime", "sample-outputs_deepsparse"]

    /// Where the inputs were found: a directory or a `.tar.gz`.
    public let inputsSource: String
    /// Where the outputs were found: a directory or a `.tar.gz`.
    public let outputsSource: String
    /// The sample files, paired.
    public let pairs: [Pair]
    private let scratch: URL?

    /// The sample data of `modelDirectory`, or nil when it has neither sample inputs nor sample outputs.
    /// Throws `SampleDataError`: `.missing` when only one of the two is there, `.malformedFile` when
    /// an archive cannot be unpacked or the files do not pair up.
    public static func locate(in modelDirectory: URL) throws -> SampleData? {
        let inputs = find(inputNames, in: modelDirectory), outputs = find(outputNames, in: modelDirectory)
        switch (inputs, outputs) {
        case (nil, nil): return nil
        case (nil, _?): throw SampleDataError(.missing, "\(modelDirectory.path) has sample outputs but no sample-inputs directory or sample-inputs.tar.gz")
        case (_?, nil): throw SampleDataError(.missing, "\(modelDirectory.path) has sample inputs but no sample-outputs directory or sample-outputs.tar.gz")
        case let (inputs?, outputs?): return try SampleData(inputs: inputs, outputs: outputs)
        }
    }

    private init(inputs: URL, outputs: URL) throws {
        inputsSource = inputs.path
        outputsSource = outputs.path
        let needsScratch = [inputs, outputs].contains { !Self.isDirectory($0) }
        let scratch = needsScratch ? FileManager.default.temporaryDirectory.appendingPathComponent("zoo-samples-\(UUID().uuidString)") : nil
        self.scratch = scratch
        do {
            let inputFiles = try Self.npzFiles(at: inputs, scratch: scratch?.appendingPathComponent("inputs"))
            let outputFiles = try Self.npzFiles(at: outputs, scratch: scratch?.appendingPathComponent("outputs"))
            pairs = try Self.pair(inputFiles, outputFiles, inputs: inputs, outputs: outputs)
        } catch {
            if let scratch { try? FileManager.default.removeItem(at: scratch) }
            throw error
        }
    }

    deinit {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    /// The first of `names` present in `directory`, as a directory, else as `NAME.tar.gz`.
    private static func find(_ names: [String], in directory: URL) -> URL? {
        for name in names {
            let unpacked = directory.appendingPathComponent(name)
            if isDirectory(unpacked) { return unpacked }
            let archive = directory.appendingPathComponent(name + ".tar.gz")
            if FileManager.default.fileExists(atPath: archive.path) { return archive }
        }
        return nil
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The `.npz` files under `source` (a directory, or an archive unpacked into `scratch`) at any depth,
    /// as sparsezoo flattens archive members to their base names, sorted by name.
    private static func npzFiles(at source: URL, scratch: URL?) throws -> [URL] {
        var directory = source
        if !isDirectory(source), let scratch {
            do {
                try FileManager.default.createDirectory(at: scratch.deletingLastPathComponent(), withIntermediateDirectories: true)
                _ = try ArchiveExtractor().extract(archive: source.path, into: scratch.path)
            } catch let error as ArchiveError {
                throw SampleDataError(.malformedFile, "cannot unpack \(source.path): \(error.message)")
            }
            directory = scratch
        }
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
            throw SampleDataError(.malformedFile, "cannot list \(source.path)")
        }
        var files: [String: URL] = [:]
        for case let url as URL in walker where url.pathExtension == "npz" {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            if let other = files.updateValue(url, forKey: url.lastPathComponent) {
                throw SampleDataError(.malformedFile, "\(source.path) holds two files named \(url.lastPathComponent) (\(other.path) and \(url.path))")
            }
        }
        return files.keys.sorted().map { files[$0]! }
    }

    /// Pairs inputs with outputs by sorted position; `inp-X` must meet `out-X` when both follow the pattern.
    private static func pair(_ inputFiles: [URL], _ outputFiles: [URL], inputs: URL, outputs: URL) throws -> [Pair] {
        guard !inputFiles.isEmpty else {
            throw SampleDataError(.malformedFile, "\(inputs.path) holds no .npz files; sample inputs are inp-0000.npz, inp-0001.npz, …")
        }
        guard inputFiles.count == outputFiles.count else {
            throw SampleDataError(.malformedFile, "\(inputs.path) holds \(inputFiles.count) .npz file(s) but \(outputs.path) holds \(outputFiles.count); each sample input needs one sample output")
        }
        return try zip(inputFiles, outputFiles).map { input, output in
            let (inputName, outputName) = (input.lastPathComponent, output.lastPathComponent)
            if inputName.hasPrefix("inp"), outputName.hasPrefix("out"), inputName.dropFirst(3) != outputName.dropFirst(3) {
                throw SampleDataError(.malformedFile, "the sample files do not pair up: \(inputName) would be checked against \(outputName); expected out\(inputName.dropFirst(3))")
            }
            return Pair(input: input, output: output)
        }
    }
}
