/// Convolution over three or more spatial axes: im2col/col2im + SGEMM, with the column layout taken
/// from `SpatialWindow`'s tables.
extension ConvOperator {
    func convolveND(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ y: Tensor, _ window: SpatialWindow, _ context: KernelContext) throws {
        let table = window.sourceTable()
        let n = x.shape[0], channels = x.shape[1], m = w.shape[0]
        let cg = channels / group, mg = m / group
        let kernelCount = window.kernelCount, plane = window.outputCount, inPlane = window.inputCount
        let kSize = cg * kernelCount
        let cols = context.scratchFloats(thread: 0, kSize * plane)
        let xp = x.pointer(Float.self), wp = w.pointer(Float.self), yp = y.pointer(Float.self)
        let bp = bias?.pointer(Float.self)
        for img in 0..<n {
            for gi in 0..<group {
                let xg = xp + (img * channels + gi * cg) * inPlane
                for ci in 0..<cg {
                    for k in 0..<kernelCount {
                        let row = cols + (ci * kernelCount + k) * plane, sources = table[k]
                        for p in 0..<plane { row[p] = sources[p] < 0 ? 0 : xg[ci * inPlane + sources[p]] }
                    }
                }
                let yg = yp + (img * m + gi * mg) * plane
                for oc in 0..<mg { (yg + oc * plane).update(repeating: bp?[gi * mg + oc] ?? 0, count: plane) }
                sgemm(transA: false, transB: false, m: mg, n: plane, k: kSize, alpha: 1,
                      a: wp + gi * mg * kSize, lda: kSize, b: cols, ldb: plane, beta: 1, c: yg, ldc: plane, context: context)
            }
        }
        inlineActivation.apply(yp, y.count)
    }
}

extension ConvTransposeOperator {
    func transposeND(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ y: Tensor, _ window: SpatialWindow, _ context: KernelContext) throws {
        let table = window.scatterTable()
        let n = x.shape[0], channels = x.shape[1]
        let cg = channels / group, mg = w.shape[1], m = mg * group
        let kernelCount = window.kernelCount, inPlane = window.inputCount, outPlane = window.outputCount
        let rows = mg * kernelCount
        let cols = context.scratchFloats(thread: 0, rows * inPlane)
        let xp = x.pointer(Float.self), wp = w.pointer(Float.self), yp = y.pointer(Float.self)
        let bp = bias?.pointer(Float.self)
        for img in 0..<n {
            for gi in 0..<group {
                sgemm(transA: true, transB: false, m: rows, n: inPlane, k: cg, alpha: 1,
                      a: wp + gi * cg * rows, lda: rows, b: xp + (img * channels + gi * cg) * inPlane, ldb: inPlane,
                      beta: 0, c: cols, ldc: inPlane, context: context)
                for oc in 0..<mg {
                    let dst = yp + (img * m + gi * mg + oc) * outPlane
                    dst.update(repeating: bp?[gi * mg + oc] ?? 0, count: outPlane)
                    for k in 0..<kernelCount {
                        let src = cols + (oc * kernelCount + k) * inPlane, targets = table[k]
                        for i in 0..<inPlane where targets[i] >= 0 { dst[targets[i]] += src[i] }
                    }
                }
            }
        }
    }
}
