import Foundation

/// Writes small ONNX models and TensorProtos byte by byte for tests, independently of the engine's
/// own protobuf code: a graph of nodes with integer/float attributes, float32 initializers, and
/// inputs and outputs with fixed or symbolic dimensions.
public struct ONNXTestModel {
    /// A graph input or output: name, ONNX element type code (1 = float, 7 = int64) and dimensions,
    /// each an `Int` (fixed) or a `String` (symbolic).
    public struct Value {
        public var name: String
        public var elementType: Int
        public var dims: [AnyHashable]

        public init(_ name: String, elementType: Int = 1, dims: [AnyHashable]) {
            self.name = name
            self.elementType = elementType
            self.dims = dims
        }
    }

    /// One node: operator, inputs, outputs, INT or FLOAT attributes.
    public struct Node {
        public var op: String
        public var inputs: [String]
        public var outputs: [String]
        public var ints: [String: Int]
        public var floats: [String: Float]

        public init(_ op: String, _ inputs: [String], _ outputs: [String], ints: [String: Int] = [:], floats: [String: Float] = [:]) {
            self.op = op
            self.inputs = inputs
            self.outputs = outputs
            self.ints = ints
            self.floats = floats
        }
    }

    public var opset: Int
    public var nodes: [Node]
    public var inputs: [Value]
    public var outputs: [Value]
    /// float32 initializers: name, shape, values.
    public var initializers: [(name: String, shape: [Int], values: [Float])]

    public init(opset: Int = 13, nodes: [Node], inputs: [Value], outputs: [Value], initializers: [(name: String, shape: [Int], values: [Float])] = []) {
        self.opset = opset
        self.nodes = nodes
        self.inputs = inputs
        self.outputs = outputs
        self.initializers = initializers
    }

    /// The serialized `ModelProto`.
    public func data() -> Data {
        var model = ProtoEncoder()
        model.varint(field: 1, 8)  // ir_version
        model.string(field: 2, "zoo-tests")
        model.message(field: 8) { $0.string(field: 1, ""); $0.varint(field: 2, UInt64(opset)) }
        model.message(field: 7) { graph in
            for node in nodes {
                graph.message(field: 1) { n in
                    for input in node.inputs { n.string(field: 1, input) }
                    for output in node.outputs { n.string(field: 2, output) }
                    n.string(field: 4, node.op)
                    for (name, value) in node.ints.sorted(by: { $0.key < $1.key }) {
                        n.message(field: 5) { $0.string(field: 1, name); $0.varint(field: 20, 2); $0.varint(field: 3, UInt64(bitPattern: Int64(value))) }
                    }
                    for (name, value) in node.floats.sorted(by: { $0.key < $1.key }) {
                        n.message(field: 5) { $0.string(field: 1, name); $0.varint(field: 20, 1); $0.fixed32(field: 2, value.bitPattern) }
                    }
                }
            }
            graph.string(field: 2, "test")
            for initializer in initializers {
                graph.message(field: 5) { $0.append(Self.tensorProtoFields(name: initializer.name, shape: initializer.shape, float32: initializer.values)) }
            }
            for value in inputs { graph.message(field: 11) { Self.valueInfo(&$0, value) } }
            for value in outputs { graph.message(field: 12) { Self.valueInfo(&$0, value) } }
        }
        return Data(model.bytes)
    }

    /// A serialized float32 `TensorProto` (raw_data), as ONNX test-data `.pb` files hold.
    public static func tensorProto(name: String = "", shape: [Int], float32 values: [Float]) -> Data {
        Data(tensorProtoFields(name: name, shape: shape, float32: values).bytes)
    }

    private static func tensorProtoFields(name: String, shape: [Int], float32 values: [Float]) -> ProtoEncoder {
        var tensor = ProtoEncoder()
        for d in shape { tensor.varint(field: 1, UInt64(d)) }
        tensor.varint(field: 2, 1)
        if !name.isEmpty { tensor.string(field: 8, name) }
        tensor.bytes(field: 9, values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        return tensor
    }

    private static func valueInfo(_ w: inout ProtoEncoder, _ value: Value) {
        w.string(field: 1, value.name)
        w.message(field: 2) { type in
            type.message(field: 1) { tensor in
                tensor.varint(field: 1, UInt64(value.elementType))
                tensor.message(field: 2) { shape in
                    for d in value.dims {
                        shape.message(field: 1) { dim in
                            if let n = d as? Int { dim.varint(field: 1, UInt64(n)) } else if let s = d as? String { dim.string(field: 2, s) }
                        }
                    }
                }
            }
        }
    }
}

/// Protocol-buffer wire encoding: varints, 32-bit fields and length-delimited fields.
struct ProtoEncoder {
    private(set) var bytes: [UInt8] = []

    private mutating func rawVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func varint(field: Int, _ value: UInt64) {
        rawVarint(UInt64(field << 3))
        rawVarint(value)
    }

    mutating func fixed32(field: Int, _ value: UInt32) {
        rawVarint(UInt64(field << 3 | 5))
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func bytes(field: Int, _ value: [UInt8]) {
        rawVarint(UInt64(field << 3 | 2))
        rawVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(field: Int, _ value: String) { bytes(field: field, Array(value.utf8)) }

    mutating func message(field: Int, _ body: (inout ProtoEncoder) -> Void) {
        var inner = ProtoEncoder()
        body(&inner)
        bytes(field: field, inner.bytes)
    }

    mutating func append(_ other: ProtoEncoder) { bytes.append(contentsOf: other.bytes) }
}
