/// An ONNX tensor element type; the raw values are the `TensorProto.DataType` codes.
public enum DataType: Int32, CaseIterable, Sendable, CustomStringConvertible {
    case undefined = 0
    case float = 1
    case uint8 = 2
    case int8 = 3
    case uint16 = 4
    case int16 = 5
    case int32 = 6
    case int64 = 7
    case string = 8
    case bool = 9
    case float16 = 10
    case double = 11
    case uint32 = 12
    case uint64 = 13
    case complex64 = 14
    case complex128 = 15
    case bfloat16 = 16
    case float8e4m3fn = 17
    case float8e4m3fnuz = 18
    case float8e5m2 = 19
    case float8e5m2fnuz = 20
    case uint4 = 21
    case int4 = 22
    case float4e2m1 = 23

    /// Bytes per element for the types the engine can hold in memory; `nil` for the others
    /// (strings, sub-byte and complex types).
    public var byteSize: Int? {
        switch self {
        case .float, .int32, .uint32: return 4
        case .double, .int64, .uint64: return 8
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16, .float16, .bfloat16: return 2
        case .undefined, .string, .complex64, .complex128, .float8e4m3fn, .float8e4m3fnuz,
             .float8e5m2, .float8e5m2fnuz, .uint4, .int4, .float4e2m1:
            return nil
        }
    }

    /// True for types an arithmetic kernel can compute in (float, double and the integers).
    var isNumeric: Bool {
        switch self {
        case .float, .double, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: return true
        default: return false
        }
    }

    /// The lower-case ONNX name (`float`, `int64`, …).
    public var description: String {
        switch self {
        case .undefined: return "undefined"
        case .float: return "float"
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .uint16: return "uint16"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .string: return "string"
        case .bool: return "bool"
        case .float16: return "float16"
        case .double: return "double"
        case .uint32: return "uint32"
        case .uint64: return "uint64"
        case .complex64: return "complex64"
        case .complex128: return "complex128"
        case .bfloat16: return "bfloat16"
        case .float8e4m3fn: return "float8e4m3fn"
        case .float8e4m3fnuz: return "float8e4m3fnuz"
        case .float8e5m2: return "float8e5m2"
        case .float8e5m2fnuz: return "float8e5m2fnuz"
        case .uint4: return "uint4"
        case .int4: return "int4"
        case .float4e2m1: return "float4e2m1"
        }
    }

    /// Maps a raw ONNX code to a case, or throws naming `context` (tensor or value name).
    static func decode(_ raw: Int32, context: String) throws -> DataType {
        guard let type = DataType(rawValue: raw) else {
            throw EngineError(.unsupportedDataType, "unknown ONNX data type \(raw) for \(context); the model may need a newer engine")
        }
        return type
    }
}
