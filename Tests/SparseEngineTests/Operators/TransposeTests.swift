import XCTest
@testable import SparseEngine

/// `Transpose` on views that move the innermost axis (the tiled path) and on views that keep it (the strided copy),
/// for 1-, 2-, 4- and 8-byte elements, against indices computed one element at a time.
final class TransposeTests: XCTestCase {
    /// The expected output of `x.transpose(perm)` for values 0..<count laid out in `shape`.
    private func expected(_ shape: [Int], _ perm: [Int]) -> [Int] {
        let outShape = perm.map { shape[$0] }, inStrides = contiguousStrides(shape), count = shape.reduce(1, *)
        return (0..<count).map { flat in
            var rest = flat, offset = 0
            for axis in (0..<outShape.count).reversed() {
                offset += (rest % outShape[axis]) * inStrides[perm[axis]]
                rest /= outShape[axis]
            }
            return offset
        }
    }

    private let cases: [([Int], [Int])] = [
        ([1, 37, 12, 21], [0, 2, 3, 1]),  // attention's K: tokens last, tiles cut at 37 and 21
        ([3, 5, 17, 33], [3, 1, 0, 2]),
        ([2, 40, 19], [0, 2, 1]),
        ([16, 16], [1, 0]),
        ([4, 1, 9], [2, 0, 1]),
        ([2, 3, 4, 5], [0, 2, 1, 3]),  // innermost axis kept: the strided copy
    ]

    func testTransposeOfFloatsMatchesIndexArithmetic() throws {
        for (shape, perm) in cases {
            for threads in [1, 2] {
                let count = shape.reduce(1, *)
                let x = Tensor.f(shape, (0..<count).map(Float.init))
                let y = try runOp("Transpose", inputs: [("x", x)], attributes: ["perm": .ints(perm)], threads: threads)["y"]!
                XCTAssertEqual(y.shape, perm.map { shape[$0] })
                XCTAssertEqual(y.floats.map { Int($0) }, expected(shape, perm), "\(shape) perm \(perm), \(threads) threads")
            }
        }
    }

    func testTransposeOfOtherElementSizesMatchesIndexArithmetic() throws {
        for (shape, perm) in cases {
            let count = shape.reduce(1, *), want = expected(shape, perm)
            let bytes = try Tensor(shape: shape, scalars: (0..<count).map { UInt8(truncatingIfNeeded: $0) })
            let halves = try Tensor(shape: shape, scalars: (0..<count).map { Int16(truncatingIfNeeded: $0) })
            let longs = Tensor.i64(shape, Array(0..<count))
            let y1 = try runOp("Transpose", inputs: [("x", bytes)], attributes: ["perm": .ints(perm)])["y"]!
            let y2 = try runOp("Transpose", inputs: [("x", halves)], attributes: ["perm": .ints(perm)])["y"]!
            let y8 = try runOp("Transpose", inputs: [("x", longs)], attributes: ["perm": .ints(perm)])["y"]!
            XCTAssertEqual(try y1.scalars(UInt8.self), want.map { UInt8(truncatingIfNeeded: $0) }, "\(shape) perm \(perm)")
            XCTAssertEqual(try y2.scalars(Int16.self), want.map { Int16(truncatingIfNeeded: $0) }, "\(shape) perm \(perm)")
            XCTAssertEqual(y8.int64s, want, "\(shape) perm \(perm)")
        }
    }
}
