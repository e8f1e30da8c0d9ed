import XCTest
@testable import SparseEngine

/// Layers on sparse kernels against the same layers on the dense path: outputs within 1e-4 relative, for
/// every convolution geometry the in-place reading must get right, Gemm and MatMul, and every SpMM kernel.
final class SparseLayerTests: XCTestCase {
    /// (kernel, stride, pads [top, left, bottom, right], dilation, input H×W, batch)
    private let geometries: [(k: Int, s: Int, pads: [Int], d: Int, h: Int, w: Int, n: Int)] = [
        (1, 1, [0, 0, 0, 0], 1, 9, 7, 1),     // pointwise
        (3, 1, [1, 1, 1, 1], 1, 13, 11, 2),   // 3×3 same
        (3, 2, [1, 1, 1, 1], 1, 15, 10, 1),   // 3×3 stride 2
        (1, 2, [0, 0, 0, 0], 1, 14, 14, 3),   // ResNet downsample
        (7, 2, [3, 3, 3, 3], 1, 23, 20, 1),   // a stem
        (3, 1, [2, 2, 2, 2], 2, 10, 12, 1),   // dilated
        (3, 1, [0, 1, 2, 0], 1, 8, 9, 2),     // asymmetric pads
        (2, 3, [1, 0, 0, 1], 1, 17, 16, 1),   // stride above kernel
        (1, 1, [0, 0, 0, 0], 1, 1, 1, 5),     // 1×1 images, a batch
        (1, 1, [0, 0, 0, 0], 1, 16, 16, 2),   // pointwise on the wide kernel (256 pixels)
        (3, 1, [1, 1, 1, 1], 1, 30, 30, 1),   // 3×3 on the wide kernel, partial last block
        (1, 1, [0, 0, 0, 0], 1, 14, 14, 2),   // pointwise over 784-byte planes: packed into aligned panels
    ]

    func testConvolutionsMatchTheDensePath() throws {
        for (i, g) in geometries.enumerated() {
            let channels = 20, outChannels = 37
            var m = TestModel()
            m.nodes = [TestNode("Conv", ["x", "w", "b"], ["c"], ["kernel_shape": .ints([g.k, g.k]), "strides": .ints([g.s, g.s]),
                                                              "pads": .ints(g.pads), "dilations": .ints([g.d, g.d])]),
                       TestNode("Relu", ["c"], ["y"])]
            m.inputs = [.init(name: "x", type: .float, dims: [g.n, channels, g.h, g.w])]
            m.outputs = [.init(name: "y", type: .float, dims: nil)]
            m.initializers = [("w", .f([outChannels, channels, g.k, g.k], prunedFloats(outChannels * channels * g.k * g.k, sparsity: 0.85, seed: UInt64(i)))),
                              ("b", .f([outChannels], randomFloats(outChannels, seed: 7)))]
            let x = Tensor.f([g.n, channels, g.h, g.w], randomFloats(g.n * channels * g.h * g.w, seed: UInt64(i + 100)))
            try assertSparseMatchesDense(m, feeds: ["x": x], sparseLayers: 1, "geometry \(g)")
        }
    }

    /// Pointwise rows that do not start on a cache line (14×14 planes) are packed; whole-line ones (16×16) and the
    /// offset table's rows (3×3 taps) are read in place.
    func testPointwiseRowsOffCacheLinesArePacked() throws {
        let source = UnsafeMutableRawPointer.allocate(byteCount: 64 * 18 * 18 * 4, alignment: 64)
        defer { source.deallocate() }
        func readsInPlace(kernel k: Int, size: Int) -> Bool {
            let pad = k / 2
            let g = ConvGeometry(spatial: [size, size], kernel: [k, k], strides: [1, 1], dilations: [1, 1], pads: [pad, pad, pad, pad],
                                 out: [size, size])
            let (phaseH, phaseW) = phaseSize(g)
            let offsets = ShiftedConvolutionSpMMOperands.rowOffsets(channels: 8, phaseH: phaseH, phaseW: phaseW, g)!
            let operands = ShiftedConvolutionSpMMOperands(
                source: source.assumingMemoryBound(to: Float.self), phaseH: phaseH, phaseW: phaseW, y: source.assumingMemoryBound(to: Float.self),
                bias: nil, addend: nil, batch: 2, channels: 8, outChannels: 8, geometry: g, activation: .none, rowOffsets: offsets,
                phaseCount: 1, rowStride: uniformRowStride(offsets), epilogue: KernelConfig.generic.epilogue)
            return operands.inPlace != nil
        }
        XCTAssertFalse(readsInPlace(kernel: 1, size: 14))
        XCTAssertTrue(readsInPlace(kernel: 1, size: 16))
        XCTAssertTrue(readsInPlace(kernel: 3, size: 14))
    }

