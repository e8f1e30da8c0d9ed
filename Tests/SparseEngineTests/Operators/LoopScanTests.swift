import XCTest
@testable import SparseEngine

final class LoopScanTests: XCTestCase {
    /// SLANet's pattern: a Loop that slices an outer table at the iteration number (a shape decided by a value that
    /// changes every iteration) and stops when its running total reaches a limit (a condition computed from data).
    private func runningTotalModel() -> TestModel {
        let body = TestGraph(
            nodes: [
                TestNode("Unsqueeze", ["i", "axes"], ["start"]),
                TestNode("Add", ["i", "one"], ["next"]),
                TestNode("Unsqueeze", ["next", "axes"], ["end"]),
                TestNode("Slice", ["table", "start", "end"], ["piece"]),
                TestNode("Add", ["acc_in", "piece"], ["acc_out"]),
                TestNode("ReduceSum", ["acc_out"], ["total"], ["keepdims": .int(0)]),
                TestNode("Less", ["total", "limit"], ["cond_out"]),
            ],
            outputs: ["cond_out", "acc_out"],
            initializers: [("axes", .i64([1], [0])), ("one", .i64([], [1]))],
            inputs: [.init(name: "i", type: .int64, dims: []), .init(name: "cond_in", type: .bool, dims: []),
                     .init(name: "acc_in", type: .float, dims: [3])])
        var m = TestModel()
        m.nodes = [TestNode("Loop", ["trips", "", "x"], ["acc"], name: "running_total", ["body": .graph(body)])]
        m.inputs = [.init(name: "x", type: .float, dims: [3]), .init(name: "trips", type: .int64, dims: [])]
        m.outputs = [.init(name: "acc", type: .float, dims: nil)]
        m.initializers = [("table", .f([6], [1, 2, 3, 4, 5, 6])), ("limit", .f([], [30]))]
        return m
    }

    func testLoopStopsOnItsConditionAndSlicesAtTheIterationNumber() throws {
        let session = try InferenceSession(model: ONNXModel(data: runningTotalModel().data()), options: .init(threads: 1))
        let table: [Float] = [1, 2, 3, 4, 5, 6]
        for (x, trips) in [([Float](repeating: 0, count: 3), 6), ([1, -2, 0.5], 6), ([0, 0, 0], 2), ([40, 0, 0], 6), ([0, 0, 0], 0)] {
            var acc = x
            for i in 0..<trips {
                acc = acc.map { $0 + table[i] }
                if !(acc.reduce(0, +) < 30) { break }
            }
            let y = try session.run(["x": .f([3], x), "trips": .i64([], [trips])])["acc"]!
            assertClose(y.floats, acc)
        }
    }

    /// A loop over `trips` iterations whose body keeps the positions below the iteration number (NonZero, an output
    /// shape that depends on contents) and adds their sum to the carried total; with `slicesAtTheIteration`, the body
    /// also slices `positions` at the iteration number and adds that element.
    private func keptPositionsModel(slicesAtTheIteration: Bool) -> TestModel {
        var nodes = [
            TestNode("Identity", ["cond_in"], ["cond_out"]),
            TestNode("Less", ["positions", "i"], ["below"]),
            TestNode("NonZero", ["below"], ["kept"]),
            TestNode("ReduceSum", ["kept"], ["kept_sum"], ["keepdims": .int(0)]),
        ]
        if slicesAtTheIteration {
            nodes += [
                TestNode("Unsqueeze", ["i", "axes"], ["start"]),
                TestNode("Add", ["i", "one"], ["next"]),
                TestNode("Unsqueeze", ["next", "axes"], ["end"]),
                TestNode("Slice", ["positions", "start", "end"], ["piece"]),
                TestNode("ReduceSum", ["piece"], ["piece_sum"], ["keepdims": .int(0)]),
                TestNode("Add", ["kept_sum", "piece_sum"], ["sum"]),
            ]
        } else {
            nodes.append(TestNode("Identity", ["kept_sum"], ["sum"]))
        }
        nodes += [TestNode("Cast", ["sum"], ["sum_f"], ["to": .int(1)]), TestNode("Add", ["acc_in", "sum_f"], ["acc_out"])]
        let body = TestGraph(
            nodes: nodes, outputs: ["cond_out", "acc_out"],
            initializers: [("positions", .i64([6], [0, 1, 2, 3, 4, 5])), ("axes", .i64([1], [0])), ("one", .i64([], [1]))],
            inputs: [.init(name: "i", type: .int64, dims: []), .init(name: "cond_in", type: .bool, dims: []),
                     .init(name: "acc_in", type: .float, dims: [])])
        var m = TestModel()
        m.nodes = [TestNode("Loop", ["trips", "", "x"], ["acc"], name: "kept_positions", ["body": .graph(body)])]
        m.inputs = [.init(name: "x", type: .float, dims: []), .init(name: "trips", type: .int64, dims: [])]
        m.outputs = [.init(name: "acc", type: .float, dims: nil)]
        return m
    }

