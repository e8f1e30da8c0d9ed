import CSparseEngineKernelsINT8

/// The INT8 microkernels of one instruction set (C, `Sources/CSparseEngineKernelsINT8`): the indirect GEMM over
/// packed activations and the requantization. Chosen with the FP32 kernels (`KernelConfig.qs8`); every set
/// computes bit-identical results.
struct QS8KernelSet: @unchecked Sendable {
    /// Signature of an indirect INT8 GEMM microkernel: `(kgroups, packedWeights, activations, groupOffsets, acc, ldacc)`.
    typealias IgemmMicrokernel = (Int, UnsafePointer<Int8>, UnsafePointer<UInt8>, UnsafePointer<Int32>, UnsafeMutablePointer<Int32>, Int) -> Void
    /// Signature of an indirect INT8 GEMM microkernel with the requantization in its epilogue: `(kgroups, packedWeights,
    /// activations, groupOffsets, rows, keptColumns, bias, scale, zeroPoint, lo, hi, y, ldy)`; row r's kept columns (bits
    /// of `keptColumns`) go to consecutive bytes from `y + r·ldy` (`zoo_qs8_kernels.h`).
    typealias IgemmRequantizeMicrokernel = (Int, UnsafePointer<Int8>, UnsafePointer<UInt8>, UnsafePointer<Int32>, Int, UInt32,
                                            UnsafePointer<Int32>, UnsafePointer<Float>, Int32, Int32, Int32, UnsafeMutablePointer<UInt8>, Int) -> Void
    /// Signature of an INT8 GEMM microkernel with its vector lanes over output channels (`qs8_igemmc_*`): `(kgroups,
    /// pixels0, pixels1, channels, packedWeights, tileStride, activations, groupOffsets, start0, start1, bias, scale,
    /// zeroPoint, lo, hi, y0, y1, ldy)`; two runs of consecutive pixels (up to 7 each; `pixels1` ≤ `pixels0`, 0 for one
    /// run) × up to 32 channels (4 weight tiles), requantized (`zoo_qs8_kernels.h`).
    typealias IgemmcMicrokernel = (Int, Int, Int, Int, UnsafePointer<Int8>, Int, UnsafePointer<UInt8>, UnsafePointer<Int32>, Int32, Int32,
                                   UnsafePointer<Int32>, UnsafePointer<Float>, Int32, Int32, Int32, UnsafeMutablePointer<UInt8>,
                                   UnsafeMutablePointer<UInt8>, Int) -> Void
    /// Signature of a requantization kernel: `(rows, cols, acc, ldacc, bias, scale, zeroPoint, lo, hi, y, ldyRow, ldyCol)`.
    typealias RequantizeKernel = (Int, Int, UnsafePointer<Int32>, Int, UnsafePointer<Int32>, UnsafePointer<Float>, Int32, Int32, Int32,
                                  UnsafeMutablePointer<UInt8>, Int, Int) -> Void

    /// Signature of an elementwise quantization: `(count, x, scale, zeroPoint, lo, hi, y)`.
    typealias QuantizeKernel = (Int, UnsafePointer<Float>, Float, Int32, Int32, Int32, UnsafeMutablePointer<UInt8>) -> Void
    /// Signature of an elementwise dequantization: `(count, x, isSigned, scale, zeroPoint, y)`.
    typealias DequantizeKernel = (Int, UnsafePointer<UInt8>, Bool, Float, Int32, UnsafeMutablePointer<Float>) -> Void

    /// Signature of a convolution input packing (`qu8_pack_conv_x4`): `(x, images, imageStride, channels, height, width,
    /// plane, stride, phasesY, phasesX, padTop, padLeft, phaseHeight, phaseWidth, groupStride, fill, flip, out)`.
    typealias PackConvKernel = (UnsafePointer<UInt8>, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, UInt8, UInt8,
                                UnsafeMutablePointer<UInt8>) -> Void

