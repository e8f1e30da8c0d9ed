/// `GatherND` with `batch_dims`: each index tuple (the last axis of `indices`) picks a slice of
/// `data` within its batch.
struct GatherNDOperator: Operator {
    let c: OpContext
    let batchDims: Int

    init(_ c: OpContext) throws {
        self.c = c
        batchDims = try c.int("batch_dims", 0)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let data = try c.required(inputs, 0), indices = try c.required(inputs, 1, "indices")
        try c.check(indices.dataType, in: [.int64], "indices")
        let b = batchDims
        guard let k = indices.shape.last, k >= 1, indices.shape.count > b, data.shape.count >= b + k,
              Array(indices.shape.prefix(b)) == Array(data.shape.prefix(b)) else {
            throw c.error(.shapeMismatch, "indices \(indices.shape) do not fit data \(data.shape) with batch_dims \(b)")
        }
        return [ValueSpec(data.dataType, Array(indices.shape.dropLast()) + Array(data.shape[(b + k)...]))]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let data = inputs[0]!, indexTensor = inputs[1]!, y = outputs[0]
        let indices = try indexTensor.intValues()
        let b = batchDims, k = indexTensor.shape.last!, size = data.dataType.byteSize!
        let strides = contiguousStrides(data.shape)
        let slice = data.shape[(b + k)...].reduce(1, *)
        let batches = data.shape.prefix(b).reduce(1, *), batchStride = b == 0 ? 0 : strides[b - 1]
        let tuples = indexTensor.shape.dropLast().reduce(1, *), perBatch = tuples / Swift.max(batches, 1)
        for t in 0..<tuples {
            var offset = (t / Swift.max(perBatch, 1)) * batchStride
            for d in 0..<k {
                let n = data.shape[b + d], raw = indices[t * k + d]
                let i = raw < 0 ? raw + n : raw
                guard i >= 0 && i < n else { throw c.error(.invalidInput, "index \(raw) is out of range for axis \(b + d) of size \(n)") }
                offset += i * strides[b + d]
            }
            (y.rawPointer + t * slice * size).copyMemory(from: data.rawPointer + offset * size, byteCount: slice * size)
        }
    }
}

/// `ScatterND`: a copy of `data` where each index tuple of `indices` receives a slice of
/// `updates`, combined by `reduction`.
struct ScatterNDOperator: Operator {
    let c: OpContext
    let reduction: ScatterReduction

    init(_ c: OpContext) throws {
        self.c = c
        reduction = try ScatterReduction(c)
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let data = try c.required(inputs, 0), indices = try c.required(inputs, 1, "indices"), updates = try c.required(inputs, 2, "updates")
        try c.check(indices.dataType, in: [.int64], "indices")
        guard let k = indices.shape.last, k >= 1, k <= data.shape.count,
              updates.shape == Array(indices.shape.dropLast()) + Array(data.shape[k...]) else {
            throw c.error(.shapeMismatch, "updates \(updates.shape) do not fit indices \(indices.shape) into data \(data.shape)")
        }
        return [ValueSpec(data.dataType, data.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let data = inputs[0]!, indexTensor = inputs[1]!
        let indices = try indexTensor.intValues(), k = indexTensor.shape.last!
        let strides = contiguousStrides(data.shape)
        let slice = data.shape[k...].reduce(1, *)
        let tuples = indexTensor.shape.dropLast().reduce(1, *)
        let targets = try (0..<tuples).map { t -> Int in
            var offset = 0
            for d in 0..<k {
                let n = data.shape[d], raw = indices[t * k + d]
                let i = raw < 0 ? raw + n : raw
                guard i >= 0 && i < n else { throw c.error(.invalidInput, "index \(raw) is out of range for axis \(d) of size \(n)") }
                offset += i * strides[d]
            }
            return offset
        }
        try reduction.scatter(data, inputs[2]!, targets: targets, sliceSize: slice, into: outputs[0], pool: context.pool)
    }
}
