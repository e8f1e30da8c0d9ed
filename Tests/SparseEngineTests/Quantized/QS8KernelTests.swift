import XCTest
@testable import SparseEngine

/// The INT8 microkernels of every instruction set this CPU has, against naive integer arithmetic: accumulators
/// exactly equal, requantized and elementwise results byte for byte equal across sets.
final class QS8KernelTests: XCTestCase {
    func testIndirectGemmAccumulatorsAreExact() {
        var random = LinearCongruential(state: 1)
        for kgroups in [1, 3, 17, 70] {
            // One tile of packed weights (kgroups × 8 × 4, full int8 range) and activations at scattered offsets.
            let weights = (0..<(kgroups * 32)).map { _ in Int8(bitPattern: random.byte()) }
            let span = 4 * 64 + 4 * 40
            let activations = (0..<(kgroups * span)).map { _ in random.byte() }
            let offsets = (0..<kgroups).map { Int32($0 * span + 4 * Int(random.next() % 40)) }
            for kernels in QS8KernelSet.available {
                var acc = [Int32](repeating: -1, count: 8 * kernels.nr)
                weights.withUnsafeBufferPointer { w in
                    activations.withUnsafeBufferPointer { a in
                        offsets.withUnsafeBufferPointer { o in
                            acc.withUnsafeMutableBufferPointer { c in
                                kernels.igemm(kgroups, w.baseAddress!, a.baseAddress!, o.baseAddress!, c.baseAddress!, kernels.nr)
                            }
                        }
                    }
                }
                for r in 0..<8 {
                    for p in 0..<kernels.nr {
                        var expected: Int32 = 0
                        for g in 0..<kgroups {
                            for j in 0..<4 {
                                expected += Int32(weights[(g * 8 + r) * 4 + j]) * Int32(activations[Int(offsets[g]) + 4 * p + j])
                            }
                        }
                        XCTAssertEqual(acc[r * kernels.nr + p], expected, "\(kernels.igemmName) kgroups \(kgroups) row \(r) pixel \(p)")
                    }
                }
            }
        }
    }

