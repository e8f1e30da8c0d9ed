/// `DepthToSpace` (`DCR` or `CRD` order) and `SpaceToDepth` with `blocksize`: rearrangements of
/// [N, C, H, W] between channels and blocks of pixels.
struct DepthSpaceOperator: Operator {
    let kind: OpKind
    let c: OpContext
    let block: Int
    let columnRowDepth: Bool

    init(_ kind: OpKind, _ c: OpContext) throws {
        self.kind = kind
        self.c = c
        guard let b = try c.optionalInt("blocksize"), b > 0 else { throw c.error(.invalidModel, "attribute 'blocksize' must be a positive integer") }
        block = b
        let mode = try c.string("mode", "DCR")
        guard mode == "DCR" || mode == "CRD" else { throw c.error(.unsupportedAttribute, "mode '\(mode)' is not supported (DCR, CRD)") }
        columnRowDepth = mode == "CRD"
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        guard x.shape.count == 4 else { throw c.error(.shapeMismatch, "input \(x.shape) must be [N, C, H, W]") }
        let (n, ch, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        if kind == .depthToSpace {
            guard ch % (block * block) == 0 else { throw c.error(.shapeMismatch, "\(ch) channels are not divisible by blocksize² \(block * block)") }
            return [ValueSpec(x.dataType, [n, ch / (block * block), h * block, w * block])]
        }
        guard h % block == 0, w % block == 0 else { throw c.error(.shapeMismatch, "spatial size \(h)×\(w) is not divisible by blocksize \(block)") }
        return [ValueSpec(x.dataType, [n, ch * block * block, h / block, w / block])]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0], b = block
        // Both are a transpose of a 6-D view; the output is walked in order and read with strides.
        let view: [Int], perm: [Int]
        if kind == .depthToSpace {
            let (n, ch, h, w) = (x.shape[0], x.shape[1] / (b * b), x.shape[2], x.shape[3])
            view = columnRowDepth ? [n, ch, b, b, h, w] : [n, b, b, ch, h, w]
            perm = columnRowDepth ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2]
        } else {
            let (n, ch, h, w) = (x.shape[0], x.shape[1], x.shape[2] / b, x.shape[3] / b)
            view = [n, ch, h, b, w, b]
            perm = [0, 3, 5, 1, 2, 4]
        }
        let strides = contiguousStrides(view)
        stridedCopy(elementSize: x.dataType.byteSize!, shape: perm.map { view[$0] }, strides: perm.map { strides[$0] },
                    src: x.rawPointer, dst: y.rawPointer)
    }
}

/// `CenterCropPad`: crops or zero-pads each axis in `axes` (default all) to the size in `shape`,
/// keeping the centre (the extra element of an odd difference goes to the end).
struct CenterCropPadOperator: Operator {
    let c: OpContext
    let axes: [Int]?
    var planTimeInputs: [Int] { [1] }

    init(_ c: OpContext) throws {
        self.c = c
        axes = try c.ints("axes")
    }

    private func sizes(_ inputs: [ValueSpec?], shape: [Int]) throws -> [Int] {
        let target = try c.knownInts(try c.required(inputs, 1, "shape"), "shape")!
        let list = try (axes ?? Array(0..<shape.count)).map { try c.axis($0, rank: shape.count) }
        guard target.count == list.count, target.allSatisfy({ $0 >= 0 }) else {
            throw c.error(.shapeMismatch, "shape \(target) must have one non-negative size per axis \(list)")
        }
        var out = shape
        for (i, a) in list.enumerated() { out[a] = target[i] }
        return out
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0)
        return [ValueSpec(x.dataType, try sizes(inputs, shape: x.shape))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, y = outputs[0]
        let fill = try Tensor(zeros: x.dataType, shape: [1])
        mapIndices(x, y, fill: fill) { d, o in
            let n = x.shape[d], m = y.shape[d]
            let i = n >= m ? o + (n - m) / 2 : o - (m - n) / 2
            return i >= 0 && i < n ? i : nil
        }
    }
}
