/// Builds a `Plan` for concrete input shapes: infers every value's type and shape, evaluates
/// nodes whose inputs are all known (shape sub-graphs such as Shape→Gather→Concat→Reshape),
/// and places the remaining values in one arena by lifetime.
struct Planner {
    let graph: Graph
    let nodes: [Node]
    let operators: [Operator]
    let context: KernelContext

    /// Every value's type and shape for these inputs, with the nodes left to run.
    struct Inference {
        /// One node that must run per call, the names its outputs get (placeholders for omitted ones), whether its
        /// output shapes must be checked before each run (they were inferred from values that vary), and whether it
        /// reads nothing that varies (with varying inputs: it need run only once for runs that feed the same tensors).
        struct Pending { let index: Int; let outputs: [String]; var checksShapes = false; var hoisted = false }
        /// Type, shape and (for values known while planning) contents of every value.
        let specs: [String: ValueSpec]
        /// The nodes that run, in order.
        let pending: [Pending]
        /// Nodes evaluated while planning (constant for this signature).
        let folded: Int
        /// The `varying` inputs and every value computed from their contents: never constants of the plan.
        var varying: Set<String> = []
        /// With `stopsAtValueShapedNodes`, the first node whose output shapes depend on contents known only while
        /// running (`ValueShapedOperator`): inference stopped there, `pending` holds the nodes before it and `specs`
        /// their values.
        var stop: Int? = nil
    }

    /// `inputValues` holds the contents of the inputs that decide shapes (`planTimeGraphInputs`).
    /// `varying` as in `infer`.
    func plan(inputShapes: [String: (DataType, [Int])], inputValues: [String: Tensor] = [:], varying: Set<String> = []) throws -> Plan {
        try plan(try infer(inputShapes: inputShapes, inputValues: inputValues, varying: varying), inputShapes: inputShapes)
    }

    /// Infers every value's type and shape and evaluates the nodes whose inputs are all known, without
    /// placing anything in memory. A node whose output shapes depend on contents known only while running stops the
    /// inference there when `stopsAtValueShapedNodes` (the main graph, run in stages by `StagedGraph`), and is refused
    /// with `dataDependentShape` otherwise (a sub-graph).
    ///
    /// `varying` names inputs whose `inputValues` hold only this run's contents (a loop body's iteration count):
    /// they decide shapes while planning, but the nodes that read them still run every time, and those whose
    /// output shapes came from such contents check them before each run (`Plan.ShapeChange`).
    func infer(inputShapes: [String: (DataType, [Int])], inputValues: [String: Tensor] = [:], varying: Set<String> = [],
               stopsAtValueShapedNodes: Bool = false) throws -> Inference {
        var varyingValues = varying
        var specs: [String: ValueSpec] = [:]
        for (name, t) in graph.initializers { specs[name] = ValueSpec(known: t) }
        for input in graph.inputs {
            guard let (type, shape) = inputShapes[input.name] else { continue }
            specs[input.name] = ValueSpec(type, shape, value: inputValues[input.name]?.copy())
        }
        var pending: [Inference.Pending] = []
        var folded = 0
        for (index, node) in nodes.enumerated() {
            let op = operators[index]
            let inputs: [ValueSpec?] = try node.inputs.map { name in
                if name.isEmpty { return nil }
                guard let spec = specs[name] else {
                    throw EngineError.node(.internalError, "input '\(name)' has no type while planning", node, opset: 0)
                }
                return spec
            }
            if let valueShaped = op as? ValueShapedOperator, !inputs.allSatisfy({ $0 == nil || $0!.value != nil }) {
                try attributingErrors(to: node) { try valueShaped.checkInputs(inputs) }
                guard stopsAtValueShapedNodes else {
                    throw EngineError(.dataDependentShape, "output shapes depend on values computed while running, which only the model's main graph supports (not a sub-graph)").located(in: node)
                }
                return Inference(specs: specs, pending: pending, folded: folded, varying: varyingValues, stop: index)
            }
            var outputs = try attributingErrors(to: node) {
                let outputs = try op.inferOutputs(inputs)
                try MemoryLimit.checkOutputs(outputs, named: node.outputs)
                return outputs
            }
            guard outputs.count >= node.outputs.count else {
                throw EngineError(.internalError, "operator \(node.opType) returned \(outputs.count) output types for \(node.outputs.count) outputs (node '\(node.displayName)')")
            }
            outputs = Array(outputs.prefix(node.outputs.count))
            let names = node.outputs.enumerated().map { $0.element.isEmpty ? "\u{0}unused:\(index):\($0.offset)" : $0.element }
            let knownOutputs = outputs.allSatisfy { $0.value != nil }
            if !knownOutputs && inputs.allSatisfy({ $0 == nil || $0!.value != nil }) {
                // Everything known: evaluate now, once per signature.
                let tensors = try outputs.map { try Tensor(zeros: $0.dataType, shape: $0.shape) }
                try attributingErrors(to: node) { try op.run(inputs.map { $0?.value }, tensors, context) }
                for i in outputs.indices { outputs[i].value = tensors[i] }
            }
            if !op.readsOnlyInputShapes, node.inputs.contains(where: { varyingValues.contains($0) }) {
                let checksShapes = op is ValueShapedOperator
                    || op.planTimeInputs.contains { $0 < node.inputs.count && varyingValues.contains(node.inputs[$0]) }
                pending.append(Inference.Pending(index: index, outputs: names, checksShapes: checksShapes))
                varyingValues.formUnion(names)
            } else if knownOutputs || outputs.allSatisfy({ $0.value != nil }) {
                folded += 1
            } else {
                // Dropout may draw a random mask each run.
                let hoisted = !varying.isEmpty && node.opType != OpKind.dropout.rawValue
                pending.append(Inference.Pending(index: index, outputs: names, hoisted: hoisted))
            }
            for (name, spec) in zip(names, outputs) { specs[name] = spec }
        }
        return Inference(specs: specs, pending: pending, folded: folded, varying: varyingValues)
    }

