import XCTest
@testable import SparseEngine

/// `BatchSlicing` and `BatchSeparability`: a batch runs in slices only when the graph keeps its items apart,
/// and then gives the whole batch's results.
final class BatchSlicingTests: XCTestCase {
    /// A small CNN (convolution, residual, pooling, classifier) over a batch of 5 runs one item at a time
    /// under a 1-byte budget, with the outputs of the whole batch.
    func testSeparableNetworkRunsInSlicesWithTheWholeBatchesOutputs() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("Conv", ["x", "w", "b"], ["c"], ["pads": .ints([1, 1, 1, 1])]),
            TestNode("Add", ["c", "x"], ["s"]),
            TestNode("Relu", ["s"], ["r"]),
            TestNode("MaxPool", ["r"], ["p"], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]),
            TestNode("GlobalAveragePool", ["p"], ["g"]),
            TestNode("Flatten", ["g"], ["f"]),
            TestNode("Gemm", ["f", "fw", "fb"], ["y"], ["transB": .int(1)]),
        ]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("w", .f([4, 4, 3, 3], randomFloats(144, seed: 1))), ("b", .f([4], randomFloats(4, seed: 2))),
                          ("fw", .f([3, 4], randomFloats(12, seed: 3))), ("fb", .f([3], randomFloats(3, seed: 4)))]
        let x = Tensor.f([5, 4, 8, 8], randomFloats(5 * 256, seed: 5))
        // A symbolic batch, and a batch the model declares fixed (slices need not match it).
        for batch: Any in ["N", 5] {
            m.inputs = [.init(name: "x", type: .float, dims: [batch, 4, 8, 8])]
            let (items, sliced, whole) = try runBothWays(m, ["x": x])
            XCTAssertEqual(items, 1)
            XCTAssertEqual(sliced["y"]!.shape, [5, 3])
            XCTAssertTrue(whole["y"]!.floats.contains { $0 != 0 })
            assertClose(sliced["y"]!.floats, whole["y"]!.floats, tolerance: 1e-5)
        }
    }

    /// Operators used along other axes than the batch's keep items apart: the graph is sliced.
    func testOperatorsAlongOtherAxesAreSliced() throws {
        let cases: [(String, [TestNode], [(String, Tensor)])] = [
            ("softmax axis 1", [TestNode("Softmax", ["x"], ["y"], ["axis": .int(1)])], []),
            ("reduce axis 1", [TestNode("ReduceSum", ["x", "axes"], ["y"])], [("axes", .i64([1], [1]))]),
            ("transpose keeping axis 0", [TestNode("Reshape", ["x", "s"], ["t"]), TestNode("Transpose", ["t"], ["y"], ["perm": .ints([0, 2, 1])])],
             [("s", .i64([3], [-1, 2, 3]))]),
            ("bias broadcast", [TestNode("Add", ["x", "bias"], ["y"])], [("bias", .f([6], randomFloats(6, seed: 9)))]),
            ("batched product", [TestNode("Reshape", ["x", "s"], ["t"]), TestNode("Transpose", ["t"], ["u"], ["perm": .ints([0, 2, 1])]),
                                 TestNode("MatMul", ["t", "u"], ["y"])], [("s", .i64([3], [-1, 2, 3]))]),
            ("reshape to the shape's batch", [TestNode("Shape", ["x"], ["shape"]), TestNode("Slice", ["shape", "zero", "one"], ["n"]),
                                              TestNode("Concat", ["n", "rest"], ["target"], ["axis": .int(0)]),
                                              TestNode("Reshape", ["x", "target"], ["y"])],
             [("zero", .i64([1], [0])), ("one", .i64([1], [1])), ("rest", .i64([2], [3, 2]))]),
        ]
        for (name, nodes, constants) in cases {
            let (items, sliced, whole) = try runBothWays(model(nodes, constants), ["x": .f([4, 6], randomFloats(24, seed: 7))])
            XCTAssertEqual(items, 1, name)
            assertClose(sliced["y"]!.floats, whole["y"]!.floats, tolerance: 1e-6)
        }
    }

    /// An embedding table (a constant) gathered at batched token ids along its axis 0 keeps items apart.
    func testEmbeddingLookupIsSliced() throws {
        let m = model([TestNode("Gather", ["table", "ids"], ["y"])], [("table", .f([10, 3], randomFloats(30, seed: 3)))], input: "ids")
        let ids = Tensor.i64([4, 2], [1, 2, 3, 4, 5, 6, 7, 9])
        let (items, sliced, whole) = try runBothWays(m, ["ids": ids])
        XCTAssertEqual(items, 1)
        XCTAssertEqual(sliced["y"]!.floats, whole["y"]!.floats)
    }

    /// Operators that reach across items make the graph run whole, with correct results.
    func testOperatorsAcrossItemsRunWhole() throws {
        let cases: [(String, [TestNode], [(String, Tensor)])] = [
            ("softmax axis 0", [TestNode("Softmax", ["x"], ["y"], ["axis": .int(0)])], []),
            ("reduce axis 0", [TestNode("ReduceSum", ["x", "axes"], ["r"]), TestNode("Add", ["x", "r"], ["y"])], [("axes", .i64([1], [0]))]),
            ("transpose moving axis 0", [TestNode("Transpose", ["x"], ["t"], ["perm": .ints([1, 0])]), TestNode("MatMul", ["x", "t"], ["y"])], []),
            ("constant per item", [TestNode("Add", ["x", "perItem"], ["y"])], [("perItem", .f([4, 6], randomFloats(24, seed: 4)))]),
            ("gather along the batch", [TestNode("Gather", ["x", "index"], ["g"], ["axis": .int(0)]), TestNode("Add", ["x", "g"], ["y"])],
             [("index", .i64([4], [3, 2, 1, 0]))]),
            ("shape as data", [TestNode("Shape", ["x"], ["s"]), TestNode("Cast", ["s"], ["f"], ["to": .int(1)]),
                               TestNode("Slice", ["f", "zero", "one"], ["n"]), TestNode("Mul", ["x", "n"], ["y"])],
             [("zero", .i64([1], [0])), ("one", .i64([1], [1]))]),
            ("reshape across items", [TestNode("Reshape", ["x", "s"], ["y"])], [("s", .i64([2], [2, 12]))]),
            ("reshape to a fixed batch", [TestNode("Reshape", ["x", "s"], ["y"])], [("s", .i64([3], [4, 3, 2]))]),
        ]
        for (name, nodes, constants) in cases {
            let x = Tensor.f([4, 6], randomFloats(24, seed: 8))
            let (items, sliced, whole) = try runBothWays(model(nodes, constants), ["x": x])
            XCTAssertEqual(items, 4, name)
            assertClose(sliced["y"]!.floats, whole["y"]!.floats, tolerance: 1e-6)
        }
    }

    /// A separable graph whose weights outweigh both an item's intermediate values and what the cache holds
    /// beside a slice runs whole: each slice would read the weights again from memory (dense ResNet-50: 100 MB of
    /// weights against 45 MB of values per image). With a cache that holds them, it runs in slices.
    func testWeightsLargerThanAnItemsValuesAndTheCacheKeepTheBatchWhole() throws {
        var m = TestModel()
        m.nodes = [TestNode("MatMul", ["x", "w"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: ["N", 300])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("w", .f([300, 40], randomFloats(12_000, seed: 6)))]
        let (items, sliced, whole) = try runBothWays(m, ["x": .f([4, 300], randomFloats(1200, seed: 7))], cache: 1024)
        XCTAssertEqual(items, 4)
        assertClose(sliced["y"]!.floats, whole["y"]!.floats, tolerance: 0)
        XCTAssertEqual(try runBothWays(m, ["x": .f([4, 300], randomFloats(1200, seed: 7))], cache: 1 << 20).0, 1)
    }

    /// A quantized network (QDQ around a convolution and an elementwise chain, which the passes turn into
    /// `QLinearConv` and a `zoo.QLinearLookup`) keeps items apart: sliced, it gives the whole batch's bytes.
    func testQuantizedNetworkRunsInSlices() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("QuantizeLinear", ["x", "s", "z"], ["q"]), TestNode("DequantizeLinear", ["q", "s", "z"], ["d"]),
            TestNode("DequantizeLinear", ["wq", "ws", "wz"], ["w"]),
            TestNode("Conv", ["d", "w"], ["c"], ["pads": .ints([1, 1, 1, 1])]),
            TestNode("QuantizeLinear", ["c", "s", "z"], ["cq"]), TestNode("DequantizeLinear", ["cq", "s", "z"], ["cd"]),
            TestNode("Sigmoid", ["cd"], ["e"]),
            TestNode("QuantizeLinear", ["e", "s", "z"], ["eq"]), TestNode("DequantizeLinear", ["eq", "s", "z"], ["y"]),
        ]
        m.inputs = [.init(name: "x", type: .float, dims: ["N", 4, 8, 8])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("s", .f([], [0.02])), ("z", try Tensor(shape: [], scalars: [UInt8(128)])),
                          ("wq", try Tensor(shape: [4, 4, 3, 3], scalars: (0..<144).map { Int8(truncatingIfNeeded: $0 * 37) })),
                          ("ws", .f([], [0.01])), ("wz", try Tensor(shape: [], scalars: [Int8(0)]))]
        let (items, sliced, whole) = try runBothWays(m, ["x": .f([5, 4, 8, 8], randomFloats(5 * 256, seed: 8))])
        XCTAssertEqual(items, 1)
        XCTAssertTrue(whole["y"]!.floats.contains { $0 != whole["y"]!.floats[0] })
        XCTAssertEqual(sliced["y"]!.floats, whole["y"]!.floats)
    }

    /// Slice sizes follow the budget and are as even as the count allows, the count a multiple of the
    /// streams; slices are views of the feeds and join back in order.
    func testSliceSizesViewsAndJoin() throws {
        XCTAssertEqual(BatchSlicing.items(batch: 16, arenaBytes: 1600, budget: 2000), 16)
        XCTAssertEqual(BatchSlicing.items(batch: 16, arenaBytes: 1600, budget: 250), 2)
        XCTAssertEqual(BatchSlicing.items(batch: 16, arenaBytes: 1600, budget: 1), 1)
        XCTAssertEqual(BatchSlicing(batch: 16, items: 3, streams: 2).ranges.map(\.count), [2, 3, 3, 2, 3, 3])
        XCTAssertEqual(BatchSlicing(batch: 16, items: 1, streams: 2).ranges.count, 16)
        XCTAssertEqual(BatchSlicing(batch: 3, items: 2, streams: 2).ranges, [0..<1, 1..<3])
        XCTAssertEqual(BatchSlicing(batch: 7, items: 1, streams: 3).ranges.count, 7)
        let slicing = BatchSlicing(batch: 5, items: 2)
        XCTAssertEqual(slicing.ranges, [0..<1, 1..<3, 3..<5])
        XCTAssertEqual(slicing.sliceSizes, [1, 2])
        let x = Tensor.f([5, 3], (0..<15).map(Float.init))
        let parts = slicing.ranges.map { BatchSlicing.slice(["x": x], $0) }
        XCTAssertEqual(parts[0]["x"]!.shape, [1, 3])
        XCTAssertEqual(parts[1]["x"]!.floats, [3, 4, 5, 6, 7, 8])
        XCTAssertEqual(try BatchSlicing.join(parts.map { $0.mapValues { $0.copy() } })["x"]!.floats, x.floats)
    }

    /// Slices run side by side on streams, one per thread (two and three threads, batches that split evenly and
    /// not), give the same outputs as slices run one after another and as the whole batch, run after run; a
    /// session with streams turned off runs its slices one after another.
    func testStreamsGiveTheOutputsOfSlicesRunInTurn() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("Conv", ["x", "w", "b"], ["c"], ["pads": .ints([1, 1, 1, 1])]),
            TestNode("Relu", ["c"], ["r"]),
            TestNode("Conv", ["r", "w2"], ["d"]),
            TestNode("GlobalAveragePool", ["d"], ["g"]),
            TestNode("Flatten", ["g"], ["f"]),
            TestNode("Gemm", ["f", "fw"], ["y"], ["transB": .int(1)]),
        ]
        m.inputs = [.init(name: "x", type: .float, dims: ["N", 4, 8, 8])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("w", .f([16, 4, 3, 3], randomFloats(576, seed: 1))), ("b", .f([16], randomFloats(16, seed: 2))),
                          ("w2", .f([8, 16, 1, 1], randomFloats(128, seed: 3))), ("fw", .f([3, 8], randomFloats(24, seed: 4)))]
        let onnx = try ONNXModel(data: m.data())
        let whole = try InferenceSession(model: onnx, options: .init(threads: 1, sliceBudget: nil))
        for (threads, batch) in [(2, 6), (2, 7), (3, 7), (2, 2)] {
            let x = Tensor.f([batch, 4, 8, 8], randomFloats(batch * 256, seed: UInt64(batch)))
            let streamed = try InferenceSession(model: onnx, options: .init(threads: threads, sliceBudget: 1, lastLevelCache: 1 << 20))
            let inTurn = try InferenceSession(model: onnx, options: .init(threads: threads, sliceBudget: 1, lastLevelCache: 1 << 20,
                                                                          batchStreams: false))
            XCTAssertEqual(try streamed.batchSlicing(["x": x]), BatchSlicing(batch: batch, items: 1, streams: threads))
            XCTAssertEqual(try inTurn.batchSlicing(["x": x]).streams, 1)
            let expected = try whole.run(["x": x])["y"]!.floats
            XCTAssertEqual(expected.count, batch * 3)
            for _ in 0..<3 {
                XCTAssertEqual(try streamed.run(["x": x])["y"]!.floats, try inTurn.run(["x": x])["y"]!.floats, "\(threads) threads, batch \(batch)")
                assertClose(try streamed.run(["x": x])["y"]!.floats, expected, tolerance: 1e-5)
            }
        }
    }

    /// A network whose convolution makes large values from small weights and whose classifier reads large weights
    /// for few values runs the convolution in slices and the classifier on the whole batch (`BatchTail`), with the
    /// whole batch's outputs, streamed or not; the profile times the tail's nodes at the whole batch. A graph
    /// output made before that point keeps every node in slices.
    func testClassifierWithLargeWeightsRunsOnTheWholeBatchAfterTheSlices() throws {
        var m = TestModel()
        m.nodes = [
            TestNode("Conv", ["x", "w"], ["c"], ["pads": .ints([1, 1, 1, 1])]),
            TestNode("Relu", ["c"], ["r"]),
            TestNode("GlobalAveragePool", ["r"], ["g"]),
            TestNode("Flatten", ["g"], ["f"]),
            TestNode("Gemm", ["f", "fw", "fb"], ["y"], ["transB": .int(1)]),
        ]
        m.inputs = [.init(name: "x", type: .float, dims: ["N", 4, 16, 16])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("w", .f([64, 4, 3, 3], randomFloats(2304, seed: 1))),
                          ("fw", .f([256, 64], randomFloats(16384, seed: 2))), ("fb", .f([256], randomFloats(256, seed: 3)))]
        let x = Tensor.f([5, 4, 16, 16], randomFloats(5 * 1024, seed: 4))
        let expected = try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 1, sliceBudget: nil)).run(["x": x])["y"]!.floats
        XCTAssertEqual(expected.count, 5 * 256)
        for (threads, streams) in [(1, true), (2, true), (2, false)] {
            let session = try InferenceSession(model: ONNXModel(data: m.data()),
                                               options: .init(threads: threads, sliceBudget: 1, lastLevelCache: 1024, batchStreams: streams))
            let slicing = try session.batchSlicing(["x": x])
            XCTAssertEqual(slicing.items, 1)
            XCTAssertEqual(slicing.tailStart, 1, "the tail starts at the pooling (the Relu is fused into the convolution)")
            for _ in 0..<2 { assertClose(try session.run(["x": x])["y"]!.floats, expected, tolerance: 1e-5) }
            let profile = try session.profile(["x": x], runs: 1)
            XCTAssertEqual(profile.map(\.opType), ["Conv", "GlobalAveragePool", "Flatten", "Gemm"], "Relu is fused into the convolution")
            XCTAssertEqual(profile.map { $0.outputShape.first }, [1, 5, 5, 5])
        }
        // With weights that fit in the cache, or a graph output before the pooling, every node runs in slices.
        let cached = try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 2, sliceBudget: 1, lastLevelCache: 1 << 20))
        XCTAssertNil(try cached.batchSlicing(["x": x]).tailStart)
        m.outputs.append(.init(name: "r", type: .float, dims: nil))
        let early = try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 2, sliceBudget: 1, lastLevelCache: 1024))
        XCTAssertEqual(try early.batchSlicing(["x": x]).items, 1)
        XCTAssertNil(try early.batchSlicing(["x": x]).tailStart)
        assertClose(try early.run(["x": x])["y"]!.floats, expected, tolerance: 1e-5)
    }

    /// A model with a scalar input (a sample rate) beside a batched one runs whole, and its profile must not slice
    /// the scalar (it crashed indexing the missing batch axis).
    func testProfileOfAModelWithAScalarInput() throws {
        var m = TestModel()
        m.nodes = [TestNode("Mul", ["x", "rate"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [2, 3]), .init(name: "rate", type: .float, dims: [])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        let session = try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 2))
        let feeds = ["x": Tensor.f([2, 3], [1, 2, 3, 4, 5, 6]), "rate": Tensor.f([], [2])]
        XCTAssertEqual(try session.run(feeds)["y"]!.floats, [2, 4, 6, 8, 10, 12])
        let profile = try session.profile(feeds, runs: 2)
        XCTAssertEqual(profile.map(\.opType), ["Mul"])
        XCTAssertEqual(profile.first?.outputShape, [2, 3])
    }

    /// A model over `x` [N, 6] (or another input name) with these nodes and constants, output `y`. A second
    /// output, `x` concatenated 16 times, gives every item more intermediate bytes than the constants take, as in
    /// real models, so the weights do not keep the batch whole (`InferenceSession`'s slicing rule).
    private func model(_ nodes: [TestNode], _ constants: [(String, Tensor)], input: String = "x") -> TestModel {
        var m = TestModel()
        m.nodes = nodes + [TestNode("Concat", Array(repeating: input, count: 16), ["padding"], ["axis": .int(1)])]
        m.inputs = [.init(name: input, type: input == "x" ? .float : .int64, dims: ["N", input == "x" ? 6 : 2])]
        m.outputs = [.init(name: "y", type: nil, dims: nil), .init(name: "padding", type: nil, dims: nil)]
        m.initializers = constants
        return m
    }

    /// Items per slice under a 1-byte budget (and a last-level cache of `cache` bytes), the outputs run that way,
    /// and the outputs run whole.
    private func runBothWays(_ m: TestModel, _ feeds: [String: Tensor], cache: Int = 1024) throws -> (Int, [String: Tensor], [String: Tensor]) {
        let onnx = try ONNXModel(data: m.data())
        let sliced = try InferenceSession(model: onnx, options: .init(threads: 2, sliceBudget: 1, lastLevelCache: cache))
        let whole = try InferenceSession(model: onnx, options: .init(threads: 2, sliceBudget: nil))
        XCTAssertEqual(try whole.batchSlicing(feeds).items, feeds.values.first!.shape[0])
        return (try sliced.batchSlicing(feeds).items, try sliced.run(feeds), try whole.run(feeds))
    }
}
