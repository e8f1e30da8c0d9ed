import XCTest
@testable import SparseEngine

/// `QLinearConv`, `ConvInteger`, `QLinearMatMul` and `MatMulInteger` on the INT8 kernels against the reference
/// operator (exact integer sums, rescaled in double): int32 outputs equal, 8-bit outputs within one step (the
/// kernels rescale in float, as ONNX Runtime does) and identical on every instruction set.
final class QuantizedLinearOperatorTests: XCTestCase {
    /// (kernel, stride, pads [top, left, bottom, right], dilation, input H×W, batch)
    private let geometries: [(k: Int, s: Int, pads: [Int], d: Int, h: Int, w: Int, n: Int)] = [
        (1, 1, [0, 0, 0, 0], 1, 9, 7, 1),     // pointwise
        (3, 1, [1, 1, 1, 1], 1, 13, 11, 2),   // 3×3 same
        (3, 2, [1, 1, 1, 1], 1, 15, 10, 1),   // 3×3 stride 2
        (1, 2, [0, 0, 0, 0], 1, 14, 14, 3),   // ResNet downsample
        (7, 2, [3, 3, 3, 3], 1, 23, 20, 1),   // a stem
        (3, 1, [2, 2, 2, 2], 2, 10, 12, 1),   // dilated
        (3, 1, [0, 1, 2, 0], 1, 8, 9, 2),     // asymmetric pads
        (2, 3, [1, 0, 0, 1], 1, 17, 16, 1),   // stride above kernel
        (1, 1, [0, 0, 0, 0], 1, 1, 1, 5),     // 1×1 images, a batch
    ]

