import Foundation

/// `If`: runs `then_branch` or `else_branch`, as the boolean condition says.
///
/// The inputs after the condition are the outer-scope values the branches read (`Node.capturesAttribute`). A
/// condition known while planning (from constants or shapes, as in exporters' rank checks) plans only its branch,
/// and the outer planner folds the node when that branch's outputs are known too. A condition known only while
/// running (Silero VAD's sample-rate test, a score threshold) plans both branches, whose outputs must then agree in
/// type and shape; each run executes the one chosen. Branch plans are made once per outer input signature (shapes,
/// and the contents of inputs known while planning), on the running session's kernel context.
final class IfOperator: Operator {
    /// One branch, ready to plan: a graph whose inputs are the captured values it reads.
    private struct Branch {
        let graph: Graph
        let operators: [Operator]
        /// For each of the graph's inputs, its position among the node's captured values.
        let capturePositions: [Int]
    }

    /// What planning learned for one signature of the node's inputs.
    private final class Signature {
        let shapes: [[Int]]
        /// Captured values known while planning, by position: runs whose inputs differ from them need another plan.
        let known: [Int: Tensor]
        /// Per branch (else, then): its inference, or why it cannot run with these inputs; nil when not planned.
        var inferences: [Result<Planner.Inference, Error>?] = [nil, nil]
        var plans: [Plan?] = [nil, nil]

        init(shapes: [[Int]], known: [Int: Tensor]) {
            self.shapes = shapes
            self.known = known
        }

        func matches(_ inputs: [Tensor?]) -> Bool {
            guard shapes == inputs.map({ $0?.shape ?? [] }) else { return false }
            return known.allSatisfy { position, value in
                guard let actual = inputs[position] else { return false }
                return actual.rawPointer == value.rawPointer || actual.withUnsafeBytes { a in value.withUnsafeBytes { a.elementsEqual($0) } }
            }
        }
    }

    private let c: OpContext
    /// Else, then.
    private let branches: [Branch]
    private let captured: [String]
    private let lock = NSLock()
    private var signatures: [Signature] = []
    /// Evaluates branch nodes whose inputs are all known while planning (no kernel context is handed to planning).
    private let planningContext = KernelContext(pool: ThreadPool(threads: 1))

    init(_ c: OpContext) throws {
        self.c = c
        let captured = c.node.capturedNames
        self.captured = captured
        let opsets = ["": c.opset]
        branches = try ["else_branch", "then_branch"].map { name in
            guard case .graph(var graph)? = c.node.attributes[name] else {
                throw c.error(.invalidModel, "attribute '\(name)' must be a GRAPH")
            }
            let reads = graph.outerScopeReads
            let positions = try reads.map { read in
                guard let position = captured.firstIndex(of: read) else {
                    throw c.error(.internalError, "branch '\(name)' reads '\(read)', which the node does not capture")
                }
                return position
            }
            graph.inputs = reads.map { ValueInfo(name: $0, dataType: .undefined, shape: nil) }
            graph.nodes = try graph.topologicallySorted()
            let operators = try graph.nodes.map { try OperatorRegistry.make($0, opsets: opsets) }
            return Branch(graph: graph, operators: operators, capturePositions: positions)
        }
    }

    func inferOutputs(_ inputs: [ValueSpec?]) throws -> [ValueSpec] {
        let condition = try c.required(inputs, 0, "cond")
        guard condition.dataType == .bool, condition.count == 1 else {
            throw c.error(.invalidModel, "the condition must be one bool, not \(condition.dataType)\(condition.shape)")
        }
        let capturedSpecs = try captured.indices.map { try c.required(inputs, $0 + 1, "outer-scope value '\(captured[$0])'") }
        var known: [Int: Tensor] = [:]
        for (k, spec) in capturedSpecs.enumerated() where spec.value != nil { known[k + 1] = spec.value }
        let signature = Signature(shapes: [condition.shape] + capturedSpecs.map(\.shape), known: known)
        let chosen = try condition.value.map { try $0.scalars(Bool.self)[0] ? 1 : 0 }
        for index in chosen.map({ [$0] }) ?? [0, 1] {
            signature.inferences[index] = Result { try infer(branches[index], capturedSpecs) }
        }
        // Each branch that can run with these inputs; with the condition unknown, a branch that cannot fails only if taken.
        let planned = signature.inferences.indices.compactMap { index in
            (try? signature.inferences[index]?.get()).map { inference in branches[index].graph.outputs.map { inference.specs[$0.name]! } }
        }
        if let chosen, case .failure(let error)? = signature.inferences[chosen] { throw error }
        if planned.isEmpty, case .failure(let error)? = signature.inferences[0] { throw error }
        try agree(planned)
        lock.lock()
        signatures.append(signature)
        lock.unlock()
        // Contents a branch knows are the node's only when the branch is known too.
        return chosen != nil ? planned[0] : planned[0].map { ValueSpec($0.dataType, $0.shape) }
    }