    /// Signature of a quantized addition over equal shapes: `(count, a, aSigned, aScale, aZero, b, bSigned, bScale, bZero,
    /// yScale, yZero, lo, hi, y)`.
    typealias AddKernel = (Int, UnsafePointer<UInt8>, Bool, Float, Int32, UnsafePointer<UInt8>, Bool, Float, Int32, Float, Int32,
                           Int32, Int32, UnsafeMutablePointer<UInt8>) -> Void

    /// Signature of a requantization of float sums: `(count, x, scale, zeroPoint, lo, hi, y)`.
    typealias FloatRequantizeKernel = (Int, UnsafePointer<Float>, Float, Int32, Int32, Int32, UnsafeMutablePointer<UInt8>) -> Void
    /// Signature of the 8-bit softmax over contiguous rows: `(rows, n, x, isSigned, table, multiplier, zeroPoint, lo, hi, y)`.
    typealias SoftmaxKernel = (Int, Int, UnsafePointer<UInt8>, Bool, UnsafePointer<Float>, Float, Int32, Int32, Int32,
                               UnsafeMutablePointer<UInt8>) -> Void

    /// Signature of a byte lookup through a 256-entry table: `(count, x, table, y)`.
    typealias LookupKernel = (Int, UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafeMutablePointer<UInt8>) -> Void

    /// Signature of a row packing (`qu8_pack_rows_x4`): `(x, rows, cols, ldx, groupStride, fill, flip, out)`.
    typealias PackRowsKernel = (UnsafePointer<UInt8>, Int, Int, Int, Int, UInt8, UInt8, UnsafeMutablePointer<UInt8>) -> Void

    /// Signature of a sparse INT8 microkernel (`qs8_spmm_*`): `(rows, chunkStarts, startsStride, span, groups, weights,
    /// activations, groupOffsets, acc, ldacc, accumulate)`; see `zoo_qs8_kernels.h`.
    typealias SpmmMicrokernel = (Int, UnsafePointer<Int32>, Int, Int, UnsafePointer<UInt32>, UnsafePointer<Int32>, UnsafePointer<UInt8>,
                                 UnsafePointer<Int32>, UnsafeMutablePointer<Int32>, Int, Bool) -> Void

    /// Signature of a sparse INT8 microkernel that requantizes in its epilogue (`qs8_spmm_minmax_fp32_*`): `(rows, chunkStarts,
    /// startsStride, span, groups, weights, activations, groupOffsets, acc, ldacc, accumulate, stores, storeCount, bias, scale,
    /// zeroPoint, lo, hi, y, ldy, groupBytes)`, a nonzero `groupBytes` placing group g at g·groupBytes instead of its offset;
    /// see `zoo_qs8_kernels.h`.
    typealias SpmmRequantizeMicrokernel = (Int, UnsafePointer<Int32>, Int, Int, UnsafePointer<UInt32>, UnsafePointer<Int32>, UnsafePointer<UInt8>,
                                           UnsafePointer<Int32>, UnsafeMutablePointer<Int32>, Int, Bool, UnsafePointer<qs8_spmm_store>, Int,
                                           UnsafePointer<Int32>, UnsafePointer<Float>, Int32, Int32, Int32, UnsafeMutablePointer<UInt8>, Int,
                                           Int) -> Void

    /// A sparse microkernel of one width: output rows × `nr` pixels (or tokens), each from its nonzero weight groups, to
    /// int32 sums (`run`) or, in the last span of K, to requantized bytes (`runRequantize`).
    struct SparseRowKernel: @unchecked Sendable {
        let nr: Int
        let name: String
        let run: SpmmMicrokernel
        let runRequantize: SpmmRequantizeMicrokernel
    }

