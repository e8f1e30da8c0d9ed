import Foundation
import XCTest
@testable import SparseEngine

/// Operators and modes added for the conformance suite, each on a case small enough to check by hand.
final class AddedOperatorTests: XCTestCase {
    func testBatchNormalizationTrainingModeUsesBatchStatistics() throws {
        // Channel 0 holds 1, 3 (mean 2, variance 1); channel 1 holds 2, 2 (mean 2, variance 0).
        let out = try runOp("BatchNormalization", inputs: [("x", .f([2, 2, 1, 1], [1, 2, 3, 2]))],
                            constants: [("s", .f([2], [1, 1])), ("b", .f([2], [0, 0])), ("m", .f([2], [10, 10])), ("v", .f([2], [4, 4]))],
                            outputs: ["y", "rm", "rv"], attributes: ["epsilon": .float(0), "training_mode": .int(1), "momentum": .float(0.5)], opset: 15)
        XCTAssertEqual(out["y"]!.floats[0], -1)
        XCTAssertEqual(out["y"]!.floats[2], 1)
        XCTAssertEqual(out["rm"]!.floats, [6, 6])
        XCTAssertEqual(out["rv"]!.floats, [2.5, 2])
    }

    func testLRN() throws {
        // size 3 over channels 1, 2, 2: channel 0 sees 1² + 2², channel 2 sees 2² + 2².
        let y = try runOp("LRN", inputs: [("x", .f([1, 3, 1, 1], [1, 2, 2]))], attributes: ["size": .int(3), "alpha": .float(3), "beta": .float(1), "bias": .float(1)])["y"]!
        assertClose(y.floats, [1.0 / 6, 2.0 / 10, 2.0 / 9])
    }

    func testDropoutTrainingModeKeepsAndScales() throws {
        let x = Tensor.f([1000], [Float](repeating: 1, count: 1000))
        let out = try runOp("Dropout", inputs: [("x", x)], constants: [("r", .f([], [0.25])), ("t", .b([], [true]))],
                            outputs: ["y", "mask"], attributes: ["seed": .int(7)])
        let kept = out["mask"]!.bools.filter { $0 }.count
        XCTAssertTrue((650...850).contains(kept), "kept \(kept) of 1000 at ratio 0.25")
        for (y, keep) in zip(out["y"]!.floats, out["mask"]!.bools) { XCTAssertEqual(y, keep ? 4.0 / 3.0 : 0) }
        let again = try runOp("Dropout", inputs: [("x", x)], constants: [("r", .f([], [0.25])), ("t", .b([], [true]))],
                              outputs: ["y", "mask"], attributes: ["seed": .int(7)])
        XCTAssertEqual(again["mask"]!.bools, out["mask"]!.bools, "the same seed draws the same mask")
    }

    func testModBitwiseAndHalfPrecisionArithmetic() throws {
        let a = Tensor.i64([4], [7, -7, 7, -7]), b = Tensor.i64([4], [3, 3, -3, -3])
        XCTAssertEqual(try runOp("Mod", inputs: [("a", a), ("b", b)], opset: 13)["y"]!.int64s, [1, 2, -2, -1])
        XCTAssertEqual(try runOp("Mod", inputs: [("a", a), ("b", b)], attributes: ["fmod": .int(1)], opset: 13)["y"]!.int64s, [1, -1, 1, -1])
        XCTAssertEqual(try runOp("BitwiseXor", inputs: [("a", .i64([2], [12, 5])), ("b", .i64([2], [10, 5]))], opset: 18)["y"]!.int64s, [6, 0])
        let shifted = try runOp("BitShift", inputs: [("a", try Tensor(shape: [2], scalars: [UInt8(1), 128])), ("b", try Tensor(shape: [2], scalars: [UInt8(3), 1]))],
                                attributes: ["direction": .string("RIGHT")], opset: 11)["y"]!
        XCTAssertEqual(try shifted.scalars(UInt8.self), [0, 64])
        let half = try halfTensor([3], [1.5, -2, 4]), other = try halfTensor([3], [2, 0.5, -8])
        let maximum = try runOp("Max", inputs: [("a", half), ("b", other)], opset: 13)["y"]!
        XCTAssertEqual(maximum.dataType, .float16)
        XCTAssertEqual(try maximum.doubleValues(), [2, 0.5, 4])
        XCTAssertEqual(try runOp("Add", inputs: [("a", half), ("b", other)])["y"]!.doubleValues(), [3.5, -1.5, -4])
    }

    func testCastLikeAndSize() throws {
        let y = try runOp("CastLike", inputs: [("x", .f([2], [1.9, -2.5])), ("like", .i64([1], [0]))], opset: 15)["y"]!
        XCTAssertEqual(y.int64s, [1, -2])
        let size = try runOp("Size", inputs: [("x", .f([2, 3], [Float](repeating: 0, count: 6)))])["y"]!
        XCTAssertEqual(size.shape, [])
        XCTAssertEqual(size.int64s, [6])
    }

