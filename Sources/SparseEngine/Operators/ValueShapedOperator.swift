/// An operator whose output shapes depend on its inputs' contents (NonMaxSuppression, Compress, Unique).
///
/// The planner evaluates it while planning when those contents are known. When they are only known while
/// running, planning stops at it: the session (`StagedGraph`) runs the nodes before it, evaluates it on their
/// values and plans the rest of the graph for the shapes it made.
protocol ValueShapedOperator: Operator {
    /// Checks the inputs' types and shapes before their contents are known (nil = omitted optional input).
    func checkInputs(_ inputs: [ValueSpec?]) throws
    /// The outputs for these inputs (nil = omitted optional input), one per node output.
    func evaluate(_ inputs: [Tensor?]) throws -> [Tensor]
}

extension ValueShapedOperator {
    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        try checkInputs(inputs)
        let values = inputs.map { $0?.value }
        guard zip(inputs, values).allSatisfy({ $0 == nil || $1 != nil }) else {
            throw EngineError(.internalError, "output shapes asked before the input contents they depend on are known")
        }
        return try evaluate(values).map(ValueSpec.init(known:))
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        for (output, result) in zip(outputs, try evaluate(inputs)) {
            guard output.shape == result.shape, output.dataType == result.dataType else {
                throw EngineError(.internalError, "output planned as \(output.dataType)\(output.shape) came out \(result.dataType)\(result.shape)")
            }
            output.rawPointer.copyMemory(from: result.rawPointer, byteCount: result.byteCount)
        }
    }
}