    /// Name of the GEMM microkernel, for logs and reports.
    let igemmName: String
    /// The indirect GEMM microkernel; its tile is `mr` output channels × `nr` pixels.
    let igemm: IgemmMicrokernel
    /// The same microkernel writing requantized bytes: a layer with 8-bit outputs skips the int32 tile and `requantize`.
    let igemmRequantize: IgemmRequantizeMicrokernel
    /// The channel-lane microkernel for small images (they waste much of the pixel-lane tile), where the set has one.
    let igemmc: IgemmcMicrokernel?
    /// Output channels per tile: the weights' packing (`QS8PackedWeights`) is the same for every set.
    let mr = 8
    /// Pixels (or tokens) per tile.
    let nr: Int
    /// The requantization kernel.
    let requantize: RequantizeKernel
    /// Packs a convolution's input into stride phases of 4-channel pixels.
    let packConv: PackConvKernel
    /// Packs a matrix's rows (tokens) for a linear layer.
    let packRows: PackRowsKernel
    /// The sparse microkernels, narrowest first.
    let spmm: [SparseRowKernel]
    /// `QuantizeLinear` with one scale and zero point.
    let quantize: QuantizeKernel
    /// `DequantizeLinear` with one scale and zero point.
    let dequantize: DequantizeKernel
    /// `QuantizedAddOperator` over equal shapes.
    let add: AddKernel
    /// `zoo.QLinearLookup`'s table lookup.
    let lookup: LookupKernel
    /// `zoo.QLinearBatchMatMul`'s requantization of its float sums.
    let requantizeFloats: FloatRequantizeKernel
    /// `zoo.QLinearSoftmax` over contiguous rows.
    let softmax: SoftmaxKernel

