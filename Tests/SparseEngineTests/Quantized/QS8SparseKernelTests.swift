import XCTest
@testable import SparseEngine

/// The sparse INT8 microkernels of every instruction set and width, driven as the operators drive them
/// (`QS8TileProduct`: a tile of 8 rows, K in spans of chunks), against naive integer arithmetic over the same
/// weights with their zeros: accumulators exactly equal.
final class QS8SparseKernelTests: XCTestCase {
    /// Weights with zeros in whole groups of 4 (the 4-block pattern) and scattered (unstructured), rows of 0 or all groups.
    private func weights(rows: Int, depth: Int, _ random: inout LinearCongruential) -> [[Int8]] {
        (0..<rows).map { row in
            (0..<depth).map { k in
                if row == 2 { return 0 }                                  // an empty row
                if row == 5 { return Int8(truncatingIfNeeded: random.next() | 1) }  // a full row
                let keepGroup = random.next() % 3 == 0, keep = random.next() % 2 == 0
                return keepGroup && (row % 2 == 0 || keep) ? Int8(truncatingIfNeeded: random.next()) : 0
            }
        }
    }

    func testSparseTileProductsAreExact() {
        var random = LinearCongruential(state: 7)
        // (K, pixels the operator asks for): several spans of chunks for every width, a K that is not a multiple of 4.
        for (depth, columns) in [(7, 1), (64, 40), (642, 100), (4001, 128)] {
            let rows = 19, w = weights(rows: rows, depth: depth, &random)
            let packed = QS8Weights.sparse(QS8SparseWeights(rows: rows, depth: depth) { w[$0][$1] })
            let kgroups = (depth + 3) / 4
            let span = 4 * 128 + 4 * 24
            let activations = (0..<(kgroups * span)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let offsets = (0..<kgroups).map { Int32($0 * span + 4 * Int(random.next() % 24)) }
            for kernels in QS8KernelSet.available {
                let product = QS8TileProduct(packed, kernels: kernels, columns: columns), nr = product.nr
                var acc = [Int32](repeating: -1, count: 24 * nr)
                activations.withUnsafeBufferPointer { a in
                    offsets.withUnsafeBufferPointer { o in
                        acc.withUnsafeMutableBufferPointer { c in
                            // Runs of `tilesPerCall` tiles, as the operators call it; the last run is shorter.
                            for tile in stride(from: 0, to: 3, by: product.tilesPerCall) {
                                product.compute(tile, min(8 * product.tilesPerCall, rows - tile * 8), a.baseAddress!, o.baseAddress!,
                                                c.baseAddress! + tile * 8 * nr)
                            }
                        }
                    }
                }
                for r in 0..<rows {
                    for p in 0..<nr {
                        var expected: Int32 = 0
                        for k in 0..<depth {
                            expected += Int32(w[r][k]) * Int32(activations[Int(offsets[k / 4]) + 4 * p + k % 4])
                        }
                        XCTAssertEqual(acc[r * nr + p], expected, "\(kernels.spmm(columns: columns).name) K \(depth) row \(r) pixel \(p)")
                    }
                }
            }
        }
    }

    func testSparsePackingKeepsOnlyNonzeroGroups() {
        let w: [[Int8]] = [[0, 0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, -3]]
        let packed = QS8SparseWeights(rows: 2, depth: 9) { w[$0][$1] }
        XCTAssertEqual(packed.nonzeroGroups, 2)
        XCTAssertEqual(Array(packed.rowSums.prefix(2)), [1, -3])
        let starts = packed.chunkStarts(row: 1, chunk: 0)
        XCTAssertEqual(starts[packed.chunks] - starts[0], 1)
        XCTAssertEqual(packed.stepGroups[Int(starts[0])], 2)
        XCTAssertEqual(packed.stepWeights[Int(starts[0])], Int32(bitPattern: UInt32(UInt8(bitPattern: -3))))
    }
}
