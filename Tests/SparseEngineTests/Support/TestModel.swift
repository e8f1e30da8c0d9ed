import Foundation
@testable import SparseEngine

/// An attribute value for `TestNode`.
enum TestAttribute {
    case int(Int), float(Float), ints([Int]), floats([Float]), string(String), strings([String]), tensor(Tensor)
    /// A sub-graph (an `If` branch, a loop body): it reads outer values by name.
    case graph(TestGraph)
}

/// A sub-graph for a `.graph` attribute.
struct TestGraph {
    var nodes: [TestNode]
    var outputs: [String]
    var initializers: [(String, Tensor)] = []
    /// Declared inputs (a loop body's iteration values).
    var inputs: [TestModel.Value] = []
}

/// A node for `TestModel`.
struct TestNode {
    var op: String
    var inputs: [String]
    var outputs: [String]
    var name = ""
    var domain = ""
    var attributes: [String: TestAttribute] = [:]

    init(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "", domain: String = "", _ attributes: [String: TestAttribute] = [:]) {
        self.op = op
        self.inputs = inputs
        self.outputs = outputs
        self.name = name
        self.domain = domain
        self.attributes = attributes
    }
}

/// Builds an ONNX `ModelProto` byte-for-byte with `ProtoWriter`.
struct TestModel {
    /// A declared graph input or output: nil shape = no shape; dims are Int (fixed) or String (symbolic).
    struct Value {
        var name: String
        var type: DataType?
        var dims: [Any]?
    }

    var opset = 13
    /// Opset imports of other domains (`com.microsoft`: 1).
    var domainOpsets: [String: Int] = [:]
    var nodes: [TestNode] = []
    var inputs: [Value] = []
    var outputs: [Value] = []
    var initializers: [(String, Tensor)] = []
    /// Initializers stored as external data: name → (location, offset, length, tensor).
    var externals: [(name: String, location: String, offset: Int, tensor: Tensor)] = []
    var producer = "zoo-tests"

    static func tensorProto(_ w: inout ProtoWriter, _ t: Tensor, name: String) {
        for d in t.shape { w.int(1, d) }
        w.int(2, Int(t.dataType.rawValue))
        w.string(8, name)
        t.withUnsafeBytes { w.bytes(9, Array($0)) }
    }

    static func attribute(_ w: inout ProtoWriter, _ name: String, _ a: TestAttribute) {
        w.string(1, name)
        switch a {
        case .float(let f): w.int(20, 1); w.float(2, f)
        case .int(let i): w.int(20, 2); w.int(3, i)
        case .string(let s): w.int(20, 3); w.string(4, s)
        case .tensor(let t): w.int(20, 4); w.message(5) { tensorProto(&$0, t, name: name) }
        case .floats(let fs): w.int(20, 6); for f in fs { w.float(7, f) }
        case .ints(let xs): w.int(20, 7); for x in xs { w.int(8, x) }
        case .strings(let xs): w.int(20, 8); for x in xs { w.string(9, x) }
        case .graph(let g):
            w.int(20, 5)
            w.message(6) { gw in
                for n in g.nodes { gw.message(1) { TestModel.node(&$0, n) } }
                gw.string(2, "subgraph")
                for v in g.inputs { gw.message(11) { TestModel.valueInfo(&$0, v) } }
                for (name, t) in g.initializers { gw.message(5) { TestModel.tensorProto(&$0, t, name: name) } }
                for o in g.outputs { gw.message(12) { TestModel.valueInfo(&$0, Value(name: o, type: nil, dims: nil)) } }
            }
        }
    }

    static func node(_ nw: inout ProtoWriter, _ n: TestNode) {
        for i in n.inputs { nw.string(1, i) }
        for o in n.outputs { nw.string(2, o) }
        if !n.name.isEmpty { nw.string(3, n.name) }
        nw.string(4, n.op)
        for (k, a) in n.attributes.sorted(by: { $0.key < $1.key }) { nw.message(5) { TestModel.attribute(&$0, k, a) } }
        if !n.domain.isEmpty { nw.string(7, n.domain) }
    }