    /// A residual Add folded into a sparse convolution, then Relu: the fused form on the sparse path.
    func testResidualAddOnASparseConvolution() throws {
        var m = TestModel()
        m.nodes = [TestNode("Conv", ["x", "w"], ["c"], ["pads": .ints([1, 1, 1, 1])]), TestNode("Add", ["c", "x"], ["s"]), TestNode("Relu", ["s"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [2, 16, 10, 10])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("w", .f([16, 16, 3, 3], prunedFloats(16 * 16 * 9, sparsity: 0.9, seed: 11)))]
        try assertSparseMatchesDense(m, feeds: ["x": .f([2, 16, 10, 10], randomFloats(3200, seed: 12))], sparseLayers: 1, "residual")
    }

    func testGemmAndMatMulMatchTheDensePath() throws {
        // 70 rows run on the SpMM kernel; 1 and 3 (a classifier at batch 1) one nonzero at a time.
        for rows in [70, 1, 3] {
            var gemm = TestModel()
            gemm.nodes = [TestNode("Gemm", ["x", "w", "c"], ["g"], ["transB": .int(1)]), TestNode("Relu", ["g"], ["y"])]
            gemm.inputs = [.init(name: "x", type: .float, dims: [rows, 300])]
            gemm.outputs = [.init(name: "y", type: .float, dims: nil)]
            gemm.initializers = [("w", .f([45, 300], prunedFloats(45 * 300, sparsity: 0.9, seed: 21))), ("c", .f([45], randomFloats(45, seed: 22)))]
            try assertSparseMatchesDense(gemm, feeds: ["x": .f([rows, 300], randomFloats(rows * 300, seed: 23))], sparseLayers: 1, "Gemm, \(rows) rows")
        }

        var matMul = TestModel()
        matMul.nodes = [TestNode("MatMul", ["x", "w"], ["p"]), TestNode("Add", ["p", "bias"], ["y"])]
        matMul.inputs = [.init(name: "x", type: .float, dims: [2, 65, 130])]
        matMul.outputs = [.init(name: "y", type: .float, dims: nil)]
        matMul.initializers = [("w", .f([130, 77], prunedFloats(130 * 77, sparsity: 0.8, seed: 31))), ("bias", .f([77], randomFloats(77, seed: 32)))]
        try assertSparseMatchesDense(matMul, feeds: ["x": .f([2, 65, 130], randomFloats(2 * 65 * 130, seed: 33))], sparseLayers: 1, "MatMul")

        // The bias (added by the kernel) then Relu, and a residual of the output's shape (added after it).
        for (addend, shape, tokens) in [("bias", [1, 1, 77], 65), ("residual", [2, 65, 77], 65), ("bias", [1, 1, 77], 1)] {
            var fused = TestModel()
            fused.nodes = [TestNode("MatMul", ["x", "w"], ["p"]), TestNode("Add", ["p", addend], ["s"]), TestNode("Relu", ["s"], ["y"])]
            fused.inputs = [.init(name: "x", type: .float, dims: [2, tokens, 130])]
            fused.outputs = [.init(name: "y", type: .float, dims: nil)]
            fused.initializers = [("w", .f([130, 77], prunedFloats(130 * 77, sparsity: 0.8, seed: 34))),
                                  (addend, .f(shape, randomFloats(shape.reduce(1, *), seed: 35)))]
            try assertSparseMatchesDense(fused, feeds: ["x": .f([2, tokens, 130], randomFloats(2 * tokens * 130, seed: 36))], sparseLayers: 1,
                                         "MatMul with a fused \(addend) and Relu")
        }
    }

    /// The profile names each weight layer's kernels: SpMM for a compressed weight, the indirect GEMMs for a
    /// dense convolution, the GEMM for a dense matrix product.
    func testProfileNamesTheKernels() throws {
        var m = TestModel()
        m.nodes = [TestNode("Conv", ["x", "sparse"], ["a"]), TestNode("Conv", ["a", "dense"], ["f"]),
                   TestNode("Flatten", ["f"], ["g"]), TestNode("MatMul", ["g", "fc"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 8, 4, 4])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("sparse", .f([8, 8, 1, 1], prunedFloats(64, sparsity: 0.9, seed: 1))),
                          ("dense", .f([8, 8, 1, 1], randomFloats(64, seed: 2))), ("fc", .f([128, 3], randomFloats(384, seed: 3)))]
        let session = try InferenceSession(model: try ONNXModel(data: m.data()), options: .init(threads: 1))
        let kernels = try session.profile(["x": .f([1, 8, 4, 4], randomFloats(128, seed: 4))], runs: 1).map(\.kernel)
        let config = KernelConfig.current
        XCTAssertEqual(kernels, ["sparse " + config.spmmNames, "dense \(config.igemmName) + \(config.igemmcName)", "Flatten",
                                 "dense " + config.gemmName])
    }

    /// Weights below the sparsity threshold, grouped convolutions and Gemm with alpha stay dense.
    func testLayersTheSparsePathDoesNotTakeStayDense() throws {
        var m = TestModel()
        m.nodes = [TestNode("Conv", ["x", "dense"], ["a"]), TestNode("Conv", ["a", "grouped"], ["y"], ["group": .int(2)])]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 4, 5, 5])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("dense", .f([4, 4, 1, 1], prunedFloats(16, sparsity: 0.2, seed: 41).map { $0 == 0 ? 0.5 : $0 })),
                          ("grouped", .f([4, 2, 1, 1], [0, 0, 0, 0, 0, 0, 1, 0]))]
        try assertSparseMatchesDense(m, feeds: ["x": .f([1, 4, 5, 5], randomFloats(100, seed: 42))], sparseLayers: 0, "dense layers")
    }

    /// Each instruction set's SpMM microkernel (generic, and AVX2 and AVX-512 where the CPU has them) against
    /// a naive product: every path agrees with it, and so with each other, within 1e-5.
    func testEverySpMMKernelMatchesNaiveProduct() throws {
        XCTAssertEqual(KernelConfig.available.count, 1 + (CPUFeatures.current.avx2 ? 1 : 0) + (CPUFeatures.current.avx512 ? 1 : 0))
        // Linear layers pack their panels, so they run on the narrow kernels at any width; convolutions read in
        // place and take the wide kernel where there is one (`testConvolutionsMatchTheDensePath`'s last two).
        for tokens in [150, 250] {
            let k = 700, n = 41
            let x = randomFloats(tokens * k, seed: 51), w = prunedFloats(k * n, sparsity: 0.9, seed: 52)
            var expected = [Float](repeating: 0, count: tokens * n)
            for t in 0..<tokens { for j in 0..<n { for p in 0..<k where w[p * n + j] != 0 { expected[t * n + j] += x[t * k + p] * w[p * n + j] } } }
            let tensor = w.withUnsafeBufferPointer { SparseWeights.encode($0.baseAddress!, m: n, k: k, rowStride: 1, columnStride: n) }
            let weights = try XCTUnwrap(SparseWeights(tensor))
            for config in KernelConfig.available {
                XCTAssertEqual(config.spmmKernel(imagePixels: tokens, readsInPlace: false).pixels, config.spmmPixels, config.isa)
                XCTAssertEqual(config.spmmKernel(imagePixels: 958, readsInPlace: true).pixels, config.spmmWide?.pixels ?? config.spmmPixels)
                XCTAssertEqual(config.spmmKernel(imagePixels: 49, readsInPlace: true).pixels, config.spmmPixels)
                for threads in [1, 2] {
                    let context = KernelContext(pool: ThreadPool(threads: threads), kernels: config)
                    var y = [Float](repeating: .nan, count: tokens * n)
                    x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { yp in
                            spmm(weights, LinearSpMMOperands(x: xp.baseAddress!, y: yp.baseAddress!, tokens: tokens, k: k, n: n, bias: nil,
                                                             addend: nil, activation: .none, transpose: context.kernels.transpose),
                                     context: context)
                        }
                    }
                    assertClose(y, expected, tolerance: 1e-5)
                }
            }
        }
    }

    /// Whole layers, dense and sparse, on every instruction set this CPU has: each agrees with the generic
    /// kernels within 1e-5 relative.
    func testEveryInstructionSetAgrees() throws {
        var m = TestModel()
        m.nodes = [TestNode("Conv", ["x", "w1", "b1"], ["a"], ["pads": .ints([1, 1, 1, 1]), "strides": .ints([2, 2])]),
                   TestNode("Relu", ["a"], ["r"]),
                   TestNode("Conv", ["r", "w2"], ["y"], ["pads": .ints([1, 1, 1, 1])])]
        m.inputs = [.init(name: "x", type: .float, dims: [2, 24, 19, 21])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("w1", .f([40, 24, 3, 3], randomFloats(40 * 24 * 9, seed: 71))), ("b1", .f([40], randomFloats(40, seed: 72))),
                          ("w2", .f([33, 40, 3, 3], prunedFloats(33 * 40 * 9, sparsity: 0.9, seed: 73)))]
        let model = try ONNXModel(data: m.data())
        let x = Tensor.f([2, 24, 19, 21], randomFloats(2 * 24 * 19 * 21, seed: 74))
        func output(_ kernels: KernelConfig) throws -> [Float] {
            let session = try InferenceSession(model: model, options: .init(threads: 2), kernels: kernels)
            XCTAssertEqual(session.summary.sparseLayers, 1)
            return try session.run(["x": x])["y"]!.floats
        }
        let reference = try output(.generic)
        for config in KernelConfig.available { assertClose(try output(config), reference, tolerance: 1e-5) }
    }

    /// `--sparsify`: the pruned share of each prunable weight, the first convolution left dense, and the
    /// pruned layers then running sparse.
    func testSparsifyPrunesByMagnitude() throws {
        var m = TestModel()
        m.nodes = [TestNode("Conv", ["x", "stem"], ["a"]), TestNode("Conv", ["a", "w"], ["y"])]
        m.inputs = [.init(name: "x", type: .float, dims: [1, 3, 6, 6])]
        m.outputs = [.init(name: "y", type: .float, dims: nil)]
        m.initializers = [("stem", .f([8, 3, 1, 1], randomFloats(24, seed: 61))), ("w", .f([10, 8, 1, 1], randomFloats(80, seed: 62)))]
        let model = try ONNXModel(data: m.data())
        let session = try InferenceSession(model: model, options: .init(threads: 1, sparsify: 0.9))
        XCTAssertEqual(session.summary.sparseLayers, 1, "the second convolution, pruned to 90 %, runs sparse")
        XCTAssertEqual(session.summary.weightSparsity!, 72.0 / 104.0, accuracy: 1e-9, "72 of the 80 weights of w are pruned; the stem keeps its 24")
        // The 8 largest-magnitude weights of w survive: compare with pruning them by hand.
        let w = randomFloats(80, seed: 62)
        let kept = Set(w.indices.sorted { abs(w[$0]) > abs(w[$1]) }.prefix(8))
        var hand = m
        hand.initializers[1] = ("w", .f([10, 8, 1, 1], w.indices.map { kept.contains($0) ? w[$0] : 0 }))
        let reference = try InferenceSession(model: try ONNXModel(data: hand.data()), options: .init(threads: 1, sparseKernels: false))
        let x = Tensor.f([1, 3, 6, 6], randomFloats(108, seed: 63))
        assertClose(try session.run(["x": x])["y"]!.floats, try reference.run(["x": x])["y"]!.floats, tolerance: 1e-5)
    }

    private func assertSparseMatchesDense(_ m: TestModel, feeds: [String: Tensor], sparseLayers: Int, _ what: String,
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        let model = try ONNXModel(data: m.data())
        let dense = try InferenceSession(model: model, options: .init(threads: 2, sparseKernels: false))
        let sparse = try InferenceSession(model: model, options: .init(threads: 2, sparseKernels: true))
        XCTAssertEqual(sparse.summary.sparseLayers, sparseLayers, what, file: file, line: line)
        let expected = try dense.run(feeds)["y"]!.floats
        XCTAssertTrue(expected.contains { $0 != 0 }, "\(what): the output must carry information", file: file, line: line)
        let actual = try sparse.run(feeds)["y"]!.floats
        assertClose(actual, expected, tolerance: 1e-4, file: file, line: line)
        // A second run reuses the plan and the packed weights.
        assertClose(try sparse.run(feeds)["y"]!.floats, actual, tolerance: 0, file: file, line: line)
    }
}
