import XCTest
@testable import SparseEngine

/// Direct (textbook) 2-D convolution used as the reference.
func referenceConv(x: Tensor, w: Tensor, b: [Float]?, strides: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0],
                   dilations: [Int] = [1, 1], group: Int = 1) -> [Float] {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (m, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let oh = (h + pads[0] + pads[2] - ((kh - 1) * dilations[0] + 1)) / strides[0] + 1
    let ow = (wd + pads[1] + pads[3] - ((kw - 1) * dilations[1] + 1)) / strides[1] + 1
    let xs = x.floats, ws = w.floats
    var out = [Float](repeating: 0, count: n * m * oh * ow)
    let mg = m / group
    for img in 0..<n { for oc in 0..<m { for oy in 0..<oh { for ox in 0..<ow {
        let g = oc / mg
        var acc: Float = b?[oc] ?? 0
        for ic in 0..<cg { for i in 0..<kh { for j in 0..<kw {
            let iy = oy * strides[0] - pads[0] + i * dilations[0], ix = ox * strides[1] - pads[1] + j * dilations[1]
            if iy < 0 || iy >= h || ix < 0 || ix >= wd { continue }
            acc += xs[((img * c + g * cg + ic) * h + iy) * wd + ix] * ws[((oc * cg + ic) * kh + i) * kw + j]
        } } }
        out[((img * m + oc) * oh + oy) * ow + ox] = acc
    } } } }
    _ = c
    return out
}

final class ConvOperatorTests: XCTestCase {
    func testHandComputed3x3WithPadding() throws {
        // 1×1×3×3 input 1…9, all-ones 3×3 kernel, pad 1: each output is the sum of its neighbourhood.
        let x = Tensor.f([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let w = Tensor.f([1, 1, 3, 3], [Float](repeating: 1, count: 9))
        let y = try runOp("Conv", inputs: [("x", x)], constants: [("w", w), ("b", .f([1], [0.5]))],
                          attributes: ["pads": .ints([1, 1, 1, 1]), "kernel_shape": .ints([3, 3])])["y"]!
        XCTAssertEqual(y.shape, [1, 1, 3, 3])
        XCTAssertEqual(y.floats, [12, 21, 16, 27, 45, 33, 24, 39, 28].map { $0 + 0.5 })
    }

    func testStridesDilationsGroupsAgainstReference() throws {
        let cases: [(c: Int, m: Int, group: Int, k: Int, stride: Int, dilation: Int, pads: [Int])] = [
            (3, 8, 1, 3, 1, 1, [1, 1, 1, 1]),
            (4, 6, 2, 3, 2, 1, [1, 0, 2, 1]),
            (3, 5, 1, 2, 1, 2, [0, 0, 0, 0]),
            (6, 6, 6, 3, 2, 1, [1, 1, 1, 1]),   // depthwise
            (8, 40, 1, 1, 1, 1, [0, 0, 0, 0]),  // pointwise, more than one GEMM tile
            (3, 9, 3, 5, 3, 2, [2, 2, 2, 2]),
        ]
        for (i, t) in cases.enumerated() {
            let x = Tensor.f([2, t.c, 11, 9], randomFloats(2 * t.c * 99, seed: UInt64(i)))
            let w = Tensor.f([t.m, t.c / t.group, t.k, t.k], randomFloats(t.m * t.c / t.group * t.k * t.k, seed: UInt64(100 + i)))
            let b = randomFloats(t.m, seed: UInt64(200 + i))
            let y = try runOp("Conv", inputs: [("x", x)], constants: [("w", w), ("b", .f([t.m], b))],
                              attributes: ["group": .int(t.group), "strides": .ints([t.stride, t.stride]),
                                           "dilations": .ints([t.dilation, t.dilation]), "pads": .ints(t.pads)])["y"]!
            let expected = referenceConv(x: x, w: w, b: b, strides: [t.stride, t.stride], pads: t.pads,
                                         dilations: [t.dilation, t.dilation], group: t.group)
            assertClose(y.floats, expected, tolerance: 1e-4)
        }
    }

    /// Both forms of `ShiftedConvolutionGemm`: over pixels (a 7×7 stride-2 stem, partial panels, several K
    /// blocks) and over channels (few output pixels, the pixels of all images in one sequence, in more than one
    /// range of slivers for 16 images), with channel counts that fill no tile exactly, and a batch handed over in
    /// groups of images (1 MiB each, `inPlaceSourceBytes` apart).
    func testShiftedGemmFormsAgainstReference() throws {
        let cases: [(n: Int, c: Int, m: Int, size: Int, k: Int, stride: Int, pad: Int, group: Int)] = [
            (1, 3, 20, 37, 7, 2, 3, 1),
            (2, 40, 36, 12, 3, 1, 1, 1),
            (3, 32, 70, 7, 3, 1, 1, 1),
            (16, 16, 40, 7, 3, 1, 1, 1),
            (6, 64, 8, 64, 1, 1, 0, 1),
            (2, 64, 40, 5, 1, 2, 0, 1),
            (1, 8, 12, 9, 3, 2, 1, 2),
        ]
        for (i, t) in cases.enumerated() {
            let x = Tensor.f([t.n, t.c, t.size, t.size], randomFloats(t.n * t.c * t.size * t.size, seed: UInt64(300 + i)))
            let w = Tensor.f([t.m, t.c / t.group, t.k, t.k], randomFloats(t.m * t.c / t.group * t.k * t.k, seed: UInt64(400 + i)))
            let b = randomFloats(t.m, seed: UInt64(500 + i))
            let y = try runOp("Conv", inputs: [("x", x)], constants: [("w", w), ("b", .f([t.m], b))],
                              attributes: ["group": .int(t.group), "strides": .ints([t.stride, t.stride]), "pads": .ints([t.pad, t.pad, t.pad, t.pad])])["y"]!
            let expected = referenceConv(x: x, w: w, b: b, strides: [t.stride, t.stride], pads: [t.pad, t.pad, t.pad, t.pad], group: t.group)
            assertClose(y.floats, expected, tolerance: 1e-4)
        }
    }

    /// Task splits on 1, 2 and 3 threads: over pixels with the weights in more than one chunk (17 slivers of 1,152 rows
    /// are more than `chunkBytes`: chunks of 9 + 8), over channels in several ranges of slivers, and the padded input of
    /// 3 planes and the 4 stride phases of 1 plane copied in blocks of rows (`polyphase`), also with phase rows of 28 and
    /// 29 floats (ResNet-50's 56×56 stride-2 layer: strided gathers of 16, 8 and 4 and one by one).
    func testTaskSplitsAgainstReference() throws {
        let cases: [(n: Int, c: Int, m: Int, size: Int, stride: Int)] = [(1, 128, 136, 16, 1), (16, 16, 40, 7, 1), (1, 3, 16, 37, 1), (1, 1, 8, 37, 2),
                                                                         (1, 2, 8, 56, 2)]
        for (i, t) in cases.enumerated() {
            let x = Tensor.f([t.n, t.c, t.size, t.size], randomFloats(t.n * t.c * t.size * t.size, seed: UInt64(600 + i)))
            let w = Tensor.f([t.m, t.c, 3, 3], randomFloats(t.m * t.c * 9, seed: UInt64(700 + i)))
            let expected = referenceConv(x: x, w: w, b: nil, strides: [t.stride, t.stride], pads: [1, 1, 1, 1])
            for threads in [1, 2, 3] {
                let y = try runOp("Conv", inputs: [("x", x)], constants: [("w", w)],
                                  attributes: ["pads": .ints([1, 1, 1, 1]), "strides": .ints([t.stride, t.stride])], threads: threads)["y"]!
                assertClose(y.floats, expected, tolerance: 1e-3)
            }
        }
    }

    /// Few output pixels go over channels, many over pixels.
    func testShiftedGemmPicksTheFormThatPadsLess() {
        let source = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        defer { source.deallocate() }
        func prefersChannels(size: Int, batch: Int) -> Bool {
            let g = ConvGeometry(spatial: [size, size], kernel: [3, 3], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1], out: [size, size])
            let (phaseH, phaseW) = phaseSize(g)
            return ShiftedConvolutionGemm(source: source, phaseH: phaseH, phaseW: phaseW, geometry: g, batch: batch, channels: 512,
                                          rowOffsets: [], phaseCount: 1).prefersChannels(outChannels: 512, mr: 8, nr: 32)
        }
        XCTAssertTrue(prefersChannels(size: 7, batch: 1))
        XCTAssertTrue(prefersChannels(size: 7, batch: 16))
        XCTAssertFalse(prefersChannels(size: 56, batch: 1))
    }

    func testAutoPadSameUpperAndValid() throws {
        let x = Tensor.f([1, 1, 4, 4], (1...16).map(Float.init))
        let w = Tensor.f([1, 1, 2, 2], [1, 1, 1, 1])
        // SAME_UPPER, stride 2: out 2×2, total pad 0 → plain 2×2 block sums.
        let same = try runOp("Conv", inputs: [("x", x)], constants: [("w", w)],
                             attributes: ["auto_pad": .string("SAME_UPPER"), "strides": .ints([2, 2])])["y"]!
        XCTAssertEqual(same.floats, [14, 22, 46, 54])
        // SAME_UPPER stride 1 pads at the end (bottom/right).
        let same1 = try runOp("Conv", inputs: [("x", x)], constants: [("w", w)], attributes: ["auto_pad": .string("SAME_UPPER")])["y"]!
        XCTAssertEqual(same1.shape, [1, 1, 4, 4])
        XCTAssertEqual(Array(same1.floats.suffix(4)), [27, 29, 31, 16])
        // SAME_LOWER pads at the start.
        let lower = try runOp("Conv", inputs: [("x", x)], constants: [("w", w)], attributes: ["auto_pad": .string("SAME_LOWER")])["y"]!
        XCTAssertEqual(Array(lower.floats.prefix(4)), [1, 3, 5, 7])
        let valid = try runOp("Conv", inputs: [("x", x)], constants: [("w", w)], attributes: ["auto_pad": .string("VALID"), "strides": .ints([3, 3])])["y"]!
        XCTAssertEqual(valid.shape, [1, 1, 1, 1])
        XCTAssertEqual(valid.floats, [14])
    }

    func testConv1D() throws {
        let y = try runOp("Conv", inputs: [("x", .f([1, 1, 5], [1, 2, 3, 4, 5]))], constants: [("w", .f([1, 1, 2], [1, -1]))])["y"]!
        XCTAssertEqual(y.shape, [1, 1, 4])
        XCTAssertEqual(y.floats, [-1, -1, -1, -1])
    }

    func testChannelMismatchIsReported() throws {
        XCTAssertThrowsError(try runOp("Conv", inputs: [("x", .f([1, 2, 3, 3], [Float](repeating: 0, count: 18)))],
                                       constants: [("w", .f([1, 3, 1, 1], [1, 1, 1]))])) { error in
            XCTAssertEqual((error as? EngineError)?.code, .shapeMismatch)
            XCTAssertTrue("\(error)".contains("(node 'node0', Conv, opset 13)"), "\(error)")
        }
    }

    func testConvTransposeHandComputed() throws {
        // 1×1×2×2 input, 2×2 ones kernel, stride 2: each input pixel becomes a 2×2 block.
        let x = Tensor.f([1, 1, 2, 2], [1, 2, 3, 4])
        let w = Tensor.f([1, 1, 2, 2], [1, 1, 1, 1])
        let y = try runOp("ConvTranspose", inputs: [("x", x)], constants: [("w", w)], attributes: ["strides": .ints([2, 2])])["y"]!
        XCTAssertEqual(y.shape, [1, 1, 4, 4])
        XCTAssertEqual(y.floats, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        // Stride 1, 3×3 input, 2×2 kernel [1,2;3,4]: full correlation output 4×4.
        let x2 = Tensor.f([1, 1, 2, 2], [1, 1, 1, 1])
        let w2 = Tensor.f([1, 2, 2, 2], [1, 2, 3, 4, 1, 0, 0, 1])
        let y2 = try runOp("ConvTranspose", inputs: [("x", x2)], constants: [("w", w2), ("b", .f([2], [0, 10]))])["y"]!
        XCTAssertEqual(y2.shape, [1, 2, 3, 3])
        XCTAssertEqual(y2.floats, [1, 3, 2, 4, 10, 6, 3, 7, 4, 11, 11, 10, 11, 12, 11, 10, 11, 11])
        // pads crop; output_shape picks pads.
        let cropped = try runOp("ConvTranspose", inputs: [("x", x)], constants: [("w", w)],
                                attributes: ["strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])])["y"]!
        XCTAssertEqual(cropped.floats, [1, 2, 3, 4])
        let shaped = try runOp("ConvTranspose", inputs: [("x", x)], constants: [("w", w)],
                               attributes: ["strides": .ints([2, 2]), "output_shape": .ints([3, 3])])["y"]!
        XCTAssertEqual(shaped.shape, [1, 1, 3, 3])
        XCTAssertEqual(shaped.floats, [1, 2, 2, 3, 4, 4, 3, 4, 4])
    }
}
