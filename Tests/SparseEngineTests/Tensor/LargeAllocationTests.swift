import XCTest
@testable import SparseEngine

/// `LargeAllocation`: small buffers 64-byte aligned, large ones on a 2 MiB boundary, both writable end to end.
final class LargeAllocationTests: XCTestCase {
    func testAlignmentBySize() {
        for (bytes, alignment) in [(100, 64), (LargeAllocation.threshold - 1, 64), (LargeAllocation.threshold, LargeAllocation.hugePage),
                                   (LargeAllocation.threshold * 2 + 3, LargeAllocation.hugePage)] {
            let pointer = LargeAllocation.allocate(byteCount: bytes)
            defer { pointer.deallocate() }
            XCTAssertEqual(Int(bitPattern: pointer) % alignment, 0, "\(bytes) bytes")
            pointer.initializeMemory(as: UInt8.self, repeating: 7, count: bytes)
            XCTAssertEqual(pointer.load(fromByteOffset: bytes - 1, as: UInt8.self), 7)
        }
    }
}
