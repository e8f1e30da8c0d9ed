import Foundation
import XCTest
@testable import SparseEngine

final class ElementwiseOperatorTests: XCTestCase {
    private func unary(_ op: String, _ x: [Float], _ attributes: [String: TestAttribute] = [:], opset: Int = 13) throws -> [Float] {
        try runOp(op, inputs: [("x", .f([x.count], x))], attributes: attributes, opset: opset)["y"]!.floats
    }

    func testUnaryFloatOperators() throws {
        let x: [Float] = [-2, -0.5, 0, 0.5, 3]
        XCTAssertEqual(try unary("Relu", x), [0, 0, 0, 0.5, 3])
        XCTAssertEqual(try unary("LeakyRelu", x, ["alpha": .float(0.1)]), [-0.2, -0.05, 0, 0.5, 3])
        XCTAssertEqual(try unary("Neg", x), [2, 0.5, 0, -0.5, -3])
        XCTAssertEqual(try unary("Abs", x), [2, 0.5, 0, 0.5, 3])
        assertClose(try unary("HardSigmoid", x), [0.1, 0.4, 0.5, 0.6, 1])
        assertClose(try unary("HardSwish", x, opset: 14), [-2 * (1.0 / 6.0 + 0.0), -0.5 * (5.0 / 12.0), 0, 0.5 * (7.0 / 12.0), 3])
        assertClose(try unary("Sigmoid", x), x.map { 1 / (1 + exp(-$0)) })
        assertClose(try unary("Tanh", x), x.map { tanh($0) })
        assertClose(try unary("Erf", [0, 0.5, 1, -1]), [0, 0.5204999, 0.8427008, -0.8427008])
        assertClose(try unary("Gelu", [-1, 0, 1, 2], opset: 20), [-0.15865526, 0, 0.8413447, 1.9544997])
        assertClose(try unary("Gelu", [-1, 0, 1, 2], ["approximate": .string("tanh")], opset: 20), [-0.15880801, 0, 0.841192, 1.9545977])
        assertClose(try unary("Exp", [0, 1]), [1, Float(M_E)])
        assertClose(try unary("Log", [1, Float(M_E)]), [0, 1])
        assertClose(try unary("Sqrt", [4, 2]), [2, 1.4142135])
        XCTAssertEqual(try unary("Reciprocal", [4, -0.5]), [0.25, -2])
        XCTAssertEqual(try unary("Round", [0.5, 1.5, -2.5, 2.4]), [0, 2, -2, 2])
        XCTAssertEqual(try unary("Floor", [-0.5, 1.5]), [-1, 1])
        XCTAssertEqual(try unary("Ceil", [-0.5, 1.5]), [0, 2])
        XCTAssertEqual(try unary("Sign", [-3, 0, 2]), [-1, 0, 1])
        assertClose(try unary("Elu", [-1, 2]), [Float(exp(-1.0) - 1), 2])
        assertClose(try unary("Softplus", [0, 1]), [0.6931472, 1.3132616])
    }

    /// Tanh on f32 (vector e^x and a polynomial near 0) against the double-precision formula: within 4 float ulps
    /// of the result everywhere, across blocks and a partial vector (1,013 values), ±1 far out, NaN kept.
    func testTanhWithinFourUlps() throws {
        var x: [Float] = [0, -0, 1e-30, 1e-6, -1e-6, 0.1, 0.6249, -0.6249, 0.625, -0.625, 0.7, 1, -1, 5, 9, 9.1, 20, 50, -50, 100]
        x += (0..<993).map { Float($0) / 49.65 - 10 }
        let y = try unary("Tanh", x)
        for (input, output) in zip(x, y) {
            let exact = Foundation.tanh(Double(input))
            XCTAssertLessThanOrEqual(abs(Double(output) - exact), 4 * Double(Float(exact).ulp) + 1e-45, "tanh(\(input))")
            XCTAssertEqual(output.sign, input.sign, "tanh(\(input)) keeps the sign")
        }
        let special = try unary("Tanh", [.infinity, -.infinity, .nan])
        XCTAssertEqual(Array(special.prefix(2)), [1, -1])
        XCTAssertTrue(special[2].isNaN)
    }

    func testClipAttributeAndInputForms() throws {
        let x: [Float] = [-3, -1, 0, 2, 7]
        XCTAssertEqual(try unary("Clip", x, ["min": .float(-1), "max": .float(2)], opset: 9), [-1, -1, 0, 2, 2])
        let y = try runOp("Clip", inputs: [("x", .f([5], x))], constants: [("lo", .f([], [0])), ("hi", .f([], [6]))])["y"]!
        XCTAssertEqual(y.floats, [0, 0, 0, 2, 6])
        // Max only: min input omitted with "".
        let z = try runOp("Clip", inputs: [("x", .f([5], x))], constants: [("hi", .f([], [1]))], order: ["x", "", "hi"])["y"]!
        XCTAssertEqual(z.floats, [-3, -1, 0, 1, 1])
        let ints = try runOp("Clip", inputs: [("x", .i64([3], [-5, 3, 9]))], constants: [("lo", .i64([], [0])), ("hi", .i64([], [4]))])["y"]!
        XCTAssertEqual(ints.int64s, [0, 3, 4])
    }

