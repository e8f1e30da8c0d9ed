import Foundation
import XCTest
@testable import SparseEngine

final class PoolingOperatorTests: XCTestCase {
    let x4 = Tensor.f([1, 1, 4, 4], (1...16).map(Float.init))

    func testMaxPoolWithIndicesAndPads() throws {
        let out = try runOp("MaxPool", inputs: [("x", x4)], outputs: ["y", "i"], attributes: ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
        XCTAssertEqual(out["y"]!.floats, [6, 8, 14, 16])
        XCTAssertEqual(out["i"]!.int64s, [5, 7, 13, 15])
        let padded = try runOp("MaxPool", inputs: [("x", .f([1, 1, 2, 2], [-1, -2, -3, -4]))], attributes: ["kernel_shape": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])])["y"]!
        XCTAssertEqual(padded.shape, [1, 1, 3, 3])
        XCTAssertEqual(padded.floats, [-1, -1, -2, -1, -1, -2, -3, -3, -4], "padding never wins a max")
        let ceil = try runOp("MaxPool", inputs: [("x", x4)], attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "ceil_mode": .int(1)])["y"]!
        XCTAssertEqual(ceil.shape, [1, 1, 2, 2])
        XCTAssertEqual(ceil.floats, [11, 12, 15, 16])
        let dilated = try runOp("MaxPool", inputs: [("x", x4)], attributes: ["kernel_shape": .ints([2, 2]), "dilations": .ints([2, 2])])["y"]!
        XCTAssertEqual(dilated.floats, [11, 12, 15, 16])
    }

    /// 8-bit MaxPool pools the bytes directly (`u8MaxPool2D`): the same values as the float pool of the same numbers,
    /// for uint8 and int8 (negative values, the type's extremes), strides 1, 2 and 3, pads, a window wider than the
    /// pads, rows longer than a vector, ceil mode, and a window wholly in the padding.
    func testEightBitMaxPoolEqualsTheFloatPool() throws {
        let (h, w) = (9, 37)
        let raw = (0..<(2 * 3 * h * w)).map { ($0 * 73 + ($0 / 7) * 31) % 256 }
        let cases: [[String: TestAttribute]] = [
            ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])],
            ["kernel_shape": .ints([2, 3]), "strides": .ints([1, 1])],
            ["kernel_shape": .ints([3, 4]), "strides": .ints([3, 3]), "pads": .ints([0, 2, 1, 2]), "ceil_mode": .int(1)],
            ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])],
            ["kernel_shape": .ints([1, 1]), "strides": .ints([4, 4]), "pads": .ints([3, 3, 3, 3])],  // outputs on the pads only
        ]
        for attributes in cases {
            for signed in [false, true] {
                let values = raw.map { signed ? $0 - 128 : $0 }
                let bytes = signed ? try Tensor(shape: [2, 3, h, w], scalars: values.map { Int8($0) })
                                   : try Tensor(shape: [2, 3, h, w], scalars: values.map { UInt8($0) })
                let pooled = try runOp("MaxPool", inputs: [("x", bytes)], attributes: attributes, opset: 12)["y"]!
                let reference = try runOp("MaxPool", inputs: [("x", .f([2, 3, h, w], values.map(Float.init)))], attributes: attributes)["y"]!
                let lowest = Float(signed ? -128 : 0)
                let expected = reference.floats.map { $0 == -.infinity ? lowest : $0 }
                let actual = signed ? try pooled.scalars(Int8.self).map(Float.init) : try pooled.scalars(UInt8.self).map(Float.init)
                XCTAssertEqual(pooled.shape, reference.shape)
                XCTAssertEqual(actual, expected, "\(signed ? "int8" : "uint8") \(attributes)")
            }
        }
    }

    func testAveragePoolCountIncludePad() throws {
        let x = Tensor.f([1, 1, 2, 2], [1, 2, 3, 4])
        let exclude = try runOp("AveragePool", inputs: [("x", x)], attributes: ["kernel_shape": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])])["y"]!
        XCTAssertEqual(exclude.floats, [1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4])
        let include = try runOp("AveragePool", inputs: [("x", x)], attributes: ["kernel_shape": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(1)])["y"]!
        XCTAssertEqual(include.floats, [0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1])
        // ceil_mode: the last window is partial and averages only real elements.
        let ceil = try runOp("AveragePool", inputs: [("x", .f([1, 1, 1, 5], [1, 2, 3, 4, 5]))], attributes: ["kernel_shape": .ints([1, 2]), "strides": .ints([1, 2]), "ceil_mode": .int(1)])["y"]!
        XCTAssertEqual(ceil.floats, [1.5, 3.5, 5])
    }

    func testGlobalPools() throws {
        let x = Tensor.f([1, 2, 2, 2], [1, 2, 3, 4, -1, -2, -3, -8])
        let avg = try runOp("GlobalAveragePool", inputs: [("x", x)])["y"]!
        XCTAssertEqual(avg.shape, [1, 2, 1, 1])
        XCTAssertEqual(avg.floats, [2.5, -3.5])
        XCTAssertEqual(try runOp("GlobalMaxPool", inputs: [("x", x)])["y"]!.floats, [4, -1])
    }
}
