/// A node attribute value as decoded from `AttributeProto`.
public enum Attribute: Sendable {
    case float(Float)
    case int(Int)
    /// Raw bytes; ONNX strings are UTF-8.
    case string([UInt8])
    case tensor(Tensor)
    case floats([Float])
    case ints([Int])
    case strings([[UInt8]])
    case tensors([Tensor])
    /// A sub-graph (`If`'s branches, `Loop`'s body).
    case graph(Graph)
    /// A kind the engine does not interpret (lists of sub-graphs, type protos); the name is the ONNX type.
    case unsupported(String)

    /// The ONNX attribute type name, for messages.
    var typeName: String {
        switch self {
        case .float: return "FLOAT"
        case .int: return "INT"
        case .string: return "STRING"
        case .tensor: return "TENSOR"
        case .floats: return "FLOATS"
        case .ints: return "INTS"
        case .strings: return "STRINGS"
        case .tensors: return "TENSORS"
        case .graph: return "GRAPH"
        case .unsupported(let name): return name
        }
    }
}
