import XCTest
@testable import SparseEngine

/// Convolutions and pools over three spatial axes (the `SpatialWindow` path), plus the pooling
/// options the 2-D path gained with it.
final class SpatialNDTests: XCTestCase {
    /// Textbook 3-D convolution, stride 1, no dilation, symmetric pads `p`.
    private func referenceConv3D(_ x: [Float], _ xs: [Int], _ w: [Float], _ ws: [Int], pad p: Int) -> [Float] {
        let (c, d, h, wd) = (xs[1], xs[2], xs[3], xs[4]), (m, k) = (ws[0], ws[2])
        let (od, oh, ow) = (d + 2 * p - k + 1, h + 2 * p - k + 1, wd + 2 * p - k + 1)
        var out = [Float](repeating: 0, count: m * od * oh * ow)
        for oc in 0..<m { for z in 0..<od { for y in 0..<oh { for xo in 0..<ow {
            var acc: Float = 0
            for ic in 0..<c { for a in 0..<k { for b in 0..<k { for e in 0..<k {
                let iz = z - p + a, iy = y - p + b, ix = xo - p + e
                if iz < 0 || iz >= d || iy < 0 || iy >= h || ix < 0 || ix >= wd { continue }
                acc += x[((ic * d + iz) * h + iy) * wd + ix] * w[(((oc * c + ic) * k + a) * k + b) * k + e]
            } } } }
            out[((oc * od + z) * oh + y) * ow + xo] = acc
        } } } }
        return out
    }

    func testConv3DAgainstReference() throws {
        let xs = [1, 2, 4, 5, 3], ws = [3, 2, 3, 3, 3]
        let x = randomFloats(xs.reduce(1, *), seed: 1), w = randomFloats(ws.reduce(1, *), seed: 2)
        let y = try runOp("Conv", inputs: [("x", .f(xs, x))], constants: [("w", .f(ws, w))], attributes: ["pads": .ints([1, 1, 1, 1, 1, 1])])["y"]!
        XCTAssertEqual(y.shape, [1, 3, 4, 5, 3])
        assertClose(y.floats, referenceConv3D(x, xs, w, ws, pad: 1))
    }

    func testConvTranspose3DScattersEveryInputThroughTheKernel() throws {
        // One input element of value 2 at the centre of a 3×3×3 input, stride 2, all-ones 2×2×2 kernel:
        // the output is 2 exactly on the 2×2×2 block at twice its position.
        var x = [Float](repeating: 0, count: 27)
        x[13] = 2
        let y = try runOp("ConvTranspose", inputs: [("x", .f([1, 1, 3, 3, 3], x))], constants: [("w", .f([1, 1, 2, 2, 2], [Float](repeating: 1, count: 8)))],
                          attributes: ["strides": .ints([2, 2, 2])])["y"]!
        XCTAssertEqual(y.shape, [1, 1, 6, 6, 6])
        var expected = [Float](repeating: 0, count: 216)
        for a in 2...3 { for b in 2...3 { for e in 2...3 { expected[(a * 6 + b) * 6 + e] = 2 } } }
        XCTAssertEqual(y.floats, expected)
    }

    func testConvTransposeOutputShapeBeyondTheFullResultGetsTheBias() throws {
        // Full output is 3 wide; output_shape asks for 4: the pads become (0, −1) and the extra
        // column holds only the bias.
        let y = try runOp("ConvTranspose", inputs: [("x", .f([1, 1, 1, 2], [1, 2]))],
                          constants: [("w", .f([1, 1, 1, 2], [1, 10])), ("b", .f([1], [0.5]))],
                          attributes: ["output_shape": .ints([1, 4])])["y"]!
        XCTAssertEqual(y.shape, [1, 1, 1, 4])
        XCTAssertEqual(y.floats, [1.5, 12.5, 20.5, 0.5])
    }

    func testPools3D() throws {
        let x = Tensor.f([1, 1, 2, 2, 2], [1, 8, 3, 4, 5, 6, 7, 2])
        let out = try runOp("MaxPool", inputs: [("x", x)], outputs: ["y", "i"], attributes: ["kernel_shape": .ints([2, 2, 2])])
        XCTAssertEqual(out["y"]!.floats, [8])
        XCTAssertEqual(out["i"]!.int64s, [1])
        let avg = try runOp("AveragePool", inputs: [("x", x)], attributes: ["kernel_shape": .ints([2, 2, 2]), "pads": .ints([0, 0, 0, 0, 0, 1]), "count_include_pad": .int(1)])["y"]!
        XCTAssertEqual(avg.shape, [1, 1, 1, 1, 2])
        XCTAssertEqual(avg.floats, [4.5, 2.5])
    }

    func testMaxPoolColumnMajorIndicesAndUInt8() throws {
        let x = Tensor.f([1, 1, 2, 3], [1, 2, 9, 4, 5, 6])
        let out = try runOp("MaxPool", inputs: [("x", x)], outputs: ["y", "i"], attributes: ["kernel_shape": .ints([2, 3]), "storage_order": .int(1)])
        // 9 sits at row 0, column 2: column-major index 2·2 + 0.
        XCTAssertEqual(out["i"]!.int64s, [4])
        let bytes = try Tensor(shape: [1, 1, 1, 4], scalars: [UInt8(3), 200, 7, 255])
        let pooled = try runOp("MaxPool", inputs: [("x", bytes)], attributes: ["kernel_shape": .ints([1, 2]), "strides": .ints([1, 2])], opset: 12)["y"]!
        XCTAssertEqual(try pooled.scalars(UInt8.self), [200, 255])
    }

    func testCol2ImAddsOverlappingBlocksBack() throws {
        // Two positions of a 2-wide block over a 3-pixel image: the middle pixel gets both.
        let y = try runOp("Col2Im", inputs: [("x", .f([1, 2, 2], [1, 2, 10, 20]))], constants: [("image", .i64([1], [3])), ("block", .i64([1], [2]))], opset: 18)["y"]!
        XCTAssertEqual(y.shape, [1, 1, 3])
        XCTAssertEqual(y.floats, [1, 12, 20])
    }

    func testGridSampleBilinearAlignCorners() throws {
        let grid = Tensor.f([1, 1, 3, 2], [-1, -1, 0, 0, 1, 1])
        let y = try runOp("GridSample", inputs: [("x", .f([1, 1, 2, 2], [1, 2, 3, 4])), ("g", grid)], attributes: ["align_corners": .int(1)], opset: 16)["y"]!
        XCTAssertEqual(y.shape, [1, 1, 1, 3])
        assertClose(y.floats, [1, 2.5, 4])
    }

    func testLpPool() throws {
        let y = try runOp("LpPool", inputs: [("x", .f([1, 1, 1, 4], [3, -4, 1, 0]))], attributes: ["kernel_shape": .ints([1, 2]), "strides": .ints([1, 2])], opset: 18)["y"]!
        assertClose(y.floats, [5, 1])
    }
}
