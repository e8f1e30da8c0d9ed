import Foundation
import XCTest
@testable import SparseEngine

/// The vector exp and erf kernels of every instruction set against the C library's, edges included.
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

    private func run(_ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ values: [Float]? = nil) -> [Float] {
        let x = values ?? inputs
        var y = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { kernel(xp.baseAddress!, $0.baseAddress!, x.count) } }
        return y
    }
}
