#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything needed to run the graph for one input-shape signature: the steps in order,
/// a tensor table (constants and arena views pre-filled), and the arena itself.
final class Plan {
    /// One operator invocation: slots of its inputs (nil = omitted) and outputs, whether the shapes of its
    /// outputs are checked before it runs (they were inferred from contents that vary between runs), and whether
    /// it is hoisted (reads no varying input, so its outputs stand for every run of one `hoistedRun`).
    struct Step {
        let op: Operator
        let node: Node
        let inputs: [Int?]
        let outputs: [Int]
        var checksShapes = false
        var hoisted = false
    }

    /// Thrown by a run when a step's output shapes, inferred again from this run's values, differ from the ones
    /// planned: the plan does not fit these values, and nothing it wrote may be used.
    struct ShapeChange: Error {}

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
    /// Each step's operand arrays, built once: every slot but the graph inputs is fixed for the plan,
    /// so a run only patches the operands that are graph inputs (no per-step allocation).
    private var stepInputs: [[Tensor?]]
    private let stepOutputs: [[Tensor]]
    /// (step, operand index, input name) for every step operand that is a graph input.
    private let feedOperands: [(step: Int, operand: Int, input: String)]
    /// False for a step whose outputs all have no elements (a batch of 0, an empty slice): it has nothing to write,
    /// and kernels need not handle empty operands.
    private let writesElements: [Bool]
    /// The `hoistedRun` the hoisted steps' outputs were last computed for.
    private var lastHoistedRun: Int?

    init(steps: [Step], table: [Tensor?], inputSlots: [String: Int], outputSlots: [(String, Int)], arena: TensorStorage, foldedNodes: Int) {
        self.steps = steps
        self.table = table
        self.inputSlots = inputSlots
        self.outputSlots = outputSlots
        self.arena = arena
        arenaBytes = arena.byteCount
        self.foldedNodes = foldedNodes
        stepInputs = steps.map { step in step.inputs.map { $0.flatMap { table[$0] } } }
        stepOutputs = steps.map { step in step.outputs.map { table[$0]! } }
        writesElements = stepOutputs.map { outputs in outputs.isEmpty || outputs.contains { $0.count > 0 } }
        let inputOfSlot = Dictionary(uniqueKeysWithValues: inputSlots.map { ($0.value, $0.key) })
        feedOperands = steps.enumerated().flatMap { index, step in
            step.inputs.enumerated().compactMap { operand, slot in
                slot.flatMap { inputOfSlot[$0] }.map { (index, operand, $0) }
            }
        }
    }

    /// Runs every step and returns copies of the graph outputs. With `timings` (one entry per step),
    /// adds each step's seconds to its entry.
    func execute(_ feeds: [String: Tensor], context: KernelContext, timings: UnsafeMutablePointer<Double>? = nil) throws -> [String: Tensor] {
        let outputs = try run(feeds, context: context, timings: timings)
        var result: [String: Tensor] = [:]
        for ((name, _), tensor) in zip(outputSlots, outputs) { result[name] = tensor.copy() }
        return result
    }

    /// Runs every step and returns the graph outputs in order, uncopied: views of the arena, valid until the next
    /// run, or the fed tensors themselves for inputs passed straight through. Throws `ShapeChange` when a step
    /// that checks its shapes would write shapes other than the planned ones. Runs with the same `hoistedRun`
    /// (a loop's iterations, which feed the same tensors to the non-varying inputs) run the hoisted steps once.
    func run(_ feeds: [String: Tensor], context: KernelContext, timings: UnsafeMutablePointer<Double>? = nil, hoistedRun: Int? = nil) throws -> [Tensor] {
        for (step, operand, input) in feedOperands { stepInputs[step][operand] = feeds[input] }
        defer { for (step, operand, _) in feedOperands { stepInputs[step][operand] = nil } }
        let skipsHoisted = hoistedRun != nil && hoistedRun == lastHoistedRun
        lastHoistedRun = nil
        for index in steps.indices where writesElements[index] || steps[index].checksShapes {
            if skipsHoisted && steps[index].hoisted { continue }
            if steps[index].checksShapes { try checkShapes(index) }
            guard writesElements[index] else { continue }
            let start = timings == nil ? 0 : monotonicSeconds()
            do {
                try steps[index].op.run(stepInputs[index], stepOutputs[index], context)
            } catch let error as EngineError {
                // As `attributingErrors`, without copying the node for every step that succeeds.
                throw error.located(in: steps[index].node)
            }
            if let timings { timings[index] += monotonicSeconds() - start }
        }
        lastHoistedRun = hoistedRun
        return outputSlots.map { name, slot in inputSlots[name] != nil ? feeds[name]! : table[slot]! }
    }

    /// Infers step `index`'s outputs again from this run's operands (contents only where the operator reads them
    /// while planning; all of them for a `ValueShapedOperator`) and throws `ShapeChange` unless they have the planned
    /// shapes.
    private func checkShapes(_ index: Int) throws {
        let step = steps[index]
        let planTime = step.op.planTimeInputs
        let readsAllContents = step.op is ValueShapedOperator
        let specs = stepInputs[index].enumerated().map { position, tensor in
            tensor.map { readsAllContents || planTime.contains(position) ? ValueSpec(known: $0) : ValueSpec($0.dataType, $0.shape) }
        }
        let inferred = try attributingErrors(to: step.node) { try step.op.inferOutputs(specs) }
        guard zip(inferred, stepOutputs[index]).allSatisfy({ $0.shape == $1.shape }) else { throw ShapeChange() }
    }
}

/// Seconds on the monotonic clock (arbitrary origin).
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}
