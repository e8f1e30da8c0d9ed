import XCTest
@testable import SparseEngine

/// Inputs whose contents decide shapes (a Reshape target fed by the caller) are part of the
/// plan signature: each distinct value gets its own plan.
final class PlanTimeInputTests: XCTestCase {
    private func session(_ nodes: [TestNode], inputs: [TestModel.Value], initializers: [(String, Tensor)] = []) throws -> InferenceSession {
        var m = TestModel()
        m.nodes = nodes
        m.inputs = inputs
        m.initializers = initializers
        m.outputs = [.init(name: "y", type: nil, dims: nil)]
        return try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 1))
    }

    func testReshapeTargetFedAsInputIsReplannedPerValue() throws {
        let s = try session([TestNode("Reshape", ["x", "shape"], ["y"])],
                            inputs: [.init(name: "x", type: .float, dims: [2, 3]), .init(name: "shape", type: .int64, dims: [2])])
        let x = Tensor.f([2, 3], [1, 2, 3, 4, 5, 6])
        let a = try s.run(["x": x, "shape": .i64([2], [3, 2])])["y"]!
        XCTAssertEqual(a.shape, [3, 2])
        XCTAssertEqual(a.floats, [1, 2, 3, 4, 5, 6])
        let b = try s.run(["x": x, "shape": .i64([2], [1, -1])])["y"]!
        XCTAssertEqual(b.shape, [1, 6])
        XCTAssertEqual(try s.run(["x": x, "shape": .i64([2], [3, 2])])["y"]!.shape, [3, 2])
    }

    func testValuesComputedFromInputsAreFollowedBackToThem() throws {
        // limit = n + 1 feeds Range: the value of n decides the output length.
        let s = try session([TestNode("Add", ["n", "one"], ["limit"]), TestNode("Range", ["zero", "limit", "one"], ["y"])],
                            inputs: [.init(name: "n", type: .int64, dims: [])],
                            initializers: [("one", Tensor(scalar: Int64(1))), ("zero", Tensor(scalar: Int64(0)))])
        XCTAssertEqual(try s.run(["n": Tensor(scalar: Int64(2))])["y"]!.int64s, [0, 1, 2])
        XCTAssertEqual(try s.run(["n": Tensor(scalar: Int64(4))])["y"]!.int64s, [0, 1, 2, 3, 4])
    }

    func testShapeOfAnInputDoesNotMakeItAPlanTimeInput() throws {
        let nodes = [TestNode("Shape", ["x"], ["s"]), TestNode("Reshape", ["x", "s"], ["y"]),
                     TestNode("Reshape", ["x", "t"], ["z"])]
        var m = TestModel()
        m.nodes = nodes
        m.inputs = [.init(name: "x", type: .float, dims: ["batch", 3]), .init(name: "t", type: .int64, dims: [1])]
        m.outputs = [.init(name: "y", type: nil, dims: nil), .init(name: "z", type: nil, dims: nil)]
        let graph = try ONNXModel(data: m.data()).graph
        let operators = try graph.nodes.map { try OperatorRegistry.make($0, opsets: ["": 13]) }
        XCTAssertEqual(planTimeGraphInputs(graph, nodes: graph.nodes, operators: operators), ["t"])
    }
}
