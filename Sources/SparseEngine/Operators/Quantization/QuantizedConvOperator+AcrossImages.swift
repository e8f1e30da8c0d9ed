/// Pixel tiles that run on across images: a pass's images side by side in each phase plane (unpadded pointwise
/// layers, where every column is an output pixel), so a tile's columns may belong to two images or more.
extension QuantizedConvOperator {
    /// The columns `q0 ..< q1` of a tile over images of `outPlane` pixels laid side by side, cut into runs that stay in one
    /// image, with where each run's first pixel goes in output row 0 (`y` is the pass's first image).
    struct ImageRuns {
        let q0: Int
        let q1: Int
        let outPlane: Int
        let y: UnsafeMutableRawPointer
        /// Bytes from one image's output to the next's.
        let imageBytes: Int
        let elementSize: Int

        /// Whether the tile lies in one image.
        var single: Bool { q0 / outPlane == (q1 - 1) / outPlane }

        /// Calls `body(start, end, yRun)` for each run of columns `start ..< end` in one image, in order.
        func forEach(_ body: (Int, Int, UnsafeMutableRawPointer) -> Void) {
            for image in (q0 / outPlane)...((q1 - 1) / outPlane) {
                let start = max(q0, image * outPlane), end = min(q1, (image + 1) * outPlane)
                body(start, end, y + image * imageBytes + (start - image * outPlane) * elementSize)
            }
        }
    }

    /// Rows `tile·8 ..< tile·8 + rows` over one tile of side-by-side images, requantized by the microkernel: straight to the
    /// output rows in one call when the tile lies in one image, else 8 rows at a time to `scratch` (8 × 32 bytes) and from
    /// there to each image's rows.
    static func computeAcrossImages(_ product: QS8RequantizingProduct, tile: Int, rows: Int, activations: UnsafePointer<UInt8>,
                                    offsets: UnsafePointer<Int32>, _ runs: ImageRuns, ldy: Int, scratch: UnsafeMutablePointer<UInt8>) {
        let columns = runs.q1 - runs.q0, keep = UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(columns)) - 1)
        if runs.single {
            runs.forEach { _, _, yRun in
                product.compute(tile: tile, rows: rows, activations: activations, offsets: offsets, keep: keep,
                                y: yRun.assumingMemoryBound(to: UInt8.self) + tile * 8 * ldy, ldy: ldy)
            }
            return
        }
        for row0 in stride(from: 0, to: rows, by: 8) {
            let count = min(8, rows - row0)
            product.compute(tile: tile + row0 / 8, rows: count, activations: activations, offsets: offsets, keep: keep, y: scratch, ldy: columns)
            runs.forEach { start, end, yRun in
                let yRows = yRun.assumingMemoryBound(to: UInt8.self) + (tile * 8 + row0) * ldy
                for r in 0..<count { (yRows + r * ldy).update(from: scratch + r * columns + (start - runs.q0), count: end - start) }
            }
        }
    }
}
