/// What `sgemm` does to C's finished values: add a bias per column, clamp to a fused activation's bounds, then
/// apply a fused GELU. A linear layer (MatMul → Add(bias) → Gelu, as transformers export their feed-forward
/// layers) then finishes each tile while it is still in cache, instead of a serial bias pass and a GELU pass over
/// the whole output after the product (DistilBERT: 5 million floats per inference, read and written twice).
struct GemmEpilogue {
    /// One value per column of C, or nil.
    let bias: UnsafePointer<Float>?
    /// The activation as bounds: values are clamped to `lo...hi`.
    let lo: Float, hi: Float
    /// The exact GELU applied last, or nil.
    let gelu: KernelConfig.VectorFunction?

    /// The epilogue, or nil when it would leave C as it is.
    init?(bias: UnsafePointer<Float>?, activation: FusedActivation, gelu: Bool, kernels: KernelConfig) {
        let (lo, hi) = activation.bounds
        guard bias != nil || gelu || lo > -.infinity || hi < .infinity else { return nil }
        self.bias = bias
        (self.lo, self.hi) = (lo, hi)
        self.gelu = gelu ? kernels.gelu : nil
    }

    /// Finishes `rows` rows of C at `c` (row stride `ldc`), columns `column ..< column + columns` of the product.
    /// The GELU runs on runs of at least a few hundred floats: a tile's rows (32 floats each) are gathered into a
    /// contiguous block on the stack first, since the kernel's set-up per call cost as much as its work on a row.
    func apply(_ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, column: Int, columns: Int) {
        for r in 0..<rows { addBiasAndClamp(c + r * ldc, column: column, columns: columns) }
        guard let gelu, rows > 0 else { return }
        if ldc == columns || rows == 1 { return gelu(c, c, (rows - 1) * ldc + columns) }
        let rowsPerBlock = max(1, 1024 / columns)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: rowsPerBlock * columns) { block in
            let base = block.baseAddress!
            for r0 in stride(from: 0, to: rows, by: rowsPerBlock) {
                let count = min(rowsPerBlock, rows - r0)
                for r in 0..<count { (base + r * columns).update(from: c + (r0 + r) * ldc, count: columns) }
                gelu(base, base, count * columns)
                for r in 0..<count { (c + (r0 + r) * ldc).update(from: base + r * columns, count: columns) }
            }
        }
    }

    /// Adds the bias to one row's `columns` values (the product's columns from `column`) and clamps them.
    private func addBiasAndClamp(_ row: UnsafeMutablePointer<Float>, column: Int, columns: Int) {
        typealias V = SIMD16<Float>
        guard bias != nil || lo > -.infinity || hi < .infinity else { return }
        let low = V(repeating: lo), high = V(repeating: hi)
        var j = 0
        while j + 16 <= columns {
            var v = UnsafeRawPointer(row + j).loadUnaligned(as: V.self)
            if let bias { v += UnsafeRawPointer(bias + column + j).loadUnaligned(as: V.self) }
            v.replace(with: low, where: v .< low)
            v.replace(with: high, where: v .> high)
            UnsafeMutableRawPointer(row + j).storeBytes(of: v, as: V.self)
            j += 16
        }
        while j < columns {
            row[j] = Swift.min(Swift.max(row[j] + (bias?[column + j] ?? 0), lo), hi)
            j += 1
        }
    }

    /// Finishes the whole of C (`m` × `n`), in parallel row ranges: for the GEMM forms that do not finish tile by tile.
    func apply(toWhole c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, pool: ThreadPool) {
        let rowsPerTask = max(1, 16_384 / max(1, n))
        pool.parallelFor((m + rowsPerTask - 1) / rowsPerTask) { task, _ in
            let r0 = task * rowsPerTask
            apply(c + r0 * ldc, ldc: ldc, rows: min(rowsPerTask, m - r0), column: 0, columns: n)
        }
    }
}
