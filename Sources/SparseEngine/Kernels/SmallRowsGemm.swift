/// GEMM for a few rows of A (`m < GemmPlan.smallRows`, e.g. a fully connected layer at batch 1): streams
/// B once, in parallel over column ranges, with no packing. `overwrite` replaces C instead of adding
/// to it (C is already scaled by beta otherwise); `scratch` holds at least m·k floats.
func smallRowsGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                   a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                   overwrite: Bool, c: UnsafeMutablePointer<Float>, ldc: Int, scratch: UnsafeMutablePointer<Float>, pool: ThreadPool) {
    typealias V = SIMD16<Float>
    // Rows of alpha·op(A), contiguous.
    for i in 0..<m { for p in 0..<k { scratch[i * k + p] = alpha * (transA ? a[p * lda + i] : a[i * lda + p]) } }
    let ap = UnsafePointer(scratch)
    let chunk = 64
    pool.parallelFor((n + chunk - 1) / chunk) { task, _ in
        let j0 = task * chunk, j1 = min(n, j0 + chunk)
        for i in 0..<m {
            let ai = ap + i * k, ci = c + i * ldc
            if transB {
                // c[i, j] += dot(a_i, b_j): both rows contiguous.
                for j in j0..<j1 {
                    let bj = b + j * ldb
                    var acc = V()
                    var p = 0
                    while p + 16 <= k {
                        acc += UnsafeRawPointer(ai + p).loadUnaligned(as: V.self) * UnsafeRawPointer(bj + p).loadUnaligned(as: V.self)
                        p += 16
                    }
                    var sum = acc.sum()
                    while p < k { sum += ai[p] * bj[p]; p += 1 }
                    ci[j] = overwrite ? sum : ci[j] + sum
                }
            } else {
                // c[i, j0..<j1] += Σₚ a[i, p] · b[p, j0..<j1].
                if overwrite { (ci + j0).update(repeating: 0, count: j1 - j0) }
                for p in 0..<k {
                    let s = ai[p], bp = b + p * ldb
                    for j in j0..<j1 { ci[j] += s * bp[j] }
                }
            }
        }
    }
}