    /// Places the values of `inference` (made for `inputShapes`) in one arena and builds the plan.
    func plan(_ inference: Inference, inputShapes: [String: (DataType, [Int])]) throws -> Plan {
        let specs = inference.specs

        // Slots: graph inputs, constants used by steps, and step outputs (arena).
        var slotOf: [String: Int] = [:]
        var table: [Tensor?] = []
        func slot(_ name: String) -> Int {
            if let s = slotOf[name] { return s }
            slotOf[name] = table.count
            let constant = inference.varying.contains(name) ? nil : specs[name]?.value
            table.append(constant)
            // The plan keeps its constants alive and unchanged, so kernels may cache work derived from them.
            if let constant { context.gemmWorkspace.registerConstant(constant.rawPointer, byteCount: constant.byteCount) }
            return table.count - 1
        }
        var inputSlots: [String: Int] = [:]
        for input in graph.inputs where inputShapes[input.name] != nil { inputSlots[input.name] = slot(input.name) }

        let (requestNames, requests) = memoryRequests(inference)
        let (offsets, arenaSize) = MemoryPlanner.plan(requests)
        try MemoryLimit.check(arenaSize, what: "the plan's values at input shapes \(inputShapes.values.map(\.1))")
        let arena = TensorStorage(zeroedByteCount: arenaSize)
        for (i, name) in requestNames.enumerated() {
            let spec = specs[name]!
            let s = slot(name)
            table[s] = Tensor(dataType: spec.dataType, shape: spec.shape, storage: arena, byteOffset: offsets[i])
        }
        var steps: [Plan.Step] = []
        for p in inference.pending {
            let node = nodes[p.index]
            steps.append(Plan.Step(op: operators[p.index], node: node,
                                   inputs: node.inputs.map { $0.isEmpty ? nil : slot($0) },
                                   outputs: p.outputs.map { slot($0) }, checksShapes: p.checksShapes, hoisted: p.hoisted))
        }
        let outputSlots = graph.outputs.map { ($0.name, slot($0.name)) }
        return Plan(steps: steps, table: table, inputSlots: inputSlots, outputSlots: outputSlots, arena: arena, foldedNodes: inference.folded)
    }

    /// Bytes the arena of a plan for `inference` would take (nothing is allocated).
    func arenaBytes(_ inference: Inference) -> Int {
        MemoryPlanner.plan(memoryRequests(inference).requests).arenaSize
    }

    /// Bytes of every value the nodes that run write, summed (each is written once and read at least once).
    func valueBytes(_ inference: Inference) -> Int {
        memoryRequests(inference).requests.reduce(0) { $0 + $1.size }
    }

    /// One arena request per output of a node that runs, alive from that node to its last reader (the end
    /// for graph outputs, the whole run for outputs of hoisted nodes, which later runs may skip), named by value.
    private func memoryRequests(_ inference: Inference) -> (names: [String], requests: [MemoryPlanner.Request]) {
        var requests: [MemoryPlanner.Request] = []
        var names: [String] = []
        var lastUse: [String: Int] = [:]
        for (stepIndex, p) in inference.pending.enumerated() {
            for name in nodes[p.index].inputs where !name.isEmpty { lastUse[name] = stepIndex }
            for name in p.outputs {
                names.append(name)
                let spec = inference.specs[name]!
                let lifetime = p.hoisted ? (0, inference.pending.count) : (stepIndex, stepIndex)
                requests.append(.init(size: spec.count * (spec.dataType.byteSize ?? 0), firstStep: lifetime.0, lastStep: lifetime.1))
            }
        }
        for output in graph.outputs { lastUse[output.name] = inference.pending.count }
        for i in requests.indices { requests[i].lastStep = max(requests[i].lastStep, lastUse[names[i]] ?? 0) }
        return (names, requests)
    }
}