    func testExtendedReductionsAndArgMax() throws {
        let x = Tensor.f([2, 2], [3, -4, 1, 1])
        func reduce(_ op: String) throws -> [Float] { try runOp(op, inputs: [("x", x)], attributes: ["axes": .ints([1]), "keepdims": .int(0)], opset: 13)["y"]!.floats }
        XCTAssertEqual(try reduce("ReduceL1"), [7, 2])
        assertClose(try reduce("ReduceL2"), [5, Float(2.0.squareRoot())])
        XCTAssertEqual(try reduce("ReduceSumSquare"), [25, 2])
        assertClose(try reduce("ReduceLogSumExp"), [Float(log(exp(3.0) + exp(-4.0))), Float(log(2 * exp(1.0)))])
        let big = try runOp("ReduceLogSumExp", inputs: [("x", .f([2], [1000, 1000]))], attributes: ["keepdims": .int(0)], opset: 13)["y"]!
        assertClose(big.floats, [1000 + Float(log(2.0))])
        XCTAssertEqual(try runOp("ArgMax", inputs: [("x", x)], attributes: ["axis": .int(1)])["y"]!.int64s, [0, 0])
        XCTAssertEqual(try runOp("ArgMax", inputs: [("x", x)], attributes: ["axis": .int(1), "select_last_index": .int(1)])["y"]!.int64s, [0, 1])
        XCTAssertEqual(try runOp("ArgMin", inputs: [("x", x)], attributes: ["axis": .int(0), "keepdims": .int(0)])["y"]!.int64s, [1, 0])
    }

    func testGatherAndScatterElementsAndND() throws {
        let data = Tensor.f([2, 2], [1, 2, 3, 4])
        let gathered = try runOp("GatherElements", inputs: [("x", data), ("i", .i64([2, 2], [1, 0, 0, -1]))], attributes: ["axis": .int(1)], opset: 13)["y"]!
        XCTAssertEqual(gathered.floats, [2, 1, 3, 4])
        let scattered = try runOp("ScatterElements", inputs: [("x", data), ("i", .i64([1, 2], [1, 1])), ("u", .f([1, 2], [10, 20]))],
                                  attributes: ["reduction": .string("add")], opset: 18)["y"]!
        XCTAssertEqual(scattered.floats, [1, 2, 13, 24])
        XCTAssertEqual(try runOp("GatherND", inputs: [("x", data), ("i", .i64([2, 2], [0, 1, 1, 0]))], opset: 13)["y"]!.floats, [2, 3])
        let nd = try runOp("ScatterND", inputs: [("x", data), ("i", .i64([1, 1], [1])), ("u", .f([1, 2], [7, 8]))], opset: 13)["y"]!
        XCTAssertEqual(nd.floats, [1, 2, 7, 8])
    }

    func testOneHotTriluTopKCumSum() throws {
        let hot = try runOp("OneHot", inputs: [("i", .i64([3], [0, -1, 5]))], constants: [("d", .i64([], [3])), ("v", .f([2], [0, 1]))], opset: 11)["y"]!
        XCTAssertEqual(hot.shape, [3, 3])
        XCTAssertEqual(hot.floats, [1, 0, 0, 0, 0, 1, 0, 0, 0])
        let upper = try runOp("Trilu", inputs: [("x", .f([2, 3], [1, 2, 3, 4, 5, 6]))], opset: 14)["y"]!
        XCTAssertEqual(upper.floats, [1, 2, 3, 0, 5, 6])
        let lower = try runOp("Trilu", inputs: [("x", .f([2, 3], [1, 2, 3, 4, 5, 6]))], constants: [("k", .i64([], [-1]))], attributes: ["upper": .int(0)], opset: 14)["y"]!
        XCTAssertEqual(lower.floats, [0, 0, 0, 4, 0, 0])
        let top = try runOp("TopK", inputs: [("x", .f([5], [3, 1, 4, 1, 5]))], constants: [("k", .i64([1], [3]))], outputs: ["v", "i"], opset: 11)
        XCTAssertEqual(top["v"]!.floats, [5, 4, 3])
        XCTAssertEqual(top["i"]!.int64s, [4, 2, 0])
        let smallest = try runOp("TopK", inputs: [("x", .f([5], [3, 1, 4, 1, 5]))], constants: [("k", .i64([1], [2]))], outputs: ["v", "i"], attributes: ["largest": .int(0)], opset: 11)
        XCTAssertEqual(smallest["i"]!.int64s, [1, 3], "ties keep the lower index first")
        let sums = try runOp("CumSum", inputs: [("x", .f([4], [1, 2, 3, 4]))], constants: [("a", .i64([], [0]))], attributes: ["exclusive": .int(1), "reverse": .int(1)], opset: 14)["y"]!
        XCTAssertEqual(sums.floats, [9, 7, 4, 0])
    }

