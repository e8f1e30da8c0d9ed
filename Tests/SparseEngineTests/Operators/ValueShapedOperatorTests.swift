import XCTest
@testable import SparseEngine

/// Operators whose output shapes depend on their inputs' contents (NonMaxSuppression, Compress, Unique): alone,
/// where the conformance cases leave gaps, and inside a graph that computes their inputs and reads their outputs,
/// against ONNX Runtime 1.23.2.
final class ValueShapedOperatorTests: XCTestCase {
    /// Boxes scaled by a Mul, NonMaxSuppression (at most 3 per class, IoU 0.5, score above 0.1), then the kept boxes
    /// gathered by the box column of its output: a detector's post-processing.
    private func detectionSession() throws -> InferenceSession {
        var m = TestModel()
        m.nodes = [TestNode("Mul", ["raw", "two"], ["boxes"]),
                   TestNode("NonMaxSuppression", ["boxes", "scores", "limit", "iou", "threshold"], ["selected"], name: "nms"),
                   TestNode("Gather", ["selected", "column"], ["box_ids"], ["axis": .int(1)]),
                   TestNode("Squeeze", ["boxes", "zero"], ["flat"]),
                   TestNode("Gather", ["flat", "box_ids"], ["kept"], ["axis": .int(0)])]
        m.inputs = [.init(name: "raw", type: .float, dims: [1, 6, 4]), .init(name: "scores", type: .float, dims: [1, 1, 6])]
        m.outputs = [.init(name: "selected", type: nil, dims: nil), .init(name: "kept", type: nil, dims: nil)]
        m.initializers = [("two", .f([], [2])), ("limit", .i64([], [3])), ("iou", .f([], [0.5])), ("threshold", .f([], [0.1])),
                          ("column", .i64([], [2])), ("zero", .i64([1], [0]))]
        return try InferenceSession(model: try ONNXModel(data: m.data()), options: .init(threads: 2))
    }

    private let raw = Tensor.f([1, 6, 4], [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, -0.1, 1, 0.9, 0, 10, 1, 11, 0, 10.1, 1, 11.1, 0, 100, 1, 101])

    func testNonMaxSuppressionBetweenComputedNodesMatchesONNXRuntime() throws {
        let session = try detectionSession()
        // Two runs keep different numbers of boxes, so the nodes after NonMaxSuppression plan once for each.
        for _ in 0..<2 {
            let three = try session.run(["raw": raw, "scores": .f([1, 1, 6], [0.9, 0.75, 0.6, 0.95, 0.5, 0.3])])
            XCTAssertEqual(three["selected"]!.shape, [3, 3])
            XCTAssertEqual(three["selected"]!.int64s, [0, 0, 3, 0, 0, 0, 0, 0, 5])
            assertClose(three["kept"]!.floats, [0, 20, 2, 22, 0, 0, 2, 2, 0, 200, 2, 202])
            let two = try session.run(["raw": raw, "scores": .f([1, 1, 6], [0.9, 0.05, 0.02, 0.08, 0.5, 0.01])])
            XCTAssertEqual(two["selected"]!.int64s, [0, 0, 0, 0, 0, 4])
            assertClose(two["kept"]!.floats, [0, 0, 2, 2, 0, 20.2, 2, 22.2])
        }
    }

    /// The boxes reshaped by a target fed as an input (a plan-time value) before NonMaxSuppression: the nodes before it
    /// plan with that value too. Same boxes and results as above.
    func testPlanTimeInputsBeforeTheStageAreKnownToIt() throws {
        var m = TestModel()
        m.nodes = [TestNode("Reshape", ["flat", "shape"], ["boxes"]),
                   TestNode("NonMaxSuppression", ["boxes", "scores", "limit", "iou", "threshold"], ["selected"])]
        m.inputs = [.init(name: "flat", type: .float, dims: [24]), .init(name: "shape", type: .int64, dims: [3]),
                    .init(name: "scores", type: .float, dims: [1, 1, 6])]
        m.outputs = [.init(name: "selected", type: nil, dims: nil)]
        m.initializers = [("limit", .i64([], [3])), ("iou", .f([], [0.5])), ("threshold", .f([], [0.1]))]
        let session = try InferenceSession(model: try ONNXModel(data: m.data()), options: .init(threads: 2))
        let out = try session.run(["flat": try raw.reshaped([24]), "shape": .i64([3], [1, 6, 4]),
                                   "scores": .f([1, 1, 6], [0.9, 0.75, 0.6, 0.95, 0.5, 0.3])])
        XCTAssertEqual(out["selected"]!.int64s, [0, 0, 3, 0, 0, 0, 0, 0, 5])
    }

