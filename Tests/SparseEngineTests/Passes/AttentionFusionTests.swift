import XCTest
@testable import SparseEngine

/// `AttentionFusion` and `AttentionOperator`: BERT-style self-attention becomes one node whose outputs equal the
/// unoptimized graph's, for any token count (one, edge tiles, more than one block of queries), batch, head size,
/// scaling and mask; patterns it cannot express keep their nodes.
final class AttentionFusionTests: XCTestCase {
    /// How the exported attention scales and masks its scores.
    struct Variant {
        var scaling = "Div"
        var mask: [Int]? = nil
        var opset = 17
        var softmaxAxis: Int? = -1
        var scoresAlsoOutput = false
        /// Projection weights 90 % zeros: the projections run sparse and hand Q, K and V over feature-major.
        var sparseProjections = false
        /// Heads made of pairs of tokens (the split [B, T/2, H, 2·size]), which a feature-major operand cannot
        /// express as strides.
        var pairedTokens = false
        /// One K and V head shared by all query heads (multi-query attention; the MatMuls broadcast it).
        var sharedKeyValueHead = false
    }

    /// x [batch, tokens, heads·size] → q, k, v linear layers → heads → attention → [batch, tokens, heads·size].
    private func model(batch: Int, tokens: Int, heads: Int, size: Int, _ variant: Variant) -> TestModel {
        let width = heads * size
        var m = TestModel()
        m.opset = variant.opset
        m.inputs = [.init(name: "x", type: .float, dims: [batch, tokens, width])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        let split = variant.pairedTokens ? [batch, tokens / 2, heads, 2 * size] : [0, 0, heads, size]
        m.initializers = [("split", .i64([4], split)), ("merge", .i64([3], [0, 0, -1])),
                          ("scale", .f([], [Float(size).squareRoot()]))]
        m.initializers.append(("splitShared", .i64([4], [0, 0, 1, size])))
        for (i, name) in ["q", "k", "v"].enumerated() {
            let shared = variant.sharedKeyValueHead && name != "q", outputs = shared ? size : width
            let weights = randomFloats(width * outputs, seed: UInt64(30 + i)).enumerated().map { j, w in
                variant.sparseProjections && (j * 7919) % 10 != 0 ? 0 : w
            }
            m.initializers += [("w\(name)", .f([width, outputs], weights)),
                               ("b\(name)", .f([outputs], randomFloats(outputs, seed: UInt64(40 + i))))]
            m.nodes += [TestNode("MatMul", ["x", "w\(name)"], ["\(name)p"]), TestNode("Add", ["\(name)p", "b\(name)"], [name]),
                        TestNode("Reshape", [name, shared ? "splitShared" : "split"], ["\(name)4"])]
        }
        var transposeQ = TestNode("Transpose", ["q4"], ["qh"]), transposeK = TestNode("Transpose", ["k4"], ["kt"])
        var transposeV = TestNode("Transpose", ["v4"], ["vh"]), back = TestNode("Transpose", ["o"], ["ot"])
        transposeQ.attributes["perm"] = .ints([0, 2, 1, 3])
        transposeK.attributes["perm"] = .ints([0, 2, 3, 1])
        transposeV.attributes["perm"] = .ints([0, 2, 1, 3])
        back.attributes["perm"] = .ints([0, 2, 1, 3])
        m.nodes += [transposeQ, transposeK, transposeV]
        var query = "qh"
        switch variant.scaling {
        case "Div": m.nodes.append(TestNode("Div", ["qh", "scale"], ["qs"])); query = "qs"
        case "Mul":
            m.initializers.append(("inverse", .f([1], [1 / Float(size).squareRoot()])))
            m.nodes.append(TestNode("Mul", ["inverse", "qh"], ["qs"])); query = "qs"
        default: break
        }
        m.nodes.append(TestNode("MatMul", [query, "kt"], ["scores"]))
        var scores = "scores"
        if let maskShape = variant.mask {
            let count = maskShape.reduce(1, *)
            // Masked-out keys, and small offsets a wrong addition would show.
            let mask: [Float] = (0..<count).map { i in
                let offset = Float((i * 3) % 4) * -0.5
                return (i * 7) % 5 == 0 ? -10_000 : offset
            }
            m.initializers.append(("mask", .f(maskShape, mask)))
            m.nodes.append(TestNode("Add", ["scores", "mask"], ["masked"]))
            scores = "masked"
        }
        var softmax = TestNode("Softmax", [scores], ["p"])
        if let axis = variant.softmaxAxis { softmax.attributes["axis"] = .int(axis) }
        m.nodes += [softmax, TestNode("MatMul", ["p", "vh"], ["o"]), back, TestNode("Reshape", ["ot", "merge"], ["y"])]
        if variant.scoresAlsoOutput { m.outputs.append(.init(name: "scores", type: .float, dims: nil)) }
        return m
    }

    /// Runs the model optimized on `threads` threads and unoptimized, compares every output; returns the attentions fused.
    @discardableResult
    private func compare(batch: Int = 1, tokens: Int, heads: Int = 3, size: Int = 16, _ variant: Variant = Variant(),
                         threads: Int = 2, handoffs: Int = 0, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let m = model(batch: batch, tokens: tokens, heads: heads, size: size, variant)
        let onnx = try ONNXModel(data: m.data())
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let optimized = try InferenceSession(model: onnx, options: .init(threads: threads))
        let width = heads * size
        let x = Tensor.f([batch, tokens, width], randomFloats(batch * tokens * width, seed: 5).map { $0 * 0.5 })
        let expected = try plain.run(["x": x]), actual = try optimized.run(["x": x])
        for output in m.outputs {
            XCTAssertEqual(actual[output.name]!.shape, expected[output.name]!.shape, file: file, line: line)
            assertClose(actual[output.name]!.floats, expected[output.name]!.floats, tolerance: 1e-5, file: file, line: line)
        }
        XCTAssertEqual(optimized.summary.passes.first { $0.name == "feature-major-handoff" }?.changed ?? 0, handoffs,
                       "projections handing over feature-major", file: file, line: line)
        return optimized.summary.passes.first { $0.name == "attention-fusion" }?.changed ?? 0
    }

    func testSelfAttentionMatchesTheUnoptimizedGraph() throws {
        // One token, edge tiles (7, 37), and more queries than one task's block (130).
        for tokens in [1, 7, 37, 130] {
            for threads in [1, 2] {
                XCTAssertEqual(try compare(batch: 2, tokens: tokens, Variant(mask: [2, 1, 1, tokens]), threads: threads), 1,
                               "\(tokens) tokens, \(threads) threads")
            }
        }
    }

    func testScalingsHeadSizesAndMasks() throws {
        XCTAssertEqual(try compare(tokens: 19, size: 8, Variant(scaling: "Mul")), 1)
        XCTAssertEqual(try compare(tokens: 19, size: 40, Variant(scaling: "none")), 1)
        XCTAssertEqual(try compare(batch: 2, tokens: 21, heads: 2, Variant(mask: [2, 2, 21, 21])), 1, "a mask per head and query")
        XCTAssertEqual(try compare(tokens: 21, Variant(mask: [21, 1])), 1, "a mask per query, the same for every key")
        XCTAssertEqual(try compare(tokens: 21, Variant(opset: 11, softmaxAxis: 3)), 1, "before opset 13, axis 3 is the last axis")
        XCTAssertEqual(try compare(batch: 2, tokens: 21, Variant(sharedKeyValueHead: true)), 1, "multi-query attention")
        XCTAssertEqual(try compare(batch: 2, tokens: 21, Variant(sparseProjections: true, sharedKeyValueHead: true), handoffs: 3), 1,
                       "multi-query attention, feature-major")
    }

    func testSparseProjectionsHandQKVOverFeatureMajor() throws {
        for tokens in [2, 37, 130] {
            for threads in [1, 2] {
                XCTAssertEqual(try compare(batch: 2, tokens: tokens, Variant(mask: [2, 1, 1, tokens], sparseProjections: true),
                                           threads: threads, handoffs: 3), 1, "\(tokens) tokens, \(threads) threads")
            }
        }
        // Heads over pairs of tokens: the feature-major operands are copied back to ONNX's layout first.
        XCTAssertEqual(try compare(batch: 2, tokens: 38, Variant(sparseProjections: true, pairedTokens: true), handoffs: 3), 1)
    }

    func testPatternsItCannotExpressStayApart() throws {
        XCTAssertEqual(try compare(tokens: 9, Variant(opset: 11, softmaxAxis: nil)), 0, "before opset 13 the default axis is 1")
        XCTAssertEqual(try compare(tokens: 9, Variant(scoresAlsoOutput: true)), 0, "the scores are read outside the pattern")
    }
}
