import XCTest
@testable import SparseEngine

/// A quantized Add fused into a `QLinearConv` (`QS8ResidualAdd`, `QDQResidualFusion`) writes the same bytes as the
/// convolution followed by `QuantizedAddOperator`, on every instruction set and every path of the convolution: the
/// pixel-lane epilogue (prefix and gapped columns), tiles across images, the channel-lane kernel, the sparse kernels and
/// the reference operator (a grouped convolution); and a QDQ graph gets its Add fused.
final class QuantizedResidualAddTests: XCTestCase {
    private func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    private func tensor(_ type: DataType, _ shape: [Int], _ raw: [UInt8]) throws -> Tensor {
        type == .int8 ? try Tensor(shape: shape, scalars: raw.map { Int8(bitPattern: $0) }) : try Tensor(shape: shape, scalars: raw)
    }

    private func run(_ op: Operator, _ inputs: [Tensor?], _ config: KernelConfig) throws -> Tensor {
        let spec = try op.inferOutputs(inputs.map { $0.map { ValueSpec(known: $0) } })[0]
        let y = try Tensor(zeros: spec.dataType, shape: spec.shape)
        try op.run(inputs, [y], KernelContext(pool: ThreadPool(threads: 2), kernels: config))
        return y
    }

    private func raw(_ t: Tensor) -> [UInt8] { Array(UnsafeBufferPointer(start: t.rawPointer.assumingMemoryBound(to: UInt8.self), count: t.byteCount)) }

    func testFusedAddEqualsConvolutionThenAdd() throws {
        // (kernel, pad, channels, H × W, batch, group, sparse): pointwise (prefix columns), 3 × 3 padded (gapped columns),
        // 7 × 7 pointwise images side by side (tiles across images), the channel-lane kernel (K of 513 groups on 5 × 5), the
        // sparse kernels, a grouped convolution (the reference operator).
        let cases: [(k: Int, pad: Int, channels: Int, h: Int, n: Int, group: Int, sparse: Bool)] = [
            (1, 0, 9, 9, 1, 1, false), (3, 1, 6, 11, 2, 1, false), (1, 0, 12, 7, 3, 1, false), (3, 1, 228, 5, 1, 1, false),
            (3, 1, 16, 10, 1, 1, true), (3, 1, 8, 6, 1, 2, false),
        ]
        for (i, g) in cases.enumerated() {
            for (yType, residualType, productIsB, relu) in [(DataType.uint8, DataType.uint8, false, true), (.int8, .uint8, true, false),
                                                            (.uint8, .int8, true, true)] {
                let m = 21 + g.group - 1, seed = UInt64(i * 10)
                var attributes: [String: Attribute] = ["kernel_shape": .ints([g.k, g.k]), "pads": .ints([g.pad, g.pad, g.pad, g.pad]),
                                                       "group": .int(g.group)]
                if g.sparse { attributes[QuantizedSparseSelection.attribute] = .int(1) }
                let x = try tensor(.uint8, [g.n, g.channels, g.h, g.h], bytes(g.n * g.channels * g.h * g.h, seed: seed))
                let perGroup = g.channels / g.group
                let weights = bytes(m * perGroup * g.k * g.k, seed: seed + 1).enumerated().map { j, b in g.sparse && j % 5 != 0 ? 0 : b }
                let w = try tensor(.int8, [m, perGroup, g.k, g.k], weights)
                let wScale = try Tensor(shape: [m], scalars: (0..<m).map { 0.0005 + Float($0) * 0.00003 })
                let convInputs: [Tensor?] = [x, .f([], [0.05]), try tensor(.uint8, [], [120]), w, wScale, try Tensor(shape: [], scalars: [Int8(0)]),
                                             .f([], [0.3]), try tensor(yType, [], [yType == .int8 ? 0xF6 : 100]),
                                             try Tensor(shape: [m], scalars: (0..<m).map { Int32($0 * 97 - 900) })]
                let conv = try QuantizedConvOperator(.qLinearConv, OpContext(node: Node(opType: "QLinearConv", inputs: [], outputs: ["y"], attributes: attributes), opset: 13))
                let outShape = try conv.inferOutputs(convInputs.map { $0.map { ValueSpec(known: $0) } })[0].shape
                let residual = try tensor(residualType, outShape, bytes(outShape.reduce(1, *), seed: seed + 2))
                let residualQuantization: [Tensor?] = [residual, .f([], [0.02]), try tensor(residualType, [], [residualType == .int8 ? 0xFC : 7])]
                let addOutput: [Tensor?] = [.f([], [0.4]), try tensor(.uint8, [], [90])]
                var addAttributes: [String: Attribute] = [QuantizedAddOperator.attribute: .int(1)]
                if relu { addAttributes[FusedActivation.attribute] = .string(Array("Relu".utf8)) }
                let add = try QuantizedAddOperator(OpContext(node: Node(opType: "Add", inputs: [], outputs: ["z"], attributes: addAttributes), opset: 13))
                var fusedAttributes = attributes
                fusedAttributes[QS8ResidualAdd.attribute] = .int(productIsB ? 1 : 0)
                if relu { fusedAttributes[QS8ResidualAdd.reluAttribute] = .int(1) }
                let fused = try QuantizedConvOperator(.qLinearConv, OpContext(node: Node(opType: "QLinearConv", inputs: [], outputs: ["z"], attributes: fusedAttributes), opset: 13))
                var results: [[UInt8]] = []
                for config in KernelConfig.available {
                    let product = try run(conv, convInputs, config)
                    let productQuantization: [Tensor?] = [product, convInputs[6], convInputs[7]]
                    let addInputs = (productIsB ? residualQuantization + productQuantization : productQuantization + residualQuantization) + addOutput
                    let expected = raw(try run(add, addInputs, config))
                    let got = raw(try run(fused, convInputs + residualQuantization + addOutput, config))
                    XCTAssertEqual(got, expected, "case \(i) y \(yType) residual \(residualType) b \(productIsB) on \(config.qs8.igemmName)")
                    results.append(got)
                }
                XCTAssertEqual(Set(results).count, 1, "case \(i): instruction sets disagree")
            }
        }
    }

