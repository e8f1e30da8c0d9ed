import SparseEngine
import XCTest
@testable import ZooVerify

/// `OutputComparison` and `Tolerance`: numpy.allclose's rule, the reported errors, the batch dimension,
/// and what counts as a mismatch.
final class OutputComparisonTests: XCTestCase {
    private func doubles(_ shape: [Int], _ values: [Double]) throws -> Tensor { try Tensor(shape: shape, scalars: values) }

    func testIdenticalOutputsMatchWithZeroError() throws {
        let tensor = try Tensor(shape: [2, 2], scalars: [Float(1), -2, 0, 4])
        let comparison = try OutputComparison(name: "logits", actual: tensor, expected: tensor, tolerance: .deepsparse)
        XCTAssertTrue(comparison.ok)
        XCTAssertNil(comparison.problem)
        XCTAssertEqual(comparison.maxAbsoluteError, 0)
        XCTAssertEqual(comparison.maxRelativeError, 0)
        XCTAssertEqual(comparison.elements, 4)
        XCTAssertEqual(comparison.mismatched, 0)
    }

    func testErrorsAndTheAllcloseRule() throws {
        let expected = try doubles([2], [1, 100])
        let actual = try doubles([2], [1.002, 100.05])
        // |Δ| = 0.002 and 0.05; relative 0.002 / 1 and 0.05 / 100 = 0.0005.
        let strict = try OutputComparison(name: "y", actual: actual, expected: expected, tolerance: Tolerance(absolute: 1e-3, relative: 0))
        XCTAssertEqual(try XCTUnwrap(strict.maxAbsoluteError), 0.05, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(strict.maxRelativeError), 0.002, accuracy: 1e-9)
        XCTAssertFalse(strict.ok)
        XCTAssertEqual(strict.mismatched, 2)
        let problem = try XCTUnwrap(strict.problem)
        XCTAssertTrue(problem.contains("2 of 2 elements differ beyond atol 0.001, rtol 0.0"), problem)
        XCTAssertTrue(problem.contains("at [1], is 100.05 where the sample has 100.0"), problem)

        // 0.05 <= 1e-3 + 2e-3 · 100 and 0.002 <= 1e-3 + 2e-3 · 1 (with room for float rounding).
        let relative = try OutputComparison(name: "y", actual: actual, expected: expected, tolerance: Tolerance(absolute: 1e-3, relative: 2e-3))
        XCTAssertTrue(relative.ok, relative.problem ?? "")
        // Only the first element fits atol 0.0025 alone.
        let mixed = try OutputComparison(name: "y", actual: actual, expected: expected, tolerance: Tolerance(absolute: 0.0025, relative: 0))
        XCTAssertEqual(mixed.mismatched, 1)
    }

    func testTheBatchDimensionOfTheEngineIsDropped() throws {
        let engine = try Tensor(shape: [1, 3], scalars: [Float(1), 2, 3])
        let sample = try Tensor(shape: [3], scalars: [Float(1), 2, 3])
        let comparison = try OutputComparison(name: "y", actual: engine, expected: sample, tolerance: .deepsparse)
        XCTAssertTrue(comparison.ok)
        XCTAssertEqual(comparison.actualShape, [3])
        XCTAssertEqual(comparison.expectedShape, [3])
    }

    func testShapeMismatchIsAMismatch() throws {
        let engine = try Tensor(shape: [2, 3], scalars: [Float](repeating: 0, count: 6))
        let sample = try Tensor(shape: [3], scalars: [Float](repeating: 0, count: 3))
        let comparison = try OutputComparison(name: "y", actual: engine, expected: sample, tolerance: .deepsparse)
        XCTAssertFalse(comparison.ok)
        XCTAssertNil(comparison.maxAbsoluteError)
        XCTAssertEqual(comparison.problem, "the engine's output has shape [2, 3] but the sample output has [3]")
    }

    func testNaNNeverMatchesAndInfinityMatchesOnlyItself() throws {
        let nan = try OutputComparison(name: "y", actual: try doubles([2], [.nan, 1]), expected: try doubles([2], [.nan, 1]), tolerance: .deepsparse)
        XCTAssertFalse(nan.ok, "numpy.allclose's default equal_nan=False")
        XCTAssertEqual(nan.mismatched, 1)
        XCTAssertTrue(try XCTUnwrap(nan.maxAbsoluteError).isNaN)

        let infinities = try OutputComparison(name: "y", actual: try doubles([2], [.infinity, -.infinity]), expected: try doubles([2], [.infinity, -.infinity]),
                                              tolerance: .deepsparse)
        XCTAssertTrue(infinities.ok)
        let flipped = try OutputComparison(name: "y", actual: try doubles([1], [.infinity]), expected: try doubles([1], [-.infinity]),
                                           tolerance: Tolerance(absolute: 1e300, relative: 1))
        XCTAssertFalse(flipped.ok)
    }

    func testMixedElementTypesCompareByValue() throws {
        let ints = try Tensor(shape: [3], scalars: [Int64(1), 2, 3])
        let floats = try Tensor(shape: [3], scalars: [Float(1), 2, 3.5])
        let comparison = try OutputComparison(name: "labels", actual: ints, expected: floats, tolerance: .deepsparse)
        XCTAssertEqual(comparison.maxAbsoluteError, 0.5)
        XCTAssertFalse(comparison.ok)
    }
}
