import XCTest
@testable import SparseEngine

/// `QS8TaskGrid`: every (weight unit, pixel tile) pair in exactly one task, blocks within their L2 bound, and task
/// counts that split evenly over the threads where any does.
final class QS8TaskGridTests: XCTestCase {
    /// Checks the grid's cover and returns it.
    @discardableResult
    private func grid(units: Int, most: Int, items: Int, threads: Int, file: StaticString = #filePath, line: UInt = #line) -> QS8TaskGrid {
        let grid = QS8TaskGrid(units: units, mostPerBlock: most, items: items, threads: threads)
        var seen = [Int](repeating: 0, count: units * items)
        for task in 0..<(grid.blocks * grid.runs) {
            let unitRange = grid.unitRange(task: task)
            XCTAssertLessThanOrEqual(unitRange.count, max(most, (units + grid.blocks - 1) / grid.blocks), file: file, line: line)
            for unit in unitRange {
                for item in grid.itemRange(task: task) { seen[unit * items + item] += 1 }
            }
        }
        XCTAssertEqual(seen, [Int](repeating: 1, count: units * items), "\(units) units × \(items) tiles", file: file, line: line)
        return grid
    }

    func testEveryPairOnceOverAwkwardSizes() {
        for units in [1, 2, 3, 7, 16, 33] {
            for items in [1, 2, 5, 7, 21, 98] {
                for threads in [1, 2, 3] {
                    for most in [1, 4, 128] { grid(units: units, most: most, items: items, threads: threads) }
                }
            }
        }
    }

    func testTaskCountsSplitEvenlyOverTwoThreads() {
        // ResNet-50's 14 × 14 pointwise layers at batch 1: 7 pixel tiles, one block of weights. 7 tasks left one thread
        // a task more; two blocks of 4 runs give each thread 4 equal tasks.
        let late = grid(units: 128, most: 128, items: 7, threads: 2)
        XCTAssertEqual(late.blocks * late.runs % 2, 0)
        XCTAssertEqual(late.blocks, 2)
        // A 56 × 56 layer: 98 tiles in 8 runs of 12 or 13 (not 7 of 13 and one of 7).
        let early = grid(units: 8, most: 512, items: 98, threads: 2)
        XCTAssertEqual(early.blocks, 1)
        XCTAssertEqual(early.runs, 8)
        XCTAssertEqual(Set((0..<8).map { early.itemRange(task: $0).count }), [12, 13])
        // Blocks beyond the L2 bound, an odd count, get an even number of runs.
        let wide = grid(units: 30, most: 10, items: 21, threads: 2)
        XCTAssertEqual(wide.blocks, 3)
        XCTAssertEqual(wide.runs % 2, 0)
        // One thread: the least grid.
        let single = grid(units: 128, most: 128, items: 7, threads: 1)
        XCTAssertEqual(single.blocks, 1)
        XCTAssertEqual(single.runs, 4)
    }
}
