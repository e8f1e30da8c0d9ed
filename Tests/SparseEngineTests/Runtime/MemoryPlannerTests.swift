import XCTest
@testable import SparseEngine

final class MemoryPlannerTests: XCTestCase {
    func testOverlappingLifetimesNeverShareBytes() {
        let requests: [MemoryPlanner.Request] = [
            .init(size: 100, firstStep: 0, lastStep: 1),
            .init(size: 200, firstStep: 1, lastStep: 2),
            .init(size: 100, firstStep: 2, lastStep: 3),  // may reuse the first
            .init(size: 50, firstStep: 3, lastStep: 4),
        ]
        let (offsets, arena) = MemoryPlanner.plan(requests)
        for i in requests.indices {
            for j in requests.indices where i < j {
                let a = requests[i], b = requests[j]
                guard a.firstStep <= b.lastStep && b.firstStep <= a.lastStep else { continue }
                let overlap = offsets[i] < offsets[j] + b.size && offsets[j] < offsets[i] + a.size
                XCTAssertFalse(overlap, "values \(i) and \(j) are live together but overlap in memory")
            }
        }
        XCTAssertEqual(arena, 256 + 128, "the 200-byte value and one 100-byte slot, 64-byte aligned")
        XCTAssertTrue(offsets.allSatisfy { $0 % 64 == 0 })
    }
}
