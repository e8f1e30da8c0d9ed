import XCTest
@testable import SparseEngine

/// `SparseWeights`: the compressed layout holds exactly the nonzeros, whatever the shape.
final class SparseWeightsTests: XCTestCase {
    func testEncodingKeepsEveryNonzeroAndNothingElse() throws {
        for (m, k, chunk) in [(1, 1, 4), (37, 600, 256), (64, 33, 8), (5, 300, 7)] {
            let dense = prunedFloats(m * k, sparsity: 0.8, seed: UInt64(m * k))
            let tensor = dense.withUnsafeBufferPointer {
                SparseWeights.encode($0.baseAddress!, m: m, k: k, rowStride: k, columnStride: 1, chunk: chunk)
            }
            let weights = try XCTUnwrap(SparseWeights(tensor))
            XCTAssertEqual(weights.nonzeros, dense.filter { $0 != 0 }.count)
            XCTAssertEqual(decode(weights), dense, "m \(m) k \(k) chunk \(chunk)")
        }
    }

    /// A K×N right-hand operand is read transposed: row n of the compressed matrix is column n of B.
    func testTransposedReadOfAGemmOperand() throws {
        let k = 19, n = 6
        let b = prunedFloats(k * n, sparsity: 0.5, seed: 3)
        let tensor = b.withUnsafeBufferPointer { SparseWeights.encode($0.baseAddress!, m: n, k: k, rowStride: 1, columnStride: n) }
        let decoded = decode(try XCTUnwrap(SparseWeights(tensor)))
        for row in 0..<n { for column in 0..<k { XCTAssertEqual(decoded[row * k + column], b[column * n + row]) } }
    }

    func testBytesThatAreNotALayoutAreRefused() throws {
        XCTAssertNil(SparseWeights(try Tensor(zeros: .uint8, shape: [64])))
        XCTAssertNil(SparseWeights(try Tensor(zeros: .float, shape: [16])))
        let good = [Float](repeating: 1, count: 12).withUnsafeBufferPointer {
            SparseWeights.encode($0.baseAddress!, m: 3, k: 4, rowStride: 4, columnStride: 1)
        }
        let truncated = good.withUnsafeBytes { Array($0.prefix(good.byteCount - 4)) }
        XCTAssertNil(SparseWeights(try Tensor(shape: [truncated.count], scalars: truncated)))
        XCTAssertNotNil(SparseWeights(good))
    }

    /// Rebuilds the dense M×K matrix from the pair table, checking each step's pairing on the way.
    private func decode(_ w: SparseWeights) -> [Float] {
        var dense = [Float](repeating: 0, count: w.m * w.k)
        for c in 0..<w.chunks {
            var seen = Set<Int>()
            for index in 0..<w.pairsPerChunk {
                let pair = w.pair(chunk: c, index)
                XCTAssertTrue(seen.insert(pair.rowA).inserted)
                if pair.rowB >= 0 { XCTAssertTrue(seen.insert(pair.rowB).inserted) }
                for s in pair.first..<(pair.first + pair.steps) {
                    let index = w.indices[s], k0 = c * w.chunk
                    dense[pair.rowA * w.k + k0 + Int(index & 0xFFFF)] += w.values[2 * s]
                    if pair.rowB >= 0 { dense[pair.rowB * w.k + k0 + Int(index >> 16)] += w.values[2 * s + 1] }
                }
            }
            XCTAssertEqual(seen.count, w.m, "every row appears once per chunk")
        }
        return dense
    }
}

/// Random floats of which about `sparsity` are zero.
func prunedFloats(_ count: Int, sparsity: Double, seed: UInt64) -> [Float] {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    return (0..<count).map { _ in next() < sparsity ? 0 : Float(next() * 2 - 1) }
}
