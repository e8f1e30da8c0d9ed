import XCTest
@testable import SparseEngine

final class ShapeOperatorTests: XCTestCase {
    let x6 = Tensor.f([2, 3], [1, 2, 3, 4, 5, 6])

    func testReshapeZeroMinusOneAndAllowZero() throws {
        let y = try runOp("Reshape", inputs: [("x", .f([2, 3, 4], [Float](repeating: 1, count: 24)))], constants: [("s", .i64([3], [0, -1, 2]))])["y"]!
        XCTAssertEqual(y.shape, [2, 6, 2])
        let empty = try runOp("Reshape", inputs: [("x", .f([0, 3], []))], constants: [("s", .i64([2], [3, 0]))], attributes: ["allowzero": .int(1)], opset: 14)["y"]!
        XCTAssertEqual(empty.shape, [3, 0])
        XCTAssertThrowsError(try runOp("Reshape", inputs: [("x", x6)], constants: [("s", .i64([1], [4]))])) {
            XCTAssertEqual(($0 as? EngineError)?.code, .shapeMismatch)
            XCTAssertTrue("\($0)".contains("cannot reshape [2, 3] (6 elements) to [4]"), "\($0)")
        }
        // A target fed at run time is planned from its value.
        XCTAssertEqual(try runOp("Reshape", inputs: [("x", x6), ("s", .i64([1], [6]))])["y"]!.shape, [6])
    }

