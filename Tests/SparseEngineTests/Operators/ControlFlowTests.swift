import XCTest
@testable import SparseEngine

final class ControlFlowTests: XCTestCase {
    /// Silero VAD's pattern: an `If` on a sample-rate input (known only while running) whose branches read outer values
    /// (a graph input, an initializer, a node's output), with a nested `If` on a constant, and an initializer of its own.
    private func sampleRateModel() -> TestModel {
        let nested = TestNode("If", ["always"], ["inner"], name: "nested", [
            "then_branch": .graph(TestGraph(nodes: [TestNode("Add", ["doubled", "one"], ["plus_one"])], outputs: ["plus_one"],
                                            initializers: [("one", .f([1], [1]))])),
            "else_branch": .graph(TestGraph(nodes: [TestNode("Identity", ["doubled"], ["same"])], outputs: ["same"])),
        ])
        var m = TestModel()
        m.nodes = [
            TestNode("Relu", ["x"], ["r"]),
            TestNode("Equal", ["sr", "rate"], ["cond"]),
            TestNode("If", ["cond"], ["y"], name: "by_rate", [
                "then_branch": .graph(TestGraph(nodes: [TestNode("Mul", ["r", "two"], ["doubled"]), nested], outputs: ["inner"],
                                                initializers: [("always", .b([], [true]))])),
                "else_branch": .graph(TestGraph(nodes: [TestNode("Sub", ["x", "two"], ["less"])], outputs: ["less"])),
            ]),
        ]
        m.inputs = [.init(name: "x", type: .float, dims: [3]), .init(name: "sr", type: .int64, dims: [])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("two", .f([1], [2])), ("rate", .i64([], [16000]))]
        return m
    }

    func testIfRunsTheBranchTheConditionChoosesEachRun() throws {
        let session = try InferenceSession(model: ONNXModel(data: sampleRateModel().data()), options: .init(threads: 2))
        let x: [Float] = [-1, 0.5, 3]
        for rate in [16000, 8000, 16000] {
            let y = try session.run(["x": .f([3], x), "sr": .i64([], [rate])])["y"]!
            let expected = rate == 16000 ? x.map { max($0, 0) * 2 + 1 } : x.map { $0 - 2 }
            XCTAssertEqual(y.shape, [3])
            assertClose(y.floats, expected)
        }
    }

    /// Branches whose outputs are constants: the node is folded only when the condition is known while planning.
    func testIfOfConstantBranchesFollowsTheConditionFedEachRun() throws {
        var m = TestModel()
        m.nodes = [TestNode("If", ["cond"], ["y"], [
            "then_branch": .graph(TestGraph(nodes: [TestNode("Constant", [], ["a"], ["value": .tensor(.f([2], [1, 2]))])], outputs: ["a"])),
            "else_branch": .graph(TestGraph(nodes: [TestNode("Constant", [], ["b"], ["value": .tensor(.f([2], [3, 4]))])], outputs: ["b"])),
        ])]
        m.inputs = [.init(name: "cond", type: .bool, dims: [])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        let session = try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 1))
        XCTAssertEqual(try session.run(["cond": .b([], [true])])["y"]!.floats, [1, 2])
        XCTAssertEqual(try session.run(["cond": .b([], [false])])["y"]!.floats, [3, 4])
    }

    /// A condition known only while running needs branches whose outputs agree in shape.
    func testIfWithBranchesOfDifferentShapesNeedsAConditionKnownWhilePlanning() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("Greater", ["x", "zero"], ["positive"]),
            TestNode("ReduceMin", ["positive_float"], ["least"], ["keepdims": .int(0)]),
            TestNode("Cast", ["positive"], ["positive_float"], ["to": .int(1)]),
            TestNode("Cast", ["least"], ["cond"], ["to": .int(9)]),
            TestNode("If", ["cond"], ["y"], name: "by_sign", [
                "then_branch": .graph(TestGraph(nodes: [TestNode("Identity", ["x"], ["same"])], outputs: ["same"])),
                "else_branch": .graph(TestGraph(nodes: [TestNode("Concat", ["x", "x"], ["twice"], ["axis": .int(0)])], outputs: ["twice"])),
            ]),
        ]
        m.inputs = [.init(name: "x", type: .float, dims: [2])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("zero", .f([], [0]))]
        let session = try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 1))
        XCTAssertThrowsError(try session.run(["x": .f([2], [1, 2])])) { error in
            XCTAssertEqual((error as? EngineError)?.code, .dataDependentShape)
            XCTAssertTrue("\(error)".contains("by_sign"), "\(error)")
        }
    }
}