    func run(_ inputs: [Tensor?], _ outputs: [Tensor], _ context: KernelContext) throws {
        guard let condition = inputs[0] else { throw c.error(.invalidModel, "the condition is missing") }
        let index = try condition.scalars(Bool.self)[0] ? 1 : 0
        let branch = branches[index]
        let plan = try plan(branch: index, inputs, context)
        var feeds: [String: Tensor] = [:]
        for (input, position) in zip(branch.graph.inputs, branch.capturePositions) { feeds[input.name] = inputs[position + 1] }
        let results = try plan.run(feeds, context: context)
        for (output, (result, tensor)) in zip(branch.graph.outputs, zip(results, outputs)) {
            guard result.byteCount == tensor.byteCount else {
                throw c.error(.shapeMismatch, "branch output '\(output.name)' does not have the shape planned for it")
            }
            tensor.rawPointer.copyMemory(from: result.rawPointer, byteCount: tensor.byteCount)
        }
    }

    /// Infers a branch's values for the captured values' specs.
    private func infer(_ branch: Branch, _ capturedSpecs: [ValueSpec]) throws -> Planner.Inference {
        var shapes: [String: (DataType, [Int])] = [:]
        var values: [String: Tensor] = [:]
        for (input, position) in zip(branch.graph.inputs, branch.capturePositions) {
            let spec = capturedSpecs[position]
            shapes[input.name] = (spec.dataType, spec.shape)
            values[input.name] = spec.value
        }
        return try planner(branch, planningContext).infer(inputShapes: shapes, inputValues: values)
    }

    /// Both branches' outputs (when both were planned) must have the same types and shapes.
    private func agree(_ outputs: [[ValueSpec]]) throws {
        guard outputs.count == 2 else { return }
        for (k, (a, b)) in zip(outputs[0], outputs[1]).enumerated() where a.dataType != b.dataType || a.shape != b.shape {
            throw c.error(.dataDependentShape, "output #\(k) is \(b.dataType)\(b.shape) in then_branch but \(a.dataType)\(a.shape) in else_branch, and the condition is only known while running")
        }
    }

    /// The plan of branch `index` for these inputs, made on first use from the inference of their signature.
    private func plan(branch index: Int, _ inputs: [Tensor?], _ context: KernelContext) throws -> Plan {
        lock.lock()
        defer { lock.unlock() }
        guard let signature = signatures.last(where: { $0.matches(inputs) }) else {
            throw c.error(.internalError, "no plan for input shapes \(inputs.map { $0?.shape ?? [] })")
        }
        if let plan = signature.plans[index] { return plan }
        guard let inference = signature.inferences[index] else {
            throw c.error(.internalError, "the branch taken was not planned")
        }
        let branch = branches[index]
        var shapes: [String: (DataType, [Int])] = [:]
        for (input, position) in zip(branch.graph.inputs, branch.capturePositions) {
            shapes[input.name] = (inputs[position + 1]!.dataType, inputs[position + 1]!.shape)
        }
        let plan = try planner(branch, context).plan(try inference.get(), inputShapes: shapes)
        signature.plans[index] = plan
        return plan
    }

    private func planner(_ branch: Branch, _ context: KernelContext) -> Planner {
        Planner(graph: branch.graph, nodes: branch.graph.nodes, operators: branch.operators, context: context)
    }
}
