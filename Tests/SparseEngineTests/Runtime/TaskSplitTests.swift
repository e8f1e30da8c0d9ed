import XCTest
@testable import SparseEngine

/// `TaskSplit`: parts a sliver apart in size, and task counts that give every thread an equal share.
final class TaskSplitTests: XCTestCase {
    func testPartsAreTheFewestThatFit() {
        XCTAssertEqual(TaskSplit.parts(16, most: 14), 2)
        XCTAssertEqual(TaskSplit.parts(32, most: 14), 3)
        XCTAssertEqual(TaskSplit.parts(8, most: 14), 1)
        XCTAssertEqual(TaskSplit.parts(5, most: 0), 5)
        XCTAssertEqual(TaskSplit.parts(0, most: 4), 1)
    }

    func testRangesMakeTaskCountsAMultipleOfTheThreads() {
        // 3 weight blocks on 2 threads: 3 ranges would leave one thread a task more.
        XCTAssertEqual(TaskSplit.ranges(least: 3, most: 52, blocks: 3, threads: 2), 4)
        XCTAssertEqual(TaskSplit.ranges(least: 4, most: 52, blocks: 2, threads: 2), 4)
        XCTAssertEqual(TaskSplit.ranges(least: 3, most: 8, blocks: 3, threads: 4), 4)
        XCTAssertEqual(TaskSplit.ranges(least: 5, most: 50, blocks: 1, threads: 3), 6)
        // Bounded by the panels there are; no multiple within them keeps the least.
        XCTAssertEqual(TaskSplit.ranges(least: 8, most: 5, blocks: 1, threads: 2), 5)
        XCTAssertEqual(TaskSplit.ranges(least: 3, most: 3, blocks: 3, threads: 2), 3)
        XCTAssertEqual(TaskSplit.ranges(least: 3, most: 9, blocks: 3, threads: 1), 3)
    }
}
