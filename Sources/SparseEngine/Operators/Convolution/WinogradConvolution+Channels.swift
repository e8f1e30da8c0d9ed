extension WinogradConvolution {
    /// `M[ξ] = U[ξ] · V[ξ]` for the 36 points over the NR-channel `panels` of U, with the lanes over output channels:
    /// `f32_igemmc_8x32` (or `f32_igemmc_7x32`, `KernelConfig.igemmcSlivers`) multiplies MR tiles (read from V in place: tile t's value for input channel c at
    /// `t + c · ld`) by one NR-channel panel of U, K block by K block, into `products` ([panel][tile][NR]), whose
    /// 16×16 blocks are then transposed into M's rows (`[outChannel][tile]`, as the output transform reads them).
    /// A block of 16 tiles (ResNet-50's 14×14 layers at batch 1) fills every lane, where over tiles it left half
    /// of each 32-tile panel empty. The first calls on each panel prefetch the next one (`WeightPrefetch`): at batch
    /// 1 U comes from memory, and without it the 14×14 layers took 1.6× as long.
    func multiplyOverChannels(_ packed: UnsafePointer<Float>, shape: GemmShape, panels: Range<Int>, _ v: UnsafePointer<Float>,
                              count: Int, layout: BlockLayout, into m: UnsafeMutablePointer<Float>,
                              products: UnsafeMutablePointer<Float>, config: KernelConfig) {
        let ld = layout.ld, (mr, igemmc) = config.igemmcSlivers(pixels: count), nr = shape.mr
        let slivers = (count + mr - 1) / mr, productRows = (count + 15) / 16 * 16
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: channels) { rowOffsets in
            for c in 0..<channels { rowOffsets[c] = Int32(c * ld * MemoryLayout<Float>.size) }
            withUnsafeTemporaryAllocation(of: UnsafeRawPointer.self, capacity: slivers * mr) { bases in
                for point in 0..<36 {
                    let u = packed + point * shape.packedCount
                    let vPoint = UnsafeRawPointer(v + point * layout.vPointStride)
                    for tile in 0..<slivers * mr { bases[tile] = vPoint + tile * MemoryLayout<Float>.size }
                    for block in 0..<shape.kBlocks {
                        let k0 = shape.blockStart(block), kc = shape.blockLength(block)
                        for panel in panels {
                            let weights = u + shape.sliverOffset(block: block, sliver: panel)
                            let panelProducts = products + (panel - panels.lowerBound) * productRows * nr
                            let next = nextWeights(after: (point, block, panel), packed, shape: shape, panels: panels)
                            for sliver in 0..<slivers {
                                igemmc(kc, bases.baseAddress! + sliver * mr, rowOffsets.baseAddress! + k0, weights,
                                              panelProducts + sliver * mr * nr, nr, block > 0,
                                              WeightPrefetch.region(next.start, bytes: next.bytes, kc: kc, call: sliver))
                            }
                        }
                    }
                    transposeProducts(products, panels: panels, rows: productRows, nr: nr, into: m + point * layout.mPointStride,
                                      ld: ld, transpose: config.transpose)
                }
            }
        }
    }

    /// The panel of U the GEMMs over `panels` read after `current` (point, K block, panel), and its bytes.
    private func nextWeights(after current: (point: Int, block: Int, panel: Int), _ packed: UnsafePointer<Float>, shape: GemmShape,
                             panels: Range<Int>) -> (start: UnsafeRawPointer?, bytes: Int) {
        var (point, block, panel) = current
        panel += 1
        if panel == panels.upperBound { (block, panel) = (block + 1, panels.lowerBound) }
        if block == shape.kBlocks { (point, block) = (point + 1, 0) }
        guard point < 36 else { return (nil, 0) }
        return (UnsafeRawPointer(packed + point * shape.packedCount + shape.sliverOffset(block: block, sliver: panel)),
                shape.blockLength(block) * shape.mr * MemoryLayout<Float>.size)
    }

    /// Each panel's `rows` (a multiple of 16) × NR products ([tile][channel]) into M's rows `panel · NR ..<`
    /// ([channel][tile], stride `ld`), 16×16 blocks at a time. Rows past the block's last sliver hold whatever the
    /// scratch held: they become tiles past the block's, which the output transform does not store.
    private func transposeProducts(_ products: UnsafePointer<Float>, panels: Range<Int>, rows: Int, nr: Int,
                                   into m: UnsafeMutablePointer<Float>, ld: Int, transpose: KernelConfig.TransposeMicrokernel) {
        for panel in panels {
            let panelProducts = products + (panel - panels.lowerBound) * rows * nr
            for t0 in stride(from: 0, to: rows, by: 16) {
                for c0 in stride(from: 0, to: nr, by: 16) {
                    transpose(panelProducts + t0 * nr + c0, nr, m + (panel * nr + c0) * ld + t0, ld, nil, nil, -.infinity, .infinity)
                }
            }
        }
    }
}
