import Foundation
import XCTest
@testable import SparseEngine

final class InferenceSessionTests: XCTestCase {
    /// y = Relu(x + b) with a symbolic batch dimension.
    private func addReluModel() -> TestModel {
        var m = TestModel()
        m.nodes = [TestNode("Add", ["x", "b"], ["s"]), TestNode("Relu", ["s"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: ["batch", 3])]
        m.outputs = [.init(name: "y", type: .float, dims: ["batch", 3])]
        m.initializers = [("b", .f([3], [1, -1, 0]))]
        return m
    }

    func testRunAndInputsDescription() throws {
        let session = try InferenceSession(model: ONNXModel(data: addReluModel().data()), options: .init(threads: 2))
        XCTAssertEqual(session.inputs, [ValueInfo(name: "x", dataType: .float, shape: [.symbolic("batch"), .fixed(3)])])
        XCTAssertEqual(session.inputs[0].description, "x: float[batch, 3]")
        let out = try session.run(["x": .f([2, 3], [1, 2, -3, -4, 0.5, 6])])
        XCTAssertEqual(out["y"]!.shape, [2, 3])
        XCTAssertEqual(out["y"]!.floats, [2, 1, 0, 0, 0, 6])
        // A second shape gets its own plan; the first still works.
        XCTAssertEqual(try session.run(["x": .f([1, 3], [0, 0, 0])])["y"]!.floats, [1, 0, 0])
        XCTAssertEqual(try session.run(["x": .f([2, 3], [0, 0, 0, 0, 0, 0])])["y"]!.floats, [1, 0, 0, 1, 0, 0])
    }

    /// Paddle2ONNX names every unknown dimension "?": two of them in one input may differ (PP-OCR's [-1, 3, ?, ?]).
    func testQuestionMarkDimensionsAreUnknownNotShared() throws {
        var m = TestModel()
        m.nodes = [TestNode("Relu", ["x"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [1, "?", "?"])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        let session = try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 1))
        XCTAssertEqual(session.inputs[0].shape, [.fixed(1), .unknown, .unknown])
        XCTAssertEqual(try session.run(["x": .f([1, 1, 2], [-1, 2])])["y"]!.floats, [0, 2])
    }

    func testInputValidationErrors() throws {
        let session = try InferenceSession(model: ONNXModel(data: addReluModel().data()))
        XCTAssertThrowsError(try session.run([:])) { error in
            XCTAssertEqual((error as? EngineError)?.code, .invalidInput)
            XCTAssertEqual("\(error)", "missing input 'x' (x: float[batch, 3]); feed a tensor for it")
        }
        XCTAssertThrowsError(try session.run(["x": .f([1, 3], [0, 0, 0]), "z": .f([1], [0])])) {
            XCTAssertEqual("\($0)", "unknown input 'z'; the model's inputs are: x")
        }
        XCTAssertThrowsError(try session.run(["x": .i64([1, 3], [0, 0, 0])])) {
            XCTAssertEqual("\($0)", "input 'x' must be float, got int64")
        }
        XCTAssertThrowsError(try session.run(["x": .f([1, 4], [0, 0, 0, 0])])) {
            XCTAssertEqual(($0 as? EngineError)?.code, .shapeMismatch)
            XCTAssertEqual("\($0)", "input 'x' dimension 1 must be 3 (x: float[batch, 3]), got shape [1, 4]")
        }
    }

    func testInconsistentSymbolicDims() throws {
        var m = TestModel()
        m.nodes = [TestNode("Add", ["a", "b"], ["y"])]
        m.inputs = [.init(name: "a", type: .float, dims: ["n", 2]), .init(name: "b", type: .float, dims: ["n", 2])]
        m.outputs = [.init(name: "y", type: nil, dims: nil)]
        let session = try InferenceSession(model: ONNXModel(data: m.data()))
        XCTAssertThrowsError(try session.run(["a": .f([1, 2], [1, 2]), "b": .f([2, 2], [1, 2, 3, 4])])) {
            XCTAssertEqual(($0 as? EngineError)?.code, .shapeMismatch)
            XCTAssertEqual("\($0)", "inconsistent shapes: dimension 'n' is 1 in input 'a' but 2 in input 'b'")
        }
    }

    func testIncompatibleShapesInsideGraph() throws {
        var m = TestModel()
        m.nodes = [TestNode("Add", ["a", "b"], ["y"], name: "add1")]
        m.inputs = [.init(name: "a", type: .float, dims: [2, 3]), .init(name: "b", type: .float, dims: [4])]
        m.outputs = [.init(name: "y", type: nil, dims: nil)]
        let session = try InferenceSession(model: ONNXModel(data: m.data()))
        XCTAssertThrowsError(try session.run(["a": .f([2, 3], [Float](repeating: 0, count: 6)), "b": .f([4], [0, 0, 0, 0])])) {
            XCTAssertEqual(($0 as? EngineError)?.code, .shapeMismatch)
            XCTAssertEqual("\($0)", "input shapes [2, 3] and [4] cannot be broadcast together (node 'add1', Add, opset 13)")
        }
    }

    func testUnsupportedOperatorNamesNodeAndOpset() throws {
        var m = TestModel()
        m.nodes = [TestNode("Foo", ["x"], ["y"], name: "bar")]
        m.inputs = [.init(name: "x", type: .float, dims: [1])]
        m.outputs = [.init(name: "y", type: nil, dims: nil)]
        XCTAssertThrowsError(try InferenceSession(model: ONNXModel(data: m.data()))) { error in
            XCTAssertEqual((error as? EngineError)?.code, .unsupportedOperator)
            XCTAssertEqual("\(error)", "unsupported operator 'Foo' (node 'bar', opset 13)")
        }
        m.nodes = [TestNode("Relu", ["x"], ["y"], name: "r", domain: "com.microsoft")]
        XCTAssertThrowsError(try InferenceSession(model: ONNXModel(data: m.data()))) { error in
            XCTAssertEqual((error as? EngineError)?.code, .unsupportedOperator)
            XCTAssertTrue("\(error)".contains("com.microsoft.Relu"), "\(error)")
        }
        m.opset = 5
        m.nodes = [TestNode("Relu", ["x"], ["y"], name: "r")]
        XCTAssertThrowsError(try InferenceSession(model: ONNXModel(data: m.data()))) { error in
            XCTAssertTrue("\(error)".contains("opset 5"), "\(error)")
        }
    }

    func testErrorsFromBelowTheOperatorsNameTheNode() throws {
        var m = TestModel()
        m.nodes = [TestNode("Reshape", ["x", "shape"], ["y"], name: "flatten")]
        m.initializers = [("shape", .f([1], [-1]))]
        m.inputs = [.init(name: "x", type: .float, dims: [2, 2])]
        m.outputs = [.init(name: "y", type: nil, dims: nil)]
        XCTAssertThrowsError(try InferenceSession(model: ONNXModel(data: m.data())).run(["x": .f([2, 2], [1, 2, 3, 4])])) { error in
            XCTAssertEqual((error as? EngineError)?.code, .unsupportedDataType)
            XCTAssertEqual("\(error)", "expected an integer tensor, got float (node 'flatten', Reshape)")
        }
    }

    func testShapesBeyondMemoryAreErrorsNotCrashes() throws {
        var m = TestModel()
        m.nodes = [TestNode("Expand", ["x", "shape"], ["y"], name: "blowup")]
        m.inputs = [.init(name: "x", type: .float, dims: [1])]
        m.outputs = [.init(name: "y", type: nil, dims: nil)]
        m.initializers = [("shape", .i64([3], [1 << 40, 1 << 40, 1 << 40]))]
        XCTAssertThrowsError(try InferenceSession(model: ONNXModel(data: m.data())).run(["x": .f([1], [1])])) { error in
            XCTAssertEqual((error as? EngineError)?.code, .outOfMemory)
            XCTAssertTrue("\(error)".hasSuffix("has more elements than any machine can hold (node 'blowup', Expand)"), "\(error)")
        }
        let side = Int(Double(MemoryLimit.physicalBytes / 4).squareRoot()) + 1
        m.initializers = [("shape", .i64([2], [side, side]))]
        XCTAssertThrowsError(try InferenceSession(model: ONNXModel(data: m.data())).run(["x": .f([1], [1])])) { error in
            XCTAssertEqual((error as? EngineError)?.code, .outOfMemory)
            XCTAssertTrue("\(error)".contains("of memory; use a smaller batch or input (node 'blowup', Expand)"), "\(error)")
        }
        XCTAssertThrowsError(try Tensor(zeros: .float, shape: [side, side])) { XCTAssertEqual(($0 as? EngineError)?.code, .outOfMemory) }
        var next: Float = 0
        let counted = try Tensor(shape: [2, 3]) { next += 1; return next }
        XCTAssertEqual(counted.floats, [1, 2, 3, 4, 5, 6])
    }

    func testEmptyBatchGivesEmptyOutputs() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("DynamicQuantizeLinear", ["x"], ["q", "scale", "zero"]),
            TestNode("MatMulInteger", ["q", "weights", "zero"], ["product"]),
            TestNode("Cast", ["product"], ["y"], ["to": .int(1)]),
        ]
        m.initializers = [("weights", try Tensor(shape: [4, 3], scalars: [UInt8](repeating: 3, count: 12)))]
        m.inputs = [.init(name: "x", type: .float, dims: ["N", 4])]
        m.outputs = [.init(name: "y", type: .float, dims: ["N", 3])]
        let session = try InferenceSession(model: ONNXModel(data: m.data()))
        XCTAssertEqual(try session.run(["x": .f([0, 4], [])])["y"]?.shape, [0, 3])
        XCTAssertEqual(try session.run(["x": .f([1, 4], [1, 2, 3, 4])])["y"]?.shape, [1, 3])
    }

    func testMissingValueIsReported() throws {
        var m = TestModel()
        m.nodes = [TestNode("Relu", ["nowhere"], ["y"], name: "r")]
        m.inputs = [.init(name: "x", type: .float, dims: [1])]
        m.outputs = [.init(name: "y", type: nil, dims: nil)]
        XCTAssertThrowsError(try InferenceSession(model: ONNXModel(data: m.data()))) { error in
            XCTAssertEqual((error as? EngineError)?.code, .invalidModel)
            XCTAssertTrue("\(error)".contains("'nowhere'"), "\(error)")
        }
    }

    /// The PyTorch export pattern: Shape → Gather → Unsqueeze → Concat → Reshape, batch dynamic.
    func testShapeSubgraphResolvedPerSignature() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("Shape", ["x"], ["shape"]),
            TestNode("Gather", ["shape", "zero"], ["batch"], ["axis": .int(0)]),
            TestNode("Unsqueeze", ["batch", "axes0"], ["batch1"]),
            TestNode("Concat", ["batch1", "minus1"], ["newShape"], ["axis": .int(0)]),
            TestNode("Reshape", ["x", "newShape"], ["flat"]),
            TestNode("ReduceSum", ["flat", "axes1"], ["y"], ["keepdims": .int(0)]),
        ]
        m.initializers = [("zero", .i64([], [0])), ("axes0", .i64([1], [0])), ("minus1", .i64([1], [-1])), ("axes1", .i64([1], [1]))]
        m.inputs = [.init(name: "x", type: .float, dims: ["N", 2, 2])]
        m.outputs = [.init(name: "y", type: .float, dims: ["N"])]
        let session = try InferenceSession(model: ONNXModel(data: m.data()))
        XCTAssertEqual(try session.run(["x": .f([1, 2, 2], [1, 2, 3, 4])])["y"]!.floats, [10])
        XCTAssertEqual(try session.run(["x": .f([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])])["y"]!.floats, [10, 26])
    }

    func testSingleThreadAndManyThreadsAgree() throws {
        let x = Tensor.f([1, 3, 9, 9], randomFloats(243, seed: 1))
        let w = Tensor.f([4, 3, 3, 3], randomFloats(108, seed: 2))
        let one = try runOp("Conv", inputs: [("x", x)], constants: [("w", w)], attributes: ["pads": .ints([1, 1, 1, 1])], threads: 1)
        let four = try runOp("Conv", inputs: [("x", x)], constants: [("w", w)], attributes: ["pads": .ints([1, 1, 1, 1])], threads: 4)
        assertClose(four["y"]!.floats, one["y"]!.floats, tolerance: 1e-5)
    }
}
