import Foundation
import XCTest
@testable import SparseEngine

final class ThreadPoolTests: XCTestCase {
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
            XCTAssertEqual(seen, Set(0..<n))
            XCTAssertEqual(total, 50 * (63 * 64 / 2))
        }
    }
}