    func testPerNodeProfilesAreRefusedForValueShapedGraphs() throws {
        let session = try detectionSession()
        XCTAssertThrowsError(try session.profile(["raw": raw, "scores": .f([1, 1, 6], [0.9, 0.75, 0.6, 0.95, 0.5, 0.3])], runs: 1)) {
            XCTAssertEqual(($0 as? EngineError)?.code, .dataDependentShape)
        }
    }

    /// Malformed NonMaxSuppression nodes and inputs give an `EngineError` with the given code, naming the node.
    private func assertRefused(_ op: String, _ inputs: [(String, Tensor)], attributes: [String: TestAttribute] = [:],
                               _ code: EngineError.Code, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try runOp(op, inputs: inputs, attributes: attributes), file: file, line: line) { error in
            XCTAssertEqual((error as? EngineError)?.code, code, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains("node0"), "\(error)", file: file, line: line)
        }
    }

    func testMalformedNonMaxSuppressionIsRefused() {
        let boxes = Tensor.f([1, 2, 4], [0, 0, 1, 1, 0, 0, 2, 2]), scores = Tensor.f([1, 1, 2], [0.5, 0.6])
        assertRefused("NonMaxSuppression", [("boxes", .f([2, 4], [0, 0, 1, 1, 0, 0, 2, 2])), ("scores", scores)], .invalidModel)
        assertRefused("NonMaxSuppression", [("boxes", .f([1, 2, 2], [0, 0, 1, 1])), ("scores", scores)], .invalidModel)
        assertRefused("NonMaxSuppression", [("boxes", boxes), ("scores", .f([1, 1, 3], [0.5, 0.6, 0.7]))], .shapeMismatch)
        assertRefused("NonMaxSuppression", [("boxes", boxes), ("scores", scores)], attributes: ["center_point_box": .int(2)], .unsupportedAttribute)
        assertRefused("NonMaxSuppression", [("boxes", boxes), ("scores", scores), ("max", .i64([2], [1, 2]))], .invalidModel)
        assertRefused("NonMaxSuppression", [("boxes", boxes), ("scores", scores), ("max", .f([], [1]))], .unsupportedDataType)
        assertRefused("NonMaxSuppression", [("boxes", boxes), ("scores", scores), ("max", .i64([], [1])), ("iou", .f([], [1.5]))], .invalidInput)
    }

    func testMalformedCompressAndUniqueAreRefused() {
        assertRefused("Compress", [("x", .f([2, 2], [1, 2, 3, 4])), ("condition", .b([2, 1], [true, false]))], .invalidModel)
        assertRefused("Compress", [("x", .f([2, 2], [1, 2, 3, 4])), ("condition", .f([2], [1, 0]))], .unsupportedDataType)
        assertRefused("Compress", [("x", .f([2, 2], [1, 2, 3, 4])), ("condition", .b([3], [true, false, true]))],
                      attributes: ["axis": .int(1)], .shapeMismatch)
        assertRefused("Compress", [("x", .f([2, 2], [1, 2, 3, 4])), ("condition", .b([1], [true]))],
                      attributes: ["axis": .int(2)], .invalidModel)
        assertRefused("Unique", [("x", .f([2], [1, 2]))], attributes: ["axis": .int(-2)], .invalidModel)
        assertRefused("Unique", [("x", .f([2], [1, 2]))], attributes: ["sorted": .int(3)], .unsupportedAttribute)
        assertRefused("Unique", [("x", .b([2], [true, false]))], .unsupportedDataType)
    }

    /// Inside an `If` branch, a node whose output shapes depend on values known only while running is refused by name.
    func testValueShapedNodeInsideABranchIsRefused() throws {
        var m = TestModel()
        let branch = TestGraph(nodes: [TestNode("NonZero", ["x"], ["where"], name: "inner_nonzero")], outputs: ["where"])
        m.nodes = [TestNode("If", ["cond"], ["y"], name: "choice", ["then_branch": .graph(branch), "else_branch": .graph(branch)])]
        m.inputs = [.init(name: "x", type: .float, dims: [3]), .init(name: "cond", type: .bool, dims: [])]
        m.outputs = [.init(name: "y", type: nil, dims: nil)]
        let session = try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 2))
        XCTAssertThrowsError(try session.run(["x": .f([3], [0, 1, 2]), "cond": .b([], [true])])) { error in
            XCTAssertEqual((error as? EngineError)?.code, .dataDependentShape, "\(error)")
            XCTAssertTrue("\(error)".contains("inner_nonzero"), "\(error)")
        }
    }
}