    func testFlattenSqueezeUnsqueeze() throws {
        let x = Tensor.f([2, 1, 3, 1], [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try runOp("Flatten", inputs: [("x", x)], attributes: ["axis": .int(2)])["y"]!.shape, [2, 3])
        XCTAssertEqual(try runOp("Flatten", inputs: [("x", x)], attributes: ["axis": .int(0)])["y"]!.shape, [1, 6])
        XCTAssertEqual(try runOp("Flatten", inputs: [("x", x)], attributes: ["axis": .int(-1)])["y"]!.shape, [6, 1])
        XCTAssertEqual(try runOp("Squeeze", inputs: [("x", x)])["y"]!.shape, [2, 3])
        XCTAssertEqual(try runOp("Squeeze", inputs: [("x", x)], attributes: ["axes": .ints([1])], opset: 11)["y"]!.shape, [2, 3, 1])
        XCTAssertEqual(try runOp("Squeeze", inputs: [("x", x)], constants: [("a", .i64([1], [-1]))])["y"]!.shape, [2, 1, 3])
        XCTAssertThrowsError(try runOp("Squeeze", inputs: [("x", x)], constants: [("a", .i64([1], [0]))])) {
            XCTAssertEqual(($0 as? EngineError)?.code, .shapeMismatch)
        }
        XCTAssertEqual(try runOp("Unsqueeze", inputs: [("x", x6)], attributes: ["axes": .ints([0, 3])], opset: 11)["y"]!.shape, [1, 2, 3, 1])
        let u = try runOp("Unsqueeze", inputs: [("x", x6)], constants: [("a", .i64([2], [-1, 1]))])["y"]!
        XCTAssertEqual(u.shape, [2, 1, 3, 1])
        XCTAssertEqual(u.floats, x6.floats)
    }

    func testTransposeConcatSplit() throws {
        let t = try runOp("Transpose", inputs: [("x", x6)])["y"]!
        XCTAssertEqual(t.shape, [3, 2])
        XCTAssertEqual(t.floats, [1, 4, 2, 5, 3, 6])
        let x3 = Tensor.f([2, 2, 2], (0..<8).map(Float.init))
        let p = try runOp("Transpose", inputs: [("x", x3)], attributes: ["perm": .ints([1, 2, 0])])["y"]!
        XCTAssertEqual(p.floats, [0, 4, 1, 5, 2, 6, 3, 7])
        let c = try runOp("Concat", inputs: [("a", x6), ("b", .f([2, 1], [7, 8]))], attributes: ["axis": .int(-1)])["y"]!
        XCTAssertEqual(c.shape, [2, 4])
        XCTAssertEqual(c.floats, [1, 2, 3, 7, 4, 5, 6, 8])
        let ci = try runOp("Concat", inputs: [("a", .i64([1], [1])), ("b", .i64([2], [2, 3]))], attributes: ["axis": .int(0)])["y"]!
        XCTAssertEqual(ci.int64s, [1, 2, 3])
        XCTAssertThrowsError(try runOp("Concat", inputs: [("a", x6), ("b", .f([1, 2], [7, 8]))], attributes: ["axis": .int(0)])) {
            XCTAssertEqual(($0 as? EngineError)?.code, .shapeMismatch)
        }
        let s = try runOp("Split", inputs: [("x", x6)], outputs: ["a", "b"], attributes: ["axis": .int(1), "split": .ints([1, 2])], opset: 11)
        XCTAssertEqual(s["a"]!.floats, [1, 4])
        XCTAssertEqual(s["b"]!.floats, [2, 3, 5, 6])
        let s13 = try runOp("Split", inputs: [("x", x6)], constants: [("sp", .i64([2], [2, 1]))], outputs: ["a", "b"], attributes: ["axis": .int(1)])
        XCTAssertEqual(s13["a"]!.floats, [1, 2, 4, 5])
        let even = try runOp("Split", inputs: [("x", x6)], outputs: ["a", "b"])
        XCTAssertEqual(even["b"]!.floats, [4, 5, 6])
        let n18 = try runOp("Split", inputs: [("x", .f([5], [1, 2, 3, 4, 5]))], outputs: ["a", "b"], attributes: ["num_outputs": .int(2)], opset: 18)
        XCTAssertEqual(n18["a"]!.floats, [1, 2, 3])
        XCTAssertEqual(n18["b"]!.floats, [4, 5])
    }

    func testSliceInputAndAttributeForms() throws {
        let x = Tensor.f([3, 4], (0..<12).map(Float.init))
        let a = try runOp("Slice", inputs: [("x", x)], constants: [("s", .i64([2], [0, 1])), ("e", .i64([2], [2, 3]))])["y"]!
        XCTAssertEqual(a.floats, [1, 2, 5, 6])
        let neg = try runOp("Slice", inputs: [("x", x)], constants: [("s", .i64([1], [-1])), ("e", .i64([1], [Int(Int64.min)])), ("a", .i64([1], [1])), ("st", .i64([1], [-2]))])["y"]!
        XCTAssertEqual(neg.shape, [3, 2])
        XCTAssertEqual(neg.floats, [3, 1, 7, 5, 11, 9])
        let big = try runOp("Slice", inputs: [("x", x)], constants: [("s", .i64([1], [1])), ("e", .i64([1], [Int(Int64.max)])), ("a", .i64([1], [0]))])["y"]!
        XCTAssertEqual(big.shape, [2, 4])
        let old = try runOp("Slice", inputs: [("x", x)], attributes: ["starts": .ints([1]), "ends": .ints([-1]), "axes": .ints([1])], opset: 9)["y"]!
        XCTAssertEqual(old.floats, [1, 2, 5, 6, 9, 10])
        let none = try runOp("Slice", inputs: [("x", x)], constants: [("s", .i64([1], [3])), ("e", .i64([1], [1]))])["y"]!
        XCTAssertEqual(none.shape, [0, 4])
    }

    func testGatherShapeConstantOfShapeRange() throws {
        let g = try runOp("Gather", inputs: [("x", .f([3, 2], [1, 2, 3, 4, 5, 6]))], constants: [("i", .i64([2, 2], [0, 2, -1, 1]))])["y"]!
        XCTAssertEqual(g.shape, [2, 2, 2])
        XCTAssertEqual(g.floats, [1, 2, 5, 6, 5, 6, 3, 4])
        let g1 = try runOp("Gather", inputs: [("x", .f([2, 3], [1, 2, 3, 4, 5, 6]))], constants: [("i", .i64([], [2]))], attributes: ["axis": .int(1)])["y"]!
        XCTAssertEqual(g1.shape, [2])
        XCTAssertEqual(g1.floats, [3, 6])
        XCTAssertThrowsError(try runOp("Gather", inputs: [("x", x6), ("i", .i64([1], [5]))])) {
            XCTAssertEqual(($0 as? EngineError)?.code, .invalidInput)
        }
        let x = Tensor.f([2, 3, 4], [Float](repeating: 0, count: 24))
        XCTAssertEqual(try runOp("Shape", inputs: [("x", x)])["y"]!.int64s, [2, 3, 4])
        XCTAssertEqual(try runOp("Shape", inputs: [("x", x)], attributes: ["start": .int(1), "end": .int(-1)], opset: 15)["y"]!.int64s, [3])
        let c = try runOp("ConstantOfShape", inputs: [], constants: [("s", .i64([2], [2, 2]))], attributes: ["value": .tensor(.i64([1], [7]))])["y"]!
        XCTAssertEqual(c.shape, [2, 2])
        XCTAssertEqual(c.int64s, [7, 7, 7, 7])
        XCTAssertEqual(try runOp("ConstantOfShape", inputs: [], constants: [("s", .i64([1], [3]))])["y"]!.floats, [0, 0, 0])
        XCTAssertEqual(try runOp("Range", inputs: [], constants: [("a", .i64([], [10])), ("b", .i64([], [4])), ("c", .i64([], [-3]))])["y"]!.int64s, [10, 7])
        XCTAssertEqual(try runOp("Range", inputs: [], constants: [("a", .f([], [0])), ("b", .f([], [1])), ("c", .f([], [0.25]))])["y"]!.floats, [0, 0.25, 0.5, 0.75])
    }

    func testExpandTilePad() throws {
        let e = try runOp("Expand", inputs: [("x", .f([3, 1], [1, 2, 3]))], constants: [("s", .i64([3], [2, 1, 2]))])["y"]!
        XCTAssertEqual(e.shape, [2, 3, 2])
        XCTAssertEqual(e.floats, [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3])
        let t = try runOp("Tile", inputs: [("x", .f([2], [1, 2]))], constants: [("r", .i64([1], [3]))])["y"]!
        XCTAssertEqual(t.floats, [1, 2, 1, 2, 1, 2])
        let x = Tensor.f([1, 3], [1, 2, 3])
        let pads = Tensor.i64([4], [0, 2, 0, 1])
        XCTAssertEqual(try runOp("Pad", inputs: [("x", x)], constants: [("p", pads), ("v", .f([], [9]))])["y"]!.floats, [9, 9, 1, 2, 3, 9])
        XCTAssertEqual(try runOp("Pad", inputs: [("x", x)], constants: [("p", pads)], attributes: ["mode": .string("reflect")])["y"]!.floats, [3, 2, 1, 2, 3, 2])
        XCTAssertEqual(try runOp("Pad", inputs: [("x", x)], constants: [("p", pads)], attributes: ["mode": .string("edge")])["y"]!.floats, [1, 1, 1, 2, 3, 3])
        XCTAssertEqual(try runOp("Pad", inputs: [("x", x)], attributes: ["pads": .ints([0, 1, 0, -1]), "value": .float(5)], opset: 10)["y"]!.floats, [5, 1, 2])
        XCTAssertEqual(try runOp("Pad", inputs: [("x", x)], constants: [("p", .i64([2], [1, 1])), ("v", .f([], [0])), ("a", .i64([1], [-1]))], opset: 18)["y"]!.floats, [0, 1, 2, 3, 0])
    }

    func testResizeNearestAndLinear() throws {
        let x = Tensor.f([1, 1, 2, 2], [1, 2, 3, 4])
        let scales = Tensor.f([4], [1, 1, 2, 2])
        let nearest = try runOp("Resize", inputs: [("x", x)], constants: [("roi", .f([0], [])), ("s", scales)], attributes: ["mode": .string("nearest")])["y"]!
        XCTAssertEqual(nearest.shape, [1, 1, 4, 4])
        XCTAssertEqual(nearest.floats, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        let linear = try runOp("Resize", inputs: [("x", x)], constants: [("roi", .f([0], [])), ("s", scales)], attributes: ["mode": .string("linear")])["y"]!
        assertClose(linear.floats, [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4])
        let corners = try runOp("Resize", inputs: [("x", .f([1, 1, 1, 2], [0, 3]))], constants: [("roi", .f([0], [])), ("s", .f([0], [])), ("z", .i64([4], [1, 1, 1, 4]))],
                                attributes: ["mode": .string("linear"), "coordinate_transformation_mode": .string("align_corners")])["y"]!
        assertClose(corners.floats, [0, 1, 2, 3])
        let v10 = try runOp("Resize", inputs: [("x", .f([1, 1, 1, 3], [1, 2, 3]))], constants: [("s", .f([4], [1, 1, 1, 0.67]))], opset: 10)["y"]!
        XCTAssertEqual(v10.shape, [1, 1, 1, 2])
        XCTAssertEqual(v10.floats, [1, 2])
        XCTAssertThrowsError(try runOp("Resize", inputs: [("x", x)], constants: [("roi", .f([0], [])), ("s", scales)], attributes: ["mode": .string("area")])) {
            XCTAssertEqual(($0 as? EngineError)?.code, .unsupportedAttribute)
        }
    }

    /// Expected values from the ONNX reference implementation (onnx.reference.ops.op_resize).
    func testResizeCubicAntialiasCropAxesAndAspectRatio() throws {
        let row = Tensor.f([1, 4], [1, 2, 3, 4])
        let cubic = try runOp("Resize", inputs: [("x", row)], constants: [("roi", .f([0], [])), ("s", .f([2], [1, 2]))],
                              attributes: ["mode": .string("cubic")], opset: 13)["y"]!
        assertClose(cubic.floats, [0.89453125, 1.19140625, 1.66796875, 2.296875, 2.703125, 3.33203125, 3.80859375, 4.10546875])
        let smooth = try runOp("Resize", inputs: [("x", .f([1, 8], (1...8).map(Float.init)))], constants: [("roi", .f([0], [])), ("s", .f([2], [1, 0.5]))],
                               attributes: ["mode": .string("linear"), "antialias": .int(1)], opset: 18)["y"]!
        assertClose(smooth.floats, [1.625, 3.5, 5.5, 7.375])
        let crop = try runOp("Resize", inputs: [("x", row)], constants: [("roi", .f([4], [0, 0.5, 1, 1.5])), ("s", .f([0], [])), ("z", .i64([2], [1, 3]))],
                             attributes: ["mode": .string("linear"), "coordinate_transformation_mode": .string("tf_crop_and_resize"), "extrapolation_value": .float(9)], opset: 13)["y"]!
        assertClose(crop.floats, [2.5, 4, 9])
        // Only axis 1 is resized; `not_larger` keeps the aspect ratio within the requested sizes.
        let axes = try runOp("Resize", inputs: [("x", .f([2, 2], [1, 2, 3, 4]))], constants: [("roi", .f([0], [])), ("s", .f([1], [2]))],
                             attributes: ["axes": .ints([1])], opset: 18)["y"]!
        XCTAssertEqual(axes.floats, [1, 1, 2, 2, 3, 3, 4, 4])
        let fitted = try runOp("Resize", inputs: [("x", .f([2, 2], [1, 2, 3, 4]))], constants: [("roi", .f([0], [])), ("s", .f([0], [])), ("z", .i64([2], [4, 6]))],
                               attributes: ["keep_aspect_ratio_policy": .string("not_larger")], opset: 18)["y"]!
        XCTAssertEqual(fitted.shape, [4, 4])
    }

    func testConstantIdentityDropout() throws {
        let c = try runOp("Constant", inputs: [], attributes: ["value_ints": .ints([1, 2])])["y"]!
        XCTAssertEqual(c.int64s, [1, 2])
        XCTAssertEqual(try runOp("Constant", inputs: [], attributes: ["value": .tensor(.f([2], [3, 4]))])["y"]!.floats, [3, 4])
        XCTAssertEqual(try runOp("Constant", inputs: [], attributes: ["value_float": .float(2.5)])["y"]!.shape, [])
        XCTAssertEqual(try runOp("Identity", inputs: [("x", x6)])["y"]!.floats, x6.floats)
        let d = try runOp("Dropout", inputs: [("x", x6)], outputs: ["y", "mask"])
        XCTAssertEqual(d["y"]!.floats, x6.floats)
        XCTAssertEqual(d["mask"]!.bools, [Bool](repeating: true, count: 6))
    }
}