    private func bytes(_ count: Int, seed: UInt64, range: ClosedRange<Int> = 0...255) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: range.lowerBound + Int((state >> 33) % UInt64(range.count)))
        }
    }

    private func tensor(_ type: DataType, _ shape: [Int], _ raw: [UInt8]) throws -> Tensor {
        type == .int8 ? try Tensor(shape: shape, scalars: raw.map { Int8(bitPattern: $0) }) : try Tensor(shape: shape, scalars: raw)
    }

    /// Runs `fast` on every kernel configuration and `reference` once; returns their outputs.
    private func outputs(_ fast: Operator, _ reference: Operator, _ inputs: [Tensor?]) throws -> (fast: [[UInt8]], reference: Tensor) {
        let spec = try reference.inferOutputs(inputs.map { $0.map { ValueSpec(known: $0) } })[0]
        let expected = try Tensor(zeros: spec.dataType, shape: spec.shape)
        try reference.run(inputs, [expected], KernelContext(pool: ThreadPool(threads: 1)))
        let results = try KernelConfig.available.map { config -> [UInt8] in
            let y = try Tensor(zeros: spec.dataType, shape: spec.shape)
            try fast.run(inputs, [y], KernelContext(pool: ThreadPool(threads: 2), kernels: config))
            return Array(UnsafeBufferPointer(start: y.rawPointer.assumingMemoryBound(to: UInt8.self), count: y.byteCount))
        }
        return (results, expected)
    }

    /// Every configuration agrees byte for byte; 8-bit results are within one step of the reference, int32 equal.
    private func check(_ results: (fast: [[UInt8]], reference: Tensor), relu zero: Int? = nil, _ what: String) throws {
        XCTAssertEqual(Set(results.fast).count, 1, "\(what): instruction sets disagree")
        let y = results.reference
        switch y.dataType {
        case .int32:
            let expected = try y.scalars(Int32.self)
            let got = results.fast[0].withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
            XCTAssertEqual(got, expected, what)
        default:
            let expected = try y.doubleValues().map { v in zero.map { max(v, Double($0)) } ?? v }
            let got = results.fast[0].map { y.dataType == .int8 ? Double(Int8(bitPattern: $0)) : Double($0) }
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1, what)
        }
    }

    func testQLinearConvolutionsOnEveryGeometry() throws {
        for (i, g) in geometries.enumerated() {
            for (xType, wType, relu) in [(DataType.uint8, DataType.int8, false), (.int8, .int8, true), (.uint8, .uint8, true)] {
                let channels = 5, m = 19, seed = UInt64(i * 10)
                var attributes: [String: Attribute] = ["kernel_shape": .ints([g.k, g.k]), "strides": .ints([g.s, g.s]),
                                                       "pads": .ints(g.pads), "dilations": .ints([g.d, g.d])]
                if relu { attributes[FusedActivation.attribute] = .string(Array("Relu".utf8)) }
                let c = OpContext(node: Node(opType: "QLinearConv", inputs: [], outputs: ["y"], attributes: attributes), opset: 13)
                let x = try tensor(xType, [g.n, channels, g.h, g.w], bytes(g.n * channels * g.h * g.w, seed: seed))
                // uint8 weights near their zero point (they must fit in int8 once it is subtracted).
                let w = try tensor(wType, [m, channels, g.k, g.k], bytes(m * channels * g.k * g.k, seed: seed + 1, range: wType == .uint8 ? 100...200 : 0...255))
                let wScale = try Tensor(shape: [m], scalars: (0..<m).map { 0.002 + Float($0) * 0.0003 })
                let wZero = wType == .uint8 ? try Tensor(shape: [], scalars: [UInt8(150)]) : try Tensor(shape: [m], scalars: [Int8](repeating: 0, count: m))
                let yZero = try tensor(xType, [], [xType == .int8 ? 0xF6 : 100])
                let bias = try Tensor(shape: [m], scalars: (0..<m).map { Int32($0 * 97 - 900) })
                let inputs: [Tensor?] = [x, .f([], [0.05]), try tensor(xType, [], [xType == .int8 ? 3 : 120]), w, wScale, wZero,
                                         .f([], [0.3]), yZero, bias]
                let results = try outputs(QuantizedConvOperator(.qLinearConv, c), IntegerLinearOperator(.qLinearConv, c), inputs)
                try check(results, relu: relu ? Int(try yZero.doubleValues()[0]) : nil, "geometry \(i) x \(xType) w \(wType)")
            }
        }
    }

    func testConvIntegerSumsAreExact() throws {
        for (i, g) in geometries.enumerated() {
            let c = OpContext(node: Node(opType: "ConvInteger", inputs: [], outputs: ["y"],
                                         attributes: ["strides": .ints([g.s, g.s]), "pads": .ints(g.pads), "dilations": .ints([g.d, g.d])]), opset: 13)
            let x = try tensor(.uint8, [g.n, 6, g.h, g.w], bytes(g.n * 6 * g.h * g.w, seed: UInt64(i)))
            let w = try tensor(.int8, [9, 6, g.k, g.k], bytes(9 * 6 * g.k * g.k, seed: UInt64(i) + 5))
            let results = try outputs(QuantizedConvOperator(.convInteger, c), IntegerLinearOperator(.convInteger, c),
                                      [x, w, try tensor(.uint8, [], [77]), nil])
            try check(results, "geometry \(i)")
        }
    }

    func testQLinearMatMulAndMatMulInteger() throws {
        // (A's type, rows, columns of B): the last splits 12 tiles of columns unevenly between tasks.
        for (aType, rows, n) in [(DataType.uint8, 7, 21), (.int8, 45, 21), (.uint8, 20, 96)] {
            let k = 13
            let a = try tensor(aType, [2, rows, k], bytes(2 * rows * k, seed: 1))
            let b = try tensor(.int8, [k, n], bytes(k * n, seed: 2))
            let q = OpContext(node: Node(opType: "QLinearMatMul", inputs: [], outputs: ["y"]), opset: 13)
            let inputs: [Tensor?] = [a, .f([], [0.04]), try tensor(aType, [], [9]), b, try Tensor(shape: [n], scalars: (0..<n).map { 0.01 + Float($0) * 0.001 }),
                                     try Tensor(shape: [n], scalars: [Int8](repeating: 0, count: n)), .f([], [0.2]), try tensor(.uint8, [], [128])]
            try check(try outputs(QuantizedMatMulOperator(.qLinearMatMul, q), IntegerLinearOperator(.qLinearMatMul, q), inputs), "QLinearMatMul \(aType)")
            let i = OpContext(node: Node(opType: "MatMulInteger", inputs: [], outputs: ["y"]), opset: 13)
            let integer: [Tensor?] = [a, b, try tensor(aType, [], [250]), nil]
            try check(try outputs(QuantizedMatMulOperator(.matMulInteger, i), IntegerLinearOperator(.matMulInteger, i), integer), "MatMulInteger \(aType)")
        }
    }

    /// Two images whose packed inputs are too large for one pass (more than 512 KiB each).
    func testConvolutionOverSeveralPasses() throws {
        let c = OpContext(node: Node(opType: "ConvInteger", inputs: [], outputs: ["y"], attributes: ["pads": .ints([1, 1, 1, 1])]), opset: 13)
        let x = try tensor(.uint8, [2, 8, 260, 260], bytes(2 * 8 * 260 * 260, seed: 3))
        let w = try tensor(.int8, [3, 8, 1, 1], bytes(24, seed: 4))
        try check(try outputs(QuantizedConvOperator(.convInteger, c), IntegerLinearOperator(.convInteger, c), [x, w, try tensor(.uint8, [], [7]), nil]),
                  "two passes")
    }
}