    func testResidualAddOfAQDQGraphIsFused() throws {
        // x → Q → DQ → Conv → Q → DQ → Add(DQ(Q(x))) → Relu → Q → DQ: the Add moves into the quantized convolution.
        var m = TestModel()
        m.nodes = [TestNode("QuantizeLinear", ["x", "xs", "xz"], ["xq"]), TestNode("DequantizeLinear", ["xq", "xs", "xz"], ["xd"]),
                   TestNode("DequantizeLinear", ["wq", "ws"], ["wd"], ["axis": .int(0)]),
                   TestNode("Conv", ["xd", "wd"], ["c"]), TestNode("QuantizeLinear", ["c", "cs", "cz"], ["cq"]),
                   TestNode("DequantizeLinear", ["cq", "cs", "cz"], ["cd"]), TestNode("Add", ["xd", "cd"], ["s"]), TestNode("Relu", ["s"], ["r"]),
                   TestNode("QuantizeLinear", ["r", "ys", "yz"], ["yq"]), TestNode("DequantizeLinear", ["yq", "ys", "yz"], ["z"])]
        m.inputs = [.init(name: "x", type: .float, dims: [2, 8, 9, 9])]
        m.outputs = [.init(name: "z", type: .float, dims: nil)]
        m.initializers = [("xs", .f([], [0.02])), ("xz", try Tensor(shape: [], scalars: [UInt8(128)])),
                          ("wq", try Tensor(shape: [8, 8, 1, 1], scalars: bytes(64, seed: 1).map { Int8(bitPattern: $0) })),
                          ("ws", .f([8], (0..<8).map { 0.003 + Float($0) * 0.001 })),
                          ("cs", .f([], [0.05])), ("cz", try Tensor(shape: [], scalars: [UInt8(110)])),
                          ("ys", .f([], [0.04])), ("yz", try Tensor(shape: [], scalars: [UInt8(0)]))]
        let onnx = try ONNXModel(data: m.data())
        let x = Tensor.f([2, 8, 9, 9], randomFloats(1296, seed: 2).map { $0 * 2 })
        let expected = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false)).run(["x": x])["z"]!.floats
        for config in KernelConfig.available {
            let session = try InferenceSession(model: onnx, options: .init(threads: 2), kernels: config)
            XCTAssertEqual(session.summary.passes.first { $0.name == "qdq-residual-fusion" }?.changed, 1)
            // QuantizeLinear(x), the convolution with its Add, DequantizeLinear(z).
            XCTAssertEqual(session.nodeCount, 3)
            // Within one step of the float operators (the quantized Add rounds as ONNX Runtime's; the operator test above
            // holds the fused bytes to the unfused ones exactly).
            let got = try session.run(["x": x])["z"]!.floats
            XCTAssertEqual(got.count, expected.count)
            for (a, b) in zip(got, expected) where abs(a - b) > 0.04 * 1.001 { XCTFail("\(a) against \(b) on \(config.qs8.igemmName)"); break }
        }
    }
}
