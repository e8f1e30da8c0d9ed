import XCTest
import ZooBench

/// Expected values were computed with numpy 1.26.4 (`np.mean`, `np.median`, `np.std`, `np.percentile`).
final class LatencyStatisticsTests: XCTestCase {
    private func assertNear(_ actual: Double?, _ expected: Double, file: StaticString = #filePath, line: UInt = #line) {
        guard let actual else { return XCTFail("missing value", file: file, line: line) }
        XCTAssertEqual(actual, expected, accuracy: 1e-12 * max(1, abs(expected)), file: file, line: line)
    }

    func testMatchesNumpyOnElevenSamples() {
        let samples = [12.5, 3.25, 7.0, 9.75, 1.5, 22.0, 4.125, 15.875, 8.0, 6.5, 30.25]
        let s = LatencyStatistics(samples)
        XCTAssertEqual(s.count, 11)
        assertNear(s.mean, 10.977272727272727)
        assertNear(s.median, 8.0)
        assertNear(s.standardDeviation, 8.322822227748874)
        let numpy = [5.3125, 8.0, 14.1875, 22.0, 26.125, 29.425000000000004, 30.167500000000018]
        for (q, expected) in zip(LatencyStatistics.reportedPercentiles, numpy) { assertNear(s.percentile(q), expected) }
        XCTAssertEqual(s.minimum, 1.5)
        XCTAssertEqual(s.maximum, 30.25)
    }

    func testMatchesNumpyOnTwoSamples() {
        let s = LatencyStatistics([5.0, 1.0])
        assertNear(s.mean, 3.0)
        assertNear(s.median, 3.0)
        assertNear(s.standardDeviation, 2.0)
        let numpy = [2.0, 3.0, 4.0, 4.6, 4.8, 4.96, 4.996]
        for (q, expected) in zip(LatencyStatistics.reportedPercentiles, numpy) { assertNear(s.percentile(q), expected) }
    }

    func testOneSampleAndNone() {
        let one = LatencyStatistics([2.0])
        XCTAssertEqual(one.standardDeviation, 0)
        XCTAssertEqual(one.percentiles, Array(repeating: 2.0, count: 7))
        let none = LatencyStatistics([])
        XCTAssertEqual(none.count, 0)
        XCTAssertEqual(none.mean, 0)
        XCTAssertNil(none.percentile(42))
    }
}
