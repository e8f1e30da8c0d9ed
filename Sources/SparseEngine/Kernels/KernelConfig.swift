import SparseEngineKernelsAVX512

/// The microkernels chosen for this CPU, picked once from `CPUFeatures.current`.
struct KernelConfig: @unchecked Sendable {
    /// Signature of an f32 GEMM microkernel: `(kc, packedA, b, ldb, c, ldc, accumulate)`.
    typealias GemmMicrokernel = (Int, UnsafePointer<Float>, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int, Bool) -> Void
    /// Signature of an f32 indirect GEMM microkernel: `(kc, packedA, base, rowOffsets, c, ldc, accumulate)`.
    typealias IgemmMicrokernel = (Int, UnsafePointer<Float>, UnsafeRawPointer, UnsafePointer<Int32>, UnsafeMutablePointer<Float>, Int, Bool) -> Void
    /// Signature of an f32 indirect GEMM microkernel over output channels: `(kc, pixels, rowOffsets, packedB, c, ldc, accumulate)`.
    typealias IgemmcMicrokernel = (Int, UnsafePointer<UnsafeRawPointer>, UnsafePointer<Int32>, UnsafePointer<Float>,
                                   UnsafeMutablePointer<Float>, Int, Bool) -> Void
    /// Signature of an f32 epilogue: `(rows, count, x, ldx, bias, residual, y, ldy, lo, hi)`.
    typealias EpilogueMicrokernel = (Int, Int, UnsafePointer<Float>, Int, UnsafePointer<Float>?, UnsafePointer<Float>?,
                                     UnsafeMutablePointer<Float>, Int, Float, Float) -> Void
    /// Signature of an f32 SpMM microkernel: `(steps, indices, values, base, rowOffsets, outA, outB, accumulate)`.
    typealias SpMMMicrokernel = (Int, UnsafePointer<UInt32>, UnsafePointer<Float>, UnsafeRawPointer, UnsafePointer<Int32>,
                                 UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Bool) -> Void

    /// Name of the GEMM microkernel, for logs and reports.
    let gemmName: String
    /// The GEMM microkernel.
    let gemm: GemmMicrokernel
    /// Rows per GEMM microkernel tile.
    let gemmMR = 8
    /// Columns per GEMM microkernel tile.
    let gemmNR = 32
    /// Name of the indirect GEMM microkernel (B rows found through byte offsets: convolutions without im2col).
    var igemmName = "f32_igemm_8x32__generic"
    /// The indirect GEMM microkernel; its tile is `gemmMR` × `gemmNR`.
    var igemm: IgemmMicrokernel = f32_igemm_8x32__generic
    /// Name of the indirect GEMM microkernel over output channels (pixels found through a base each plus
    /// byte offsets: convolutions with few output pixels).
    var igemmcName = "f32_igemmc_8x32__generic"
    /// The indirect GEMM microkernel over output channels; its tile is `gemmMR` pixels × `gemmNR` channels.
    var igemmc: IgemmcMicrokernel = f32_igemmc_8x32__generic
    /// Name of the epilogue kernel (bias, residual and activation bounds on a convolution's finished tiles).
    var epilogueName = "f32_vbias_minmax__generic"
    /// The epilogue kernel.
    var epilogue: EpilogueMicrokernel = f32_vbias_minmax__generic
    /// Name of the SpMM microkernel (sparse weights × dense activations).
    let spmmName: String
    /// The SpMM microkernel.
    let spmm: SpMMMicrokernel
    /// Pixels (or tokens) per SpMM panel row: the microkernel's vector width times four.
    let spmmPixels = 64

    /// The configuration for this machine.
    static let current: KernelConfig = {
        if CPUFeatures.current.avx512 {
            return KernelConfig(gemmName: "f32_gemm_8x32__avx512", gemm: f32_gemm_8x32__avx512,
                                igemmName: "f32_igemm_8x32__avx512", igemm: f32_igemm_8x32__avx512,
                                igemmcName: "f32_igemmc_8x32__avx512", igemmc: f32_igemmc_8x32__avx512,
                                epilogueName: "f32_vbias_minmax__avx512", epilogue: f32_vbias_minmax__avx512,
                                spmmName: "f32_spmm_64x2__avx512", spmm: f32_spmm_64x2__avx512)
        }
        return KernelConfig(gemmName: "f32_gemm_8x32__generic", gemm: f32_gemm_8x32__generic,
                            spmmName: "f32_spmm_64x2__generic", spmm: f32_spmm_64x2__generic)
    }()

    /// Every available GEMM microkernel, for tests that compare them with each other.
    static var allGemmKernels: [(name: String, kernel: GemmMicrokernel)] {
        var list: [(String, GemmMicrokernel)] = [("f32_gemm_8x32__generic", f32_gemm_8x32__generic)]
        if CPUFeatures.current.avx512 { list.append(("f32_gemm_8x32__avx512", f32_gemm_8x32__avx512)) }
        return list
    }

    /// Every available indirect GEMM microkernel, for tests that compare them with each other.
    static var allIgemmKernels: [(name: String, kernel: IgemmMicrokernel)] {
        var list: [(String, IgemmMicrokernel)] = [("f32_igemm_8x32__generic", f32_igemm_8x32__generic)]
        if CPUFeatures.current.avx512 { list.append(("f32_igemm_8x32__avx512", f32_igemm_8x32__avx512)) }
        return list
    }

    /// Every available indirect GEMM microkernel over output channels, for tests that compare them with each other.
    static var allIgemmcKernels: [(name: String, kernel: IgemmcMicrokernel)] {
        var list: [(String, IgemmcMicrokernel)] = [("f32_igemmc_8x32__generic", f32_igemmc_8x32__generic)]
        if CPUFeatures.current.avx512 { list.append(("f32_igemmc_8x32__avx512", f32_igemmc_8x32__avx512)) }
        return list
    }

    /// Every available epilogue kernel, for tests that compare them with each other.
    static var allEpilogueKernels: [(name: String, kernel: EpilogueMicrokernel)] {
        var list: [(String, EpilogueMicrokernel)] = [("f32_vbias_minmax__generic", f32_vbias_minmax__generic)]
        if CPUFeatures.current.avx512 { list.append(("f32_vbias_minmax__avx512", f32_vbias_minmax__avx512)) }
        return list
    }

    /// Every available SpMM microkernel, for tests that compare them with each other.
    static var allSpMMKernels: [(name: String, kernel: SpMMMicrokernel)] {
        var list: [(String, SpMMMicrokernel)] = [("f32_spmm_64x2__generic", f32_spmm_64x2__generic)]
        if CPUFeatures.current.avx512 { list.append(("f32_spmm_64x2__avx512", f32_spmm_64x2__avx512)) }
        return list
    }
}
