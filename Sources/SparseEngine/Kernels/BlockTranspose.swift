/// `destination[c·ldDestination + r] = source[r·ldSource + c]` for `rows` × `columns` floats: whole 16 × 16 blocks
/// through the kernel set's transpose microkernel, the edges one by one. Packs transposed panels (sparse linear
/// layers' activations, `zoo.FeaturePanels`, a GEMM's B stored N × K).
func transposeInBlocks(_ source: UnsafePointer<Float>, ldSource: Int, rows: Int, columns: Int,
                       into destination: UnsafeMutablePointer<Float>, ldDestination: Int,
                       transpose: KernelConfig.TransposeMicrokernel) {
    for r0 in stride(from: 0, to: rows, by: 16) {
        for c0 in stride(from: 0, to: columns, by: 16) {
            let from = source + r0 * ldSource + c0, to = destination + c0 * ldDestination + r0
            if r0 + 16 <= rows && c0 + 16 <= columns {
                transpose(from, ldSource, to, ldDestination, nil, nil, -.infinity, .infinity)
                continue
            }
            for r in 0..<min(16, rows - r0) {
                for c in 0..<min(16, columns - c0) { to[c * ldDestination + r] = from[r * ldSource + c] }
            }
        }
    }
}
