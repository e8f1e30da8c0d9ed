import SparseEngineKernelsAVX2
import SparseEngineKernelsAVX512

/// One instruction set's microkernels and their tile shapes: the engine's single dispatch table, picked
/// once from `CPUFeatures.current` (which `ZOO_ISA` can cap for testing).
struct KernelConfig: @unchecked Sendable {
    /// Signature of an f32 GEMM microkernel: `(kc, packedA, b, ldb, c, ldc, accumulate, prefetch)`.
    typealias GemmMicrokernel = (Int, UnsafePointer<Float>, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int, Bool,
                                 UnsafeRawPointer?) -> Void
    /// Signature of an f32 indirect GEMM microkernel: `(kc, packedA, base, rowOffsets, c, ldc, accumulate)`.
    typealias IgemmMicrokernel = (Int, UnsafePointer<Float>, UnsafeRawPointer, UnsafePointer<Int32>, UnsafeMutablePointer<Float>, Int, Bool) -> Void
    /// Signature of an f32 indirect GEMM microkernel over output channels:
    /// `(kc, pixels, rowOffsets, packedB, c, ldc, accumulate, prefetch)`.
    typealias IgemmcMicrokernel = (Int, UnsafePointer<UnsafeRawPointer>, UnsafePointer<Int32>, UnsafePointer<Float>,
                                   UnsafeMutablePointer<Float>, Int, Bool, UnsafeRawPointer?) -> Void
    /// Signature of an f32 epilogue: `(rows, count, x, ldx, bias, residual, y, ldy, lo, hi)`.
    typealias EpilogueMicrokernel = (Int, Int, UnsafePointer<Float>, Int, UnsafePointer<Float>?, UnsafePointer<Float>?,
                                     UnsafeMutablePointer<Float>, Int, Float, Float) -> Void
    /// Signature of an f32 transposing epilogue over 8 pixels: `(columns, tile, ldt, bias, residual, y, ldy, lo, hi)`.
    typealias TransposingEpilogueMicrokernel = (Int, UnsafePointer<Float>, Int, UnsafePointer<Float>?, UnsafePointer<Float>?,
                                                UnsafeMutablePointer<Float>, Int, Float, Float) -> Void
    /// Signature of an f32 SpMM microkernel over a run of pairs: `(pairs, pairCount, indices, values, base, rowOffsets or nil,
    /// rowStride, output, outputStride, firstRow, discard, start, bias, bounds)`.
    typealias SpMMMicrokernel = (UnsafePointer<Int32>, Int, UnsafePointer<UInt32>, UnsafePointer<Float>, UnsafeRawPointer,
                                 UnsafePointer<Int32>?, Int, UnsafeMutablePointer<Float>, Int, Int, UnsafeMutablePointer<Float>,
                                 UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafePointer<Float>?) -> Void
    /// Signature of a transposing 16×16 store: `(source, ldSource, destination, ldDestination, bias, accumulate, lo, hi)`.
    typealias TransposeMicrokernel = (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int, UnsafePointer<Float>?,
                                      UnsafePointer<Float>?, Float, Float) -> Void
    /// Signature of a Winograd F(4×4, 3×3) input transform: `(channels, count, input, ldPlane, ldRow, v, ldChannel, ldPoint)`.
    typealias WinogradInputMicrokernel = (Int, Int, UnsafePointer<Float>, Int, Int, UnsafeMutablePointer<Float>, Int, Int) -> Void
    /// Signature of a Winograd F(4×4, 3×3) output transform: `(channels, count, m, ldChannel, ldPoint, out, ldOutChannel, ldOut)`.
    typealias WinogradOutputMicrokernel = (Int, Int, UnsafePointer<Float>, Int, Int, UnsafeMutablePointer<Float>, Int, Int) -> Void
    /// Signature of an elementwise function over `(x, y, count)`.
    typealias VectorFunction = (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    /// Signature of a LayerNormalization of one row: `(x, y, count, scale, bias, epsilon)`.
    typealias LayerNormRow = (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, UnsafePointer<Float>, UnsafePointer<Float>, Float) -> Void

    /// The instruction set: `avx512`, `avx2` or `generic`.
    let isa: String
    /// Name of the GEMM microkernel, for logs and reports.
    let gemmName: String
    /// The GEMM microkernel.
    let gemm: GemmMicrokernel
    /// Rows per GEMM microkernel tile.
    let gemmMR: Int
    /// Columns per GEMM microkernel tile.
    let gemmNR: Int
    /// Name of the indirect GEMM microkernel (B rows found through byte offsets: convolutions without im2col).
    let igemmName: String
    /// The indirect GEMM microkernel; its tile is `igemmMR` × `igemmNR`.
    let igemm: IgemmMicrokernel
    /// Name of the indirect GEMM microkernel over output channels (pixels found through a base each plus
    /// byte offsets: convolutions with few output pixels).
    let igemmcName: String
    /// The indirect GEMM microkernel over output channels; its tile is `igemmMR` pixels × `igemmNR` channels.
    let igemmc: IgemmcMicrokernel
    /// Name of the 7-pixel indirect GEMM microkernel over output channels.
    let igemmc7Name: String
    /// `igemmc` for 7 pixels (tile 7 × `igemmNR`): images of 7×7 outputs, whose 49 pixels would pad to 56 in 8-pixel
    /// slivers (`igemmcSlivers`).
    let igemmc7: IgemmcMicrokernel
    /// Rows of both indirect GEMM microkernels' tiles.
    let igemmMR = 8
    /// Columns of both indirect GEMM microkernels' tiles.
    let igemmNR = 32
    /// Name of the epilogue kernel (bias, residual and activation bounds on a convolution's finished tiles).
    let epilogueName: String
    /// The epilogue kernel.
    let epilogue: EpilogueMicrokernel
    /// Name of the transposing epilogue kernel (tiles of 8 pixels × output channels, stored channel by channel).
    let transposingEpilogueName: String
    /// The transposing epilogue kernel.
    let transposingEpilogue: TransposingEpilogueMicrokernel
    /// Name of the SpMM microkernel (sparse weights × dense activations).
    let spmmName: String
    /// The SpMM microkernel.
    let spmm: SpMMMicrokernel
    /// Pixels (or tokens) the SpMM microkernel computes per row: its vector width times four.
    let spmmPixels: Int
    /// A wider SpMM microkernel (twice the pixels, twice the accumulators) for images that fill its blocks as
    /// well as the narrow one's, with its name and pixels per row; nil where the registers do not allow one.
    var spmmWide: (name: String, kernel: SpMMMicrokernel, pixels: Int)? = nil
    /// Name of the Winograd F(4×4, 3×3) transforms (3×3 stride-1 convolutions; their GEMMs run on `gemm`).
    let winogradName: String
    /// The Winograd input transform (16 tiles at a time).
    let winogradInput: WinogradInputMicrokernel
    /// The Winograd output transform (16 tiles at a time).
    let winogradOutput: WinogradOutputMicrokernel
    /// The 16×16 transpose (with bias and bounds) that packs and stores transposed sparse linear layers.
    let transpose: TransposeMicrokernel
    /// Elementwise e^x.
    let exp: VectorFunction
    /// Elementwise erf.
    let erf: VectorFunction
    /// Elementwise exact GELU.
    let gelu: VectorFunction
    /// Elementwise SiLU, x · σ(x).
    let silu: VectorFunction
    /// Softmax over one contiguous row of `count` floats.
    let softmax: VectorFunction
    /// LayerNormalization of one contiguous row, summed in vector lanes.
    let layerNorm: LayerNormRow

    /// Portable Swift (SIMD types lowered to the baseline x86-64 ISA).
    static let generic = KernelConfig(
        isa: "generic", gemmName: "f32_gemm_8x32__generic", gemm: f32_gemm_8x32__generic, gemmMR: 8, gemmNR: 32,
        igemmName: "f32_igemm_8x32__generic", igemm: f32_igemm_8x32__generic,
        igemmcName: "f32_igemmc_8x32__generic", igemmc: f32_igemmc_8x32__generic,
        igemmc7Name: "f32_igemmc_7x32__generic", igemmc7: f32_igemmc_7x32__generic,
        epilogueName: "f32_vbias_minmax__generic", epilogue: f32_vbias_minmax__generic,
        transposingEpilogueName: "f32_vbias_minmax_t8__generic", transposingEpilogue: f32_vbias_minmax_t8__generic,
        spmmName: "f32_spmm_64x2__generic", spmm: f32_spmm_64x2__generic, spmmPixels: 64,
        winogradName: "f32_winograd_6x6__generic", winogradInput: f32_winograd_input_6x6__generic,
        winogradOutput: f32_winograd_output_4x4__generic,
        transpose: f32_transpose_16x16__generic, exp: f32_vexp__generic, erf: f32_verf__generic, gelu: f32_vgelu__generic,
        silu: f32_vsilu__generic, softmax: f32_vsoftmax__generic,
        layerNorm: f32_vlayernorm__generic)
    /// AVX2 + FMA (16 ymm registers); the indirect GEMMs and the epilogues are the portable ones.
    static let avx2 = KernelConfig(
        isa: "avx2", gemmName: "f32_gemm_6x16__avx2", gemm: f32_gemm_6x16__avx2, gemmMR: 6, gemmNR: 16,
        igemmName: "f32_igemm_8x32__generic", igemm: f32_igemm_8x32__generic,
        igemmcName: "f32_igemmc_8x32__generic", igemmc: f32_igemmc_8x32__generic,
        igemmc7Name: "f32_igemmc_7x32__generic", igemmc7: f32_igemmc_7x32__generic,
        epilogueName: "f32_vbias_minmax__generic", epilogue: f32_vbias_minmax__generic,
        transposingEpilogueName: "f32_vbias_minmax_t8__generic", transposingEpilogue: f32_vbias_minmax_t8__generic,
        spmmName: "f32_spmm_32x2__avx2", spmm: f32_spmm_32x2__avx2, spmmPixels: 32,
        winogradName: "f32_winograd_6x6__avx2", winogradInput: f32_winograd_input_6x6__avx2,
        winogradOutput: f32_winograd_output_4x4__avx2,
        transpose: f32_transpose_16x16__generic, exp: f32_vexp__avx2, erf: f32_verf__avx2, gelu: f32_vgelu__avx2,
        silu: f32_vsilu__avx2, softmax: f32_vsoftmax__avx2,
        layerNorm: f32_vlayernorm__avx2)
    /// AVX-512 (32 zmm registers).
    static let avx512 = KernelConfig(
        isa: "avx512", gemmName: "f32_gemm_8x32__avx512", gemm: f32_gemm_8x32__avx512, gemmMR: 8, gemmNR: 32,
        igemmName: "f32_igemm_8x32__avx512", igemm: f32_igemm_8x32__avx512,
        igemmcName: "f32_igemmc_8x32__avx512", igemmc: f32_igemmc_8x32__avx512,
        igemmc7Name: "f32_igemmc_7x32__avx512", igemmc7: f32_igemmc_7x32__avx512,
        epilogueName: "f32_vbias_minmax__avx512", epilogue: f32_vbias_minmax__avx512,
        transposingEpilogueName: "f32_vbias_minmax_t8__avx512", transposingEpilogue: f32_vbias_minmax_t8__avx512,
        spmmName: "f32_spmm_64x2__avx512", spmm: f32_spmm_64x2__avx512, spmmPixels: 64,
        spmmWide: ("f32_spmm_128x2__avx512", f32_spmm_128x2__avx512, 128),
        winogradName: "f32_winograd_6x6__avx512", winogradInput: f32_winograd_input_6x6__avx512,
        winogradOutput: f32_winograd_output_4x4__avx512,
        transpose: f32_transpose_16x16__avx512, exp: f32_vexp__avx512, erf: f32_verf__avx512, gelu: f32_vgelu__avx512,
        silu: f32_vsilu__avx512, softmax: f32_vsoftmax__avx512,
        layerNorm: f32_vlayernorm__avx512)

    /// The SpMM microkernel for images of `pixels` pixels (or tokens) and its pixels per call: the wide one for
    /// activations read in place, unless it would compute over an eighth more lanes than the narrow one (a 7×7
    /// image: 64 lanes, not 128). Packed panels stay narrow: a wide chunk's panel no longer fits in L1 (pruned
    /// DistilBERT 3 % slower, where pruned ResNet-50 in place is 8 % faster).
    func spmmKernel(imagePixels pixels: Int, readsInPlace: Bool) -> (kernel: SpMMMicrokernel, pixels: Int) {
        func lanes(_ width: Int) -> Int { (pixels + width - 1) / width * width }
        if readsInPlace, let wide = spmmWide, lanes(wide.pixels) * 8 <= lanes(spmmPixels) * 9 { return (wide.kernel, wide.pixels) }
        return (spmm, spmmPixels)
    }

    /// The SpMM microkernels' names, narrow first.
    var spmmNames: String { ([spmmName] + (spmmWide.map { [$0.name] } ?? [])).joined(separator: " + ") }

    /// The configuration for this machine.
    static let current: KernelConfig = {
        let features = CPUFeatures.current
        return features.avx512 ? avx512 : features.avx2 ? avx2 : generic
    }()

    /// Every configuration this CPU can run, for tests that compare them with each other.
    static var available: [KernelConfig] {
        let features = CPUFeatures.current
        return [generic] + (features.avx2 ? [avx2] : []) + (features.avx512 ? [avx512] : [])
    }
}
