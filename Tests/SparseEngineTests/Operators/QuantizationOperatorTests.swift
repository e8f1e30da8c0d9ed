import XCTest
@testable import SparseEngine

final class QuantizationOperatorTests: XCTestCase {
    func testQuantizeRoundsHalfToEvenAndSaturates() throws {
        let q = try runOp("QuantizeLinear", inputs: [("x", .f([4], [0, 2.5, 300, -1]))],
                          constants: [("s", .f([], [1])), ("z", try Tensor(shape: [], scalars: [UInt8(128)]))], opset: 13)["y"]!
        XCTAssertEqual(try q.scalars(UInt8.self), [128, 130, 255, 127])
        let perAxis = try runOp("QuantizeLinear", inputs: [("x", .f([2, 2], [1, 1, 1, 1]))],
                                constants: [("s", .f([2], [1, 0.5])), ("z", try Tensor(shape: [2], scalars: [Int8(0), -3]))], attributes: ["axis": .int(0)], opset: 13)["y"]!
        XCTAssertEqual(try perAxis.scalars(Int8.self), [1, 1, -1, -1])
        let d = try runOp("DequantizeLinear", inputs: [("x", try Tensor(shape: [3], scalars: [Int8(-128), 0, 5]))],
                          constants: [("s", .f([], [0.5])), ("z", try Tensor(shape: [], scalars: [Int8(2)]))], opset: 13)["y"]!
        XCTAssertEqual(d.floats, [-65, -1, 1.5])
    }

    func testDynamicQuantizeLinearCoversZero() throws {
        // Range [0, 2.55]: scale 0.01, zero point 0.
        let out = try runOp("DynamicQuantizeLinear", inputs: [("x", .f([3], [0, 1, 2.55]))], outputs: ["y", "s", "z"], opset: 11)
        XCTAssertEqual(try out["y"]!.scalars(UInt8.self), [0, 100, 255])
        assertClose(out["s"]!.floats, [0.01])
        XCTAssertEqual(try out["z"]!.scalars(UInt8.self), [0])
    }

    func testIntegerAndQLinearProducts() throws {
        func bytes(_ shape: [Int], _ v: [UInt8]) throws -> Tensor { try Tensor(shape: shape, scalars: v) }
        let mm = try runOp("MatMulInteger", inputs: [("a", try bytes([1, 2], [1, 2])), ("b", try bytes([2, 1], [3, 4]))],
                           constants: [("za", try bytes([], [1])), ("zb", try bytes([], [2]))], opset: 10)["y"]!
        XCTAssertEqual(try mm.scalars(Int32.self), [2])
        let conv = try runOp("ConvInteger", inputs: [("x", try bytes([1, 1, 2, 2], [1, 2, 3, 4])), ("w", try bytes([1, 1, 2, 2], [1, 1, 1, 1]))],
                             constants: [("zx", try bytes([], [1]))], opset: 10)["y"]!
        XCTAssertEqual(try conv.scalars(Int32.self), [6])
        // (2 · 0.5) · (4 · 0.25) = 1, which is 10 steps of 0.1.
        let q = try runOp("QLinearMatMul", inputs: [("a", try bytes([1, 1], [2])), ("b", try bytes([1, 1], [4]))],
                          constants: [("as", .f([], [0.5])), ("az", try bytes([], [0])), ("bs", .f([], [0.25])), ("bz", try bytes([], [0])),
                                      ("ys", .f([], [0.1])), ("yz", try bytes([], [0]))],
                          order: ["a", "as", "az", "b", "bs", "bz", "ys", "yz"], opset: 10)["y"]!
        XCTAssertEqual(try q.scalars(UInt8.self), [10])
    }
}
