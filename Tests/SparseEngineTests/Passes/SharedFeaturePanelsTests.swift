import XCTest
@testable import SparseEngine

/// `SharedFeaturePanels` and `zoo.FeaturePanels`: sparse linear layers that read one value take it from panels laid out
/// once, and their outputs equal the unoptimized graph's for every token count (the few-token path, a partial panel,
/// whole panels) on every kernel set and on 1 and 2 threads. One sparse reader, or dense ones, change nothing.
final class SharedFeaturePanelsTests: XCTestCase {
    /// x [tokens, k] read by one MatMul + bias per entry of `sparse` (90 % zeros where true), each output a graph
    /// output; `feedForward` also sends the first one through a second sparse layer (a panel hand-off).
    private func model(tokens: Int, k: Int, sparse: [Bool], feedForward: Bool = false) -> TestModel {
        var m = TestModel()
        m.opset = 20
        m.inputs = [.init(name: "x", type: .float, dims: [tokens, k])]
        for (i, isSparse) in sparse.enumerated() {
            let n = 40 + 24 * i
            m.nodes += [TestNode("MatMul", ["x", "w\(i)"], ["p\(i)"]), TestNode("Add", ["p\(i)", "b\(i)"], ["y\(i)"])]
            let weights = randomFloats(k * n, seed: UInt64(60 + i)).enumerated().map { j, w in isSparse && (j * 7919) % 10 != 0 ? 0 : w }
            m.initializers += [("w\(i)", .f([k, n], weights)), ("b\(i)", .f([n], randomFloats(n, seed: UInt64(80 + i))))]
            m.outputs.append(.init(name: feedForward && i == 0 ? "z" : "y\(i)", type: .float, dims: nil))
        }
        if feedForward {
            m.nodes.append(TestNode("MatMul", ["y0", "w_next"], ["z"]))
            let weights = randomFloats(40 * 56, seed: 99).enumerated().map { j, w in (j * 7919) % 10 != 0 ? 0 : w }
            m.initializers.append(("w_next", .f([40, 56], weights)))
        }
        return m
    }

    /// Runs `m` optimized and unoptimized on every kernel set and 1 and 2 threads, compares every output; returns the
    /// panel layouts the pass inserted (the same for each run).
    private func compare(_ m: TestModel, tokens: Int, k: Int, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let onnx = try ONNXModel(data: m.data())
        let plain = try InferenceSession(model: onnx, options: .init(threads: 1, optimize: false))
        let x = Tensor.f([tokens, k], randomFloats(tokens * k, seed: 7))
        let expected = try plain.run(["x": x])
        var inserted = 0
        for kernels in KernelConfig.available {
            for threads in [1, 2] {
                let optimized = try InferenceSession(model: onnx, options: .init(threads: threads), kernels: kernels)
                let actual = try optimized.run(["x": x])
                for output in m.outputs {
                    assertClose(actual[output.name]!.floats, expected[output.name]!.floats, tolerance: 1e-5, file: file, line: line)
                }
                inserted = optimized.summary.passes.first { $0.name == "shared-feature-panels" }?.changed ?? 0
            }
        }
        return inserted
    }

    func testSparseReadersOfOneValueShareItsPanels() throws {
        // 1 and 3 tokens take the few-token path, 37 fills part of a panel, 128 whole ones, 200 both.
        for tokens in [1, 3, 37, 128, 200] {
            XCTAssertEqual(try compare(model(tokens: tokens, k: 72, sparse: [true, true, true]), tokens: tokens, k: 72), 1,
                           "\(tokens) tokens")
        }
    }

    func testSharedPanelsFeedALayerThatHandsItsOutputOn() throws {
        XCTAssertEqual(try compare(model(tokens: 70, k: 48, sparse: [true, true], feedForward: true), tokens: 70, k: 48), 1)
    }

    func testOneSparseReaderOrDenseReadersKeepTheirOwnPacking() throws {
        XCTAssertEqual(try compare(model(tokens: 37, k: 72, sparse: [true, false]), tokens: 37, k: 72), 0)
        XCTAssertEqual(try compare(model(tokens: 37, k: 72, sparse: [false, false]), tokens: 37, k: 72), 0)
    }
}