    func testEinsumAndDet() throws {
        let a = Tensor.f([2, 3], [1, 2, 3, 4, 5, 6]), b = Tensor.f([3, 1], [1, 0, -1])
        XCTAssertEqual(try runOp("Einsum", inputs: [("a", a), ("b", b)], attributes: ["equation": .string("ij,jk->ik")], opset: 12)["y"]!.floats, [-2, -2])
        XCTAssertEqual(try runOp("Einsum", inputs: [("a", a)], attributes: ["equation": .string("ij->ji")], opset: 12)["y"]!.floats, [1, 4, 2, 5, 3, 6])
        let diagonal = try runOp("Einsum", inputs: [("a", .f([1, 2, 2], [1, 2, 3, 4]))], attributes: ["equation": .string("...ii->...i")], opset: 12)["y"]!
        XCTAssertEqual(diagonal.floats, [1, 4])
        let det = try runOp("Det", inputs: [("x", .f([2, 2, 2], [1, 2, 3, 4, 0, 1, 1, 0]))], opset: 11)["y"]!
        assertClose(det.floats, [-2, -1])
    }

    func testLossesAgainstHandComputedValues() throws {
        // Log-probabilities of two samples over two classes; targets 0 and 1, the second ignored.
        let logProbabilities = Tensor.f([2, 2], [-1, -2, -3, -4])
        let mean = try runOp("NegativeLogLikelihoodLoss", inputs: [("x", logProbabilities), ("t", .i64([2], [0, 1]))], constants: [("w", .f([2], [2, 3]))], opset: 13)["y"]!
        XCTAssertEqual(mean.floats, [(2 * 1 + 3 * 4) / 5])
        let ignored = try runOp("NegativeLogLikelihoodLoss", inputs: [("x", logProbabilities), ("t", .i64([2], [0, 1]))],
                                attributes: ["reduction": .string("none"), "ignore_index": .int(1)], opset: 13)["y"]!
        XCTAssertEqual(ignored.floats, [1, 0])
        // Softmax of equal scores gives log(1/2) for every class.
        let sce = try runOp("SoftmaxCrossEntropyLoss", inputs: [("x", .f([1, 2], [5, 5])), ("t", .i64([1], [1]))], outputs: ["y", "lp"], opset: 13)
        assertClose(sce["y"]!.floats, [Float(log(2.0))])
        assertClose(sce["lp"]!.floats, [-Float(log(2.0)), -Float(log(2.0))])
    }

    func testGroupInstanceAndMeanVarianceNormalization() throws {
        let x = Tensor.f([1, 2, 1, 2], [1, 3, 5, 9])
        let instance = try runOp("InstanceNormalization", inputs: [("x", x)], constants: [("s", .f([2], [1, 2])), ("b", .f([2], [0, 1]))], attributes: ["epsilon": .float(0)])["y"]!
        assertClose(instance.floats, [-1, 1, -1, 3])
        // One group over all four values 1, 3, 5, 9: mean 4.5, variance 8.75.
        let group = try runOp("GroupNormalization", inputs: [("x", x)], constants: [("s", .f([1], [1])), ("b", .f([1], [0]))],
                              attributes: ["num_groups": .int(1), "epsilon": .float(0)], opset: 18)["y"]!
        assertClose(group.floats, [1, 3, 5, 9].map { Float(($0 - 4.5) / 8.75.squareRoot()) })
        let mvn = try runOp("MeanVarianceNormalization", inputs: [("x", x)], opset: 13)["y"]!
        assertClose(mvn.floats, [-1, 1, -1, 1])
    }

    func testDepthToSpaceAndHardmax() throws {
        let x = Tensor.f([1, 4, 1, 1], [1, 2, 3, 4])
        let dcr = try runOp("DepthToSpace", inputs: [("x", x)], attributes: ["blocksize": .int(2)])["y"]!
        XCTAssertEqual(dcr.shape, [1, 1, 2, 2])
        XCTAssertEqual(dcr.floats, [1, 2, 3, 4])
        let back = try runOp("SpaceToDepth", inputs: [("x", dcr)], attributes: ["blocksize": .int(2)])["y"]!
        XCTAssertEqual(back.floats, [1, 2, 3, 4])
        XCTAssertEqual(try runOp("Hardmax", inputs: [("x", .f([2, 3], [1, 3, 3, 0, -1, -2]))])["y"]!.floats, [0, 1, 0, 1, 0, 0])
    }

    private func halfTensor(_ shape: [Int], _ values: [Float]) throws -> Tensor {
        let t = try Tensor(zeros: .float16, shape: shape)
        try castTensor(Tensor(shape: shape, scalars: values), into: t)
        return t
    }
}
