import CONNX
import CProtobufC

/// Turns a protobuf-c `TensorProto` into a `Tensor`.
///
/// `raw_data`, `float_data`, `int64_data` and `double_data` of the matching type are borrowed
/// from the unpacked message (kept alive by `owner`); external data is borrowed from a map;
/// only the narrow types stored widened in `int32_data`/`uint64_data` are converted.
struct TensorProtoDecoder {
    /// Keeps the unpacked message alive for borrowed storage.
    let owner: AnyObject
    /// Resolves external data; nil when the tensor came from a standalone `.pb` file.
    let external: ExternalDataResolver?

    func decode(_ proto: UnsafePointer<Onnx__TensorProto>, fallbackName: String = "") throws -> Tensor {
        let p = proto.pointee
        let name = p.name.map { String(cString: $0) } ?? fallbackName
        let label = name.isEmpty ? "<unnamed>" : name
        let dataType = try DataType.decode(p.data_type, context: "tensor '\(label)'")
        var shape: [Int] = []
        for i in 0..<p.n_dims {
            let d = p.dims[i]
            guard d >= 0 else {
                throw EngineError(.invalidModel, "tensor '\(label)' has negative dimension \(d)")
            }
            shape.append(Int(d))
        }
        if p.segment != nil {
            throw EngineError(.unsupportedDataType, "tensor '\(label)' is split into segments, which the engine does not support; re-export the model without segmented tensors")
        }
        guard let elementSize = dataType.byteSize else {
            throw EngineError(.unsupportedDataType, "tensor '\(label)' has element type \(dataType), which the engine does not support")
        }
        let count = shape.reduce(1, *)
        let byteCount = count * elementSize

        if p.has_data_location != 0 && p.data_location.rawValue == 1 {
            var entries: [String: String] = [:]
            for i in 0..<p.n_external_data {
                let e = p.external_data[i]!.pointee
                entries[cString(e.key)] = cString(e.value)
            }
            guard let external else {
                throw EngineError(.externalData, "tensor '\(label)' keeps its data in an external file, which is not available here")
            }
            let storage = try external.storage(for: label, entries: entries, byteCount: byteCount)
            return Tensor(dataType: dataType, shape: shape, storage: storage)
        }

        if p.has_raw_data != 0 && (p.raw_data.len > 0 || count == 0) {
            guard p.raw_data.len == byteCount else {
                throw EngineError(.invalidModel, "tensor '\(label)' has \(p.raw_data.len) bytes of raw_data, but \(dataType)\(shape) needs \(byteCount)")
            }
            return borrowOrCopy(p.raw_data.data, byteCount: byteCount, dataType: dataType, shape: shape)
        }

        func mismatch(_ have: Int, _ field: String) -> EngineError {
            EngineError(.invalidModel, "tensor '\(label)' has \(have) values in \(field), but \(dataType)\(shape) needs \(count)")
        }
        switch dataType {
        case .float:
            guard p.n_float_data == count else { throw mismatch(p.n_float_data, "float_data") }
            return borrowOrCopy(p.float_data, byteCount: byteCount, dataType: dataType, shape: shape)
        case .int64:
            guard p.n_int64_data == count else { throw mismatch(p.n_int64_data, "int64_data") }
            return borrowOrCopy(p.int64_data, byteCount: byteCount, dataType: dataType, shape: shape)
        case .double:
            guard p.n_double_data == count else { throw mismatch(p.n_double_data, "double_data") }
            return borrowOrCopy(p.double_data, byteCount: byteCount, dataType: dataType, shape: shape)
        case .int32, .int16, .int8, .uint16, .uint8, .bool, .float16, .bfloat16:
            guard p.n_int32_data == count else { throw mismatch(p.n_int32_data, "int32_data") }
            let t = try Tensor(zeros: dataType, shape: shape)
            let src = UnsafeBufferPointer(start: p.int32_data, count: count)
            switch elementSize {
            case 4: for i in 0..<count { t.pointer(Int32.self)[i] = src[i] }
            case 2: for i in 0..<count { t.pointer(UInt16.self)[i] = UInt16(truncatingIfNeeded: src[i]) }
            default:
                for i in 0..<count {
                    t.pointer(UInt8.self)[i] = dataType == .bool ? (src[i] != 0 ? 1 : 0) : UInt8(truncatingIfNeeded: src[i])
                }
            }
            return t
        case .uint32, .uint64:
            guard p.n_uint64_data == count else { throw mismatch(p.n_uint64_data, "uint64_data") }
            let t = try Tensor(zeros: dataType, shape: shape)
            for i in 0..<count {
                if dataType == .uint32 {
                    t.pointer(UInt32.self)[i] = UInt32(truncatingIfNeeded: p.uint64_data[i])
                } else {
                    t.pointer(UInt64.self)[i] = p.uint64_data[i]
                }
            }
            return t
        default:
            throw EngineError(.unsupportedDataType, "tensor '\(label)' has element type \(dataType), which the engine does not support")
        }
    }

    private func borrowOrCopy<T>(_ pointer: UnsafeMutablePointer<T>?, byteCount: Int, dataType: DataType, shape: [Int]) -> Tensor {
        guard let pointer, byteCount > 0 else {
            return try! Tensor(zeros: dataType, shape: shape)
        }
        let raw = UnsafeMutableRawPointer(pointer)
        if Int(bitPattern: raw) % dataType.byteSize! == 0 {
            return Tensor(dataType: dataType, shape: shape, storage: TensorStorage(borrowing: raw, byteCount: byteCount, owner: owner))
        }
        let t = try! Tensor(zeros: dataType, shape: shape)
        t.rawPointer.copyMemory(from: raw, byteCount: byteCount)
        return t
    }
}
