import CSparseEngineCPU
import Foundation

/// What the running CPU (and OS) supports, detected once with CPUID + XGETBV.
///
/// `ZOO_ISA=scalar` (or `avx2`) in the environment caps what the engine uses, for testing the
/// fallbacks on a bigger machine.
public struct CPUFeatures: Sendable, CustomStringConvertible {
    /// AVX2 + FMA usable.
    public let avx2: Bool
    /// AVX-512 F/BW/DQ/VL usable.
    public let avx512: Bool
    /// AVX-512 VNNI usable.
    public let avx512vnni: Bool
    /// AVX-512 VBMI (byte permutes) usable, with AVX-512 VNNI.
    public let avx512vbmi: Bool

    /// The features of this machine, capped by `ZOO_ISA`.
    public static let current: CPUFeatures = detect()

    private static func detect() -> CPUFeatures {
        let bits = zoo_cpu_features()
        func has(_ flag: UInt32) -> Bool { bits & flag != 0 }
        var avx2 = has(UInt32(ZOO_CPU_AVX2)) && has(UInt32(ZOO_CPU_FMA))
        var avx512 = has(UInt32(ZOO_CPU_AVX512F)) && has(UInt32(ZOO_CPU_AVX512BW))
            && has(UInt32(ZOO_CPU_AVX512DQ)) && has(UInt32(ZOO_CPU_AVX512VL))
        var vnni = avx512 && has(UInt32(ZOO_CPU_AVX512VNNI))
        let vbmi = has(UInt32(ZOO_CPU_AVX512VBMI))
        switch ProcessInfo.processInfo.environment["ZOO_ISA"]?.lowercased() {
        case "scalar", "generic": avx2 = false; avx512 = false; vnni = false
        case "avx2": avx512 = false; vnni = false
        case "avx512": vnni = false
        default: break
        }
        return CPUFeatures(avx2: avx2, avx512: avx512, avx512vnni: vnni, avx512vbmi: vnni && vbmi)
    }

    /// The best instruction set the kernels will use: `avx512-vnni`, `avx512`, `avx2` or `scalar`.
    public var isaName: String {
        avx512vnni ? "avx512-vnni" : avx512 ? "avx512" : avx2 ? "avx2" : "scalar"
    }

    public var description: String { isaName }
}