    func testRequantizingGemmWritesTheKeptColumnsOfItsRows() {
        var random = LinearCongruential(state: 3)
        for kgroups in [1, 5, 19] {
            // Three tiles of 8 rows: a call of more than 8 rows runs the tiles one after another.
            let tiles = 3
            let weights = (0..<(tiles * kgroups * 32)).map { _ in Int8(bitPattern: random.byte()) }
            let span = 4 * 64 + 4 * 40
            let activations = (0..<(kgroups * span)).map { _ in random.byte() }
            let offsets = (0..<kgroups).map { Int32($0 * span + 4 * Int(random.next() % 40)) }
            // Per row: a bias and a scale that put the outputs across the type's range, some saturated.
            let bias = (0..<(8 * tiles)).map { _ in Int32(truncatingIfNeeded: random.next() % 20_001) - 10_000 }
            let scale = (0..<(8 * tiles)).map { _ in Float(random.next() % 1000 + 1) * 2e-5 }
            for kernels in QS8KernelSet.available {
                let nr = kernels.nr, full = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(nr)) - 1)
                // Every column, a prefix (the last tile of a 1x1 layer), and columns with gaps (padding columns of phase
                // rows), rows below 8 (a layer whose channels are not a multiple of 8), and past 8 (a block of tiles).
                let masks: [UInt32] = [full, full >> 3, 0b1, full & 0x5F3E_7DB6, full & 0xF0F0_7F0E]
                for keep in masks {
                    for rows in [8, 5, 1, 19, 24] {
                        for (zero, lo, hi) in [(Int32(3), Int32(-128), Int32(127)), (128, 128, 255)] {
                            let ldy = nr + 3
                            var y = [UInt8](repeating: 0xA5, count: 8 * tiles * ldy)
                            weights.withUnsafeBufferPointer { w in
                                activations.withUnsafeBufferPointer { a in
                                    offsets.withUnsafeBufferPointer { o in
                                        kernels.igemmRequantize(kgroups, w.baseAddress!, a.baseAddress!, o.baseAddress!, rows, keep,
                                                                bias, scale, zero, lo, hi, &y, ldy)
                                    }
                                }
                            }
                            let kept = (0..<nr).filter { keep >> UInt32($0) & 1 == 1 }
                            for r in 0..<(8 * tiles) {
                                var expected = [UInt8](repeating: 0xA5, count: ldy)
                                if r < rows {
                                    for (i, p) in kept.enumerated() {
                                        var sum: Int32 = 0
                                        for g in 0..<kgroups {
                                            for j in 0..<4 {
                                                let weight = weights[(r / 8 * kgroups + g) * 32 + (r % 8) * 4 + j]
                                                sum += Int32(weight) * Int32(activations[Int(offsets[g]) + 4 * p + j])
                                            }
                                        }
                                        let exact = (Float(sum + bias[r]) * scale[r]).rounded(.toNearestOrEven) + Float(zero)
                                        expected[i] = UInt8(truncatingIfNeeded: Int32(min(max(exact, Float(lo)), Float(hi))))
                                    }
                                }
                                XCTAssertEqual(Array(y[(r * ldy)..<((r + 1) * ldy)]), expected,
                                               "\(kernels.igemmName) kgroups \(kgroups) keep \(String(keep, radix: 2)) rows \(rows) row \(r) zero \(zero)")
                            }
                        }
                    }
                }
            }
        }
    }

    func testChannelLaneGemmWritesItsPixelsOfEveryChannel() {
        var random = LinearCongruential(state: 4)
        let sets = QS8KernelSet.available.filter { $0.igemmc != nil }
        XCTAssertEqual(sets.isEmpty, !CPUFeatures.current.avx512vnni, "the AVX-512 VNNI set has the channel-lane kernel")
        for kgroups in [1, 6, 21] {
            // Four weight tiles, a tile stride beyond the tile (as in a layer's packing), activations at scattered offsets.
            let tileStride = kgroups * 32 + 64
            let weights = (0..<(4 * tileStride)).map { _ in Int8(bitPattern: random.byte()) }
            let span = 4 * 80
            let activations = (0..<(kgroups * span)).map { _ in random.byte() }
            let offsets = (0..<kgroups).map { Int32($0 * span + 4 * Int(random.next() % 20)) }
            let bias = (0..<32).map { _ in Int32(truncatingIfNeeded: random.next() % 20_001) - 10_000 }
            let scale = (0..<32).map { _ in Float(random.next() % 1000 + 1) * 2e-5 }
            // Two runs of consecutive pixels at scattered starts (the second as long as the first, shorter, or absent),
            // written to two places of one output.
            for (pixels0, pixels1) in [(1, 0), (3, 2), (5, 0), (6, 6), (7, 0), (7, 4), (7, 7)] {
                let starts = [Int32(4 * (random.next() % 50)), Int32(4 * (random.next() % 50))]
                for channels in [32, 29, 17, 8, 3] {
                    for kernels in sets {
                        let ldy = 19, second = 9
                        var y = [UInt8](repeating: 0xA5, count: 34 * ldy)
                        weights.withUnsafeBufferPointer { w in
                            activations.withUnsafeBufferPointer { a in
                                y.withUnsafeMutableBufferPointer { out in
                                    kernels.igemmc!(kgroups, pixels0, pixels1, channels, w.baseAddress!, tileStride, a.baseAddress!, offsets,
                                                    starts[0], starts[1], bias, scale, 3, -128, 127, out.baseAddress!, out.baseAddress! + second, ldy)
                                }
                            }
                        }
                        for c in 0..<34 {
                            var expected = [UInt8](repeating: 0xA5, count: ldy)
                            for (run, count) in [pixels0, pixels1].enumerated() where c < channels {
                                for p in 0..<count {
                                    var sum: Int32 = 0
                                    for g in 0..<kgroups {
                                        for j in 0..<4 {
                                            sum += Int32(weights[(c / 8) * tileStride + g * 32 + (c % 8) * 4 + j]) *
                                                Int32(activations[Int(offsets[g] + starts[run]) + 4 * p + j])
                                        }
                                    }
                                    let exact = (Float(sum + bias[c]) * scale[c]).rounded(.toNearestOrEven) + 3
                                    expected[run * second + p] = UInt8(truncatingIfNeeded: Int32(min(max(exact, -128), 127)))
                                }
                            }
                            XCTAssertEqual(Array(y[(c * ldy)..<((c + 1) * ldy)]), expected,
                                           "kgroups \(kgroups) runs \(pixels0), \(pixels1) channels \(channels) channel \(c)")
                        }
                    }
                }
            }
        }
    }

    func testRequantizationRoundsHalfToEvenAndSaturatesAlike() {
        var random = LinearCongruential(state: 2)
        let rows = 3, cols = 37
        var acc = (0..<(rows * cols)).map { _ in Int32(truncatingIfNeeded: random.next() % 200_001) - 100_000 }
        // Ties: (5 + 0) · 0.1 = 0.5 → 0, (15 + 0) · 0.1 = 1.5 → 2, −0.5 → 0 (half to even).
        acc[2 * cols] = 5; acc[2 * cols + 1] = 15; acc[2 * cols + 2] = -5
        let bias: [Int32] = [7, -300, 0], scale: [Float] = [0.001, 0.0025, 0.1]
        var outputs: [[UInt8]] = []
        for kernels in QS8KernelSet.available {
            for (zero, lo, hi) in [(Int32(3), Int32(-128), Int32(127)), (128, 128, 255)] {
                var y = [UInt8](repeating: 0, count: rows * cols)
                kernels.requantize(rows, cols, acc, cols, bias, scale, zero, lo, hi, &y, cols, 1)
                for r in 0..<rows {
                    for p in 0..<cols {
                        let exact = (Float(acc[r * cols + p] + bias[r]) * scale[r]).rounded(.toNearestOrEven) + Float(zero)
                        let expected = Int32(min(max(exact, Float(lo)), Float(hi)))
                        XCTAssertEqual(y[r * cols + p], UInt8(truncatingIfNeeded: expected), "row \(r) column \(p)")
                    }
                }
                outputs.append(y)
            }
        }
        // Every instruction set wrote the same bytes for each of the two output types.
        XCTAssertEqual(Set(outputs).count, 2)
    }

    /// The transposed store of a linear layer (Y row-major from Yᵀ tiles: `ldy_row` 1, `ldy_col` > 1): 19 rows (two
    /// groups of 8 transposed in registers and a rest) by 37 columns (two vectors and a masked one) into rows of 23.
    func testTransposedRequantizationWritesEveryColumnsRows() {
        var random = LinearCongruential(state: 4)
        let rows = 19, cols = 37, ldy = 23
        let acc = (0..<(rows * cols)).map { _ in Int32(truncatingIfNeeded: random.next() % 20_001) - 10_000 }
        let bias = (0..<rows).map { Int32($0 * 13) - 100 }, scale = (0..<rows).map { 0.004 + Float($0) * 0.0007 }
        for kernels in QS8KernelSet.available {
            var y = [UInt8](repeating: 0xEE, count: cols * ldy)
            kernels.requantize(rows, cols, acc, cols, bias, scale, 7, -128, 127, &y, 1, ldy)
            for p in 0..<cols {
                for r in 0..<ldy {
                    guard r < rows else {
                        XCTAssertEqual(y[p * ldy + r], 0xEE, "\(kernels.igemmName): column \(p) written past its \(rows) rows")
                        continue
                    }
                    let exact = (Float(acc[r * cols + p] + bias[r]) * scale[r]).rounded(.toNearestOrEven) + 7
                    let expected = UInt8(truncatingIfNeeded: Int32(min(max(exact, -128), 127)))
                    XCTAssertEqual(y[p * ldy + r], expected, "\(kernels.igemmName) row \(r) column \(p)")
                }
            }
        }
    }

    func testElementwiseQuantizeAndDequantizeMatchTheReference() {
        var random = LinearCongruential(state: 3)
        let x = (0..<1000).map { _ in Float(Int(random.next() % 20_001) - 10_000) / 37 } + [0.5, 1.5, 2.5, -0.5]
        for kernels in QS8KernelSet.available {
            for (type, zero) in [(DataType.uint8, Int32(128)), (.int8, -3)] {
                let (lo, hi): (Int32, Int32) = type == .int8 ? (-128, 127) : (0, 255)
                var q = [UInt8](repeating: 0, count: x.count)
                kernels.quantize(x.count, x, 0.5, zero, lo, hi, &q)
                for i in x.indices {
                    let expected = AffineQuantization.quantize(Double(x[i]), scale: 0.5, zeroPoint: Double(zero), into: type)
                    XCTAssertEqual(q[i], UInt8(truncatingIfNeeded: Int(expected)), "x \(x[i])")
                }
                var back = [Float](repeating: 0, count: x.count)
                kernels.dequantize(x.count, q, type == .int8, 0.5, zero, &back)
                for i in x.indices {
                    let value = type == .int8 ? Int32(Int8(bitPattern: q[i])) : Int32(q[i])
                    XCTAssertEqual(back[i], Float(value - zero) * 0.5)
                }
            }
        }
    }

    func testRowPackingTransposesDwordsAlike() {
        var random = LinearCongruential(state: 4)
        let rows = 37, cols = 150, ldx = 160, groupStride = 40, groups = (cols + 3) / 4
        let x = (0..<(rows * ldx)).map { _ in random.byte() }
        for kernels in QS8KernelSet.available {
            for flip: UInt8 in [0, 0x80] {
                var out = [UInt8](repeating: 0, count: groups * groupStride * 4)
                kernels.packRows(x, rows, cols, ldx, groupStride, 9, flip, &out)
                for row in 0..<rows {
                    for k in 0..<(groups * 4) {
                        let expected = (k < cols ? x[row * ldx + k] : 9) ^ flip
                        XCTAssertEqual(out[((k / 4) * groupStride + row) * 4 + k % 4], expected, "\(kernels.igemmName) row \(row) k \(k)")
                    }
                }
            }
        }
    }

    func testLookupMatchesTheTableOnEveryLength() {
        var random = LinearCongruential(state: 5)
        let table = (0..<256).map { _ in random.byte() }
        for count in [0, 1, 63, 64, 65, 200] {
            let x = (0..<count).map { _ in random.byte() }
            for kernels in QS8KernelSet.available {
                var y = [UInt8](repeating: 0, count: count + 1)
                x.withUnsafeBufferPointer { xp in
                    table.withUnsafeBufferPointer { tp in
                        y.withUnsafeMutableBufferPointer { kernels.lookup(count, xp.baseAddress ?? tp.baseAddress!, tp.baseAddress!, $0.baseAddress!) }
                    }
                }
                XCTAssertEqual(Array(y.prefix(count)), x.map { table[Int($0)] }, "\(kernels.igemmName) count \(count)")
                XCTAssertEqual(y[count], 0, "\(kernels.igemmName) wrote past the end")
            }
        }
    }

    /// The 8-bit softmax and the float-sum requantization of every set equal their formulas (ONNX Runtime's), byte for byte.
    func testSoftmaxAndFloatRequantizationMatchTheirFormulas() {
        var random = LinearCongruential(state: 11)
        let table = (0..<256).map { Float(exp(Double($0 - 255) * 0.07)) }
        for (signed, rows, n) in [(false, 3, 37), (true, 2, 128), (false, 1, 1), (false, 40, 3), (true, 40, 5)] {
            // Bytes near each other, so that many outputs are far from zero and their rounding is tested.
            let x = (0..<(rows * n)).map { _ in random.byte() % 24 + 100 }
            var expected = [UInt8]()
            for r in 0..<rows {
                let values = (0..<n).map { signed ? Int(Int8(bitPattern: x[r * n + $0])) : Int(x[r * n + $0]) }
                let top = values.max()!
                let e = values.map { table[signed ? Int(UInt8(truncatingIfNeeded: $0 - top + 127)) : $0 - top + 255] }
                var sum: Float = 0
                for v in e { sum += v }
                expected += e.map { UInt8(truncatingIfNeeded: min(max(Int32(($0 * 254 / sum).rounded(.toNearestOrEven)) + 3, signed ? -128 : 0), signed ? 127 : 255)) }
            }
            let sums = (0..<(rows * n)).map { _ in Float(Int(random.next() % 20_001) - 10_000) }
            let requantized = sums.map { UInt8(truncatingIfNeeded: min(max(Int32(($0 * 0.013).rounded(.toNearestOrEven)) - 5, -128), 127)) }
            for kernels in QS8KernelSet.available {
                var y = [UInt8](repeating: 0, count: rows * n), z = y
                kernels.softmax(rows, n, x, signed, table, 254, 3, signed ? -128 : 0, signed ? 127 : 255, &y)
                XCTAssertEqual(y, expected, "\(kernels.igemmName) softmax signed \(signed) n \(n)")
                kernels.requantizeFloats(sums.count, sums, 0.013, -5, -128, 127, &z)
                XCTAssertEqual(z, requantized, "\(kernels.igemmName) requantized sums")
            }
        }
    }
}
