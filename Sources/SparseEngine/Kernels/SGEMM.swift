/// Reusable scratch for GEMM packing; grows on first use, then is reused run after run.
final class GemmWorkspace: @unchecked Sendable {
    private var packedB = ScratchBuffer()
    private var packedA: [ScratchBuffer]

    init(threads: Int) {
        packedA = (0..<max(threads, 1)).map { _ in ScratchBuffer() }
    }

    func bBuffer(_ count: Int) -> UnsafeMutablePointer<Float> { packedB.floats(count) }
    func aBuffer(thread: Int, _ count: Int) -> UnsafeMutablePointer<Float> { packedA[thread].floats(count) }
}

/// A growable 64-byte aligned float buffer.
struct ScratchBuffer {
    private var pointer: UnsafeMutablePointer<Float>?
    private var capacity = 0

    mutating func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity || pointer == nil {
            pointer?.deallocate()
            capacity = max(count, 16)
            pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity * 4, alignment: 64).bindMemory(to: Float.self, capacity: capacity)
        }
        return pointer!
    }
}

/// Row-major single-precision GEMM: `C = alpha · op(A) · op(B) + beta · C`, with `op(A)` M×K and
/// `op(B)` K×N; `transA`/`transB` mean the stored matrix is the transpose (K×M / N×K).
///
/// Blocked over K (`kc`) with packed panels of B shared by all threads, and tasks of
/// `mc` rows × `nc` columns spread over the pool; each task packs its slice of A.
func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, context: KernelContext) {
    if m == 0 || n == 0 { return }
    if beta != 1 {
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 { row.update(repeating: 0, count: n) } else { for j in 0..<n { row[j] *= beta } }
        }
    }
    if k == 0 || alpha == 0 { return }
    let config = context.kernels
    let mr = config.gemmMR, nr = config.gemmNR
    let kcMax = 256, mc = 64, nc = 256
    let nPanels = (n + nr - 1) / nr
    let mBlocks = (m + mc - 1) / mc
    let nBlocks = (n + nc - 1) / nc
    let workspace = context.gemmWorkspace
    var k0 = 0
    while k0 < k {
        let kc = min(kcMax, k - k0)
        let packedB = workspace.bBuffer(nPanels * kc * nr)
        // Pack B[k0..<k0+kc, :] into NR-column panels.
        context.pool.parallelFor(nPanels) { panel, _ in
            let dst = packedB + panel * kc * nr
            let j0 = panel * nr
            let cols = min(nr, n - j0)
            for p in 0..<kc {
                let d = dst + p * nr
                if transB {
                    for j in 0..<cols { d[j] = b[(j0 + j) * ldb + k0 + p] }
                } else {
                    d.update(from: b + (k0 + p) * ldb + j0, count: cols)
                }
                if cols < nr { (d + cols).update(repeating: 0, count: nr - cols) }
            }
        }
        let accumulate = true  // C already holds beta·C (or zeros)
        context.pool.parallelFor(mBlocks * nBlocks) { task, thread in
            let mb = task / nBlocks, nb = task % nBlocks
            let i0 = mb * mc, rows = min(mc, m - i0)
            let microRows = (rows + mr - 1) / mr
            let packedA = workspace.aBuffer(thread: thread, microRows * kc * mr + mr * nr)
            let edgeTile = packedA + microRows * kc * mr
            // Pack A[i0..<i0+rows, k0..<k0+kc] as MR-row slivers, scaled by alpha.
            for s in 0..<microRows {
                let dst = packedA + s * kc * mr
                let r0 = i0 + s * mr
                let rcount = min(mr, m - r0)
                for p in 0..<kc {
                    let d = dst + p * mr
                    for r in 0..<rcount {
                        let v = transA ? a[(k0 + p) * lda + r0 + r] : a[(r0 + r) * lda + k0 + p]
                        d[r] = alpha * v
                    }
                    for r in rcount..<mr { d[r] = 0 }
                }
            }
            let jStart = nb * nc, jEnd = min(n, jStart + nc)
            var j0 = jStart
            while j0 < jEnd {
                let cols = min(nr, n - j0)
                let bPanel = UnsafePointer(packedB + (j0 / nr) * kc * nr)
                for s in 0..<microRows {
                    let r0 = i0 + s * mr
                    let rcount = min(mr, m - r0)
                    let aSliver = UnsafePointer(packedA + s * kc * mr)
                    if rcount == mr && cols == nr {
                        config.gemm(kc, aSliver, bPanel, c + r0 * ldc + j0, ldc, accumulate)
                    } else {
                        config.gemm(kc, aSliver, bPanel, edgeTile, nr, false)
                        for r in 0..<rcount {
                            let dst = c + (r0 + r) * ldc + j0
                            for j in 0..<cols { dst[j] += edgeTile[r * nr + j] }
                        }
                    }
                }
                j0 += nr
            }
        }
        k0 += kc
    }
}
