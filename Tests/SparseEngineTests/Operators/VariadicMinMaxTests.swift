import XCTest
@testable import SparseEngine

/// `Max`/`Min` of a tensor and a scalar or a tensor of its shape (tf2onnx's clamps) take one flat loop; the results are
/// the elementwise ones, and other broadcasts still take the general loop.
final class VariadicMinMaxTests: XCTestCase {
    func testTensorAgainstScalarAndSameShape() throws {
        let x = randomFloats(24, seed: 7), other = randomFloats(24, seed: 8)
        for op in ["Max", "Min"] {
            let pick: (Float, Float) -> Float = op == "Max" ? { Swift.max($0, $1) } : { Swift.min($0, $1) }
            let scalar = try runOp(op, inputs: [("x", .f([1, 2, 3, 4], x))], constants: [("c", .f([1, 1, 1, 1], [0.25]))])["y"]!
            XCTAssertEqual(scalar.floats, x.map { pick($0, 0.25) })
            let same = try runOp(op, inputs: [("x", .f([2, 12], x)), ("o", .f([2, 12], other))])["y"]!
            XCTAssertEqual(same.floats, zip(x, other).map(pick))
            let row = try runOp(op, inputs: [("x", .f([2, 12], x)), ("o", .f([12], Array(other.prefix(12))))])["y"]!
            XCTAssertEqual(row.floats, x.enumerated().map { pick($0.element, other[$0.offset % 12]) })
        }
    }
}
