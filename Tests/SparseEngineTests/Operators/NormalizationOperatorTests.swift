import Foundation
import XCTest
@testable import SparseEngine

final class NormalizationOperatorTests: XCTestCase {
    func testBatchNormalization() throws {
        let x = Tensor.f([1, 2, 1, 2], [1, 2, 3, 4])
        let y = try runOp("BatchNormalization", inputs: [("x", x)],
                          constants: [("s", .f([2], [1, 2])), ("b", .f([2], [0, 1])), ("m", .f([2], [1, 3])), ("v", .f([2], [4, 1]))],
                          attributes: ["epsilon": .float(0)])["y"]!
        XCTAssertEqual(y.floats, [0, 0.5, 1, 3])
    }

    func testLayerNormalization() throws {
        let x = Tensor.f([2, 2], [1, 3, 2, 4])
        let out = try runOp("LayerNormalization", inputs: [("x", x)], constants: [("s", .f([2], [1, 2])), ("b", .f([2], [0, 1]))],
                            outputs: ["y", "mean", "inv"], attributes: ["epsilon": .float(0)], opset: 17)
        XCTAssertEqual(out["y"]!.floats, [-1, 3, -1, 3])
        XCTAssertEqual(out["mean"]!.shape, [2, 1])
        XCTAssertEqual(out["mean"]!.floats, [2, 3])
        XCTAssertEqual(out["inv"]!.floats, [1, 1])
    }

    func testSoftmaxAxisSemanticsChangeAtOpset13() throws {
        let x = Tensor.f([1, 2, 2], [0, 0, Float(log(3.0)), 0])
        // Opset 13: per last axis.
        let new = try runOp("Softmax", inputs: [("x", x)], opset: 13)["y"]!
        assertClose(new.floats, [0.5, 0.5, 0.75, 0.25])
        // Opset 11, axis 1: coerced to [1, 4], one softmax over all four.
        let old = try runOp("Softmax", inputs: [("x", x)], opset: 11)["y"]!
        assertClose(old.floats, [1.0 / 6, 1.0 / 6, 0.5, 1.0 / 6])
        let axis1 = try runOp("Softmax", inputs: [("x", x)], attributes: ["axis": .int(1)], opset: 13)["y"]!
        assertClose(axis1.floats, [0.25, 0.5, 0.75, 0.5])
        let log = try runOp("LogSoftmax", inputs: [("x", x)], opset: 13)["y"]!
        assertClose(log.floats, [Float(Foundation.log(0.5)), Float(Foundation.log(0.5)), Float(Foundation.log(0.75)), Float(Foundation.log(0.25))])
    }

    func testReductionsAttributeAndInputForms() throws {
        let x = Tensor.f([2, 3], [1, 2, 3, 4, 5, 6])
        let mean = try runOp("ReduceMean", inputs: [("x", x)], attributes: ["axes": .ints([1])], opset: 13)["y"]!
        XCTAssertEqual(mean.shape, [2, 1])
        XCTAssertEqual(mean.floats, [2, 5])
        let sum = try runOp("ReduceSum", inputs: [("x", x)], constants: [("a", .i64([1], [0]))], attributes: ["keepdims": .int(0)], opset: 13)["y"]!
        XCTAssertEqual(sum.shape, [3])
        XCTAssertEqual(sum.floats, [5, 7, 9])
        let sumAttr = try runOp("ReduceSum", inputs: [("x", x)], attributes: ["axes": .ints([-1]), "keepdims": .int(0)], opset: 11)["y"]!
        XCTAssertEqual(sumAttr.floats, [6, 15])
        let all = try runOp("ReduceMax", inputs: [("x", x)], attributes: ["keepdims": .int(0)])["y"]!
        XCTAssertEqual(all.shape, [])
        XCTAssertEqual(all.floats, [6])
        let max18 = try runOp("ReduceMax", inputs: [("x", x)], constants: [("a", .i64([1], [1]))], opset: 18)["y"]!
        XCTAssertEqual(max18.floats, [3, 6])
        let noop = try runOp("ReduceSum", inputs: [("x", x)], attributes: ["noop_with_empty_axes": .int(1)], opset: 13)["y"]!
        XCTAssertEqual(noop.floats, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try runOp("ReduceMin", inputs: [("x", x)], attributes: ["axes": .ints([0])], opset: 13)["y"]!.floats, [1, 2, 3])
        XCTAssertEqual(try runOp("ReduceProd", inputs: [("x", .i64([3], [2, 3, 4]))], attributes: ["keepdims": .int(0)], opset: 13)["y"]!.int64s, [24])
    }
}
