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
        (1, 1, [0, 0, 0, 0], 1, 1, 1, 5),     // 1×1 images, a batch (pixel tiles run across all 5 images)
        (1, 1, [0, 0, 0, 0], 1, 7, 7, 3),     // pointwise 7×7 images side by side: tiles of 32 straddle images
        (3, 1, [1, 1, 1, 1], 1, 5, 37, 1),    // rows wide enough for the vector packing, with a tail
        (3, 2, [1, 1, 1, 1], 1, 6, 45, 1),    // the same at stride 2
        (1, 1, [0, 0, 0, 0], 1, 3, 150, 1),   // rows packed 64 columns at a time, a tail of 22
        (3, 2, [1, 1, 1, 1], 1, 4, 141, 1),   // the same at stride 2 (71 phase columns: 64 and a tail of 7)
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

    /// Small outputs with a long K run on the channel-lane microkernel where the CPU has it (7 × 7 3 × 3 layers, a 9 × 9 one
    /// whose rows are runs of 5 and 4 pixels, a 5 × 5 pointwise one; batches whose pixel tiles pair rows of two images, and
    /// an odd number of rows): the same bytes as the pixel-lane sets, within one step of the reference. 37 channels are a
    /// full tile of 32 and 5 more.
    func testChannelLaneConvolutions() throws {
        for (k, pad, channels, h, n) in [(3, 1, 232, 7, 1), (3, 1, 232, 7, 3), (3, 1, 232, 9, 2), (1, 0, 2050, 5, 2)] {
            let m = 37, seed = UInt64(channels)
            let c = OpContext(node: Node(opType: "QLinearConv", inputs: [], outputs: ["y"],
                                         attributes: ["kernel_shape": .ints([k, k]), "pads": .ints([pad, pad, pad, pad])]), opset: 13)
            let x = try tensor(.uint8, [n, channels, h, h], bytes(n * channels * h * h, seed: seed))
            let w = try tensor(.int8, [m, channels, k, k], bytes(m * channels * k * k, seed: seed + 1))
            let wScale = try Tensor(shape: [m], scalars: (0..<m).map { 0.0005 + Float($0) * 0.00002 })
            let inputs: [Tensor?] = [x, .f([], [0.05]), try tensor(.uint8, [], [120]), w, wScale, try Tensor(shape: [], scalars: [Int8(0)]),
                                     .f([], [0.3]), try tensor(.uint8, [], [100]), try Tensor(shape: [m], scalars: (0..<m).map { Int32($0 * 97 - 900) })]
            let results = try outputs(QuantizedConvOperator(.qLinearConv, c), IntegerLinearOperator(.qLinearConv, c), inputs)
            try check(results, "k \(k) channels \(channels)")
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

    /// uint8 weights far from their zero points, packed less 128 and corrected by each window's activation sum: padding,
    /// strides and dilations decide which taps count; per-tensor and per-channel zero points, uint8 and int8 inputs.
    func testConvIntegerOfUInt8WeightsFarFromTheirZeroPoints() throws {
        for (i, g) in geometries.enumerated() {
            let c = OpContext(node: Node(opType: "ConvInteger", inputs: [], outputs: ["y"],
                                         attributes: ["strides": .ints([g.s, g.s]), "pads": .ints(g.pads), "dilations": .ints([g.d, g.d])]), opset: 13)
            let xType: DataType = i % 2 == 0 ? .uint8 : .int8
            let x = try tensor(xType, [g.n, 6, g.h, g.w], bytes(g.n * 6 * g.h * g.w, seed: UInt64(i) + 20))
            let w = try tensor(.uint8, [9, 6, g.k, g.k], bytes(9 * 6 * g.k * g.k, seed: UInt64(i) + 25))
            let weightZero = i % 3 == 0 ? try tensor(.uint8, [], [7]) : try tensor(.uint8, [9], (0..<9).map { UInt8(($0 * 61) % 256) })
            let results = try outputs(QuantizedConvOperator(.convInteger, c), IntegerLinearOperator(.convInteger, c),
                                      [x, w, try tensor(xType, [], [xType == .int8 ? 240 : 77]), weightZero])
            try check(results, "geometry \(i), \(xType) input")
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

    /// uint8 weights far from their zero points (ONNX Runtime's dynamic quantizer with QUInt8 weights: w − z spans
    /// −255...255) are packed less 128 and the int32 sums corrected: exact, per-tensor and per-column zero points.
    func testMatMulIntegerOfUInt8WeightsFarFromTheirZeroPoints() throws {
        for (aType, rows, n, weightZero) in [(DataType.uint8, 7, 21, [3]), (.int8, 45, 40, (0..<40).map { ($0 * 37) % 256 })] {
            let k = 29
            let a = try tensor(aType, [rows, k], bytes(rows * k, seed: 3))
            let b = try tensor(.uint8, [k, n], bytes(k * n, seed: 4))
            let zero = try Tensor(shape: [weightZero.count], scalars: weightZero.map { UInt8($0) })
            let i = OpContext(node: Node(opType: "MatMulInteger", inputs: [], outputs: ["y"]), opset: 13)
            let inputs: [Tensor?] = [a, b, try tensor(aType, [], [aType == .int8 ? 250 : 131]), weightZero.count == 1 ? try zero.reshaped([]) : zero]
            try check(try outputs(QuantizedMatMulOperator(.matMulInteger, i), IntegerLinearOperator(.matMulInteger, i), inputs),
                      "MatMulInteger \(aType), weight zero points \(weightZero.prefix(3))")
        }
    }

    /// A dynamically quantized layer: the activations' zero point is an input of each run (`DynamicQuantizeLinear`'s),
    /// the weights constants. The packing is kept across runs and each run's zero point used.
    func testMatMulIntegerWithAZeroPointThatChangesEveryRun() throws {
        var m = TestModel()
        m.nodes = [TestNode("MatMulInteger", ["a", "b", "a_zero", "b_zero"], ["y"])]
        m.inputs = [.init(name: "a", type: .uint8, dims: [5, 29]), .init(name: "a_zero", type: .uint8, dims: [])]
        m.outputs = [.init(name: "y", type: .int32, dims: nil)]
        let b = try tensor(.uint8, [29, 33], bytes(29 * 33, seed: 6)), bZero = try tensor(.uint8, [], [200])
        m.initializers = [("b", b), ("b_zero", bZero)]
        let session = try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 2))
        let reference = try IntegerLinearOperator(.matMulInteger, OpContext(node: Node(opType: "MatMulInteger", inputs: [], outputs: ["y"]), opset: 13))
        for (run, zero) in [17, 140, 17, 255].enumerated() {
            let a = try tensor(.uint8, [5, 29], bytes(5 * 29, seed: UInt64(10 + run))), aZero = try tensor(.uint8, [], [UInt8(zero)])
            let expected = try Tensor(zeros: .int32, shape: [5, 33])
            try reference.run([a, b, aZero, bZero], [expected], KernelContext(pool: ThreadPool(threads: 1)))
            let y = try session.run(["a": a, "a_zero": aZero])["y"]!
            XCTAssertEqual(try y.scalars(Int32.self), try expected.scalars(Int32.self), "run \(run), zero point \(zero)")
        }
    }

    /// Two images whose packed inputs are too large for one pass (more than 512 KiB each).
    func testQLinearMatMulOfFewRowsOnTheChannelLanes() throws {
        // 1–8 tokens (a classifier at batch 1, a batch slice): features in blocks of 32 with a partial last one, K not a
        // multiple of 4.
        for (aType, rows, k, n) in [(DataType.uint8, 1, 130, 37), (.int8, 1, 258, 1000), (.uint8, 3, 64, 8), (.int8, 8, 66, 70), (.uint8, 5, 2048, 1000)] {
            let a = try tensor(aType, [rows, k], bytes(rows * k, seed: 5))
            let b = try tensor(.int8, [k, n], bytes(k * n, seed: 6))
            let q = OpContext(node: Node(opType: "QLinearMatMul", inputs: [], outputs: ["y"]), opset: 13)
            let inputs: [Tensor?] = [a, .f([], [0.04]), try tensor(aType, [], [9]), b, try Tensor(shape: [n], scalars: (0..<n).map { 0.002 + Float($0 % 50) * 0.0002 }),
                                     try Tensor(shape: [n], scalars: [Int8](repeating: 0, count: n)), .f([], [0.2]), try tensor(.uint8, [], [128]),
                                     try Tensor(shape: [n], scalars: (0..<n).map { Int32($0 * 31 - 500) })]
            try check(try outputs(QuantizedMatMulOperator(.qLinearMatMul, q), IntegerLinearOperator(.qLinearMatMul, q), inputs), "\(rows) rows \(aType) k \(k) n \(n)")
        }
    }

    func testConvolutionOverSeveralPasses() throws {
        let c = OpContext(node: Node(opType: "ConvInteger", inputs: [], outputs: ["y"], attributes: ["pads": .ints([1, 1, 1, 1])]), opset: 13)
        let x = try tensor(.uint8, [2, 8, 260, 260], bytes(2 * 8 * 260 * 260, seed: 3))
        let w = try tensor(.int8, [3, 8, 1, 1], bytes(24, seed: 4))
        try check(try outputs(QuantizedConvOperator(.convInteger, c), IntegerLinearOperator(.convInteger, c), [x, w, try tensor(.uint8, [], [7]), nil]),
                  "two passes")
    }
}

/// The same operators on the sparse INT8 kernels (a node marked by `QuantizedSparseSelection`), with weights pruned
/// in 4-blocks and unstructured: the same bytes as the dense kernels, on every instruction set.
final class QuantizedSparseOperatorTests: XCTestCase {
    private func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    /// `raw` with about 70 % of its groups of 4 along `groupAxisStride` zeroed whole (`blocks`), or 70 % of its bytes.
    private func pruned(_ raw: [UInt8], blocks: Bool, groupOf: (Int) -> Int) -> [UInt8] {
        let keep = bytes(raw.count, seed: 99)
        return raw.indices.map { i in keep[blocks ? groupOf(i) : i] % 10 < 3 ? raw[i] : 0 }
    }

    /// Runs the node dense and sparse on every kernel configuration; all outputs must be the same bytes.
    private func checkSparseEqualsDense(_ make: (OpContext) throws -> Operator, opType: String, attributes: [String: Attribute],
                                        _ inputs: [Tensor?], _ what: String) throws {
        let dense = try make(OpContext(node: Node(opType: opType, inputs: [], outputs: ["y"], attributes: attributes), opset: 13))
        var marked = attributes
        marked[QuantizedSparseSelection.attribute] = .int(1)
        let sparse = try make(OpContext(node: Node(opType: opType, inputs: [], outputs: ["y"], attributes: marked), opset: 13))
        let spec = try dense.inferOutputs(inputs.map { $0.map { ValueSpec(known: $0) } })[0]
        var results: [[UInt8]] = []
        for config in KernelConfig.available {
            for op in [dense, sparse] {
                let y = try Tensor(zeros: spec.dataType, shape: spec.shape)
                try op.run(inputs, [y], KernelContext(pool: ThreadPool(threads: 2), kernels: config))
                results.append(Array(UnsafeBufferPointer(start: y.rawPointer.assumingMemoryBound(to: UInt8.self), count: y.byteCount)))
            }
        }
        XCTAssertEqual(Set(results).count, 1, what)
    }

    func testSparseConvolutionsEqualDense() throws {
        // (kernel, stride, pad, input H×W, batch, channels): pointwise (images side by side, tiles across them), 3×3 same over
        // many chunks, a batch of small 3×3 (many output rows a tile), a strided 3×3, a stem.
        for (k, s, pad, h, n, channels) in [(1, 1, 0, 9, 2, 37), (1, 1, 0, 20, 3, 12), (3, 1, 1, 12, 1, 150), (3, 1, 1, 7, 3, 20),
                                            (3, 2, 1, 15, 1, 16), (7, 2, 3, 20, 1, 3)] {
            for (blocks, signedOutput) in [(true, false), (false, false), (true, true)] {
                let m = 21
                let x = try Tensor(shape: [n, channels, h, h], scalars: bytes(n * channels * h * h, seed: 1))
                // [M, C, k, k]: a group is 4 consecutive channels at one tap.
                let raw = pruned(bytes(m * channels * k * k, seed: 2), blocks: blocks) { i in
                    let tap = i % (k * k), channel = (i / (k * k)) % channels, row = i / (channels * k * k)
                    return (row * channels + channel / 4 * 4) * k * k + tap
                }
                let w = try Tensor(shape: [m, channels, k, k], scalars: raw.map { Int8(bitPattern: $0) })
                let attributes: [String: Attribute] = ["kernel_shape": .ints([k, k]), "strides": .ints([s, s]), "pads": .ints([pad, pad, pad, pad])]
                let inputs: [Tensor?] = [x, .f([], [0.05]), try Tensor(shape: [], scalars: [UInt8(120)]), w,
                                         try Tensor(shape: [m], scalars: (0..<m).map { 0.002 + Float($0) * 0.0003 }),
                                         try Tensor(shape: [m], scalars: [Int8](repeating: 0, count: m)), .f([], [0.3]),
                                         signedOutput ? try Tensor(shape: [], scalars: [Int8(-7)]) : try Tensor(shape: [], scalars: [UInt8(100)]),
                                         try Tensor(shape: [m], scalars: (0..<m).map { Int32($0 * 97 - 900) })]
                try checkSparseEqualsDense({ try QuantizedConvOperator(.qLinearConv, $0) }, opType: "QLinearConv", attributes: attributes, inputs,
                                           "\(k)×\(k) stride \(s) blocks \(blocks) int8 output \(signedOutput)")
            }
        }
    }

    func testSparseMatMulsEqualDense() throws {
        for (rows, depth, n) in [(7, 13, 21), (130, 300, 40)] {
            for blocks in [true, false] {
                let a = try Tensor(shape: [rows, depth], scalars: bytes(rows * depth, seed: 3))
                // [K, N]: a group is 4 consecutive rows of one column.
                let raw = pruned(bytes(depth * n, seed: 4), blocks: blocks) { i in (i / n / 4 * 4) * n + i % n }
                let b = try Tensor(shape: [depth, n], scalars: raw.map { Int8(bitPattern: $0) })
                try checkSparseEqualsDense({ try QuantizedMatMulOperator(.matMulInteger, $0) }, opType: "MatMulInteger", attributes: [:],
                                           [a, b, try Tensor(shape: [], scalars: [UInt8(250)]), nil], "MatMulInteger \(rows)×\(depth)×\(n) blocks \(blocks)")
                let inputs: [Tensor?] = [a, .f([], [0.04]), try Tensor(shape: [], scalars: [UInt8(9)]), b,
                                         try Tensor(shape: [n], scalars: (0..<n).map { 0.01 + Float($0) * 0.001 }),
                                         try Tensor(shape: [n], scalars: [Int8](repeating: 0, count: n)), .f([], [0.2]), try Tensor(shape: [], scalars: [UInt8(128)])]
                try checkSparseEqualsDense({ try QuantizedMatMulOperator(.qLinearMatMul, $0) }, opType: "QLinearMatMul", attributes: [:], inputs,
                                           "QLinearMatMul \(rows)×\(depth)×\(n) blocks \(blocks)")
            }
        }
    }
}
