import CSparseEngineKernelsINT8
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

    /// The requantizing sparse kernels (`QS8SparseRequantizingProduct`) of every set and width, over one and several spans
    /// of K: each run of columns goes to its own place in the output rows, requantized as `qs8_requantize` specifies (per-row
    /// bias and scale, scales of 1/2 and 1/4 that make ties for the half-to-even rounding, the zero point, uint8 and int8
    /// ranges and a Relu's raised lower bound); the bytes between the runs are untouched.
    func testRequantizingSparseKernelsWriteTheirRuns() {
        var random = LinearCongruential(state: 11)
        for (depth, columns) in [(7, 1), (64, 40), (642, 100), (4001, 128)] {
            let rows = 19, w = weights(rows: rows, depth: depth, &random)
            let sparse = QS8SparseWeights(rows: rows, depth: depth) { w[$0][$1] }
            let kgroups = (depth + 3) / 4, span = 4 * 128 + 4 * 24
            let activations = (0..<(kgroups * span)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let shiftedOffsets = (0..<kgroups).map { Int32($0 * span + 4 * Int(random.next() % 24)) }
            let bias = (0..<24).map { _ in Int32(random.next() % 20001) - 10000 }
            let scale = (0..<24).map { [Float(0.5), 0.25, 0.0137, 0.00041][$0 % 4] }
            // Groups at their own offsets, and a fixed stride apart given as `groupBytes` with K in one span (as the
            // convolutions run it) and a table of wrong offsets, which the kernels must not read.
            for uniform in [false, true] {
                let offsets = uniform ? (0..<kgroups).map { Int32($0 * span) } : shiftedOffsets
                let kernelOffsets = uniform ? [Int32](repeating: 0, count: kgroups) : offsets
                for kernels in QS8KernelSet.available {
                    let kernel = kernels.spmm(columns: columns), nr = kernel.nr
                    // Runs (start, end) of the tile's columns; run i is stored i bytes to the right of its columns. And the whole tile
                    // as one run (every vector whole, consecutive: the AVX-512 kernels' store without checks).
                    let shiftedRuns = [(0, nr / 4 + 1), (nr / 4 + 2, nr / 2 + 3), (nr / 2 + 3, nr - 1)].filter { $0.1 > $0.0 && $0.1 <= nr }
                    for runs in [shiftedRuns, [(0, nr)]] {
                        let ldy = nr + runs.count
                        for (zero, low, high) in [(100, 0, 255), (100, 100, 255), (-5, -128, 127)] as [(Int32, Int32, Int32)] {
                            var y = [UInt8](repeating: 0xAA, count: rows * ldy), acc = [Int32](repeating: 0, count: 32 * nr)
                            let storage = UnsafeMutablePointer<qs8_spmm_store>.allocate(capacity: QS8SpmmStores.capacity(nr: nr))
                            defer { storage.deallocate() }
                            var stores = QS8SpmmStores(storage)
                            for (i, run) in runs.enumerated() { stores.append(start: run.0, end: run.1, yOffset: run.0 + i) }
                            bias.withUnsafeBufferPointer { b in scale.withUnsafeBufferPointer { s in
                                let chunksPerCall = uniform ? max(1, sparse.chunks) : QS8TileProduct.span(sparse, nr: nr)
                                let product = QS8SparseRequantizingProduct(kernel: kernel, weights: sparse, span: chunksPerCall,
                                                                           bias: b.baseAddress!, scale: s.baseAddress!, zeroPoint: zero,
                                                                           low: low, high: high)
                                product.compute(tiles: 0..<3, activations: activations, offsets: kernelOffsets,
                                                groupBytes: uniform ? span : 0, acc: &acc, stores: stores, y: &y, ldy: ldy)
                            } }
                            for r in 0..<rows {
                                var expected = [UInt8](repeating: 0xAA, count: ldy)
                                for (i, run) in runs.enumerated() {
                                    for p in run.0..<run.1 {
                                        var sum: Int32 = 0
                                        for k in 0..<depth { sum += Int32(w[r][k]) * Int32(activations[Int(offsets[k / 4]) + 4 * p + k % 4]) }
                                        let v = min(max(Float(sum &+ bias[r]) * scale[r], Float(low - zero)), Float(high - zero))
                                        expected[p + i] = UInt8(truncatingIfNeeded: Int32(v.rounded(.toNearestOrEven)) + zero)
                                    }
                                }
                                XCTAssertEqual(Array(y[(r * ldy)..<((r + 1) * ldy)]), expected,
                                               "\(kernel.name) K \(depth) row \(r) zero \(zero) low \(low) uniform \(uniform) runs \(runs.count)")
                            }
                        }
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
