import CONNX
import CProtobufC
import Foundation

extension Tensor {
    /// Reads a serialized ONNX `TensorProto` (`.pb`, as in ONNX test-data directories).
    public init(fromTensorProtoFile url: URL) throws {
        let file = try MappedFile(path: url.path)
        try self.init(tensorProtoBytes: UnsafeRawBufferPointer(start: file.base, count: file.size), source: url.path)
    }

    /// Decodes a serialized ONNX `TensorProto` from memory.
    public init(tensorProto data: Data) throws {
        self = try data.withUnsafeBytes { try Tensor(tensorProtoBytes: $0, source: "<memory>") }
    }

    private init(tensorProtoBytes bytes: UnsafeRawBufferPointer, source: String) throws {
        guard let message = ProtobufMessage(bytes: bytes, unpack: { onnx__tensor_proto__unpack(nil, $0, $1) }) else {
            throw EngineError(.invalidTensorFile, "'\(source)' is not a valid ONNX TensorProto (truncated or corrupt, \(bytes.count) bytes)")
        }
        guard message.pointer.pointee.has_data_type != 0 else {
            throw EngineError(.invalidTensorFile, "'\(source)' decodes as protobuf but has no data_type; it is not an ONNX TensorProto")
        }
        do {
            // Copy so the tensor does not pin the whole message.
            self = try TensorProtoDecoder(owner: message, external: nil).decode(message.pointer).copy()
        } catch let error as EngineError {
            throw EngineError(.invalidTensorFile, "\(error.message) (in '\(source)')")
        }
    }

    /// Serializes as an ONNX `TensorProto` with `raw_data` (little-endian).
    public func tensorProtoData(name: String = "") -> Data {
        var proto = Onnx__TensorProto()
        onnx__tensor_proto__init(&proto)
        var dims = shape.map { Int64($0) }
        return dims.withUnsafeMutableBufferPointer { dimsBuffer in
            name.withCString { cName in
                proto.n_dims = dimsBuffer.count
                proto.dims = dimsBuffer.baseAddress
                proto.has_data_type = 1
                proto.data_type = dataType.rawValue
                proto.has_raw_data = 1
                proto.raw_data = ProtobufCBinaryData(len: byteCount, data: rawPointer.assumingMemoryBound(to: UInt8.self))
                if !name.isEmpty { proto.name = UnsafeMutablePointer(mutating: cName) }
                let size = onnx__tensor_proto__get_packed_size(&proto)
                var out = Data(count: size)
                out.withUnsafeMutableBytes { _ = onnx__tensor_proto__pack(&proto, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
                return out
            }
        }
    }

    /// Writes `tensorProtoData(name:)` to `url`.
    public func writeTensorProto(to url: URL, name: String = "") throws {
        do {
            try tensorProtoData(name: name).write(to: url)
        } catch {
            throw EngineError(.io, "cannot write tensor to '\(url.path)': \(error.localizedDescription)")
        }
    }
}
