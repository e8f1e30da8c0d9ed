/// `p[i] = p[i] · σ(p[i])` (SiLU) over `count` floats, in place, through the instruction set's vector exp,
/// in parallel chunks: σ(x) = 1 / (1 + e^−x).
func f32SiLU(_ p: UnsafeMutablePointer<Float>, count: Int, kernels: KernelConfig, pool: ThreadPool) {
    let chunk = 16_384
    pool.parallelFor((count + chunk - 1) / chunk) { c, _ in
        let start = c * chunk, end = min(count, start + chunk)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 1024) { buffer in
            let e = buffer.baseAddress!
            var i = start
            while i < end {
                let n = min(1024, end - i), x = p + i
                for j in 0..<n { e[j] = -x[j] }
                kernels.exp(e, e, n)
                for j in 0..<n { x[j] = x[j] / (1 + e[j]) }
                i += n
            }
        }
    }
}
