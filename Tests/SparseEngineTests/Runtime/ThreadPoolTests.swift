import Foundation
import XCTest
@testable import SparseEngine

final class ThreadPoolTests: XCTestCase {
    /// Work runs on the pool's threads and no others, every index once. Short jobs may finish before a
    /// worker joins (the caller takes its share), so the workers are only required to take part in jobs
    /// long enough for any scheduler to run them (16 indices of half a millisecond each).
    func testUsesExactlyTheRequestedThreads() {
        for n in [1, 2, 3] {
            let pool = ThreadPool(threads: n)
            let lock = NSLock()
            var seen = Set<Int>()
            var total = 0
            for _ in 0..<50 {
                pool.parallelFor(64) { i, thread in
                    lock.lock(); seen.insert(thread); total += i; lock.unlock()
                }
            }
            XCTAssertTrue(seen.isSubset(of: Set(0..<n)), "\(seen)")
            XCTAssertEqual(total, 50 * (63 * 64 / 2))
            seen = []
            for _ in 0..<20 {
                pool.parallelFor(16) { _, thread in
                    usleep(500)
                    lock.lock(); seen.insert(thread); lock.unlock()
                }
            }
            XCTAssertEqual(seen, Set(0..<n))
        }
    }
}