    /// NonZero over a value that changes every iteration: where the iteration number is read while planning (it
    /// decides a Slice), each iteration keeps a different number of indices and the body's plan must follow them;
    /// where nothing else reads it while planning, the node is refused by name, as in any sub-graph.
    func testLoopBodyWithAValueShapedNodeOverTheIterationNumber() throws {
        let session = try InferenceSession(model: ONNXModel(data: keptPositionsModel(slicesAtTheIteration: true).data()),
                                           options: .init(threads: 1))
        for trips in [0, 1, 4, 6] {
            // Iteration i keeps positions 0..<i, whose sum is i (i - 1) / 2, and slices position i.
            let sum: Int = (0..<trips).map { (i: Int) -> Int in i * (i - 1) / 2 + i }.reduce(0, +)
            let y = try session.run(["x": .f([], [0]), "trips": .i64([], [trips])])["acc"]!
            XCTAssertEqual(y.floats, [Float(sum)], "\(trips) iterations")
        }
        let refused = try InferenceSession(model: ONNXModel(data: keptPositionsModel(slicesAtTheIteration: false).data()),
                                           options: .init(threads: 1))
        XCTAssertThrowsError(try refused.run(["x": .f([], [0]), "trips": .i64([], [3])])) { error in
            XCTAssertEqual((error as? EngineError)?.code, .dataDependentShape)
            XCTAssertTrue("\(error)".contains("'kept'"), "\(error)")
        }
    }