    static func valueInfo(_ w: inout ProtoWriter, _ v: Value) {
        w.string(1, v.name)
        guard let type = v.type else { return }
        w.message(2) { tp in
            tp.message(1) { tt in
                tt.int(1, Int(type.rawValue))
                if let dims = v.dims {
                    tt.message(2) { shape in
                        for d in dims {
                            shape.message(1) { dim in
                                if let n = d as? Int { dim.int(1, n) } else if let s = d as? String { dim.string(2, s) }
                            }
                        }
                    }
                }
            }
        }
    }

    func data() -> Data {
        var w = ProtoWriter()
        w.int(1, 8)
        w.string(2, producer)
        w.message(8) { $0.string(1, ""); $0.int(2, opset) }
        for (domain, version) in domainOpsets.sorted(by: { $0.key < $1.key }) { w.message(8) { $0.string(1, domain); $0.int(2, version) } }
        w.message(7) { g in
            for n in nodes {
                g.message(1) { TestModel.node(&$0, n) }
            }
            g.string(2, "test-graph")
            for (name, t) in initializers { g.message(5) { TestModel.tensorProto(&$0, t, name: name) } }
            for e in externals {
                g.message(5) { tw in
                    for d in e.tensor.shape { tw.int(1, d) }
                    tw.int(2, Int(e.tensor.dataType.rawValue))
                    tw.string(8, e.name)
                    tw.message(13) { $0.string(1, "location"); $0.string(2, e.location) }
                    tw.message(13) { $0.string(1, "offset"); $0.string(2, String(e.offset)) }
                    tw.message(13) { $0.string(1, "length"); $0.string(2, String(e.tensor.byteCount)) }
                    tw.int(14, 1)
                }
            }
            for v in inputs { g.message(11) { TestModel.valueInfo(&$0, v) } }
            for v in outputs { g.message(12) { TestModel.valueInfo(&$0, v) } }
        }
        return Data(w.bytes)
    }
}

/// Runs one operator: tensors in `inputs` become graph inputs, those in `constants` initializers.
func runOp(_ op: String, inputs: [(String, Tensor)], constants: [(String, Tensor)] = [], order: [String]? = nil,
           outputs: [String] = ["y"], attributes: [String: TestAttribute] = [:], opset: Int = 13,
           threads: Int = 2, optimize: Bool = true) throws -> [String: Tensor] {
    var m = TestModel()
    m.opset = opset
    let inputNames = order ?? (inputs.map(\.0) + constants.map(\.0))
    m.nodes = [TestNode(op, inputNames, outputs, name: "node0", attributes)]
    m.inputs = inputs.map { TestModel.Value(name: $0.0, type: $0.1.dataType, dims: $0.1.shape) }
    m.initializers = constants
    m.outputs = outputs.filter { !$0.isEmpty }.map { TestModel.Value(name: $0, type: nil, dims: nil) }
    let model = try ONNXModel(data: m.data())
    let session = try InferenceSession(model: model, options: .init(threads: threads, optimize: optimize))
    return try session.run(Dictionary(uniqueKeysWithValues: inputs))
}

/// `Tensor` shorthands for tests.
extension Tensor {
    static func f(_ shape: [Int], _ values: [Float]) -> Tensor { try! Tensor(shape: shape, scalars: values) }
    static func i64(_ shape: [Int], _ values: [Int]) -> Tensor { try! Tensor(shape: shape, scalars: values.map { Int64($0) }) }
    static func b(_ shape: [Int], _ values: [Bool]) -> Tensor { try! Tensor(shape: shape, scalars: values) }
    var floats: [Float] { try! scalars(Float.self) }
    var int64s: [Int] { try! scalars(Int64.self).map { Int($0) } }
    var bools: [Bool] { try! scalars(Bool.self) }
}

/// Deterministic pseudo-random floats in [-1, 1).
func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
    }
}

import XCTest

/// Asserts elementwise closeness with a message naming the first differing index.
func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "element count", file: file, line: line)
    for i in 0..<min(actual.count, expected.count) {
        let tol = tolerance * max(1, abs(expected[i]))
        if !(abs(actual[i] - expected[i]) <= tol) || actual[i].isNaN != expected[i].isNaN {
            XCTFail("element \(i): got \(actual[i]), expected \(expected[i])", file: file, line: line)
            return
        }
    }
}
