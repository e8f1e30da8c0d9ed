import SparseEngineKernelsAVX512

/// The microkernels chosen for this CPU, picked once from `CPUFeatures.current`.
struct KernelConfig: @unchecked Sendable {
    /// Signature of an f32 GEMM microkernel: `(kc, packedA, b, ldb, c, ldc, accumulate)`.
    typealias GemmMicrokernel = (Int, UnsafePointer<Float>, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>, Int, Bool) -> Void

    /// Name of the GEMM microkernel, for logs and reports.
    let gemmName: String
    /// The GEMM microkernel.
    let gemm: GemmMicrokernel
    /// Rows per GEMM microkernel tile.
    let gemmMR = 8
    /// Columns per GEMM microkernel tile.
    let gemmNR = 32

    /// The configuration for this machine.
    static let current: KernelConfig = {
        if CPUFeatures.current.avx512 {
            return KernelConfig(gemmName: "f32_gemm_8x32__avx512", gemm: f32_gemm_8x32__avx512)
        }
        return KernelConfig(gemmName: "f32_gemm_8x32__generic", gemm: f32_gemm_8x32__generic)
    }()

    /// Every available GEMM microkernel, for tests that compare them with each other.
    static var allGemmKernels: [(name: String, kernel: GemmMicrokernel)] {
        var list: [(String, GemmMicrokernel)] = [("f32_gemm_8x32__generic", f32_gemm_8x32__generic)]
        if CPUFeatures.current.avx512 { list.append(("f32_gemm_8x32__avx512", f32_gemm_8x32__avx512)) }
        return list
    }
}