    /// Portable C.
    static let scalar = QS8KernelSet(
        igemmName: "qs8_igemm_8x8c4__scalar", igemm: { qs8_igemm_8x8c4__scalar($0, $1, $2, $3, $4, $5) },
        igemmRequantize: { qs8_igemm_minmax_fp32_8x8c4__scalar($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) }, igemmc: nil, nr: 8,
        requantize: { qs8_requantize__scalar($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) },
        packConv: { qu8_pack_conv_x4__scalar($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) },
        packRows: { qu8_pack_rows_x4__scalar($0, $1, $2, $3, $4, $5, $6, $7) },
        spmm: [SparseRowKernel(nr: 8, name: "qs8_spmm_1x8c4__scalar",
                               run: { qs8_spmm_1xNc4__scalar(8, $0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0) },
                               runRequantize: { qs8_spmm_minmax_fp32_1xNc4__scalar(8, $0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0,
                                                                                   $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) })],
        quantize: { qs8_vquantize__scalar($0, $1, $2, $3, $4, $5, $6) },
        dequantize: { qs8_vdequantize__scalar($0, $1, $2 ? 1 : 0, $3, $4, $5) },
        add: { qs8_vadd__scalar($0, $1, $2 ? 1 : 0, $3, $4, $5, $6 ? 1 : 0, $7, $8, $9, $10, $11, $12, $13) },
        lookup: { qu8_lookup__scalar($0, $1, $2, $3) },
        requantizeFloats: { qs8_vrequantize_f32__scalar($0, $1, $2, $3, $4, $5, $6) },
        softmax: { qu8_softmax__scalar($0, $1, $2, $3 ? 1 : 0, $4, $5, $6, $7, $8, $9) })
    /// AVX2: bytes widened to 16 bits and `vpmaddwd`; the portable requantization, packing and elementwise kernels.
    static let avx2 = QS8KernelSet(
        igemmName: "qs8_igemm_8x8c4__avx2", igemm: { qs8_igemm_8x8c4__avx2($0, $1, $2, $3, $4, $5) },
        igemmRequantize: { qs8_igemm_minmax_fp32_8x8c4__avx2($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) }, igemmc: nil, nr: 8,
        requantize: scalar.requantize, packConv: scalar.packConv, packRows: scalar.packRows,
        spmm: [SparseRowKernel(nr: 32, name: "qs8_spmm_1x32c4__avx2",
                               run: { qs8_spmm_1xNc4__avx2(32, $0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0) },
                               runRequantize: { qs8_spmm_minmax_fp32_1xNc4__avx2(32, $0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0,
                                                                                 $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) })],
        quantize: scalar.quantize, dequantize: scalar.dequantize,
        add: scalar.add, lookup: scalar.lookup, requantizeFloats: scalar.requantizeFloats, softmax: scalar.softmax)
    /// AVX-512 VNNI: `vpdpbusd`; the lookup with VBMI's `vpermi2b` where the CPU has it.
    static let avx512vnni = QS8KernelSet(
        igemmName: "qs8_igemm_8x32c4__avx512vnni", igemm: { qs8_igemm_8x32c4__avx512vnni($0, $1, $2, $3, $4, $5) },
        igemmRequantize: { qs8_igemm_minmax_fp32_8x32c4__avx512vnni($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) },
        igemmc: { qs8_igemmc_minmax_fp32_14x32c4__avx512vnni($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) },
        nr: 32,
        requantize: { qs8_requantize__avx512($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) },
        packConv: { qu8_pack_conv_x4__avx512($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) },
        packRows: { qu8_pack_rows_x4__avx512($0, $1, $2, $3, $4, $5, $6, $7) },
        spmm: [SparseRowKernel(nr: 32, name: "qs8_spmm_1x32c4__avx512vnni",
                               run: { qs8_spmm_1x32c4__avx512vnni($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0) },
                               runRequantize: { qs8_spmm_minmax_fp32_1x32c4__avx512vnni($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0, $11, $12,
                                                                                       $13, $14, $15, $16, $17, $18, $19, $20) }),
               SparseRowKernel(nr: 64, name: "qs8_spmm_1x64c4__avx512vnni",
                               run: { qs8_spmm_1x64c4__avx512vnni($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0) },
                               runRequantize: { qs8_spmm_minmax_fp32_1x64c4__avx512vnni($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0, $11, $12,
                                                                                       $13, $14, $15, $16, $17, $18, $19, $20) }),
               SparseRowKernel(nr: 128, name: "qs8_spmm_1x128c4__avx512vnni",
                               run: { qs8_spmm_1x128c4__avx512vnni($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0) },
                               runRequantize: { qs8_spmm_minmax_fp32_1x128c4__avx512vnni($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0, $11, $12,
                                                                                       $13, $14, $15, $16, $17, $18, $19, $20) })],
        quantize: { qs8_vquantize__avx512($0, $1, $2, $3, $4, $5, $6) },
        dequantize: { qs8_vdequantize__avx512($0, $1, $2 ? 1 : 0, $3, $4, $5) },
        add: { qs8_vadd__avx512($0, $1, $2 ? 1 : 0, $3, $4, $5, $6 ? 1 : 0, $7, $8, $9, $10, $11, $12, $13) },
        lookup: CPUFeatures.current.avx512vbmi ? { qu8_lookup__avx512vbmi($0, $1, $2, $3) } : scalar.lookup,
        requantizeFloats: { qs8_vrequantize_f32__avx512($0, $1, $2, $3, $4, $5, $6) },
        softmax: { qu8_softmax__avx512($0, $1, $2, $3 ? 1 : 0, $4, $5, $6, $7, $8, $9) })

    /// The sparse microkernel for `columns` pixels: the narrowest that covers them, else the widest.
    func spmm(columns: Int) -> SparseRowKernel { spmm.first { $0.nr >= columns } ?? spmm[spmm.count - 1] }

    /// The sparse microkernels' names, for profiles.
    var spmmNames: String { spmm.map(\.name).joined(separator: " + ") }

    /// Every set this CPU can run, for tests that compare them with each other.
    static var available: [QS8KernelSet] {
        let features = CPUFeatures.current
        return [scalar] + (features.avx2 ? [avx2] : []) + (features.avx512vnni ? [avx512vnni] : [])
    }
}

extension KernelConfig {
    /// The INT8 kernels that go with this configuration: VNNI with AVX-512 when the CPU has it, else AVX2's, else
    /// the portable ones.
    var qs8: QS8KernelSet {
        switch isa {
        case "avx512": return CPUFeatures.current.avx512vnni ? .avx512vnni : .avx2
        case "avx2": return .avx2
        default: return .scalar
        }
    }
}
