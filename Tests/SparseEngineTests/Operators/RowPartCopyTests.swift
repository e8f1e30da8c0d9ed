import XCTest
@testable import SparseEngine

/// `RowPartCopy` and the operators on it (Concat, Split, Reshape): the parallel copy equals the row-by-row one for
/// part widths that are odd, zero or larger than a task, on 1, 2 and 3 threads.
final class RowPartCopyTests: XCTestCase {
    /// (part widths in bytes, rows): many small rows, one row of several tasks, a single part, empty parts.
    private let cases: [([Int], Int)] = [
        ([8, 8, 324], 19_200),
        ([3_276_801, 1_000_003], 1),
        ([700_001], 1),
        ([0, 5, 0, 131_071, 0], 7),
        ([12, 4], 3),
    ]

    func testGatherAndScatterMatchRowByRowCopies() {
        for (widths, rows) in cases {
            let rowBytes = widths.reduce(0, +)
            let parts = widths.enumerated().map { index, width in
                (0..<width * rows).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index &* 7) }
            }
            var expected: [UInt8] = []
            for row in 0..<rows {
                for (part, width) in zip(parts, widths) { expected += part[row * width..<(row + 1) * width] }
            }
            for threads in [1, 2, 3] {
                let pool = ThreadPool(threads: threads)
                let buffers = parts.map { part in
                    let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(1, part.count), alignment: 64)
                    part.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: part.count) }
                    return buffer
                }
                let whole = UnsafeMutableRawPointer.allocate(byteCount: rowBytes * rows, alignment: 64)
                defer { buffers.forEach { $0.deallocate() }; whole.deallocate() }
                let copy = RowPartCopy(parts: buffers, widths: widths, rows: rows)
                copy.gather(into: whole, pool: pool)
                XCTAssertEqual(Array(UnsafeRawBufferPointer(start: whole, count: rowBytes * rows)), expected, "\(widths) × \(rows), \(threads) threads")
                for (buffer, part) in zip(buffers, parts) { buffer.initializeMemory(as: UInt8.self, repeating: 0, count: part.count) }
                copy.scatter(from: whole, pool: pool)
                for (buffer, part) in zip(buffers, parts) {
                    XCTAssertEqual(Array(UnsafeRawBufferPointer(start: buffer, count: part.count)), part, "\(widths) × \(rows), \(threads) threads")
                }
            }
        }
    }

    /// Concat and Split along the last axis of YOLO's head ([1, 3, 80, 80, 85] as 2 + 2 + 81) and along channels of one
    /// image, against index arithmetic, and a Reshape of more than one task.
    func testConcatSplitAndReshapeOfLargeTensors() throws {
        for threads in [1, 2] {
            let x = Tensor.f([1, 3, 40, 40, 85], (0..<(3 * 1600 * 85)).map(Float.init))
            let parts = try runOp("Split", inputs: [("x", x)], constants: [("sp", .i64([3], [2, 2, 81]))], outputs: ["a", "b", "c"],
                                  attributes: ["axis": .int(-1)], threads: threads)
            for (name, first, width) in [("a", 0, 2), ("b", 2, 2), ("c", 4, 81)] {
                XCTAssertEqual(parts[name]!.shape, [1, 3, 40, 40, width])
                XCTAssertEqual(parts[name]!.floats, (0..<(4_800 * width)).map { Float($0 / width * 85 + first + $0 % width) }, "\(name), \(threads) threads")
            }
            let joined = try runOp("Concat", inputs: [("a", parts["a"]!), ("b", parts["b"]!), ("c", parts["c"]!)],
                                   attributes: ["axis": .int(4)], threads: threads)["y"]!
            XCTAssertEqual(joined.floats, x.floats, "\(threads) threads")
            let channels = try runOp("Concat", inputs: [("a", .f([1, 3, 97, 101], randomFloats(3 * 9797, seed: 1))),
                                                        ("b", .f([1, 5, 97, 101], randomFloats(5 * 9797, seed: 2)))],
                                     attributes: ["axis": .int(1)], threads: threads)["y"]!
            XCTAssertEqual(channels.floats, randomFloats(3 * 9797, seed: 1) + randomFloats(5 * 9797, seed: 2), "\(threads) threads")
            let reshaped = try runOp("Reshape", inputs: [("x", x)], constants: [("s", .i64([2], [255, 1600]))], threads: threads)["y"]!
            XCTAssertEqual(reshaped.shape, [255, 1600])
            XCTAssertEqual(reshaped.floats, x.floats, "\(threads) threads")
        }
    }
}
