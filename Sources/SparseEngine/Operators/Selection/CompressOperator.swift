/// `Compress`: the slices of the input along `axis` whose entry of the 1-D bool `condition` is true, or, without
/// `axis`, the elements of the flattened input whose entry is true. Entries past the end of `condition` count as
/// false, as in NumPy and ONNX Runtime; a condition longer than the axis is refused. Any element type.
struct CompressOperator: ValueShapedOperator {
    private let c: OpContext
    private let axis: Int?

    init(_ c: OpContext) throws {
        self.c = c
        axis = try c.optionalInt("axis")
    }

    func checkInputs(_ inputs: [ValueSpec?]) throws {
        let input = try c.required(inputs, 0, "input"), condition = try c.required(inputs, 1, "condition")
        guard input.dataType.byteSize != nil else {
            throw c.error(.unsupportedDataType, "input of type \(input.dataType) is not supported")
        }
        try c.check(condition.dataType, in: [.bool], "condition")
        guard condition.shape.count == 1 else {
            throw c.error(.invalidModel, "condition must be 1-D, got shape \(condition.shape)")
        }
        let length = try axis.map { input.shape[try c.axis($0, rank: input.shape.count)] } ?? input.count
        guard condition.shape[0] <= length else {
            throw c.error(.shapeMismatch, "condition has \(condition.shape[0]) entries, more than the \(length) \(axis == nil ? "elements of the input" : "slices along axis \(axis!)")")
        }
    }

    func evaluate(_ inputs: [Tensor?]) throws -> [Tensor] {
        let input = inputs[0]!, condition = inputs[1]!.buffer(Bool.self)
        let axis = try self.axis.map { try c.axis($0, rank: input.rank) }
        let dimension = axis.map { input.shape[$0] } ?? input.count
        let outer = axis.map { input.shape[..<$0].reduce(1, *) } ?? 1
        let sliceBytes = (axis.map { input.shape[($0 + 1)...].reduce(1, *) } ?? 1) * input.dataType.byteSize!
        let kept = condition.indices.filter { condition[$0] }
        var shape = [kept.count]
        if let axis { shape = input.shape; shape[axis] = kept.count }
        let output = try Tensor(zeros: input.dataType, shape: shape)
        var destination = output.rawPointer
        for o in 0..<outer {
            for i in kept {
                destination.copyMemory(from: input.rawPointer + (o * dimension + i) * sliceBytes, byteCount: sliceBytes)
                destination += sliceBytes
            }
        }
        return [output]
    }
}