    func testBinaryBroadcasting() throws {
        let a = Tensor.f([2, 3], [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try runOp("Add", inputs: [("a", a), ("b", .f([3], [10, 20, 30]))])["y"]!.floats, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual(try runOp("Sub", inputs: [("a", a), ("b", .f([2, 1], [1, 2]))])["y"]!.floats, [0, 1, 2, 2, 3, 4])
        XCTAssertEqual(try runOp("Mul", inputs: [("a", a), ("b", .f([], [2]))])["y"]!.floats, [2, 4, 6, 8, 10, 12])
        XCTAssertEqual(try runOp("Div", inputs: [("b", .f([1], [12])), ("a", a)])["y"]!.floats, [12, 6, 4, 3, 2.4, 2])
        let outer = try runOp("Mul", inputs: [("a", .f([3, 1], [1, 2, 3])), ("b", .f([1, 2], [10, 100]))])["y"]!
        XCTAssertEqual(outer.shape, [3, 2])
        XCTAssertEqual(outer.floats, [10, 100, 20, 200, 30, 300])
        XCTAssertEqual(try runOp("Pow", inputs: [("a", .f([3], [2, 3, 4])), ("b", .f([1], [2]))])["y"]!.floats, [4, 9, 16])
        XCTAssertEqual(try runOp("Pow", inputs: [("a", .f([2], [2, 9])), ("b", .i64([2], [3, 0]))])["y"]!.floats, [8, 1])
        XCTAssertEqual(try runOp("PRelu", inputs: [("x", .f([2, 2], [-1, 1, -2, 2]))], constants: [("s", .f([2, 1], [0.5, 0.25]))])["y"]!.floats, [-0.5, 1, -0.5, 2])
    }

    /// Operands broadcast along trailing axes (a squeeze-and-excitation scale `[N, C, 1, 1]` on `[N, C, H, W]`), either
    /// order, against the formula: the per-row fast path, and shapes that must take the general loop.
    func testTrailingBroadcastMatchesTheFormula() throws {
        let out = [2, 5, 3, 7], span = 21
        let x = (0..<210).map { Float($0 % 17) - 8.5 }
        for (shape, rowOf) in [([2, 5, 1, 1], { (i: Int) in i / span }), ([5, 1, 1], { (i: Int) in i / span % 5 }),
                               ([2, 5, 3, 1], { (i: Int) in i / 7 }), ([1, 1, 3, 1], { (i: Int) in i / 7 % 3 })] {
            let count = shape.reduce(1, *)
            let s = (0..<count).map { Float($0) * 0.25 + 0.5 }
            for (op, f) in [("Add", { (a: Float, b: Float) in a + b }), ("Sub", { $0 - $1 }), ("Mul", { $0 * $1 }), ("Div", { $0 / $1 })] {
                let forward = try runOp(op, inputs: [("a", .f(out, x)), ("b", .f(shape, s))])["y"]!
                XCTAssertEqual(forward.shape, out)
                XCTAssertEqual(forward.floats, x.indices.map { f(x[$0], s[rowOf($0)]) }, "\(op) \(shape)")
                let backward = try runOp(op, inputs: [("a", .f(shape, s)), ("b", .f(out, x))])["y"]!
                XCTAssertEqual(backward.floats, x.indices.map { f(s[rowOf($0)], x[$0]) }, "\(op) \(shape) reversed")
            }
        }
        XCTAssertEqual(trailingBroadcastRows([2, 5, 1, 1], into: out), 10)
        XCTAssertEqual(trailingBroadcastRows([5, 1, 1], into: out), nil)
        XCTAssertEqual(trailingBroadcastRows([1, 5, 1, 1], into: [1, 5, 3, 7]), 5)
        XCTAssertEqual(trailingBroadcastRows([1, 1, 3, 1], into: out), nil)
        XCTAssertEqual(trailingBroadcastRows(out, into: out), nil)
    }

    func testIntegerArithmeticForShapeMath() throws {
        let a = Tensor.i64([3], [7, -7, 5])
        XCTAssertEqual(try runOp("Div", inputs: [("a", a), ("b", .i64([3], [2, 2, 0]))])["y"]!.int64s, [3, -3, 0])
        XCTAssertEqual(try runOp("Mul", inputs: [("a", a), ("b", .i64([1], [3]))])["y"]!.int64s, [21, -21, 15])
        let i32 = try Tensor(shape: [2], scalars: [Int32(5), 6])
        XCTAssertEqual(try runOp("Add", inputs: [("a", i32), ("b", i32)])["y"]!.scalars(Int32.self), [10, 12])
    }

    func testComparisonsLogicAndWhere() throws {
        let a = Tensor.f([4], [1, 2, 3, 4]), b = Tensor.f([4], [4, 2, 1, 5])
        XCTAssertEqual(try runOp("Equal", inputs: [("a", a), ("b", b)])["y"]!.bools, [false, true, false, false])
        XCTAssertEqual(try runOp("Greater", inputs: [("a", a), ("b", b)])["y"]!.bools, [false, false, true, false])
        XCTAssertEqual(try runOp("Less", inputs: [("a", a), ("b", b)])["y"]!.bools, [true, false, false, true])
        XCTAssertEqual(try runOp("GreaterOrEqual", inputs: [("a", a), ("b", b)], opset: 16)["y"]!.bools, [false, true, true, false])
        let p = Tensor.b([4], [true, true, false, false]), q = Tensor.b([4], [true, false, true, false])
        XCTAssertEqual(try runOp("And", inputs: [("p", p), ("q", q)])["y"]!.bools, [true, false, false, false])
        XCTAssertEqual(try runOp("Or", inputs: [("p", p), ("q", q)])["y"]!.bools, [true, true, true, false])
        XCTAssertEqual(try runOp("Not", inputs: [("p", p)])["y"]!.bools, [false, false, true, true])
        let w = try runOp("Where", inputs: [("c", .b([2, 1], [true, false])), ("x", .f([2], [1, 2])), ("z", .f([], [0]))])["y"]!
        XCTAssertEqual(w.shape, [2, 2])
        XCTAssertEqual(w.floats, [1, 2, 0, 0])
        let wi = try runOp("Where", inputs: [("c", .b([3], [true, false, true])), ("x", .i64([3], [1, 2, 3])), ("z", .i64([3], [-1, -2, -3]))])["y"]!
        XCTAssertEqual(wi.int64s, [1, -2, 3])
        XCTAssertThrowsError(try runOp("And", inputs: [("a", a), ("b", b)])) { XCTAssertEqual(($0 as? EngineError)?.code, .unsupportedDataType) }
    }

    func testVariadic() throws {
        let a = Tensor.f([2], [1, 5]), b = Tensor.f([2], [3, 2]), c = Tensor.f([1], [4])
        XCTAssertEqual(try runOp("Sum", inputs: [("a", a), ("b", b), ("c", c)])["y"]!.floats, [8, 11])
        XCTAssertEqual(try runOp("Mean", inputs: [("a", a), ("b", b), ("c", c)])["y"]!.floats, [8.0 / 3, 11.0 / 3])
        XCTAssertEqual(try runOp("Max", inputs: [("a", a), ("b", b), ("c", c)])["y"]!.floats, [4, 5])
        XCTAssertEqual(try runOp("Min", inputs: [("a", a), ("b", b)])["y"]!.floats, [1, 2])
        XCTAssertEqual(try runOp("Max", inputs: [("a", a)])["y"]!.floats, [1, 5])
    }

    func testCast() throws {
        let x = Tensor.f([5], [-1.7, 0, 0.4, 2.9, 300])
        XCTAssertEqual(try runOp("Cast", inputs: [("x", x)], attributes: ["to": .int(7)])["y"]!.int64s, [-1, 0, 0, 2, 300])
        XCTAssertEqual(try runOp("Cast", inputs: [("x", x)], attributes: ["to": .int(9)])["y"]!.bools, [true, false, true, true, true])
        // Out-of-range float → integer is undefined in ONNX; the engine saturates.
        XCTAssertEqual(try runOp("Cast", inputs: [("x", x)], attributes: ["to": .int(2)])["y"]!.scalars(UInt8.self), [0, 0, 0, 2, 255])
        XCTAssertEqual(try runOp("Cast", inputs: [("x", .i64([2], [3, -4]))], attributes: ["to": .int(1)])["y"]!.floats, [3, -4])
        XCTAssertEqual(try runOp("Cast", inputs: [("x", .b([2], [true, false]))], attributes: ["to": .int(6)])["y"]!.scalars(Int32.self), [1, 0])
        let half = try runOp("Cast", inputs: [("x", .f([2], [1, -2]))], attributes: ["to": .int(10)])["y"]!
        XCTAssertEqual(try half.doubleValues(), [1, -2])
        XCTAssertEqual(try runOp("Cast", inputs: [("x", .f([1], [0.1]))], attributes: ["to": .int(11)])["y"]!.scalars(Double.self), [Double(Float(0.1))])
    }
}
