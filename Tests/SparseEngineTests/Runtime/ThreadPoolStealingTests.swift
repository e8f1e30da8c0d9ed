import Foundation
import XCTest
@testable import SparseEngine

final class ThreadPoolStealingTests: XCTestCase {
    /// When a thread stalls in thread 0's share, the other finishes that share; each index runs once.
    func testIdleThreadsTakeTheRestOfAStalledShare() {
        let pool = ThreadPool(threads: 2)
        let lock = NSLock()
        var runner = [Int](repeating: -1, count: 40)
        pool.parallelFor(40) { index, thread in
            if index == 0 { usleep(100_000) }  // whoever runs index 0 (of thread 0's share 0..<20) stalls
            lock.lock()
            XCTAssertEqual(runner[index], -1, "index \(index) ran twice")
            runner[index] = thread
            lock.unlock()
        }
        XCTAssertFalse(runner.contains(-1))
        let stalled = runner[0]
        XCTAssertTrue(runner[1..<20].contains(1 - stalled), "the other thread should have taken part of the stalled share: \(runner)")
    }

    /// Many short jobs back to back: workers spin, sleep and wake without losing a job.
    func testManyShortJobsAndIdleGaps() {
        let pool = ThreadPool(threads: 3)
        var total = 0
        let lock = NSLock()
        for round in 0..<2_000 {
            if round % 500 == 0 { usleep(5_000) }  // long enough for the workers to go to sleep
            pool.parallelFor(5) { i, _ in lock.lock(); total += i; lock.unlock() }
        }
        XCTAssertEqual(total, 2_000 * 10)
    }
}
