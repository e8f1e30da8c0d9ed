/// Everything needed to run the graph for one input-shape signature: the steps in order,
/// a tensor table (constants and arena views pre-filled), and the arena itself.
final class Plan {
    /// One operator invocation: slots of its inputs (nil = omitted) and outputs.
    struct Step {
        let op: Operator
        let node: Node
        let inputs: [Int?]
        let outputs: [Int]
    }

    /// The steps, in execution order.
    let steps: [Step]
    /// Tensor per slot: constants and arena views; graph-input slots are filled per run.
    let table: [Tensor?]
    /// Graph input name → slot.
    let inputSlots: [String: Int]
    /// Graph output name → slot.
    let outputSlots: [(String, Int)]
    /// Bytes in the arena (all intermediate values).
    let arenaBytes: Int
    /// Nodes evaluated while planning (constant for this signature).
    let foldedNodes: Int
    private let arena: TensorStorage

    init(steps: [Step], table: [Tensor?], inputSlots: [String: Int], outputSlots: [(String, Int)], arena: TensorStorage, foldedNodes: Int) {
        self.steps = steps
        self.table = table
        self.inputSlots = inputSlots
        self.outputSlots = outputSlots
        self.arena = arena
        arenaBytes = arena.byteCount
        self.foldedNodes = foldedNodes
    }

    /// Runs every step and returns copies of the graph outputs.
    func execute(_ feeds: [String: Tensor], context: KernelContext) throws -> [String: Tensor] {
        var table = self.table
        for (name, slot) in inputSlots { table[slot] = feeds[name] }
        for step in steps {
            let inputs = step.inputs.map { $0.flatMap { table[$0] } }
            let outputs = step.outputs.map { table[$0]! }
            try step.op.run(inputs, outputs, context)
        }
        var result: [String: Tensor] = [:]
        for (name, slot) in outputSlots { result[name] = table[slot]!.copy() }
        return result
    }
}
