import XCTest
@testable import SparseEngine

/// `FeatureMajorHandoff`: two sparse linear layers in a row hand their activations over features × tokens, and the
/// outputs equal the unoptimized graph's for every token count (the few-token path, partial and whole kernel blocks)
/// on 1 and 2 threads. A value anyone else reads stays in ONNX's layout.
final class FeatureMajorHandoffTests: XCTestCase {
    /// x [tokens, widths[0]] through one linear layer per step: MatMul → Add(bias) → Gelu, the last without Gelu.
    /// `sparse` says which layers' weights are 90 % zeros (the others dense); `extraReader` also feeds the first
    /// layer's output to a Relu that is a graph output.
    private func model(tokens: Int, widths: [Int], sparse: [Bool], extraReader: Bool = false) -> TestModel {
        var m = TestModel()
        m.opset = 20
        m.inputs = [.init(name: "x", type: .float, dims: [tokens, widths[0]])]
        var input = "x"
        for layer in 0..<(widths.count - 1) {
            let k = widths[layer], n = widths[layer + 1], last = layer == widths.count - 2
            let output = last ? "y" : "h\(layer)"
            m.nodes += [TestNode("MatMul", [input, "w\(layer)"], ["p\(layer)"]),
                        TestNode("Add", ["p\(layer)", "b\(layer)"], [last ? output : "s\(layer)"])]
            if !last { m.nodes.append(TestNode("Gelu", ["s\(layer)"], [output])) }
            let weights = randomFloats(k * n, seed: UInt64(20 + layer)).enumerated().map { i, w in
                sparse[layer] && (i * 7919) % 10 != 0 ? 0 : w
            }
            m.initializers += [("w\(layer)", .f([k, n], weights)), ("b\(layer)", .f([n], randomFloats(n, seed: UInt64(40 + layer))))]
            input = output
        }
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        if extraReader {
            m.nodes.append(TestNode("Relu", ["h0"], ["r"]))
            m.outputs.append(.init(name: "r", type: .float, dims: nil))
        }
        return m
    }

    /// Runs `m` optimized on `threads` threads and unoptimized, compares every output; returns the hand-offs made.
    private func compare(_ m: TestModel, tokens: Int, k: Int, threads: Int, file: StaticString = #filePath,
                         line: UInt = #line) throws -> Int {
        let onnx = try ONNXModel(data: m.data())
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let optimized = try InferenceSession(model: onnx, options: .init(threads: threads))
        let x = Tensor.f([tokens, k], randomFloats(tokens * k, seed: 5).map { $0 * 2 })
        let expected = try plain.run(["x": x]), actual = try optimized.run(["x": x])
        // The fused GELU's erf is a rational fit (within 4e-7), which the next layer's sums carry: 1e-4, not 1e-5.
        for output in m.outputs {
            assertClose(actual[output.name]!.floats, expected[output.name]!.floats, tolerance: 1e-4, file: file, line: line)
        }
        return optimized.summary.passes.first { $0.name == "feature-major-handoff" }?.changed ?? 0
    }

    func testFeedForwardPairMatchesTheUnoptimizedGraph() throws {
        // 1 and 3 tokens take the few-token path; 37 and 200 end in a partial block; 128 is whole blocks.
        for tokens in [1, 3, 37, 128, 200] {
            for threads in [1, 2] {
                let handoffs = try compare(model(tokens: tokens, widths: [96, 300, 80], sparse: [true, true]),
                                           tokens: tokens, k: 96, threads: threads)
                XCTAssertEqual(handoffs, 1, "\(tokens) tokens, \(threads) threads")
            }
        }
    }

    func testAMiddleLayerReadsAndWritesFeatureMajor() throws {
        for tokens in [2, 70] {
            let handoffs = try compare(model(tokens: tokens, widths: [64, 160, 96, 48], sparse: [true, true, true]),
                                       tokens: tokens, k: 64, threads: 2)
            XCTAssertEqual(handoffs, 2)
        }
    }

    func testValuesOthersReadOrDenseNeighboursKeepTheLayout() throws {
        XCTAssertEqual(try compare(model(tokens: 37, widths: [96, 300, 80], sparse: [true, true], extraReader: true),
                                   tokens: 37, k: 96, threads: 2), 0)
        XCTAssertEqual(try compare(model(tokens: 37, widths: [96, 300, 80], sparse: [true, false]), tokens: 37, k: 96, threads: 2), 0)
        XCTAssertEqual(try compare(model(tokens: 37, widths: [96, 300, 80], sparse: [false, true]), tokens: 37, k: 96, threads: 2), 0)
    }
}
