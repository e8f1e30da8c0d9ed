import CONNX
import CProtobufC
import Foundation

/// A loaded ONNX model: metadata, operator-set versions and the graph with its weights.
///
/// Loading maps the file, lets protobuf-c unpack it (the one copy of the weights) and then
/// borrows tensor bytes from the unpacked message; external data is borrowed from mapped files.
///
/// ```swift
/// let model = try ONNXModel(contentsOf: URL(fileURLWithPath: "model.onnx"))
/// let session = try InferenceSession(model: model, options: .init(threads: 2))
/// ```
public final class ONNXModel: @unchecked Sendable {
    /// `ModelProto.ir_version`.
    public let irVersion: Int
    /// The tool that wrote the model.
    public let producerName: String
    /// The version of that tool.
    public let producerVersion: String
    /// Imported operator sets: domain (`""` for `ai.onnx`) → version.
    public let opsetImports: [String: Int]
    /// `metadata_props` as a dictionary.
    public let metadata: [String: String]
    /// The main graph.
    public let graph: Graph
    /// The file the model came from, if any.
    public let url: URL?

    /// The `ai.onnx` operator set version nodes in the default domain bind to.
    public var opset: Int { opsetImports[""] ?? 0 }

    /// Loads a model file; external data is read relative to its directory.
    public convenience init(contentsOf url: URL) throws {
        let file = try MappedFile(path: url.path)
        let bytes = UnsafeRawBufferPointer(start: file.base, count: file.size)
        try self.init(parts: Self.parse(bytes: bytes, source: url.path, directory: url.deletingLastPathComponent()), url: url)
    }

    /// Decodes a model from bytes in memory; `directory` resolves external data, if any.
    public convenience init(data: Data, directory: URL? = nil) throws {
        let parts = try data.withUnsafeBytes { try Self.parse(bytes: $0, source: "<memory>", directory: directory) }
        self.init(parts: parts, url: nil)
    }

    private init(parts: Parts, url: URL?) {
        irVersion = parts.irVersion
        producerName = parts.producerName
        producerVersion = parts.producerVersion
        opsetImports = parts.opsets
        metadata = parts.metadata
        graph = parts.graph
        self.url = url
    }

    private struct Parts {
        var irVersion: Int, producerName: String, producerVersion: String
        var opsets: [String: Int], metadata: [String: String], graph: Graph
    }

    private static func parse(bytes: UnsafeRawBufferPointer, source: String, directory: URL?) throws -> Parts {
        guard !bytes.isEmpty else {
            throw EngineError(.malformedModel, "'\(source)' is empty, not an ONNX model; re-download or re-export it")
        }
        guard let message = ProtobufMessage(bytes: bytes, unpack: { onnx__model_proto__unpack(nil, $0, $1) }) else {
            throw EngineError(.malformedModel, "'\(source)' is not a valid ONNX protobuf (truncated or corrupt, \(bytes.count) bytes); re-download or re-export the model")
        }
        let m = message.pointer.pointee
        guard let graphProto = m.graph else {
            throw EngineError(.malformedModel, "'\(source)' decodes as protobuf but contains no ONNX graph; it is not an ONNX model file")
        }
        var opsets: [String: Int] = [:]
        for i in 0..<m.n_opset_import {
            let o = m.opset_import[i]!.pointee
            var domain = cString(o.domain)
            if domain == "ai.onnx" { domain = "" }
            opsets[domain] = Int(o.version)
        }
        var metadata: [String: String] = [:]
        for i in 0..<m.n_metadata_props {
            let e = m.metadata_props[i]!.pointee
            metadata[cString(e.key)] = cString(e.value)
        }
        let decoder = GraphDecoder(tensors: TensorProtoDecoder(owner: message, external: ExternalDataResolver(directory: directory)))
        let graph: Graph
        do {
            graph = try decoder.decodeGraph(graphProto)
        } catch let error as EngineError {
            throw EngineError(error.code, "\(error.message) (in '\(source)')")
        }
        if opsets[""] == nil && graph.nodes.contains(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }) {
            if m.ir_version >= 3 {
                throw EngineError(.invalidModel, "'\(source)' imports no ai.onnx operator set but uses its operators; re-export the model with an opset")
            }
            opsets[""] = 1
        }
        return Parts(irVersion: Int(m.ir_version), producerName: cString(m.producer_name),
                     producerVersion: cString(m.producer_version), opsets: opsets, metadata: metadata, graph: graph)
    }
}