    /// A weight carried through the loop by Paddle2ONNX's copy chain (Unsqueeze, Add of zero, Squeeze) is passed
    /// through, and the product read only from it runs once per run: each run must see its own weight.
    func testLoopReadsEachRunsCarriedWeight() throws {
        let body = TestGraph(
            nodes: [
                TestNode("Identity", ["cond_in"], ["cond_out"]),
                TestNode("Unsqueeze", ["w_in", "axes"], ["w_wide"]),
                TestNode("Add", ["w_wide", "zero"], ["w_copy"]),
                TestNode("Squeeze", ["w_copy", "axes"], ["w_out"]),
                TestNode("MatMul", ["row", "w_in"], ["product"]),
                TestNode("Add", ["acc_in", "product"], ["acc_out"]),
            ],
            outputs: ["cond_out", "w_out", "acc_out"],
            initializers: [("axes", .i64([1], [0])), ("zero", .f([1], [0]))],
            inputs: [.init(name: "i", type: .int64, dims: []), .init(name: "cond_in", type: .bool, dims: []),
                     .init(name: "w_in", type: .float, dims: [2, 2]), .init(name: "acc_in", type: .float, dims: [1, 2])])
        var m = TestModel()
        m.nodes = [TestNode("Loop", ["trips", "", "w", "start"], ["w_last", "acc"], ["body": .graph(body)])]
        m.inputs = [.init(name: "w", type: .float, dims: [2, 2])]
        m.outputs = [.init(name: "w_last", type: .float, dims: nil), .init(name: "acc", type: .float, dims: nil)]
        m.initializers = [("trips", .i64([], [3])), ("start", .f([1, 2], [1, -1])), ("row", .f([1, 2], [2, 3]))]
        let session = try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 1))
        for w: [Float] in [[1, 2, 3, 4], [-1, 0.5, 2, 0], [1, 2, 3, 4]] {
            let outputs = try session.run(["w": .f([2, 2], w)])
            let product = [2 * w[0] + 3 * w[2], 2 * w[1] + 3 * w[3]]
            XCTAssertEqual(outputs["w_last"]!.floats, w)
            assertClose(outputs["acc"]!.floats, [1 + 3 * product[0], -1 + 3 * product[1]])
        }
    }

    func testLoopTripCountBelowZeroIsRefused() throws {
        let session = try InferenceSession(model: ONNXModel(data: runningTotalModel().data()), options: .init(threads: 1))
        XCTAssertThrowsError(try session.run(["x": .f([3], [0, 0, 0]), "trips": .i64([], [-1])])) { error in
            XCTAssertEqual((error as? EngineError)?.code, .invalidModel)
            XCTAssertTrue("\(error)".contains("running_total") && "\(error)".contains("-1"), "\(error)")
        }
    }

    /// A Loop over `body` with one loop-carried value `v` ([2] floats) and the given condition input.
    private func loopModel(body: TestGraph, condition: String = "", outputs: [String] = ["v_out"], extraInputs: [TestModel.Value] = []) -> TestModel {
        var m = TestModel()
        m.nodes = [TestNode("Loop", ["trips", condition, "v"], outputs, name: "the_loop", ["body": .graph(body)])]
        m.inputs = [.init(name: "v", type: .float, dims: [2])] + extraInputs
        m.outputs = outputs.map { .init(name: $0, type: nil, dims: nil) }
        m.initializers = [("trips", .i64([], [3]))]
        return m
    }

    private let iterationInputs: [TestModel.Value] = [
        .init(name: "i", type: .int64, dims: []), .init(name: "cond_in", type: .bool, dims: []), .init(name: "v_in", type: .float, dims: [2]),
    ]

    private func assertRefused(_ m: TestModel, _ feeds: [String: Tensor], _ code: EngineError.Code, mentioning words: [String], line: UInt = #line) {
        XCTAssertThrowsError(try InferenceSession(model: ONNXModel(data: m.data()), options: .init(threads: 1)).run(feeds), line: line) { error in
            XCTAssertEqual((error as? EngineError)?.code, code, "\(error)", line: line)
            for word in words { XCTAssertTrue("\(error)".contains(word), "\(error) does not mention \(word)", line: line) }
        }
    }

    func testLoopBodyWithTheWrongNumberOfInputsIsRefused() {
        let body = TestGraph(nodes: [TestNode("Identity", ["cond_in"], ["cond_out"]), TestNode("Identity", ["v_in"], ["v_next"])],
                             outputs: ["cond_out", "v_next"], inputs: Array(iterationInputs.suffix(2)))
        assertRefused(loopModel(body: body), ["v": .f([2], [1, 2])], .invalidModel, mentioning: ["the_loop", "2 inputs", "needs 3"])
    }

    func testLoopBodyWithTheWrongNumberOfOutputsIsRefused() {
        let body = TestGraph(nodes: [TestNode("Identity", ["v_in"], ["v_next"])], outputs: ["v_next"], inputs: iterationInputs)
        assertRefused(loopModel(body: body), ["v": .f([2], [1, 2])], .invalidModel, mentioning: ["the_loop", "1 outputs", "needs 2"])
    }

    func testLoopConditionThatIsNotOneBoolIsRefused() {
        let body = TestGraph(nodes: [TestNode("Identity", ["cond_in"], ["cond_out"]), TestNode("Identity", ["v_in"], ["v_next"])],
                             outputs: ["cond_out", "v_next"], inputs: iterationInputs)
        let m = loopModel(body: body, condition: "go", extraInputs: [.init(name: "go", type: .bool, dims: [2])])
        assertRefused(m, ["v": .f([2], [1, 2]), "go": .b([2], [true, true])], .invalidModel, mentioning: ["the_loop", "condition", "one bool"])
    }

    /// A trip count of 2⁴⁰ over a scan output of 8 MB a slice: refused as out of memory once the slices outgrow the
    /// machine, while planning, instead of following 2⁴⁰ iterations or failing at the allocation.
    func testLoopWhoseScanOutputsOutgrowMemoryIsRefused() {
        let body = TestGraph(
            nodes: [TestNode("Identity", ["cond_in"], ["cond_out"]), TestNode("Identity", ["v_in"], ["v_next"]),
                    TestNode("Expand", ["v_in", "wide"], ["slice"])],
            outputs: ["cond_out", "v_next", "slice"],
            initializers: [("wide", .i64([2], [1 << 20, 2]))],
            inputs: iterationInputs)
        var m = loopModel(body: body, outputs: ["v_out", "stacked"])
        m.initializers = [("trips", .i64([], [1 << 40]))]
        assertRefused(m, ["v": .f([2], [1, 2])], .outOfMemory, mentioning: ["the_loop", "scan outputs", "iterations"])
    }

    func testLoopScanOutputWhoseShapeChangesIsRefused() {
        let body = TestGraph(
            nodes: [TestNode("Identity", ["cond_in"], ["cond_out"]), TestNode("Identity", ["v_in"], ["v_next"]),
                    TestNode("Add", ["i", "one"], ["count"]), TestNode("Range", ["zero", "count", "one"], ["steps"])],
            outputs: ["cond_out", "v_next", "steps"],
            initializers: [("zero", .i64([], [0])), ("one", .i64([], [1]))],
            inputs: iterationInputs)
        assertRefused(loopModel(body: body, outputs: ["v_out", "stacked"]), ["v": .f([2], [1, 2])], .shapeMismatch,
                      mentioning: ["the_loop", "scan output #0", "iteration 1"])
    }
}
