import XCTest
@testable import SparseEngine

/// The nearest-neighbour resize kernel against a direct gather.
final class ResizeKernelTests: XCTestCase {
    func testNearestResizeMatchesDirectGather() {
        let pool = ThreadPool(threads: 2)
        // (inH, inW, rows, columns): exact ×2 (vector body and tail), ×3, a shrink, repeated and reordered sources.
        let cases: [(Int, Int, [Int32], [Int32])] = [
            (20, 20, (0..<40).map { Int32($0 / 2) }, (0..<40).map { Int32($0 / 2) }),
            (3, 5, (0..<6).map { Int32($0 / 2) }, (0..<10).map { Int32($0 / 2) }),
            (4, 7, (0..<12).map { Int32($0 / 3) }, (0..<21).map { Int32($0 / 3) }),
            (9, 9, [0, 2, 4, 8], [1, 3, 5, 7]),
            (2, 16, [1, 0, 0, 1], (0..<32).map { Int32($0 / 2) }.reversed()),
        ]
        for (inH, inW, rows, columns) in cases {
            let planes = 3
            let x = (0..<planes * inH * inW).map { UInt32($0) }
            var y = [UInt32](repeating: .max, count: planes * rows.count * columns.count)
            x.withUnsafeBytes { x in
                y.withUnsafeMutableBytes { x32ResizeNearest2D(x.baseAddress!, $0.baseAddress!, planes: planes, inH: inH, inW: inW,
                                                              rows: rows, columns: columns, pool: pool) }
            }
            var expected: [UInt32] = []
            for p in 0..<planes { for r in rows { for c in columns { expected.append(x[(p * inH + Int(r)) * inW + Int(c)]) } } }
            XCTAssertEqual(y, expected, "\(inH)×\(inW) to \(rows.count)×\(columns.count)")
        }
    }
}
