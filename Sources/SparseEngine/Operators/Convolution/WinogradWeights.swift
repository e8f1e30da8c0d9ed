/// The weights of a Winograd F(4×4, 3×3) convolution: each 3×3 filter g becomes the 6×6 `U = G g Gᵀ`, and the 36
/// matrices `U[ξ]` (output channels × input channels, one per point ξ = 6i + j) are packed in the GEMM
/// microkernel's MR-row slivers, one after the other. Constant weights are transformed once and cached with the
/// session's other packings (`GemmWorkspace.packed`).
enum WinogradWeights {
    /// G for the interpolation points 0, ±1, ±2, ∞ (Lavin & Gray 2016), row by row.
    static let g: [[Float]] = [
        [1.0 / 4, 0, 0],
        [-1.0 / 6, -1.0 / 6, -1.0 / 6],
        [-1.0 / 6, 1.0 / 6, -1.0 / 6],
        [1.0 / 24, 1.0 / 12, 1.0 / 6],
        [1.0 / 24, -1.0 / 12, 1.0 / 6],
        [0, 0, 1],
    ]

    /// The packed `U[ξ]` of `weights` ([outChannels, channels, 3, 3]): point ξ's slivers start at
    /// `ξ · shape.packedCount`, laid out as `packSlivers` lays out an outChannels × channels matrix.
    static func packed(_ weights: UnsafePointer<Float>, outChannels: Int, channels: Int, shape: GemmShape,
                       context: KernelContext) -> UnsafePointer<Float> {
        context.gemmWorkspace.packed(weights, rows: outChannels, columns: channels * 9, ld: channels * 9, alpha: 1, transposed: false,
                                     layout: .winograd(shape), count: 36 * shape.packedCount, slot: .left) { buffer in
            let matrices = transform(weights, outChannels: outChannels, channels: channels)
            matrices.withUnsafeBufferPointer { u in
                context.pool.parallelFor(36) { point, _ in
                    let matrix = u.baseAddress! + point * outChannels * channels
                    for sliver in 0..<shape.slivers {
                        packSliver(sliver, transA: false, m: outChannels, k: channels, alpha: 1, a: matrix, lda: channels, shape: shape,
                                   into: buffer + point * shape.packedCount)
                    }
                }
            }
        }
    }

    /// `U[ξ][k][c] = (G g Gᵀ)[ξ]` for the filter g of output channel k and input channel c, in double precision.
    static func transform(_ weights: UnsafePointer<Float>, outChannels: Int, channels: Int) -> [Float] {
        let plane = outChannels * channels
        var u = [Float](repeating: 0, count: 36 * plane)
        for filter in 0..<plane {
            let w = weights + filter * 9
            // t = G g (6×3), then U = t Gᵀ (6×6).
            var t = [Double](repeating: 0, count: 18)
            for i in 0..<6 {
                for col in 0..<3 {
                    t[i * 3 + col] = (0..<3).reduce(0) { $0 + Double(g[i][$1]) * Double(w[$1 * 3 + col]) }
                }
            }
            for i in 0..<6 {
                for j in 0..<6 {
                    u[(i * 6 + j) * plane + filter] = Float((0..<3).reduce(0) { $0 + t[i * 3 + $1] * Double(g[j][$1]) })
                }
            }
        }
        return u
    }
}
