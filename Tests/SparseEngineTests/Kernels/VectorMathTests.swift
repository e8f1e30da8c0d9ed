import Foundation
import XCTest
@testable import SparseEngine

/// The vector exp, erf, GELU and SiLU kernels of every instruction set against the C library's, edges included, and the
/// softmax row kernel on them.
final class VectorMathTests: XCTestCase {
    private let inputs: [Float] = [0, -0.0, 1e-30, -1e-7, 1e-3, 0.25, -0.49, 0.5, 0.51, 1, -1.7, 2.5, 3.99, 4, -4.5, 10, -10, 30,
                                   -87, -87.4, -100, 88, 88.8, 200, .infinity, -.infinity]
        + randomFloats(333, seed: 5).map { $0 * 12 }

    func testExpMatchesTheCLibrary() {
        for config in KernelConfig.available {
            let actual = run(config.exp)
            for (x, y) in zip(inputs, actual) {
                let expected = Foundation.exp(x)
                if expected.isInfinite || expected < Float.leastNormalMagnitude {
                    // Results below the normal range are flushed to zero: an absolute error under 1.2e-38.
                    XCTAssertTrue(y == expected || (expected < Float.leastNormalMagnitude && y < Float.leastNormalMagnitude),
                                  "\(config.isa) exp(\(x)) = \(y), expected \(expected)")
                } else {
                    XCTAssertLessThanOrEqual(abs(y - expected) / expected, 3e-7, "\(config.isa) exp(\(x)) = \(y), expected \(expected)")
                }
            }
            XCTAssertTrue(run(config.exp, [.nan])[0].isNaN)
        }
    }

    func testErfMatchesTheCLibrary() {
        for config in KernelConfig.available {
            for (x, y) in zip(inputs, run(config.erf)) {
                let expected = Foundation.erf(x)
                XCTAssertLessThanOrEqual(abs(y - expected), 2e-7 + 2e-6 * abs(expected), "\(config.isa) erf(\(x)) = \(y), expected \(expected)")
                if abs(x) < 0.5 && x != 0 {
                    XCTAssertLessThanOrEqual(abs(y - expected) / abs(expected), 1e-6, "\(config.isa) erf(\(x)) near zero is relatively exact")
                }
            }
            XCTAssertTrue(run(config.erf, [.nan])[0].isNaN)
        }
    }

    func testGeluMatchesTheCLibrary() {
        for config in KernelConfig.available {
            for (x, y) in zip(inputs, run(config.gelu)) where x.isFinite {
                let v = Double(x), expected = v / 2 * (1 + Foundation.erf(v / 2.0.squareRoot()))
                XCTAssertLessThanOrEqual(abs(Double(y) - expected), 1e-6 * max(1, abs(expected)), "\(config.isa) gelu(\(x)) = \(y)")
            }
        }
    }

    func testSiLUMatchesDirectComputation() {
        for config in KernelConfig.available {
            for (x, y) in zip(inputs, run(config.silu)) {
                let v = Double(x), expected = v.isInfinite ? (v > 0 ? v : 0) : v / (1 + Foundation.exp(-v))
                if v.isInfinite {
                    XCTAssertEqual(Double(y), expected, "\(config.isa) silu(\(x))")
                    continue
                }
                XCTAssertLessThanOrEqual(abs(Double(y) - expected), 1e-6 * max(1, abs(expected)), "\(config.isa) silu(\(x)) = \(y)")
            }
            XCTAssertTrue(run(config.silu, [.nan])[0].isNaN)
        }
    }

    /// Softmax rows of any length (vector bodies and scalar tails), in place or not, against a direct computation.
    func testSoftmaxRowMatchesDirectComputation() {
        for config in KernelConfig.available {
            for n in [1, 7, 16, 128, 131] {
                let x = randomFloats(n, seed: UInt64(n)).map { $0 * 20 }
                let m = x.max()!, e = x.map { Foundation.exp(Double($0 - m)) }, sum = e.reduce(0, +)
                var y = [Float](repeating: .nan, count: n), inPlace = x
                y.withUnsafeMutableBufferPointer { config.softmax(x, $0.baseAddress!, n) }
                inPlace.withUnsafeMutableBufferPointer { config.softmax($0.baseAddress!, $0.baseAddress!, n) }
                for j in 0..<n {
                    XCTAssertEqual(Double(y[j]), e[j] / sum, accuracy: 1e-6, "\(config.isa) n \(n)")
                    XCTAssertEqual(inPlace[j], y[j], "\(config.isa) n \(n) in place")
                }
            }
        }
    }

    /// LayerNorm rows of any length (vector bodies and scalar tails), in place or not, against a direct computation.
    func testLayerNormRowMatchesDirectComputation() {
        for config in KernelConfig.available {
            for n in [1, 7, 16, 131, 768] {
                let x = randomFloats(n, seed: UInt64(n)).map { $0 * 4 + 1 }
                let scale = randomFloats(n, seed: 77), bias = randomFloats(n, seed: 78)
                let mean = x.reduce(0.0) { $0 + Double($1) } / Double(n)
                let variance = x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n)
                var y = [Float](repeating: .nan, count: n), inPlace = x
                y.withUnsafeMutableBufferPointer { config.layerNorm(x, $0.baseAddress!, n, scale, bias, 1e-5) }
                inPlace.withUnsafeMutableBufferPointer { config.layerNorm($0.baseAddress!, $0.baseAddress!, n, scale, bias, 1e-5) }
                for j in 0..<n {
                    let expected = (Double(x[j]) - mean) / (variance + 1e-5).squareRoot() * Double(scale[j]) + Double(bias[j])
                    XCTAssertEqual(Double(y[j]), expected, accuracy: 1e-4, "\(config.isa) n \(n) element \(j)")
                    XCTAssertEqual(inPlace[j], y[j], "\(config.isa) n \(n) in place")
                }
            }
        }
    }

    private func run(_ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ values: [Float]? = nil) -> [Float] {
        let x = values ?? inputs
        var y = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { kernel(xp.baseAddress!, $0.baseAddress!, x.count) } }
        return y
    }
}
