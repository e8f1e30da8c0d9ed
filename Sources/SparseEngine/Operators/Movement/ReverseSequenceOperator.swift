/// `ReverseSequence`: for each batch entry b, reverses the first `sequence_lens[b]` elements
/// along `time_axis` and copies the rest.
struct ReverseSequenceOperator: Operator {
    let c: OpContext
    let batchAxis: Int, timeAxis: Int

    init(_ c: OpContext) throws {
        self.c = c
        batchAxis = try c.int("batch_axis", 1)
        timeAxis = try c.int("time_axis", 0)
        guard Set([batchAxis, timeAxis]) == Set([0, 1]) else {
            throw c.error(.invalidModel, "batch_axis and time_axis must be 0 and 1 (in either order)")
        }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let x = try c.required(inputs, 0), lengths = try c.required(inputs, 1, "sequence_lens")
        guard x.shape.count >= 2, lengths.shape == [x.shape[batchAxis]] else {
            throw c.error(.shapeMismatch, "sequence_lens \(lengths.shape) must have one entry per batch entry of \(x.shape)")
        }
        return [ValueSpec(x.dataType, x.shape)]
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        let x = inputs[0]!, lengths = try inputs[1]!.intValues(), y = outputs[0]
        let times = x.shape[timeAxis]
        guard lengths.allSatisfy({ $0 >= 0 && $0 <= times }) else {
            throw c.error(.invalidInput, "sequence_lens \(lengths) must lie in 0…\(times)")
        }
        copyBytes(x, into: y, pool: context.pool)
        let inner = x.shape[2...].reduce(1, *), size = x.dataType.byteSize!
        let strides = contiguousStrides(x.shape)
        for (b, length) in lengths.enumerated() {
            for t in 0..<length {
                let source = b * strides[batchAxis] + (length - 1 - t) * strides[timeAxis]
                let target = b * strides[batchAxis] + t * strides[timeAxis]
                (y.rawPointer + target * size).copyMemory(from: x.rawPointer + source * size, byteCount: inner * size)
            }
        }
    }
}
