/// `p[i] = p[i] · σ(p[i])` (SiLU) over `count` floats, in place, through the instruction set's vector SiLU, in
/// parallel chunks.
func f32SiLU(_ p: UnsafeMutablePointer<Float>, count: Int, kernels: KernelConfig, pool: ThreadPool) {
    let chunk = 16_384
    pool.parallelFor((count + chunk - 1) / chunk) { c, _ in
        let start = c * chunk
        kernels.silu(p + start, p + start, min(count, start + chunk) - start)
    }
}
